#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""imsconnect-sim: synchronous callout (ICAL) round trips driven by a test
acting as the callout client: RESUME TPIPE SYNONLY, COR token, L/M responses,
error responses, ICAL timeout, NAK keeps the request.
Usage: test_sim_callout.py SIMBIN"""
import struct
import sys
import threading
import time

from simwire import (E, Sim, Runner, request, read_reply, timer_s, CM0, SYNCNF,
                     RT_SINGLE, RT_SWAIT, F0_SYNONLY, F0_SYNASYN, F0_NAKRSN, TIMER_NOWAIT)

BIN = sys.argv[1]
GOOD = dict(user='USER01', pw='PASS01')


def resume_sync(cid, f5=RT_SWAIT, timer=timer_s(5), f0=F0_SYNONLY, tpipe='SYNTPIPE'):
    return request(msgtype='R', clientid=cid, arch=3, f0=f0, f2=CM0, f3=SYNCNF, f5=f5,
                   timer=timer, rerout=tpipe, **GOOD)


def ack(cid, timer=TIMER_NOWAIT):
    return request(msgtype='A', clientid=cid, arch=3, f2=CM0, f3=SYNCNF, timer=timer, **GOOD)


def respond(cid, token, data, mt='L', f0=0, nak_rsn=0):
    return request(msgtype=mt, clientid=cid, arch=3, cortkn=token, f0=f0, nak_rsn=nak_rsn,
                   data=data, llll_data=True, **GOOD)


class Caller(threading.Thread):
    """Runs CALLSYNC on its own socket and keeps the reply."""

    def __init__(self, sim, text, cid='CALLER1', timer=timer_s(20)):
        super().__init__()
        self.sim, self.text, self.cid, self.timer = sim, text, cid, timer
        self.reply = None
        self.error = None

    def run(self):
        try:
            self.reply = self.sim.call(request(clientid=self.cid, trancode='CALLSYNC',
                                               data='CALLSYNC ' + self.text,
                                               timer=self.timer, **GOOD))
        except Exception as e:  # noqa: BLE001
            self.error = e


def pull(sim, cid='PULLER1'):
    """RESUME TPIPE SYNONLY SWAIT: returns (socket, reply with COR)."""
    s = sim.connect()
    s.sendall(resume_sync(cid))
    r = read_reply(s)
    return s, r


def t_roundtrip_L(sim):
    c = Caller(sim, 'GETQUOTE IBM')
    c.start()
    s, r = pull(sim)
    assert r.cor is not None and len(r.cor) == 40, r
    assert r.csm[0] & 0x20, r.csm
    assert r.segments[0] == 'GETQUOTE IBM'.encode(E), r.segments
    # token fields: LL=40, IMS id, tpipe, user (reference section 3.5)
    assert struct.unpack_from('>H', r.cor, 0)[0] == 40
    assert r.cor[4:8].decode(E) == 'IMS1'
    assert r.cor[24:32].decode(E).rstrip() == 'SYNTPIPE'
    assert r.cor[32:40].decode(E).rstrip() == 'USER01'
    s.sendall(ack('PULLER1'))            # SWAIT + NOWAIT ACK: no final message
    s.close()
    # the response comes from another client on another socket
    r2 = sim.call(respond('RESP1', r.cor, 'PRICE=123.45'))
    assert r2.csm is not None and r2.rsm is None, r2
    c.join(10)
    assert c.error is None, c.error
    assert c.reply.text() == ['CALLOUT RESPONSE: PRICE=123.45'], c.reply


def t_roundtrip_M(sim):
    c = Caller(sim, 'M-STYLE', cid='CALLER2')
    c.start()
    s, r = pull(sim, 'PULLER2')
    s.sendall(ack('PULLER2'))
    s.close()
    rs = sim.connect()
    rs.sendall(respond('RESP2', r.cor, 'NO-REPLY-WANTED', mt='M'))
    c.join(10)
    assert c.reply.text() == ['CALLOUT RESPONSE: NO-REPLY-WANTED'], c.reply
    # M: nothing comes back on the responder's socket; it is still usable
    r = sim.call(request(clientid='RESP2', data='PING IMS_CONNECT'), sock=rs)
    assert r.text() == ['HWSC0030I *PING RESPONSE*'], r
    rs.close()


def t_error_response(sim):
    c = Caller(sim, 'WILL-FAIL', cid='CALLER3')
    c.start()
    s, r = pull(sim, 'PULLER3')
    s.sendall(ack('PULLER3'))
    s.close()
    r2 = sim.call(request(msgtype='L', clientid='RESP3', arch=3, cortkn=r.cor, f0=F0_NAKRSN,
                          nak_rsn=77, raw_segments=[], **GOOD))
    assert r2.csm is not None, r2
    c.join(10)
    assert c.reply.text() == ['CALLOUT ERROR RSN=0077'], c.reply


def t_unknown_token(sim):
    r = sim.call(respond('RESP4', bytes(range(40)), 'LATE'))
    assert r.rsm is not None and r.rsm[2:] == (12, 34), r.rsm
    # ARCH < 3 is refused
    r = sim.call(request(msgtype='L', clientid='RESP5', arch=0, data='X', llll_data=True,
                         **GOOD))
    assert r.rsm is not None and r.rsm[2] in (4, 8), r.rsm


def t_ical_timeout(sim):
    # callout_timeout_ms = 1500 for this simulator run (see main)
    c = Caller(sim, 'NOBODY-ANSWERS', cid='CALLER5')
    t0 = time.monotonic()
    c.start()
    c.join(10)
    assert c.reply.text() == ['CALLOUT TIMEOUT'], c.reply
    assert 1.2 < time.monotonic() - t0 < 5
    # the unanswered request is gone from the tpipe
    s = sim.connect()
    s.sendall(resume_sync('PULLER5', f5=RT_SINGLE, timer=timer_s(1)))
    r = read_reply(s)
    assert r.rsm is not None, r
    s.close()


def t_nak_keeps_request(sim):
    c = Caller(sim, 'RETRY-ME', cid='CALLER6')
    c.start()
    s, r = pull(sim, 'PULLER6')
    tok = r.cor
    s.sendall(request(msgtype='N', clientid='PULLER6', arch=3, f2=CM0, f3=SYNCNF,
                      timer=TIMER_NOWAIT, **GOOD))
    s.close()
    # a plain NAK keeps the request for another retriever
    s, r = pull(sim, 'PULLER7')
    assert r.cor == tok and r.segments[0] == b'RETRY-ME'.decode().encode(E), r
    s.sendall(ack('PULLER7'))
    s.close()
    assert sim.call(respond('RESP6', tok, 'SECOND TRY')).csm is not None
    c.join(10)
    assert c.reply.text() == ['CALLOUT RESPONSE: SECOND TRY'], c.reply


def t_plain_resume_skips_sync(sim):
    c = Caller(sim, 'SYNC-ONLY', cid='CALLER8')
    c.start()
    time.sleep(0.3)
    # a RESUME TPIPE without SYNONLY/SYNASYN does not see sync callout requests
    s = sim.connect()
    s.sendall(request(msgtype='R', clientid='PULLER8', arch=1, rerout='SYNTPIPE', f2=CM0,
                      f3=SYNCNF, f5=RT_SINGLE, timer=timer_s(1), **GOOD))
    r = read_reply(s)
    assert r.rsm is not None, r
    s.close()
    # SYNASYN does
    s = sim.connect()
    s.sendall(resume_sync('PULLER9', f0=F0_SYNASYN))
    r = read_reply(s)
    assert r.cor is not None, r
    s.sendall(ack('PULLER9'))
    s.close()
    sim.call(respond('RESP8', r.cor, 'OK'))
    c.join(10)
    assert c.reply.text() == ['CALLOUT RESPONSE: OK']


def t_rims(sim):
    # SYNTPIPE is protected by RIMS: IMSUSERS only; ADMIN01 is in IMSUSERS,
    # REVOKED1 cannot sign on at all; a user outside the group is refused.
    r = sim.call(request(msgtype='R', clientid='PULLERX', arch=3, f0=F0_SYNONLY, f2=CM0,
                         f3=SYNCNF, f5=RT_SINGLE, timer=timer_s(1), rerout='SYNTPIPE',
                         user='OUTSIDER', pw='OUTPW1'))
    assert r.rsm is not None and r.rsm[2] == 16, r.rsm
    # CIMS: OUTSIDER may not enter commands either
    r = sim.call(request(clientid='PULLERX', data='/DIS TRAN ALL', user='OUTSIDER',
                         pw='OUTPW1'))
    assert r.rsm is not None and r.rsm[2:] == (16, 0x1A), r.rsm


def main():
    run = Runner()
    extra = '''
[user OUTSIDER]
password = OUTPW1
groups = OTHERS
'''
    with Sim(BIN, extra=extra) as sim:
        for name, fn in [('sync callout round trip (L)', t_roundtrip_L),
                         ('sync callout round trip (M)', t_roundtrip_M),
                         ('sync callout error response', t_error_response),
                         ('response for an unknown token', t_unknown_token),
                         ('NAK keeps the request', t_nak_keeps_request),
                         ('plain RESUME TPIPE skips sync requests', t_plain_resume_skips_sync),
                         ('RIMS protects the callout tpipe, CIMS commands', t_rims)]:
            run.run(name, fn, sim)
    import simwire
    conf = open(simwire.SIM_CONF).read().replace('callout_timeout_ms = 10000',
                                                 'callout_timeout_ms = 1500')
    import os
    import tempfile
    d = tempfile.mkdtemp()
    p = os.path.join(d, 'short.conf')
    with open(p, 'w') as f:
        f.write(conf.replace('../certs', os.path.join(os.path.dirname(simwire.SIM_CONF),
                                                      '..', 'certs')))
    with Sim(BIN, config=p) as sim:
        run.run('ICAL timeout', t_ical_timeout, sim)
    run.done()


if __name__ == '__main__':
    main()
