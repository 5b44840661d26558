"""test_netns -- namespaces and veth pairs made and removed by clickpy.netns"""
import os
import socket

import pytest

from clickpy import netns
from clickpy.netns import Lab, Netns, Veth, unique_name

pytestmark = pytest.mark.skipif(netns.available() is not None,
                                reason=netns.available() or "")


def links(ns=None):
    return netns.ip("-o", "link", "show", netns=ns)


def test_names_are_unique_and_fit_ifnamsiz():
    names = {unique_name("cpva") for _ in range(100)}
    assert len(names) == 100
    assert all(len(n) <= 15 for n in names)
    assert all(str(os.getpid() % 100000) in n for n in names)


def test_veth_between_here_and_a_namespace_carries_ping():
    with Lab() as lab:
        host = lab.netns()
        link = lab.veth(a_addr="10.201.1.1/24", b_ns=host, b_addr="10.201.1.2/24")
        assert link.a in links() and link.b in links(host)
        assert link.b not in links()
        r = host.run(["ping", "-c", "1", "-W", "2", "10.201.1.1"])
        assert r.returncode == 0, r.stdout + r.stderr
        assert len(link.mac("a")) == 17 and link.mac("a") != link.mac("b")
        assert link.ifindex("b") > 0
        name = host.name
    # both ends and the namespace are gone
    assert name not in netns.ip("netns", "list")
    assert link.a not in links()


def test_two_namespaces_and_offloads():
    with Lab() as lab:
        left, right = lab.netns(), lab.netns()
        link = lab.veth(a_ns=left, b_ns=right, a_addr="10.201.2.1/24", b_addr="10.201.2.2/24")
        link.offload("a", tx=False)
        features = left.run(["ethtool", "-k", link.a]).stdout
        assert "tx-checksumming: off" in features
        assert left.run(["ping", "-c", "1", "-W", "2", "10.201.2.2"]).returncode == 0
        # IPv6 stays off unless asked for: links are quiet
        assert "inet6" not in link.ip("b", "addr", "show", link.b)


def test_socket_made_inside_a_namespace_sees_its_links():
    with Netns() as ns, Veth(b_ns=ns) as link:
        s = ns.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        try:
            s.bind((link.b, 0))             # resolvable only inside
            with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as here, \
                    pytest.raises(OSError):
                here.bind((link.b, 0))
        finally:
            s.close()
        # the thread came back to this namespace
        assert link.a in links()


def test_failures_say_what_failed():
    with pytest.raises(netns.NetnsError, match="ip link del"):
        netns.ip("link", "del", "cpnosuchdev0")
