#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""imsconnect-sim: send-receive CM1 sync NONE, IVTNO, echo, PING, security,
datastores, framing variants, garbage input.  Usage: test_sim_basic.py SIMBIN"""
import socket
import struct
import sys
import time

from simwire import (E, Sim, Runner, request, read_reply, ivtno_input, ivtno_output,
                     closed, timer_s, TRANSACTION, SENDRECV)

BIN = sys.argv[1]
GOOD = dict(user='USER01', pw='PASS01')


def t_startup(sim):
    assert sim.startup < 1.0, 'startup took %.3f s' % sim.startup


def t_ping(sim):
    s = sim.connect()
    r = sim.call(request(data='PING IMS_CONNECT'), sock=s)
    assert r.csm is not None and r.rsm is None, r
    assert r.text() == ['HWSC0030I *PING RESPONSE*'], r.text()
    # the socket stays open: a second ping on it works
    r = sim.call(request(data='PING IMS_CONNECT'), sock=s)
    assert r.text() == ['HWSC0030I *PING RESPONSE*']
    s.close()


def t_ivtno_display(sim):
    r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1'), **GOOD))
    assert r.csm is not None and r.csm[0] & 0x20 == 0, r
    assert len(r.segments) == 1 and len(r.segments[0]) == 89
    o = ivtno_output(r.segments[0])
    assert o == {'msg': 'ENTRY WAS DISPLAYED', 'cmd': 'DISPLAY', 'last': 'LAST1',
                 'first': 'FIRST1', 'ext': '8-111-1111', 'zip': 'D01/R01',
                 'segno': '0001'}, o
    # wire check: the segment's LL is 93 as in the copybook
    raw = r.raw
    assert struct.unpack_from('>H', raw, 0)[0] == 93


def t_ivtno_crud(sim):
    def call(cmd, last, first='', ext='', z=''):
        r = sim.call(request(trancode='IVTNO', data=ivtno_input(cmd, last, first, ext, z),
                             **GOOD))
        return ivtno_output(r.segments[0])
    assert call('DISPLAY', 'SMITH')['msg'] == 'SPECIFIED PERSON WAS NOT FOUND'
    assert call('ADD', 'SMITH', 'JOHN')['msg'] == 'DATA IS NOT ENOUGH.  PLEASE KEY IN MORE'
    o = call('ADD', 'SMITH', 'JOHN', '8-555-0101', 'Z1')
    assert o['msg'] == 'ENTRY WAS ADDED' and o['first'] == 'JOHN', o
    assert call('ADD', 'SMITH', 'JANE', '8-555-0102', 'Z2')['msg'] == \
        'ADDITION OF ENTRY HAS FAILED'
    o = call('UPDATE', 'SMITH', '', '8-555-9999')
    assert o['msg'] == 'ENTRY WAS UPDATED' and o['ext'] == '8-555-9999' and \
        o['first'] == 'JOHN', o
    o = call('DISPLAY', 'SMITH')
    assert o['ext'] == '8-555-9999', o
    assert call('DELETE', 'SMITH')['msg'] == 'ENTRY WAS DELETED'
    assert call('DISPLAY', 'SMITH')['msg'] == 'SPECIFIED PERSON WAS NOT FOUND'
    assert call('FROB', 'LAST1')['msg'] == 'PROCESS CODE IS NOT VALID'
    assert call('DISPLAY', '')['msg'] == 'LAST NAME WAS NOT SPECIFIED'


def t_echo(sim):
    r = sim.call(request(trancode='ECHO', data=['ECHO    HELLO WORLD', 'SECOND'],
                         user='USER02', pw='PASS02'))
    t = r.text()
    assert t[0] == 'ECHO    HELLO WORLD' and t[1] == 'SECOND', t
    assert t[2].startswith('USERID=USER02   GROUP=IMSUSERS'), t
    # explicit group
    r = sim.call(request(trancode='ECHO', data='ECHO X', user='USER01', group='PHONE',
                         pw='PASS01'))
    assert 'GROUP=PHONE' in r.text()[-1], r.text()


def t_persistent_many(sim):
    s = sim.connect()
    for i in range(20):
        r = sim.call(request(trancode='ECHO', data='ECHO %d' % i, **GOOD), sock=s)
        assert r.text()[0] == 'ECHO %d' % i
    s.close()


def t_transaction_socket_closes(sim):
    s = sim.connect()
    r = sim.call(request(trancode='ECHO', data='ECHO T', soct=TRANSACTION, **GOOD), sock=s)
    assert r.csm is not None
    assert closed(s), 'transaction socket must be closed after the reply'


def rsm(r):
    assert r.rsm is not None, r
    return r.rsm


def t_wrong_password(sim):
    s = sim.connect()
    r = sim.call(request(trancode='ECHO', data='ECHO X', user='USER01', pw='WRONG'), sock=s)
    flg, racfrc, rc, rsn = rsm(r)
    assert (rc, rsn, racfrc) == (8, 40, 0x08), r.rsm
    assert closed(s), 'RC 8 closes the socket'


def t_unknown_user(sim):
    r = sim.call(request(trancode='ECHO', data='ECHO X', user='NOBODY', pw='X'))
    assert rsm(r)[1:] == (0x04, 8, 40), r.rsm


def t_revoked(sim):
    r = sim.call(request(trancode='ECHO', data='ECHO X', user='REVOKED1', pw='PASS03'))
    assert rsm(r)[1:] == (0x1C, 8, 40), r.rsm


def t_missing_credentials(sim):
    assert rsm(sim.call(request(trancode='ECHO', data='ECHO X')))[2:] == (8, 55)
    assert rsm(sim.call(request(trancode='ECHO', data='ECHO X', pw='P')))[2:] == (8, 54)
    assert rsm(sim.call(request(trancode='ECHO', data='ECHO X', user='USER01')))[2:] == \
        (8, 53)


def t_not_in_group(sim):
    r = sim.call(request(trancode='ECHO', data='ECHO X', user='USER02', group='IMSADM',
                         pw='PASS02'))
    assert rsm(r)[1:] == (0x14, 8, 40), r.rsm


def t_not_authorized_full(sim):
    # USER02 is not in PHONE/IMSADM: TIMS denies IVTNO under OTMA FULL
    r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1'),
                         user='USER02', pw='PASS02'))
    assert rsm(r)[2:] == (16, 0x1A), r.rsm
    r = sim.call(request(trancode='ADMONLY', data='ADMONLY X', **GOOD))
    assert rsm(r)[2:] == (16, 0x1A), r.rsm
    r = sim.call(request(trancode='ADMONLY', data='ADMONLY X', user='ADMIN01', pw='ADMPW01'))
    assert r.csm is not None, r


def t_unknown_trancode(sim):
    r = sim.call(request(trancode='NOSUCH', data='NOSUCH DATA', **GOOD))
    assert r.csm is not None
    assert r.text()[0].startswith('DFS064I'), r.text()


def t_abend(sim):
    r = sim.call(request(trancode='ABEND', data='ABEND', **GOOD))
    assert r.text()[0].startswith('DFS555I'), r.text()


def t_datastores(sim):
    r = sim.call(request(trancode='ECHO', data='ECHO X', dest='IMSDOWN', **GOOD))
    assert rsm(r)[2:] == (8, 74), r.rsm
    r = sim.call(request(trancode='ECHO', data='ECHO X', dest='NOSUCH', **GOOD))
    assert rsm(r)[2:] == (8, 72), r.rsm
    r = sim.call(request(trancode='ECHO', data='ECHO X', dest='IMSNOJN', **GOOD))
    assert rsm(r)[2:] == (8, 74), r.rsm


def t_sample_framing(sim):
    s = sim.connect()
    s.sendall(request(trancode='ECHO', data='ECHO SAMPLE', exit_id='*SAMPLE*', **GOOD))
    r = read_reply(s, framing='SAMPLE')
    assert r.text()[0] == 'ECHO SAMPLE' and r.csm is not None
    # no leading LLLL: the first two bytes are the first segment's LL
    assert struct.unpack_from('>H', r.raw, 0)[0] == 4 + len('ECHO SAMPLE')
    s.close()


def t_ascii_mode(sim):
    r = sim.call(request(trancode='IVTNO', cp='ascii', user='USER01', pw='PASS01',
                         data=('IVTNO'.ljust(10) + 'DISPLAY'.ljust(8) + 'LAST2'.ljust(37))),
                 cp='ascii')
    assert r.csm is not None, r
    t = r.segments[0].decode('ascii')
    assert t.startswith('ENTRY WAS DISPLAYED') and 'FIRST2' in t, t


def t_timer_rc(sim):
    # SLOW takes 3 s; an explicit 1 s IRM timer expires first: RC 32, RSN = timer
    s = sim.connect()
    t0 = time.monotonic()
    r = sim.call(request(trancode='SLOW', data='SLOW X', timer=timer_s(1), **GOOD), sock=s)
    dt = time.monotonic() - t0
    assert rsm(r)[2:] == (32, timer_s(1)), r.rsm
    assert 0.9 < dt < 2.5, dt
    assert closed(s)
    # a long enough timer gets the output
    r = sim.call(request(trancode='SLOW', data='SLOW Y', timer=timer_s(5), **GOOD))
    assert r.text()[0] == 'SLOW Y', r


def t_noreply_dfs2082(sim):
    r = sim.call(request(trancode='NOREPLY', data='NOREPLY', **GOOD))
    assert r.text()[0].startswith('DFS2082'), r.text()


def t_lone_ack(sim):
    r = sim.call(request(msgtype='A', **GOOD))
    assert rsm(r)[2:] == (4, 36), r.rsm


def t_commands(sim):
    r = sim.call(request(trancode='', data='/DIS TRAN IVTNO', **GOOD))
    t = r.text()
    assert any(line.split()[:1] == ['IVTNO'] for line in t), t
    r = sim.call(request(trancode='', data='/DIS TMEMBER HWS1 TPIPE ALL', **GOOD))
    assert r.text()[0].split()[:2] == ['MEMBER', 'TPIPE'], r.text()


def t_garbage(sim):
    cases = [
        (b'GET / HTTP/1.1\r\nHost: x\r\n\r\n', (8, 4)),   # LLLL way over MAXSIZE
        (struct.pack('>I', 10) + b'x' * 6, (8, 7)),        # LLLL below the minimum
        (struct.pack('>I', 0x80000010) + b'x' * 12, (8, 5)),   # negative length
    ]
    for data, want in cases:
        s = sim.connect()
        s.sendall(data)
        r = read_reply(s)
        assert r.rsm[2:] == want, (data[:8], r.rsm)
        assert closed(s)
    # bad IRM_LEN inside a well-framed message
    m = bytearray(request(trancode='ECHO', data='ECHO X', **GOOD))
    struct.pack_into('>H', m, 4, 0x7000)
    r = sim.call(bytes(m))
    assert r.rsm[2] == 8 and r.rsm[3] in (5, 6), r.rsm
    # unknown IRM_ID: closed without reply
    m = bytearray(request(trancode='ECHO', data='ECHO X', **GOOD))
    m[8:16] = b'*BOGUS**'
    s = sim.connect()
    s.sendall(bytes(m))
    assert closed(s)
    # truncated message then close, random bytes: the simulator survives
    s = sim.connect()
    s.sendall(request(trancode='ECHO', data='ECHO X', **GOOD)[:50])
    s.close()
    import random
    rnd = random.Random(7)
    for _ in range(200):
        s = sim.connect()
        n = rnd.randrange(1, 300)
        blob = bytes(rnd.randrange(256) for _ in range(n))
        if rnd.random() < 0.5:
            blob = struct.pack('>I', n + 4) + blob
        try:
            s.sendall(blob)
            s.shutdown(socket.SHUT_WR)
            s.settimeout(2)
            while s.recv(4096):
                pass
        except OSError:
            pass
        s.close()
    # too many segments in one message
    r = sim.call(request(trancode='ECHO', data=['ECHO'] + ['x'] * 5000, **GOOD))
    assert r.rsm[2:] == (8, 4), r.rsm
    # mutated valid requests of every kind: decode paths, never a crash
    seeds = [
        request(trancode='ECHO', data=['ECHO A', 'B'], clientid='MUT', **GOOD),
        request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1'), clientid='MUT',
                exit_id='*SAMPLE*', **GOOD),
        request(trancode='ECHO', data='ECHO A', clientid='MUT', cp='ascii', **GOOD),
        request(msgtype='A', clientid='MUT', **GOOD),
        request(msgtype='R', clientid='MUT', arch=3, f0=0x80, f2=0x40, f3=1, f5=1,
                timer=0x05, **GOOD),
        request(msgtype='L', clientid='MUT', arch=3, cortkn=bytes(40), data='RESP',
                llll_data=True, **GOOD),
        request(msgtype='K', clientid='MUT', arch=1, rerout='MUTQ', trancode='ECHO',
                data='ECHO K', f2=0x40, f3=0x09, **GOOD),
    ]
    for i in range(400):
        m = bytearray(rnd.choice(seeds))
        for _ in range(rnd.randrange(1, 4)):
            pos = rnd.randrange(4, len(m))
            m[pos] = rnd.randrange(256)
        if rnd.random() < 0.2:
            m = m[:rnd.randrange(4, len(m))]
            struct.pack_into('>I', m, 0, len(m))
        s = sim.connect()
        try:
            s.sendall(bytes(m))
        except OSError:
            pass
        s.close()
    time.sleep(0.5)
    # still alive and correct
    r = sim.call(request(data='PING IMS_CONNECT'))
    assert r.text() == ['HWSC0030I *PING RESPONSE*']
    r = sim.call(request(trancode='ECHO', data='ECHO ALIVE', clientid='ALIVE', **GOOD))
    assert r.text()[0] == 'ECHO ALIVE', r


def t_gencid(sim):
    s = sim.connect()
    r = sim.call(request(clientid='', f2=0x20 | 0x01, trancode='ECHO', data='ECHO G', **GOOD),
                 sock=s)
    assert r.gencid and r.gencid.startswith('SIM'), r
    assert r.text()[0] == 'ECHO G'
    s.close()
    # blank client ID without GENCID: who is this?
    r = sim.call(request(clientid='', trancode='ECHO', data='ECHO G', **GOOD))
    assert r.rsm[2:] == (8, 16), r.rsm


def t_faults(sim):
    s = sim.connect()
    s.sendall(request(trancode='FCLOSE', data='FCLOSE', **GOOD))
    assert closed(s)
    s = sim.connect()
    s.sendall(request(trancode='FTRUNC', data='FTRUNC', **GOOD))
    (total,) = struct.unpack('>I', s.recv(4))
    got = 4
    s.settimeout(3)
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += len(b)
    assert got < total, (got, total)
    s = sim.connect()
    s.sendall(request(trancode='FBADLEN', data='FBADLEN', **GOOD))
    (total,) = struct.unpack('>I', s.recv(4))
    got = 4
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += len(b)
    assert total == got + 100, (got, total)
    r = sim.call(request(trancode='FRSM', data='FRSM', **GOOD))
    assert r.rsm[2:] == (16, 4097), r.rsm


def t_idle_timeout(binary):
    with Sim(binary, config=_conf_with('idleto_s = 300', 'idleto_s = 1')) as sim:
        s = sim.connect()
        r = sim.call(request(data='PING IMS_CONNECT'), sock=s)
        t0 = time.monotonic()
        assert closed(s, wait=4), 'idle socket must be closed after IDLETO'
        assert 0.8 < time.monotonic() - t0 < 3


def t_ivtno_store(binary):
    import tempfile
    import os
    store = os.path.join(tempfile.mkdtemp(), 'ivtno.db')
    conf = _conf_with('# store = ivtno.db', 'store = ' + store)
    with Sim(binary, config=conf) as sim:
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('ADD', 'PERSIST', 'P', '1',
                                                                 'Z'), **GOOD))
        assert ivtno_output(r.segments[0])['msg'] == 'ENTRY WAS ADDED'
    with Sim(binary, config=conf) as sim:
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'PERSIST'), **GOOD))
        assert ivtno_output(r.segments[0])['msg'] == 'ENTRY WAS DISPLAYED', 'store lost'
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST5'), **GOOD))
        assert ivtno_output(r.segments[0])['first'] == 'FIRST5'


def _conf_with(old, new):
    import tempfile
    import os
    import simwire
    conf = open(simwire.SIM_CONF).read()
    assert old in conf, old
    d = tempfile.mkdtemp()
    p = os.path.join(d, 'x.conf')
    with open(p, 'w') as f:
        f.write(conf.replace(old, new).replace(
            '../certs', os.path.join(os.path.dirname(simwire.SIM_CONF), '..', 'certs')))
    return p


def t_trusted_user(binary):
    with Sim(binary, config=_conf_with('trusted_user_flag = 0', 'trusted_user_flag = 0x0001')) \
            as sim:
        # flagged: no password needed, the user id is taken as is
        r = sim.call(request(trancode='ECHO', data='ECHO T', user='USER02', res1=1))
        assert r.csm is not None and 'USERID=USER02' in r.text()[-1], r
        # OTMA still checks: USER02 may not run IVTNO
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1'),
                             user='USER02', res1=1))
        assert r.rsm[2] == 16, r
        # not flagged: RACF as usual
        r = sim.call(request(trancode='ECHO', data='ECHO T', user='USER02'))
        assert r.rsm[2:] == (8, 53), r.rsm


def t_xml_adapter(sim):
    if 'built without the copybook library' in sim.logtext():
        print('     (skipped: imsconnect-sim built without the copybook library)')
        return
    def xmlcall(xml, tag_map='IVTNOX', tag_adapt='HWSXMLA0', cp='ebcdic'):
        return sim.call(request(arch=2, tag_adapt=tag_adapt, tag_map=tag_map, trancode='IVTNO',
                                data=xml.encode('utf-8'), cp=cp, **GOOD), cp=cp)
    x = ('<IVTNO><ivtnoInputMsg><inCommand>DISPLAY</inCommand><inLastName>LAST2'
         '</inLastName></ivtnoInputMsg></IVTNO>')
    r = xmlcall(x)
    out = b''.join(r.segments).decode('utf-8')
    assert r.csm is not None, r
    assert out.startswith('<IVTNOResponse xmlns="urn:imsgw:ivtno"><ivtnoOutputMsg>'), out
    assert '<outMessage>ENTRY WAS DISPLAYED</outMessage>' in out, out
    assert '<outFirstName>FIRST2</outFirstName>' in out, out
    # ASCII IRM: the XML is still UTF-8, untranslated; non-ASCII text survives
    add = ('<IVTNO><ivtnoInputMsg><inCommand>ADD</inCommand><inLastName>M\u00dcLLER'
           '</inLastName><inFirstName>J\u00c9R\u00d4ME</inFirstName><inExtension>8-1'
           '</inExtension><inZipCode>Z9</inZipCode></ivtnoInputMsg></IVTNO>')
    r = xmlcall(add, cp='ascii')
    out = b''.join(r.segments).decode('utf-8')
    assert '<outMessage>ENTRY WAS ADDED</outMessage>' in out, out
    assert '<outFirstName>J\u00c9R\u00d4ME</outFirstName>' in out, out
    # errors: unknown converter, unknown adapter, malformed XML
    r = xmlcall(x, tag_map='NOSUCH')
    assert r.xasm and r.xasm[2:] == (8, 108), r
    r = xmlcall(x, tag_adapt='BOGUSADP')
    assert r.xasm and r.xasm[2:] == (8, 8), r
    r = xmlcall('<IVTNO><ivtnoInputMsg><inCommand>DIS')
    assert r.xasm and r.xasm[2:] == (8, 100), r
    r = xmlcall('<IVTNO><ivtnoInputMsg><inLastName>WAY-TOO-LONG-NAME</inLastName>'
                '</ivtnoInputMsg></IVTNO>')
    assert r.xasm and r.xasm[2:] == (8, 100), r


def t_control(sim):
    def ctl(cmd):
        r = sim.call(request(clientid='CTL', data=cmd, **GOOD))
        return r.text()[0]
    assert ctl('/SIM DATASTORE IMS1 DOWN').startswith('SIM0001I'), 'control refused'
    try:
        r = sim.call(request(trancode='ECHO', data='ECHO X', **GOOD))
        assert r.rsm[2:] == (8, 74), r.rsm
    finally:
        assert ctl('/SIM DATASTORE IMS1 UP').startswith('SIM0001I')
    assert sim.call(request(trancode='ECHO', data='ECHO X', **GOOD)).csm is not None
    assert ctl('/SIM FAULT ECHO RSM 16 77').startswith('SIM0001I')
    try:
        r = sim.call(request(trancode='ECHO', data='ECHO X', **GOOD))
        assert r.rsm[2:] == (16, 77), r.rsm
    finally:
        assert ctl('/SIM FAULT ECHO NONE').startswith('SIM0001I')
    assert ctl('/SIM DELAY ECHO 1500').startswith('SIM0001I')
    try:
        r = sim.call(request(trancode='ECHO', data='ECHO X', timer=timer_s(1), **GOOD))
        assert r.rsm[2:] == (32, timer_s(1)), r.rsm
    finally:
        assert ctl('/SIM DELAY ECHO 0').startswith('SIM0001I')
    assert sim.call(request(trancode='ECHO', data='ECHO X', timer=timer_s(1), **GOOD)).csm
    assert ctl('/SIM FAULT NOSUCH CLOSE').startswith('SIM0002E')
    assert ctl('/SIM BOGUS').startswith('SIM0002E')
    # command security applies: OTHERS may not
    r = sim.call(request(clientid='CTL2', data='/SIM DATASTORE IMS1 DOWN', user='OUTSIDER',
                         pw='OUTPW1'))
    assert r.rsm and r.rsm[2] == 16, r


def t_racf_off(binary):
    with Sim(binary, config=_conf_with('racf = yes', 'racf = no')) as sim:
        # no credentials: runs under the default RACFID
        r = sim.call(request(trancode='ECHO', data='ECHO X'))
        assert 'USERID=IMSDFLT' in r.text()[-1], r.text()
        # a given user id wins, no password needed
        r = sim.call(request(trancode='ECHO', data='ECHO X', user='USER01'))
        assert 'USERID=USER01' in r.text()[-1] and 'GROUP=IMSUSERS' in r.text()[-1]
        # OTMA FULL still checks the transaction for that user
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1')))
        assert r.rsm[2] == 16, r
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1'),
                             user='USER01'))
        assert ivtno_output(r.segments[0])['msg'] == 'ENTRY WAS DISPLAYED'


def t_otma_profile(binary):
    conf = _conf_with('racf = yes', 'racf = no')
    text = open(conf).read()
    assert 'security = full' in text
    open(conf, 'w').write(text.replace('security = full', 'security = profile'))
    with Sim(binary, config=conf) as sim:
        # no user id: OMSECFLG 'N', OTMA checks nothing for this message
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1')))
        assert r.segments and ivtno_output(r.segments[0])['msg'] == 'ENTRY WAS DISPLAYED', r
        # a user id: OMSECFLG 'F', TIMS applies to that user
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1'),
                             user='USER02'))
        assert r.rsm and r.rsm[2] == 16, r
        r = sim.call(request(trancode='IVTNO', data=ivtno_input('DISPLAY', 'LAST1'),
                             user='USER01'))
        assert ivtno_output(r.segments[0])['msg'] == 'ENTRY WAS DISPLAYED'


def main():
    run = Runner()
    extra = '[user OUTSIDER]\npassword = OUTPW1\ngroups = OTHERS\n'
    with Sim(BIN, extra=extra) as sim:
        for name, fn in [
                ('startup under 1 s', t_startup), ('ping', t_ping),
                ('ivtno display', t_ivtno_display), ('ivtno add/update/delete', t_ivtno_crud),
                ('echo user and group', t_echo), ('persistent socket', t_persistent_many),
                ('transaction socket closes', t_transaction_socket_closes),
                ('wrong password', t_wrong_password), ('unknown user', t_unknown_user),
                ('revoked user', t_revoked), ('missing credentials', t_missing_credentials),
                ('group not permitted', t_not_in_group),
                ('not authorized under OTMA FULL', t_not_authorized_full),
                ('unknown trancode DFS064', t_unknown_trancode), ('abend DFS555I', t_abend),
                ('datastore down / unknown / client-bid refused', t_datastores),
                ('SAMPLE framing', t_sample_framing), ('ASCII IRM mode', t_ascii_mode),
                ('IRM timer expiry RC 32', t_timer_rc), ('no reply DFS2082', t_noreply_dfs2082),
                ('ACK with nothing outstanding', t_lone_ack), ('IMS commands', t_commands),
                ('generated client ID (GENCID)', t_gencid),
                ('test hooks: close, truncate, bad length, forced RSM', t_faults),
                ('XML adapter mode (HWSXMLA0 + converter)', t_xml_adapter),
                ('run-time control /SIM', t_control),
                ('garbage input', t_garbage)]:
            run.run(name, fn, sim)
    run.run('RACF off: default RACFID', t_racf_off, BIN)
    run.run('OTMA security PROFILE: per-message flag', t_otma_profile, BIN)
    run.run('IDLETO closes idle sockets', t_idle_timeout, BIN)
    run.run('trusted user flag', t_trusted_user, BIN)
    run.run('IVTNO store survives a restart', t_ivtno_store, BIN)
    run.done()


if __name__ == '__main__':
    main()
