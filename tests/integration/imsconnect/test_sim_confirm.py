#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""imsconnect-sim: CM1 CONFIRM with ACK/NAK, CM0, send-only, RESUME TPIPE
options, hold queues, redelivery, DUPECLNT/CANCID, CANCEL TIMER.
Usage: test_sim_confirm.py SIMBIN"""
import sys
import threading
import time

from simwire import (Sim, Runner, request, read_reply, ivtno_input, ivtno_output, closed,
                     timer_s, CM0, CM1, SYNCNF, RT_SINGLE, RT_AUTO, RT_NOAUTO, RT_SWAIT,
                     TIMER_NOWAIT, TIMER_FOREVER, TRANSACTION)

BIN = sys.argv[1]
GOOD = dict(user='USER01', pw='PASS01')


def ack(cid, timer=0, f1=0, **kw):
    return request(msgtype='A', clientid=cid, timer=timer, f1=f1, f2=CM0, f3=SYNCNF,
                   **GOOD, **kw)


def nak(cid, timer=0, **kw):
    return request(msgtype='N', clientid=cid, timer=timer, f2=CM0, f3=SYNCNF, **GOOD, **kw)


def resume(cid, f5, timer=timer_s(1), **kw):
    return request(msgtype='R', clientid=cid, f2=CM0, f3=SYNCNF, f5=f5, timer=timer,
                   **GOOD, **kw)


def sendonly(cid, text, mt='S'):
    return request(msgtype=mt, clientid=cid, trancode='ECHO', data='ECHO ' + text,
                   f2=CM0, f3=SYNCNF, timer=TIMER_NOWAIT, **GOOD)


def produce(sim, tpipe, text):
    """Queue ECHO output on another tpipe (send-only with REROUT, ARCH 1)."""
    r = sim.call(request(msgtype='K', clientid='PRODUCER', trancode='ECHO',
                         data='ECHO ' + text, f2=CM0, f3=SYNCNF | 0x08, arch=1,
                         rerout=tpipe, **GOOD))
    assert r.csm is not None, r


def depth(sim, tpipe):
    r = sim.call(request(clientid='CMD', data='/DIS TMEMBER HWS1 TPIPE ' + tpipe, **GOOD))
    for line in r.text():
        f = line.split()
        if len(f) >= 3 and f[1] == tpipe:
            return int(f[2])
    return 0


def t_cm1_confirm_ack(sim):
    s = sim.connect()
    r = sim.call(request(clientid='CNF1', trancode='IVTNO', f3=SYNCNF,
                         data=ivtno_input('ADD', 'CONFIRM1', 'A', 'B', 'C'), **GOOD), sock=s)
    assert r.csm[0] & 0x20, 'CSM must ask for ACK/NAK: %r' % (r.csm,)
    assert ivtno_output(r.segments[0])['msg'] == 'ENTRY WAS ADDED'
    r = sim.call(ack('CNF1'), sock=s)
    assert r.rsm[2:] == (4, 97), r.rsm
    # committed
    r = sim.call(request(clientid='CNF1', trancode='IVTNO',
                         data=ivtno_input('DISPLAY', 'CONFIRM1'), **GOOD), sock=s)
    assert ivtno_output(r.segments[0])['msg'] == 'ENTRY WAS DISPLAYED'
    s.close()


def t_cm1_confirm_nak_backout(sim):
    s = sim.connect()
    r = sim.call(request(clientid='CNF2', trancode='IVTNO', f3=SYNCNF,
                         data=ivtno_input('ADD', 'CONFIRM2', 'A', 'B', 'C'), **GOOD), sock=s)
    assert r.csm[0] & 0x20
    r = sim.call(nak('CNF2'), sock=s)
    assert r.rsm[2:] == (4, 98), r.rsm
    r = sim.call(request(clientid='CNF2', trancode='IVTNO',
                         data=ivtno_input('DISPLAY', 'CONFIRM2'), **GOOD), sock=s)
    assert ivtno_output(r.segments[0])['msg'] == 'SPECIFIED PERSON WAS NOT FOUND'
    s.close()
    # disconnect instead of ACK: backed out too
    s = sim.connect()
    r = sim.call(request(clientid='CNF3', trancode='IVTNO', f3=SYNCNF,
                         data=ivtno_input('ADD', 'CONFIRM3', 'A', 'B', 'C'), **GOOD), sock=s)
    s.close()
    time.sleep(0.3)
    r = sim.call(request(clientid='CNF3', trancode='IVTNO',
                         data=ivtno_input('DISPLAY', 'CONFIRM3'), **GOOD))
    assert ivtno_output(r.segments[0])['msg'] == 'SPECIFIED PERSON WAS NOT FOUND'


def t_cm0_ack_timeout(sim):
    s = sim.connect()
    r = sim.call(request(clientid='CM0A', trancode='ECHO', data='ECHO CM0', f2=CM0,
                         f3=SYNCNF, **GOOD), sock=s)
    assert r.text()[0] == 'ECHO CM0' and r.csm[0] & 0x20, r
    t0 = time.monotonic()
    r = sim.call(ack('CM0A', timer=timer_s(1)), sock=s)
    dt = time.monotonic() - t0
    assert r.rsm[2:] == (40, timer_s(1)), r.rsm      # persistent: RC 40, kept
    assert 0.8 < dt < 2.5, dt
    r = sim.call(request(clientid='CM0A', data='PING IMS_CONNECT'), sock=s)
    assert r.csm is not None
    assert depth(sim, 'CM0A') == 0
    s.close()


def t_cm0_nowait(sim):
    s = sim.connect()
    r = sim.call(request(clientid='CM0B', trancode='ECHO', data='ECHO NW', f2=CM0, f3=SYNCNF,
                         **GOOD), sock=s)
    assert r.csm[0] & 0x20
    s.sendall(ack('CM0B', timer=TIMER_NOWAIT, f1=0x02))
    # no final message: the next request is answered directly
    r = sim.call(request(clientid='CM0B', data='PING IMS_CONNECT'), sock=s)
    assert r.text() == ['HWSC0030I *PING RESPONSE*'], r
    s.close()


def t_cm0_nak_to_holdq(sim):
    s = sim.connect()
    r = sim.call(request(clientid='CM0C', trancode='ECHO', data='ECHO NAKED', f2=CM0,
                         f3=SYNCNF, **GOOD), sock=s)
    r = sim.call(nak('CM0C', timer=timer_s(1)), sock=s)
    assert r.rsm is not None and r.rsm[2] == 40, r.rsm
    s.close()
    assert depth(sim, 'CM0C') == 1
    # redelivered through RESUME TPIPE on the client-ID tpipe
    s = sim.connect()
    r = sim.call(resume('CM0C', RT_SINGLE), sock=s)
    assert r.text()[0] == 'ECHO NAKED', r
    r = sim.call(ack('CM0C', timer=timer_s(1)), sock=s)
    assert r.rsm[2] == 40
    s.close()
    assert depth(sim, 'CM0C') == 0


def t_cm0_disconnect_redelivery(sim):
    s = sim.connect()
    r = sim.call(request(clientid='CM0D', trancode='ECHO', data='ECHO LOST', f2=CM0,
                         f3=SYNCNF, **GOOD), sock=s)
    assert r.csm[0] & 0x20
    s.close()                       # gone before the ACK
    time.sleep(0.3)
    assert depth(sim, 'CM0D') == 1
    s = sim.connect()
    r = sim.call(resume('CM0D', RT_SINGLE), sock=s)
    assert r.text()[0] == 'ECHO LOST'
    s.sendall(ack('CM0D', timer=TIMER_NOWAIT))    # SINGLE + NOWAIT: no final message
    r = sim.call(request(clientid='CM0D', data='PING IMS_CONNECT'), sock=s)
    assert r.csm is not None
    s.close()


def t_sendonly(sim):
    s = sim.connect()
    s.sendall(sendonly('SO1', 'ONE'))
    s.sendall(sendonly('SO1', 'TWO'))
    r = sim.call(sendonly('SO1', 'THREE', mt='K'), sock=s)      # K: CSM back
    assert r.csm is not None and r.rsm is None, r
    r = sim.call(request(msgtype='K', clientid='SO1', trancode='NOSUCH', data='NOSUCH X',
                         f2=CM0, f3=SYNCNF, **GOOD), sock=s)
    assert r.rsm is not None and r.rsm[2] == 16, r
    s.close()
    time.sleep(0.2)
    assert depth(sim, 'SO1') == 3
    # NOAUTO drains what is queued, one reply each, then a timeout RSM
    s = sim.connect()
    got = []
    s.sendall(resume('SO1', RT_NOAUTO))
    while True:
        r = read_reply(s)
        if r.rsm:
            assert r.rsm[2] == 40, r.rsm
            break
        got.append(r.text()[0])
        more = r.csm[0] & 0x80
        assert more == (0x80 if len(got) < 3 else 0), (got, r.csm)
        s.sendall(ack('SO1'))
    assert got == ['ECHO ONE', 'ECHO TWO', 'ECHO THREE'], got
    s.close()


def t_resume_single_empty_and_cm1(sim):
    s = sim.connect()
    t0 = time.monotonic()
    r = sim.call(resume('EMPTY1', RT_SINGLE, timer=timer_s(1)), sock=s)
    assert r.rsm[2:] == (40, timer_s(1)), r.rsm
    assert time.monotonic() - t0 > 0.8
    s.close()
    r = sim.call(request(msgtype='R', clientid='EMPTY2', f2=CM1, f3=SYNCNF, f5=RT_SINGLE,
                         **GOOD))
    assert r.rsm[2:] == (4, 93), r.rsm
    r = sim.call(request(msgtype='R', clientid='EMPTY3', f0=0x80, f2=CM0, f3=SYNCNF,
                         f5=RT_SINGLE, **GOOD))
    assert r.rsm[2:] == (4, 9), r.rsm
    # transaction socket: timeout RC 32 and closed
    s = sim.connect()
    r = sim.call(resume('EMPTY4', RT_SWAIT, timer=timer_s(1), soct=TRANSACTION), sock=s)
    assert r.rsm[2:] == (32, timer_s(1)), r.rsm
    assert closed(s)


def t_resume_nak_redelivery(sim):
    sim.call(sendonly('RN1', 'AGAIN', mt='K'))
    s = sim.connect()
    r = sim.call(resume('RN1', RT_SINGLE), sock=s)
    assert r.text()[0] == 'ECHO AGAIN'
    r = sim.call(nak('RN1', timer=timer_s(1)), sock=s)
    assert r.rsm is not None
    r = sim.call(resume('RN1', RT_SINGLE), sock=s)
    assert r.text()[0] == 'ECHO AGAIN', 'NAKed message must be redelivered'
    r = sim.call(ack('RN1', timer=timer_s(1)), sock=s)
    assert r.rsm[2] == 40
    s.close()
    assert depth(sim, 'RN1') == 0


def t_resume_auto(sim):
    s = sim.connect()
    s.sendall(resume('AUTO1', RT_AUTO, timer=timer_s(5)))
    time.sleep(0.3)
    produce(sim, 'AUTO1', 'LATE1')
    r = read_reply(s)
    assert r.text()[0] == 'ECHO LATE1', r
    s.sendall(ack('AUTO1', timer=timer_s(5)))
    time.sleep(0.2)
    produce(sim, 'AUTO1', 'LATE2')
    r = read_reply(s)
    assert r.text()[0] == 'ECHO LATE2', r
    s.sendall(ack('AUTO1', timer=timer_s(1)))
    r = read_reply(s)
    assert r.rsm[2:] == (40, timer_s(1)), r.rsm
    s.close()


def t_cancel_timer(sim):
    s = sim.connect()
    s.sendall(resume('WAITER', RT_AUTO, timer=TIMER_FOREVER))
    time.sleep(0.3)
    r = sim.call(request(msgtype='C', clientid='WAITER', **GOOD))
    assert r.rsm[2:] == (44, 59), r.rsm
    r = read_reply(s)
    assert r.rsm[2:] == (44, 59), r.rsm
    s.close()
    r = sim.call(request(msgtype='C', clientid='NOBODY', **GOOD))
    assert r.rsm[2:] == (8, 16), r.rsm


def t_async_callout(sim):
    r = sim.call(request(clientid='ACALL', trancode='CALLASYN', data='CALLASYN ORDER=42',
                         **GOOD))
    assert r.text()[0] == 'ASYNC CALLOUT QUEUED', r
    s = sim.connect()
    r = sim.call(resume('ASYTPIPE', RT_SINGLE), sock=s)
    assert r.text()[0] == 'ORDER=42', r
    r = sim.call(ack('ASYTPIPE', timer=timer_s(1)), sock=s)
    assert r.rsm[2] == 40
    s.close()


def t_alt_clientid(sim):
    sim.call(sendonly('OWNER1', 'ALT', mt='K'))
    s = sim.connect()
    # ARCH 1: IRM_RT_ALTCID names the tpipe to drain, client ID is our own
    r = sim.call(resume('READER1', RT_SINGLE, arch=1, rerout='OWNER1'), sock=s)
    assert r.text()[0] == 'ECHO ALT', r
    r = sim.call(ack('READER1', timer=timer_s(1)), sock=s)
    s.close()


def t_dupeclnt(sim):
    s1 = sim.connect()
    s1.sendall(request(clientid='DUP1', trancode='SLOW', data='SLOW D', timer=timer_s(10),
                       **GOOD))
    time.sleep(0.3)
    r = sim.call(request(clientid='DUP1', trancode='ECHO', data='ECHO D', **GOOD))
    assert r.rsm[2:] == (8, 56), r.rsm
    # CANCID takes the client ID over; the old session is cancelled
    r = sim.call(request(clientid='DUP1', trancode='ECHO', data='ECHO D', f3=0x80, **GOOD))
    assert r.text()[0] == 'ECHO D', r
    assert closed(s1, wait=3)
    s1.close()


def t_several_drainers(sim):
    for i in range(10):
        produce(sim, 'MULTI', 'M%d' % i)
    got = []
    lock = threading.Lock()

    def drain(k):
        s = sim.connect()
        s.sendall(resume('DR%d' % k, RT_AUTO, timer=timer_s(1), arch=1, rerout='MULTI'))
        while True:
            r = read_reply(s)
            if r.rsm:
                break
            with lock:
                got.append(r.text()[0])
            s.sendall(ack('DR%d' % k, timer=timer_s(1)))
        s.close()
    th = [threading.Thread(target=drain, args=(k,)) for k in range(3)]
    for t in th:
        t.start()
    for t in th:
        t.join(20)
    assert sorted(got) == sorted('ECHO M%d' % i for i in range(10)), got


def t_conversation(sim):
    s = sim.connect()
    cid = 'CONV1'
    r = sim.call(request(clientid=cid, trancode='CONVERSE', data='CONVERSE HELLO',
                         f3=SYNCNF, **GOOD), sock=s)
    assert r.text() == ['STEP 1: HELLO'], r
    assert r.csm[0] & 0x60 == 0x60, 'conversational + ACK required: %r' % (r.csm,)
    s.sendall(ack(cid))                         # no status after an in-conversation ACK
    r = sim.call(request(clientid=cid, data='MORE DATA', f3=SYNCNF, **GOOD), sock=s)
    assert r.text() == ['STEP 2: MORE DATA'] and r.csm[0] & 0x40, r
    s.sendall(ack(cid))
    r = sim.call(request(clientid=cid, data='END', f3=SYNCNF, **GOOD), sock=s)
    assert r.text() == ['CONVERSATION HAS ENDED'] and not r.csm[0] & 0x40, r
    r = sim.call(ack(cid), sock=s)
    assert r.rsm[2:] == (4, 97), r.rsm
    # a new conversation abandoned with DEALLOCATE
    r = sim.call(request(clientid=cid, trancode='CONVERSE', data='CONVERSE AGAIN',
                         f3=SYNCNF, **GOOD), sock=s)
    assert r.text() == ['STEP 1: AGAIN']
    s.sendall(ack(cid))
    r = sim.call(request(msgtype='D', clientid=cid, **GOOD), sock=s)
    assert r.rsm[2:] == (4, 98), r.rsm
    # after it, a trancode is a trancode again
    r = sim.call(request(clientid=cid, trancode='ECHO', data='ECHO AFTER', **GOOD), sock=s)
    assert r.text()[0] == 'ECHO AFTER', r
    s.close()


def main():
    run = Runner()
    with Sim(BIN) as sim:
        for name, fn in [
                ('CM1 CONFIRM + ACK commits (RSN 97)', t_cm1_confirm_ack),
                ('CM1 CONFIRM + NAK/close backs out (RSN 98)', t_cm1_confirm_nak_backout),
                ('CM0 + ACK + timeout RC 40', t_cm0_ack_timeout),
                ('CM0 + ACK NOWAIT', t_cm0_nowait),
                ('CM0 NAK -> hold queue -> RESUME TPIPE', t_cm0_nak_to_holdq),
                ('CM0 disconnect -> redelivery', t_cm0_disconnect_redelivery),
                ('send-only S/K + NOAUTO drain', t_sendonly),
                ('RESUME TPIPE empty, CM1, ARCH checks', t_resume_single_empty_and_cm1),
                ('RESUME TPIPE NAK redelivery', t_resume_nak_redelivery),
                ('RESUME TPIPE AUTO', t_resume_auto),
                ('CANCEL TIMER', t_cancel_timer),
                ('async callout (ISRT ALTPCB)', t_async_callout),
                ('RESUME TPIPE alternate client ID', t_alt_clientid),
                ('DUPECLNT and CANCID', t_dupeclnt),
                ('several clients drain one tpipe', t_several_drainers),
                ('conversational transaction', t_conversation)]:
            run.run(name, fn, sim)
    run.done()


if __name__ == '__main__':
    main()
