#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""imsconnect-sim: TLS port, expired password + HWSPWCH, PassTickets (legacy,
enhanced, replay, expired), generic RACF codes, clean SIGTERM under load.
Usage: test_sim_security.py SIMBIN PTGEN"""
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time

import simwire
from simwire import (Sim, Runner, request, read_reply, ivtno_input, ivtno_output,
                     timer_s, CM0, SYNCNF, RT_AUTO, TIMER_FOREVER)

BIN, PTGEN = sys.argv[1], sys.argv[2]
CERTS = os.path.normpath(os.path.join(os.path.dirname(simwire.SIM_CONF), '..', 'certs', 'dev'))
LEGACY_KEY = '0123456789ABCDEF'
ENH_KEY = ''.join('%02X' % i for i in range(64))


def ticket(kind, key, user, appl, t):
    return subprocess.check_output([PTGEN, kind, key, user, appl, str(int(t))],
                                   text=True).strip()


def echo_as(sim, user, pw, appl='', arch=0):
    return sim.call(request(trancode='ECHO', data='ECHO X', clientid='SEC' + user[:5],
                            user=user, pw=pw, appl=appl, arch=arch))


def t_tls(sim):
    s = sim.connect_tls(cafile=os.path.join(CERTS, 'ca.crt'))
    r = sim.call(request(data='PING IMS_CONNECT'), sock=s)
    assert r.text() == ['HWSC0030I *PING RESPONSE*'], r
    r = sim.call(request(clientid='TLS1', trancode='IVTNO', user='USER01', pw='PASS01',
                         data=ivtno_input('DISPLAY', 'LAST3')), sock=s)
    assert ivtno_output(r.segments[0])['first'] == 'FIRST3'
    s.close()
    # plain bytes to the TLS port: the handshake fails, the simulator lives on
    raw = socket.create_connection(('127.0.0.1', sim.tls_port), timeout=5)
    raw.sendall(request(data='PING IMS_CONNECT'))
    raw.settimeout(5)
    try:
        while raw.recv(4096):
            pass
    except OSError:
        pass
    raw.close()
    # an untrusting client refuses the simulator's certificate
    try:
        bad = ssl.create_default_context(cafile=os.path.join(CERTS, 'unknown-ca.crt'))
        bad.wrap_socket(socket.create_connection(('127.0.0.1', sim.tls_port), timeout=5),
                        server_hostname='localhost')
        raise AssertionError('handshake with an unknown CA must fail')
    except ssl.SSLError:
        pass
    r = sim.call(request(data='PING IMS_CONNECT'))
    assert r.csm is not None


def t_expired_then_changed(sim):
    r = echo_as(sim, 'EXPIRED1', 'OLDPW1')
    assert r.rsm[1:] == (0x0C, 8, 40), r.rsm
    # wrong old password, then mismatching new ones
    r = sim.call(request(clientid='PWCH', user='EXPIRED1', pw='OLDPW1',
                         data='HWSPWCH WRONG/NEWPW1/NEWPW1'))
    assert r.rsm[1:] == (0x08, 8, 40), r.rsm
    r = sim.call(request(clientid='PWCH', user='EXPIRED1', pw='OLDPW1',
                         data='HWSPWCH OLDPW1/NEWPW1/NEWPW2'))
    assert r.rsm[1:] == (0x10, 8, 40), r.rsm
    r = sim.call(request(clientid='PWCH', user='EXPIRED1', pw='OLDPW1',
                         data='HWSPWCH OLDPW1/NEWPW1/NEWPW1'))
    assert r.text() == ['HWSC0031I PASSWORD CHANGE SUCCESSFUL'], r
    assert echo_as(sim, 'EXPIRED1', 'OLDPW1').rsm[1] == 0x08
    r = echo_as(sim, 'EXPIRED1', 'NEWPW1')
    assert r.csm is not None and 'USERID=EXPIRED1' in r.text()[-1], r


def t_passticket_legacy(sim):
    now = time.time()
    pt = ticket('legacy', LEGACY_KEY, 'USER01', 'IMSAPPL1', now)
    # APPL from IRM_APPL_NM (ARCH 1)
    r = echo_as(sim, 'USER01', pt, appl='IMSAPPL1', arch=1)
    assert r.csm is not None, r
    # replayed: refused
    r = echo_as(sim, 'USER01', pt, appl='IMSAPPL1', arch=1)
    assert r.rsm[1:] == (0x08, 8, 40), r.rsm
    # APPL from the datastore (APPL=IMSAPPL1 on IMS1), 5 minutes old: valid
    pt = ticket('legacy', LEGACY_KEY, 'USER01', 'IMSAPPL1', now - 300)
    assert echo_as(sim, 'USER01', pt).csm is not None
    # 15 minutes old: outside the +-10 minute window
    pt = ticket('legacy', LEGACY_KEY, 'USER01', 'IMSAPPL1', now - 900)
    assert echo_as(sim, 'USER01', pt).rsm[1] == 0x08
    # a ticket for another user does not work for this one
    pt = ticket('legacy', LEGACY_KEY, 'USER02', 'IMSAPPL1', now)
    assert echo_as(sim, 'USER01', pt).rsm[1] == 0x08
    # wrong application
    pt = ticket('legacy', LEGACY_KEY, 'USER01', 'OTHERAPP', now)
    assert echo_as(sim, 'USER01', pt, appl='IMSAPPL1', arch=1).rsm[1] == 0x08


def t_passticket_enhanced(sim):
    now = time.time()
    pt = ticket('upper', ENH_KEY, 'USER02', 'IMSAPPL1', now - 2)
    r = echo_as(sim, 'USER02', pt)
    assert r.csm is not None, r
    assert echo_as(sim, 'USER02', pt).rsm[1] == 0x08          # replay
    pt = ticket('upper', ENH_KEY, 'USER02', 'IMSAPPL1', now - 120)   # TIMEOUT 60 s
    assert echo_as(sim, 'USER02', pt).rsm[1] == 0x08


def t_racfgenrc(binary):
    conf = open(simwire.SIM_CONF).read().replace('racfgenrc = no', 'racfgenrc = yes')
    d = tempfile.mkdtemp()
    p = os.path.join(d, 'gen.conf')
    with open(p, 'w') as f:
        f.write(conf.replace('../certs', CERTS.rsplit('/dev', 1)[0]))
    with Sim(binary, config=p) as sim:
        r = echo_as(sim, 'REVOKED1', 'PASS03')
        assert r.rsm[1:] == (0, 8, 40), r.rsm


def t_sigterm_under_load(binary):
    sim = Sim(binary)
    try:
        waiters = []
        for i in range(5):
            s = sim.connect()
            s.sendall(request(msgtype='R', clientid='W%d' % i, f2=CM0, f3=SYNCNF, f5=RT_AUTO,
                              timer=TIMER_FOREVER, user='USER01', pw='PASS01'))
            waiters.append(s)
        s = sim.connect()
        s.sendall(request(clientid='SLOWX', trancode='SLOW', data='SLOW Z', timer=timer_s(30),
                          user='USER01', pw='PASS01'))
        waiters.append(s)
        time.sleep(0.3)
        t0 = time.monotonic()
    finally:
        sim.stop()          # asserts exit status 0 within 10 s
    assert time.monotonic() - t0 < 3.5, 'stop took %.1f s' % (time.monotonic() - t0)
    for s in waiters:
        s.close()


def t_bad_config(binary):
    d = tempfile.mkdtemp()
    p = os.path.join(d, 'bad.conf')
    with open(p, 'w') as f:
        f.write('[server]\nport = 99999\n[bogus]\n[datastore IMS1]\nstate = sideways\n')
    r = subprocess.run([binary, '-c', p, '--check'], capture_output=True, text=True)
    assert r.returncode == 2, r
    assert '%s:2:' % p in r.stderr and '%s:3:' % p in r.stderr and \
        '%s:5:' % p in r.stderr, r.stderr
    r = subprocess.run([binary, '-c', simwire.SIM_CONF, '--check'], capture_output=True,
                       text=True)
    assert r.returncode == 0 and 'OK' in r.stdout, r
    r = subprocess.run([binary, '--version'], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith('imsconnect-sim '), r


def main():
    run = Runner()
    with Sim(BIN, tls=True) as sim:
        for name, fn in [('TLS port', t_tls),
                         ('expired password, HWSPWCH change', t_expired_then_changed),
                         ('PassTicket legacy: good, replayed, expired', t_passticket_legacy),
                         ('PassTicket enhanced: good, replayed, expired',
                          t_passticket_enhanced)]:
            run.run(name, fn, sim)
    run.run('RACFGENRC hides the RACF code', t_racfgenrc, BIN)
    run.run('clean SIGTERM with busy connections', t_sigterm_under_load, BIN)
    run.run('config errors FILE:LINE, --check, --version', t_bad_config, BIN)
    run.done()


if __name__ == '__main__':
    main()
