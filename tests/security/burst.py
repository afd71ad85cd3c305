#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bursts of requests arriving together on one listener thread are answered
at once.  libmicrohttpd 0.9.75 waited for the connection time-out when
exactly 128 were ready (its epoll batch size) and then closed them as idle
(gateway/mhd_epoll_fix.h).  The daemon is stopped (SIGSTOP) while N
connections each send a request, so that all N are ready together when it
resumes (SIGCONT); every one must be answered within a few seconds, far
below the connection time-out of 20 s.
usage: burst.py IMSGW SIM SOURCE_DIR CERT_DIR"""
import os, signal, socket, ssl, subprocess, sys, time

IMSGW, SIM, SRC, CERTS = sys.argv[1:5]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from demo_site import DemoSite, Tap, wait_port  # noqa: E402

tap = Tap()
check = tap.check
site = DemoSite(SRC, CERTS, "imsgw-burst-")
conf = site.write_imsgw_conf("log-level info", "threads 1\nmax-connections 1024\n"
                             "per-ip-connections 1024\nconnection-timeout 20\nrequest-timeout 20")
gw = subprocess.Popen([IMSGW, "-c", conf], stdout=open(site.log("gw.log"), "w"),
                      stderr=subprocess.STDOUT)
ctx = ssl.create_default_context(cafile=CERTS + "/ca.crt")
ctx.load_cert_chain(CERTS + "/client.crt", CERTS + "/client.key")
REQ = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"


def burst(n):
    """n keep-alive connections send one request each while imsgw is
    stopped; returns (answered, seconds until the last answer)."""
    conns = [ctx.wrap_socket(socket.create_connection(("127.0.0.1", site.gw_port), 10),
                             server_hostname="localhost") for _ in range(n)]
    time.sleep(0.3)			# the listener thread is back in epoll_wait
    os.kill(gw.pid, signal.SIGSTOP)
    try:
        for s in conns:
            s.sendall(REQ)
        time.sleep(0.2)
    finally:
        os.kill(gw.pid, signal.SIGCONT)
    t0, answered, last = time.time(), 0, 0.0
    for s in conns:
        s.settimeout(max(0.1, t0 + 8 - time.time()))
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        if data.startswith(b"HTTP/1.1 200"):
            answered += 1
            last = time.time() - t0
        s.close()
    time.sleep(1)	# imsgw sees the closes now, not as extra events of the next burst
    return answered, last


try:
    check(wait_port(site.gw_port), "imsgw listening (one listener thread)")
    for n in (128, 64, 127, 128, 129, 256):
        got, secs = burst(n)
        check(got == n and secs < 5, "burst of %d requests: %d answered, the last after %.2f s"
              % (n, got, secs))
    log = open(site.log("gw.log")).read()
    check("epoll_wait replacement is not in effect" not in log, "the epoll_wait replacement is in effect")
    check(gw.poll() is None, "imsgw still running")
finally:
    gw.terminate()
    gw.wait()
    site.cleanup()
sys.exit(tap.done())
