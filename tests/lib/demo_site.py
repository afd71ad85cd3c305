# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared scaffolding for the Python integration tests: TAP checks, free
ports, and a private copy of the demo site (simulator/sim.conf and the
bundles/ folder, rewritten for free ports and absolute paths) in a temporary
folder, so that tests never touch the demo's fixed ports or the source tree."""
import os, re, shutil, socket, tempfile, time


class Tap:
    def __init__(self):
        self.n = self.failed = 0

    def check(self, ok, text):
        self.n += 1
        self.failed += 0 if ok else 1
        print(("ok %d - %s" if ok else "not ok %d - %s") % (self.n, text), flush=True)
        return ok

    def done(self):
        print("1..%d" % self.n)
        print("%d passed, %d failed" % (self.n - self.failed, self.failed))
        return 1 if self.failed else 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class DemoSite:
    """work: the temporary folder; sim_port, gw_port: free ports; write the
    files with write_sim_conf(), copy_bundles(), write_imsgw_conf()."""

    def __init__(self, src, certs, prefix="imsgw-test-"):
        self.src, self.certs = src, certs
        self.work = tempfile.mkdtemp(prefix=prefix)
        self.sim_port, self.gw_port = free_port(), free_port()
        self.bundles = os.path.join(self.work, "bundles")
        os.makedirs(self.bundles)

    def write_sim_conf(self):
        t = open(self.src + "/simulator/sim.conf").read()
        t = re.sub(r"(?m)^port = \d+", "port = %d" % self.sim_port, t)
        t = re.sub(r"(?m)^tls_port = \d+", "tls_port = 0", t)
        t = t.replace("../certs/dev", self.certs)
        t = re.sub(r"(?m)^(\s*\w+\s*=\s*)copybooks/", r"\g<1>" + self.src + "/simulator/copybooks/", t)
        path = os.path.join(self.work, "sim.conf")
        open(path, "w").write(t)
        return path

    def copy_bundles(self):
        for f in os.listdir(self.src + "/bundles"):
            if f.endswith(".xml"):
                t = open(self.src + "/bundles/" + f).read()
                t = t.replace("../certs/dev", self.certs).replace("../copybook", self.src + "/copybook")
                t = t.replace("../wsdl/", self.src + "/wsdl/")
                t = t.replace('port="9999"', 'port="%d"' % self.sim_port)
                self.put_bundle(f, t)

    def bundle(self, name):
        return open(os.path.join(self.bundles, name)).read()

    def put_bundle(self, name, text):
        open(os.path.join(self.bundles, name), "w").write(text)

    def derive_service(self, base, new_file, name, path, **replace):
        """A copy of service file base with another name and path, plus
        textual replacements (old=new pairs given as a dict)."""
        t = re.sub(r'name="[^"]+"', 'name="%s"' % name, self.bundle(base), count=1)
        t = re.sub(r'path="[^"]+"', 'path="%s"' % path, t, count=1)
        for old, new in replace.get("subst", {}).items():
            t = t.replace(old, new)
        self.put_bundle(new_file, t)

    def write_imsgw_conf(self, server_extra="", listener_extra=""):
        c = self.certs
        path = os.path.join(self.work, "imsgw.conf")
        open(path, "w").write("[server]\nbundles bundles\n%s\n[listener main]\nport %d\n"
                              "tls-cert %s/server.crt\ntls-key %s/server.key\nclient-ca %s/ca.crt\n%s\n"
                              % (server_extra, self.gw_port, c, c, c, listener_extra))
        return path

    def log(self, name):
        return os.path.join(self.work, name)

    def cleanup(self):
        shutil.rmtree(self.work, ignore_errors=True)
