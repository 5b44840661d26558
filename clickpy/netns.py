"""netns -- network namespaces and veth pairs, for tests, benchmarks and device configurations

Everything made here is removed again by ``close``/``delete`` or the ``with``
block that made it. Names are unique per process (pid and a counter) and
fit IFNAMSIZ, so concurrent tests never collide::

    from clickpy.netns import Lab
    with Lab() as lab:
        host = lab.netns()
        link = lab.veth(b_ns=host, b_addr="10.9.1.2/24")   # end a stays here
        link.offload("b", tx=False)                          # full checksums
        host.run(["ping", "-c1", "10.9.1.1"])
        sock = host.socket(socket.AF_PACKET, socket.SOCK_RAW)  # made inside

Needs root and iproute2 (``ip``); ``available()`` says why not otherwise.
New links have IPv6 off by default (``ipv6=True`` keeps it), so a test
sees only the frames it sends, no router solicitations or DAD probes.
"""
from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import shutil
import socket
import subprocess

__all__ = ["NetnsError", "available", "unique_name", "ip", "Netns", "Veth", "Lab"]

IFNAMSIZ = 16                   # interface names hold 15 characters
CLONE_NEWNET = 0x40000000
NETNS_RUN_DIR = "/var/run/netns"

_counter = itertools.count()


class NetnsError(RuntimeError):
    """A command that sets up or tears down namespaces and links failed."""


def available() -> str | None:
    """None when namespaces and veth pairs can be made here, else why not
    (a skip reason)."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "no 'ip' command (iproute2)"
    return None


def unique_name(prefix: str = "cp") -> str:
    """``prefix`` + pid + counter, at most 15 characters (IFNAMSIZ)."""
    name = f"{prefix}{os.getpid() % 100000}n{next(_counter)}"
    if len(name) >= IFNAMSIZ:
        raise ValueError(f"name {name!r} longer than {IFNAMSIZ - 1} characters")
    return name


def _run(argv, check=True) -> str:
    r = subprocess.run(argv, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise NetnsError(f"{' '.join(argv)}: {r.stderr.strip() or f'exit {r.returncode}'}")
    return r.stdout


def ip(*args, netns: Netns | str | None = None, check: bool = True) -> str:
    """Runs ``ip [-n NETNS] ARGS...``; its output, or NetnsError."""
    pre = ["ip"] if netns is None else ["ip", "-n", str(netns)]
    return _run(pre + [str(a) for a in args], check)


_libc = None


def _setns(fd: int):
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise NetnsError(f"setns: {os.strerror(err)}")


class Netns:
    """A named network namespace (``ip netns add``), its loopback up."""

    def __init__(self, name: str | None = None, *, lo: bool = True):
        self.name = name or unique_name("cpns")
        ip("netns", "add", self.name)
        self.deleted = False
        if lo:
            self.ip("link", "set", "lo", "up")

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"Netns({self.name!r})"

    def ip(self, *args, check: bool = True) -> str:
        """``ip -n NAME ARGS...``."""
        return ip(*args, netns=self, check=check)

    def argv(self, argv) -> list[str]:
        """``argv`` prefixed to run inside (``ip netns exec NAME``)."""
        return ["ip", "netns", "exec", self.name] + [str(a) for a in argv]

    def run(self, argv, *, check: bool = False, timeout: float | None = 30,
            **kw) -> subprocess.CompletedProcess:
        """Runs a command inside and waits; output captured as text unless
        told otherwise."""
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        return subprocess.run(self.argv(argv), check=check, timeout=timeout, **kw)

    def popen(self, argv, **kw) -> subprocess.Popen:
        """Starts a command inside; the caller waits for it or kills it."""
        return subprocess.Popen(self.argv(argv), **kw)

    def sysctl(self, key: str, value):
        """Writes /proc/sys/KEY (dots as slashes) inside the namespace."""
        path = "/proc/sys/" + key.replace(".", "/")
        r = self.run(["sh", "-c", f"echo {value} > {path}"])
        if r.returncode != 0:
            raise NetnsError(f"{self.name}: {key}={value}: {r.stderr.strip()}")

    @contextlib.contextmanager
    def entered(self):
        """The calling thread inside the namespace for the block: sockets
        made there (and processes it starts) belong to it."""
        with open("/proc/thread-self/ns/net") as here, \
                open(f"{NETNS_RUN_DIR}/{self.name}") as there:
            _setns(there.fileno())
            try:
                yield self
            finally:
                _setns(here.fileno())

    def socket(self, *args, **kw) -> socket.socket:
        """A socket made inside the namespace (``socket.socket`` arguments);
        it stays there wherever it is used from."""
        with self.entered():
            return socket.socket(*args, **kw)

    def delete(self):
        """Removes the namespace and the links in it (veth peers go too)."""
        if not self.deleted:
            self.deleted = True
            ip("netns", "del", self.name, check=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.delete()


class Veth:
    """A veth pair: end ``a`` in ``a_ns`` and end ``b`` in ``b_ns`` (None:
    this process's namespace), optionally addressed (``"10.0.0.1/24"``),
    brought up. Methods take the end as "a" or "b"."""

    def __init__(self, a: str | None = None, b: str | None = None, *,
                 a_ns: Netns | None = None, b_ns: Netns | None = None,
                 a_addr: str | None = None, b_addr: str | None = None,
                 up: bool = True, ipv6: bool = False, mtu: int | None = None):
        self.a = a or unique_name("cpva")
        self.b = b or unique_name("cpvb")
        self.ns = {"a": a_ns, "b": b_ns}
        self.deleted = False
        args = ["link", "add", self.a]
        if a_ns is not None:
            args += ["netns", a_ns.name]
        args += ["type", "veth", "peer", "name", self.b]
        if b_ns is not None:
            args += ["netns", b_ns.name]
        ip(*args)
        try:
            for end, addr in (("a", a_addr), ("b", b_addr)):
                if not ipv6:
                    self.sysctl(end, "disable_ipv6", 1)
                if mtu is not None:
                    self.ip(end, "link", "set", self.dev(end), "mtu", mtu)
                if addr is not None:
                    self.ip(end, "addr", "add", addr, "dev", self.dev(end))
                if up:
                    self.ip(end, "link", "set", self.dev(end), "up")
        except NetnsError:
            self.delete()
            raise

    def __repr__(self):
        return f"Veth({self.a!r}, {self.b!r})"

    def dev(self, end: str) -> str:
        """The interface name of an end."""
        return {"a": self.a, "b": self.b}[end]

    def ip(self, end: str, *args, check: bool = True) -> str:
        """``ip`` in the end's namespace."""
        return ip(*args, netns=self.ns[end], check=check)

    def _in_ns(self, end: str, argv) -> list[str]:
        ns = self.ns[end]
        return ns.argv(argv) if ns is not None else [str(a) for a in argv]

    def sysctl(self, end: str, key: str, value):
        """Writes net.ipv4/ipv6 per-device settings: ``key`` under
        /proc/sys/net/ipv6/conf/DEV/ for IPv6 keys (disable_ipv6...), else
        under net/ipv4/conf/DEV/."""
        family = "ipv6" if "ipv6" in key or key in ("accept_ra", "autoconf") else "ipv4"
        path = f"/proc/sys/net/{family}/conf/{self.dev(end)}/{key}"
        r = subprocess.run(self._in_ns(end, ["sh", "-c", f"echo {value} > {path}"]),
                           capture_output=True, text=True)
        no_ipv6 = family == "ipv6" and not os.path.exists("/proc/sys/net/ipv6")
        if r.returncode != 0 and not no_ipv6:
            raise NetnsError(f"{self.dev(end)}: {key}={value}: {r.stderr.strip()}")

    def offload(self, end: str, **features: bool):
        """``ethtool -K DEV FEATURE on|off ...``: offload(end, tx=False) makes
        the kernel send full checksums (and no TSO super-frames)."""
        if shutil.which("ethtool") is None:
            raise NetnsError("no 'ethtool' command")
        argv = ["ethtool", "-K", self.dev(end)]
        for name, on in features.items():
            argv += [name.replace("_", "-"), "on" if on else "off"]
        _run(self._in_ns(end, argv))

    def mac(self, end: str) -> str:
        """The end's Ethernet address, as ``ip`` prints it."""
        out = self.ip(end, "-o", "link", "show", self.dev(end))
        return out.split("link/ether", 1)[1].split()[0]

    def ifindex(self, end: str) -> int:
        return int(self.ip(end, "-o", "link", "show", self.dev(end)).split(":", 1)[0])

    def delete(self):
        """Removes the pair (deleting either end removes both)."""
        if not self.deleted:
            self.deleted = True
            self.ip("a", "link", "del", self.a, check=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.delete()


class Lab:
    """Namespaces and links made through it, all removed when the ``with``
    block ends (or at ``close()``), newest first."""

    def __init__(self):
        self._made = []

    def netns(self, name: str | None = None, **kw) -> Netns:
        ns = Netns(name, **kw)
        self._made.append(ns)
        return ns

    def veth(self, a: str | None = None, b: str | None = None, **kw) -> Veth:
        link = Veth(a, b, **kw)
        self._made.append(link)
        return link

    def close(self):
        while self._made:
            self._made.pop().delete()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
