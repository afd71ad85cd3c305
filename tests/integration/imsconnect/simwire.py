# SPDX-License-Identifier: GPL-2.0-or-later
"""Independent IMS Connect wire helper for the imsconnect-sim integration tests.

Builds HWSSMPL1/HWSSMPL0 requests byte by byte (reference
shared/docs/imsconnect-protocol.md sections 2-3), parses replies, and starts /
stops a real imsconnect-sim process on a free port.  Deliberately does not use
the C codec, so a codec bug cannot hide a simulator bug (or the reverse).
"""
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

E = 'cp037'
IRM_LEN = {0: 80, 1: 96, 2: 112, 3: 160, 4: 168, 5: 172}

# IRM_F4 letters
SENDRECV, ACK, NAK, DEALLOC, CANCEL, RESUME = ' ', 'A', 'N', 'D', 'C', 'R'
SENDONLY, SENDONLYA, SENDONLYE, SYNRESPA, SYNRESP = 'S', 'K', 'J', 'L', 'M'

CM0, CM1 = 0x40, 0x20
SYNCNF = 0x01
PERSISTENT, TRANSACTION = 0x10, 0x00
RT_SINGLE, RT_AUTO, RT_NOAUTO, RT_SWAIT = 0x01, 0x02, 0x04, 0x10
F0_SYNONLY, F0_SYNASYN, F0_SYNCNAK, F0_NAKRSN = 0x80, 0x40, 0x20, 0x10
TIMER_NOWAIT, TIMER_FOREVER = 0xE9, 0xFF


def timer_s(sec):
    """IRM_TIMER byte for whole seconds 1..60."""
    assert 1 <= sec <= 60
    return 0x27 + sec


def name8(s, cp):
    s = (s or '').ljust(8)[:8]
    return s.encode(E if cp == 'ebcdic' else 'ascii')


def request(msgtype=' ', trancode='', data=None, clientid='CLIENT01', dest='IMS1',
            user='', group='', pw='', appl='', rerout='', arch=0, exit_id='*SAMPL1*',
            cp='ebcdic', f0=0, f1=0, f2=CM1, f3=0, f5=0, timer=0, soct=PERSISTENT,
            nak_rsn=0, cortkn=None, llll_data=False, irm_len=None, raw_segments=None,
            res1=0, tag_adapt='', tag_map=''):
    """One complete request message (bytes)."""
    ln = irm_len if irm_len is not None else IRM_LEN[arch]
    enc = E if cp == 'ebcdic' else 'ascii'
    irm = bytearray(ln)
    struct.pack_into('>HBB', irm, 0, ln, arch, f0)
    irm[4:12] = exit_id.encode(enc)
    struct.pack_into('>HH', irm, 12, nak_rsn, res1)
    irm[16] = f5
    irm[17] = timer
    irm[18] = soct
    irm[19] = 0
    irm[20:28] = name8(clientid, cp)
    if ln >= 80:
        irm[28] = f1
        irm[29] = f2
        irm[30] = f3
        irm[31] = msgtype.encode(enc)[0]
        irm[32:40] = name8(trancode, cp)
        irm[40:48] = name8(dest, cp)
        irm[48:56] = name8('', cp)
        irm[56:64] = name8(user, cp)
        irm[64:72] = name8(group, cp)
        irm[72:80] = name8(pw, cp)
    if ln >= 96:
        irm[80:88] = name8(appl, cp)
        irm[88:96] = name8(rerout, cp)
    if ln >= 112:
        irm[96:104] = name8(tag_adapt, cp)
        irm[104:112] = name8(tag_map, cp)
    if ln >= 160:
        irm[112:152] = cortkn if cortkn else bytes(40)
        irm[152:160] = name8('', cp)
    body = b''
    segs = raw_segments
    if segs is None:
        segs = []
        if data is not None:
            segs = data if isinstance(data, list) else [data]
    for s in segs:
        if isinstance(s, str):
            s = s.encode(enc)
        body += (struct.pack('>I', len(s) + 4) if llll_data
                 else struct.pack('>HH', len(s) + 4, 0)) + s
    msg = bytes(irm) + body + b'\x00\x04\x00\x00'
    return struct.pack('>I', len(msg) + 4) + msg


def ivtno_input(cmd, last='', first='', ext='', zipc='', trancode='IVTNO'):
    """IVTNO input record data (copybook ivtno.cpy, after LL/ZZ), EBCDIC."""
    return (trancode.ljust(10) + cmd.ljust(8) + last.ljust(10) + first.ljust(10) +
            ext.ljust(10) + zipc.ljust(7)).encode(E)


def ivtno_output(seg):
    t = seg.decode(E)
    assert len(t) == 89, len(t)
    return {'msg': t[0:40].rstrip(), 'cmd': t[40:48].rstrip(), 'last': t[48:58].rstrip(),
            'first': t[58:68].rstrip(), 'ext': t[68:78].rstrip(), 'zip': t[78:85].rstrip(),
            'segno': t[85:89]}


class Reply:
    def __init__(self):
        self.segments = []
        self.csm = None      # (flg1, prlvl)
        self.rsm = None      # (flg1, racfrc, rc, rsn)
        self.xasm = None     # XML adapter status, same shape as rsm
        self.cor = None      # 40 token bytes
        self.gencid = None
        self.raw = b''

    def text(self, cp='ebcdic'):
        return [s.decode(E if cp == 'ebcdic' else 'latin-1') for s in self.segments]

    def __repr__(self):
        return 'Reply(segs=%r csm=%r rsm=%r cor=%r gencid=%r)' % (
            self.segments, self.csm, self.rsm, self.cor is not None, self.gencid)


def _ids(cp):
    enc = E if cp == 'ebcdic' else 'ascii'
    return {k: k.encode(enc) for k in ('*CSMOKY*', '*REQSTS*', '*CORTKN*', '*GENCID*',
                                        '*REQMOD*', '*CTLDAT*', '*XADPST*')}


def parse_structs(buf, cp='ebcdic', callout=False):
    ids = _ids(cp)
    r = Reply()
    r.raw = buf
    p = 0
    expect_llll = False
    while p < len(buf):
        if expect_llll:
            (ll,) = struct.unpack_from('>I', buf, p)
            assert 4 <= ll <= len(buf) - p, 'bad callout LLLL'
            r.segments.append(buf[p + 4:p + ll])
            p += ll
            expect_llll = False
            continue
        (ll,) = struct.unpack_from('>H', buf, p)
        assert 4 <= ll <= len(buf) - p, 'bad LL %d at %d' % (ll, p)
        sid = buf[p + 4:p + 12] if ll >= 12 else b''
        if sid == ids['*CSMOKY*']:
            assert ll == 12
            r.csm = (buf[p + 2], buf[p + 3])
        elif sid == ids['*REQSTS*']:
            assert ll == 20
            rc, rsn = struct.unpack_from('>II', buf, p + 12)
            r.rsm = (buf[p + 2], buf[p + 3], rc, rsn)
        elif sid == ids['*XADPST*']:
            assert ll == 20
            rc, rsn = struct.unpack_from('>II', buf, p + 12)
            r.xasm = (buf[p + 2], buf[p + 3], rc, rsn)
        elif sid == ids['*CORTKN*']:
            assert ll == 52
            r.cor = buf[p + 12:p + 52]
            expect_llll = True
        elif sid == ids['*GENCID*']:
            r.gencid = buf[p + 12:p + 20].decode(E if cp == 'ebcdic' else 'ascii').rstrip()
        else:
            r.segments.append(buf[p + 4:p + ll])
        p += ll
    ends = [x for x in (r.csm, r.rsm, r.xasm) if x is not None]
    assert len(ends) == 1, 'reply must end with exactly one CSM/RSM/XASM'
    return r


def recv_exact(sock, n):
    b = b''
    while len(b) < n:
        chunk = sock.recv(n - len(b))
        if not chunk:
            raise EOFError('connection closed after %d of %d bytes' % (len(b), n))
        b += chunk
    return b


def read_reply(sock, cp='ebcdic', framing='SAMPL1'):
    if framing == 'SAMPL1':
        (total,) = struct.unpack('>I', recv_exact(sock, 4))
        assert 4 + 12 <= total <= 64 << 20, total
        return parse_structs(recv_exact(sock, total - 4), cp)
    # SAMPLE: read structures until CSM or RSM
    ids = _ids(cp)
    buf = b''
    while True:
        hdr = recv_exact(sock, 2)
        (ll,) = struct.unpack('>H', hdr)
        rest = recv_exact(sock, ll - 2)
        buf += hdr + rest
        if ll >= 12 and rest[2:10] in (ids['*CSMOKY*'], ids['*REQSTS*'], ids['*XADPST*']):
            return parse_structs(buf, cp)


def closed(sock, wait=2.0):
    """True if the peer closes the socket (EOF) within wait seconds."""
    sock.settimeout(wait)
    try:
        return sock.recv(1) == b''
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


HERE = os.path.dirname(os.path.abspath(__file__))
SIM_CONF = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'simulator', 'sim.conf'))


class Sim:
    """A running imsconnect-sim on free ports of 127.0.0.1."""

    def __init__(self, binary, config=SIM_CONF, extra='', tls=False):
        self.dir = tempfile.mkdtemp(prefix='simtest-')
        self.conf = os.path.join(self.dir, 'sim.conf')
        text = open(config).read()
        certs = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'certs', 'dev'))
        text = text.replace('../certs/dev', certs)
        text = text.replace('= copybooks/', '= ' + os.path.join(os.path.dirname(SIM_CONF),
                                                                 'copybooks') + '/')
        with open(self.conf, 'w') as f:
            f.write(text + '\n' + extra + '\n')
        self.portfile = os.path.join(self.dir, 'ports')
        self.log = open(os.path.join(self.dir, 'sim.log'), 'w+')
        args = [binary, '-c', self.conf, '-p', '0', '--port-file', self.portfile]
        args += ['--tls-port', '0'] if tls else ['--no-tls']
        self.tls = tls
        t0 = time.monotonic()
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        while not os.path.exists(self.portfile):
            if self.proc.poll() is not None:
                raise RuntimeError('simulator exited %d:\n%s' % (self.proc.returncode,
                                                                  self.logtext()))
            if time.monotonic() - t0 > 5:
                raise RuntimeError('simulator did not start within 5 s')
            time.sleep(0.01)
        self.startup = time.monotonic() - t0
        self.port, self.tls_port = (int(x) for x in open(self.portfile).read().split())

    def logtext(self):
        if self.log.closed:
            return ''
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def connect(self, timeout=10.0):
        s = socket.create_connection(('127.0.0.1', self.port), timeout=timeout)
        s.settimeout(timeout)
        return s

    def connect_tls(self, timeout=10.0, cafile=None):
        ctx = ssl.create_default_context(cafile=cafile)
        raw = socket.create_connection(('127.0.0.1', self.tls_port), timeout=timeout)
        s = ctx.wrap_socket(raw, server_hostname='localhost')
        s.settimeout(timeout)
        return s

    def call(self, msg, sock=None, cp='ebcdic', framing='SAMPL1'):
        own = sock is None
        s = sock or self.connect()
        s.sendall(msg)
        r = read_reply(s, cp, framing)
        if own:
            s.close()
        return r

    def stop(self, cleanup=True):
        rc = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError('simulator did not stop within 10 s of SIGTERM')
        else:
            rc = self.proc.returncode
        if rc != 0:
            raise AssertionError('simulator exit status %r\n%s' % (rc, self.logtext()))
        if cleanup:
            self.log.close()
            shutil.rmtree(self.dir, ignore_errors=True)
        return rc

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        try:
            self.stop(cleanup=et is None)
        finally:
            if et is not None:
                sys.stderr.write('---- simulator log ----\n' + self.logtext())


class Runner:
    """Tiny test runner: named checks, prints 'N passed, N failed'."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, fn, *args):
        try:
            fn(*args)
            self.passed += 1
            print('ok   %s' % name, flush=True)
        except Exception as e:  # noqa: BLE001 - report every failure
            import traceback
            self.failed += 1
            print('FAIL %s: %s' % (name, e), flush=True)
            traceback.print_exc()
            if args and isinstance(args[0], Sim):
                tail = args[0].logtext().splitlines()[-30:]
                print('---- simulator log (last lines) ----\n' + '\n'.join(tail), flush=True)

    def done(self):
        print('%d passed, %d failed' % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)
