"""test_iplookup -- the IPRouteTable family: lookups, annotations, outputs, handlers, errors."""
import ipaddress
import random

import pytest
from harness import Chain, click_error, router
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, UDP

import clickpy
from clickpy.errors import ClickError
from clickpy.graph.registry import default_registry
from clickpy.runtime.handlers import HandlerError

ALL = ("LinearIPLookup", "StaticIPLookup", "RadixIPLookup", "DirectIPLookup", "RangeIPLookup")
DYNAMIC = ("LinearIPLookup", "RadixIPLookup", "DirectIPLookup", "RangeIPLookup")
TABBED = ("RadixIPLookup", "DirectIPLookup", "RangeIPLookup")
NOUT = 4

PACKET = bytes(IP(src="1.2.3.4", dst="5.6.7.8") / UDP(sport=1, dport=2) / b"payload")


class Table:
    """``rt :: CLASS(routes)`` with outputs 0..nout-1 into the recording sink."""

    def __init__(self, cls, routes, nout=NOUT):
        outputs = "".join(f" rt[{i}] -> [{i}]out;" for i in range(1, nout))
        self.chain = Chain(f"rt :: {cls}({', '.join(routes)})", extra=outputs)
        self.router = self.chain.router
        self.rt = self.router.element("rt")

    def send(self, dst):
        """Pushes one packet with destination annotation ``dst``; returns
        (output, annotation after) or None when it was dropped."""
        before = len(self.chain.records())
        p = clickpy.Packet(PACKET)
        p.dst_ip = dst
        self.rt.push(0, p)
        hits = self.chain.records()[before:]
        assert len(hits) <= 1
        assert all(h.data == PACKET for h in hits)          # the data is untouched
        return (hits[0].port, hits[0].dst_ip) if hits else None

    def read(self, h, param=None):
        return self.router.read(f"rt.{h}", param)

    def write(self, h, value):
        self.router.write(f"rt.{h}", value)


ROUTES = ["10.0.0.0/8 0", "10.1.0.0/16 10.9.9.9 1", "0/0 192.168.0.1 2",
          "10.1.2.3 3", "10.1.2.0/255.255.255.0 - 2"]


# -- forwarding -----------------------------------------------------------------
@pytest.mark.parametrize("cls", ALL)
def test_longest_prefix_outputs_and_gateways(cls):
    t = Table(cls, ROUTES)
    assert t.send("10.200.0.1") == (0, "10.200.0.1")           # /8, no gateway
    assert t.send("10.1.200.1") == (1, "10.9.9.9")             # /16 with gateway
    assert t.send("10.1.2.4") == (2, "10.1.2.4")               # /24 inside the /16
    assert t.send("10.1.2.3") == (3, "10.1.2.3")               # /32 host route
    assert t.send("11.0.0.0") == (2, "192.168.0.1")            # default route
    assert t.send("255.255.255.255") == (2, "192.168.0.1")
    assert t.send("0.0.0.0") == (2, "192.168.0.1")


@pytest.mark.parametrize("cls", ALL)
def test_no_route_drops(cls):
    t = Table(cls, ["10.0.0.0/8 0", "10.1.2.3/32 1"])
    assert t.send("11.0.0.1") is None
    assert t.send("9.255.255.255") is None
    assert t.send("10.1.2.3") == (1, "10.1.2.3")
    assert t.read("lookup", "11.0.0.1") == "-1"


@pytest.mark.parametrize("cls", ALL)
def test_empty_table(cls):
    t = Table(cls, [])
    assert t.send("1.2.3.4") is None
    assert t.read("table") == ""


@pytest.mark.parametrize("cls", ALL)
def test_route_syntax(cls):
    # a repeated prefix keeps its first route; host bits are cleared; an
    # address then a mask word is a /32 route through a gateway, as in Click
    t = Table(cls, ["10.1.2.3/8 0", "10.0.0.0/8 1", "18.26.4.0 255.255.255.0 2"])
    assert t.read("lookup", "10.5.5.5") == "0"
    assert t.read("lookup", "18.26.4.0") == "2 255.255.255.0"
    assert t.read("lookup", "18.26.4.1") == "-1"


# -- handlers -------------------------------------------------------------------
@pytest.mark.parametrize("cls", ["LinearIPLookup", "StaticIPLookup"])
def test_table_linear_format(cls):
    t = Table(cls, ROUTES)
    assert t.read("table") == ("10.0.0.0/8 - 0\n10.1.0.0/16 10.9.9.9 1\n"
                               "0.0.0.0/0 192.168.0.1 2\n10.1.2.3/32 - 3\n"
                               "10.1.2.0/24 - 2\n")


@pytest.mark.parametrize("cls", TABBED)
def test_table_tabbed_format(cls):
    t = Table(cls, ROUTES + ["200.100.200.100/32 200.100.200.100 1"])
    assert t.read("table") == ("10.0.0.0/8\t\t-\t\t0\n"
                               "10.1.0.0/16\t\t10.9.9.9\t1\n"
                               "0.0.0.0/0\t\t192.168.0.1\t2\n"
                               "10.1.2.3/32\t\t-\t\t3\n"
                               "10.1.2.0/24\t\t-\t\t2\n"
                               "200.100.200.100/32\t200.100.200.100\t1\n")


@pytest.mark.parametrize("cls", ALL)
def test_lookup_handler(cls):
    t = Table(cls, ROUTES)
    assert t.read("lookup", "10.1.7.7") == "1 10.9.9.9"
    assert t.read("lookup", "10.2.0.0") == "0"
    assert t.read("lookup", " 10.1.2.3 ") == "3"
    with pytest.raises(ValueError) as e:
        t.read("lookup", "10.1.2")
    assert str(e.value) == "expected IP address, not '10.1.2'"


@pytest.mark.parametrize("cls", DYNAMIC)
def test_add_set_remove(cls):
    t = Table(cls, ["10.0.0.0/8 0"])
    t.write("add", "10.1.0.0/16 1.1.1.1 1")
    assert t.send("10.1.0.5") == (1, "1.1.1.1")
    with pytest.raises(ValueError) as e:
        t.write("add", "10.1.0.0/16 2")
    assert str(e.value) == "conflict with existing route '10.1.0.0/16 1.1.1.1 1'"
    t.write("set", "10.1.0.0/16 2")
    assert t.send("10.1.0.5") == (2, "10.1.0.5")
    t.write("set", "0.0.0.0/0 3.3.3.3 3")
    assert t.send("99.0.0.1") == (3, "3.3.3.3")
    # remove with a gateway and port removes only a matching route
    with pytest.raises(ValueError) as e:
        t.write("remove", "10.1.0.0/16 1")
    assert str(e.value) == "route '10.1.0.0/16 - 1' not found"
    t.write("remove", "10.1.0.0/16 - 2")
    assert t.send("10.1.0.5") == (0, "10.1.0.5")
    t.write("remove", "10.0.0.0/8")
    assert t.send("10.1.0.5") == (3, "3.3.3.3")
    with pytest.raises(ValueError) as e:
        t.write("remove", "10.0.0.0/8")
    assert str(e.value) == "route '10.0.0.0/8 - -1' not found"
    t.write("remove", "0/0")
    assert t.send("10.1.0.5") is None
    assert t.read("table") == ""


@pytest.mark.parametrize("cls", DYNAMIC)
@pytest.mark.parametrize("h, value, message", [
    ("add", "10.0.0.0/33 1", "expected 'ADDR/MASK [GATEWAY] OUTPUT'"),
    ("add", "10.0.0.0/8", "expected 'ADDR/MASK [GATEWAY] OUTPUT'"),
    ("add", "10.0.0.0/8 4", "expected 'ADDR/MASK [GATEWAY] OUTPUT'"),
    ("add", "10.0.0.0/8 -1", "expected 'ADDR/MASK [GATEWAY] OUTPUT'"),
    ("set", "10.0.0.0/8 1.2.3.4 1 2", "expected 'ADDR/MASK [GATEWAY] OUTPUT'"),
    ("remove", "10.0.0.0/8 x", "expected 'ADDR/MASK [GATEWAY OUTPUT]'"),
    ("remove", "", "expected 'ADDR/MASK [GATEWAY OUTPUT]'"),
    ("ctrl", "frob 10.0.0.0/8 1", "bad command 'frob'"),
])
def test_handler_errors(cls, h, value, message):
    t = Table(cls, ["10.0.0.0/8 0"])
    with pytest.raises(ValueError) as e:
        t.write(h, value)
    assert str(e.value) == message
    assert t.read("lookup", "10.1.1.1") == "0"


@pytest.mark.parametrize("cls", DYNAMIC)
def test_ctrl_applies_all_or_nothing(cls):
    t = Table(cls, ["10.0.0.0/8 0", "0/0 1"])
    t.write("ctrl", "add 11.0.0.0/8 2\n\n  set 10.0.0.0/8 9.9.9.9 3 // comment\nremove 0/0\n")
    assert t.send("11.1.1.1") == (2, "11.1.1.1")
    assert t.send("10.1.1.1") == (3, "9.9.9.9")
    assert t.send("12.1.1.1") is None
    before = t.read("table")
    with pytest.raises(ValueError) as e:
        t.write("ctrl", "remove 11.0.0.0/8\nadd 12.0.0.0/8 1\nset 10.0.0.0/8 0\n"
                        "add 12.0.0.0/8 2")
    assert str(e.value) == "conflict with existing route '12.0.0.0/8 - 1'"
    assert sorted(t.read("table").splitlines()) == sorted(before.splitlines())
    assert t.send("11.1.1.1") == (2, "11.1.1.1")
    assert t.send("10.1.1.1") == (3, "9.9.9.9")
    assert t.send("12.1.1.1") is None


def test_linear_keeps_places():
    t = Table("LinearIPLookup", ["1.0.0.0/8 0", "2.0.0.0/8 1", "3.0.0.0/8 2"])
    t.write("remove", "2.0.0.0/8")
    t.write("set", "1.0.0.0/8 3")
    t.write("add", "4.0.0.0/8 0")
    assert t.read("table") == "1.0.0.0/8 - 3\n4.0.0.0/8 - 0\n3.0.0.0/8 - 2\n"


def test_radix_reuses_freed_places():
    t = Table("RadixIPLookup", ["1.0.0.0/8 0", "2.0.0.0/8 1", "3.0.0.0/8 2"])
    t.write("remove", "2.0.0.0/8")
    t.write("set", "1.0.0.0/8 3")               # moves to the freed place
    t.write("add", "4.0.0.0/8 0")               # takes the place 1.0.0.0/8 left
    assert t.read("table") == ("4.0.0.0/8\t\t-\t\t0\n1.0.0.0/8\t\t-\t\t3\n"
                               "3.0.0.0/8\t\t-\t\t2\n")


@pytest.mark.parametrize("cls", ["DirectIPLookup", "RangeIPLookup"])
def test_flush(cls):
    t = Table(cls, ROUTES)
    t.write("flush", "")
    assert t.read("table") == ""
    assert t.send("10.1.2.3") is None
    t.write("add", "10.1.2.0/24 1")
    assert t.send("10.1.2.3") == (1, "10.1.2.3")


def test_static_has_no_write_handlers():
    t = Table("StaticIPLookup", ROUTES)
    for h in ("add", "set", "remove", "ctrl"):
        with pytest.raises(HandlerError):
            t.write(h, "12.0.0.0/8 1")
    assert set(t.router._handlers.names(t.rt)) >= {"table", "lookup"}


def test_handler_names():
    for cls, extra in (("RadixIPLookup", set()), ("DirectIPLookup", {"flush"})):
        t = Table(cls, [])
        names = set(t.router._handlers.names(t.rt))
        assert {"table", "lookup", "add", "set", "remove", "ctrl"} | extra <= names


# -- configuration errors -------------------------------------------------------
@pytest.mark.parametrize("cls", ALL)
def test_configure_errors(cls):
    text = (f"InfiniteSource(ACTIVE false) -> rt :: {cls}(10.0.0.0/33 0, 1.0.0.0/8 0,"
            " 2.0.0.0/8 1, 3.0.0.0/8 x 0, 4/8 2.2.2.2 0 0);"
            " rt[0] -> Discard;")
    assert str(click_error(router, text, filename="<expr>")) == (
        f"<expr>:1: While configuring 'rt :: {cls}':\n"
        "  argument 1 should be 'ADDR/MASK [GATEWAY] OUTPUT'\n"
        "  argument 3 should be 'ADDR/MASK [GATEWAY] OUTPUT'\n"
        "  argument 4 should be 'ADDR/MASK [GATEWAY] OUTPUT'\n"
        "  argument 5 should be 'ADDR/MASK [GATEWAY] OUTPUT'")


@pytest.mark.parametrize("cls", ["RadixIPLookup", "DirectIPLookup", "RangeIPLookup"])
def test_noncontiguous_masks_refused(cls):
    text = f"InfiniteSource(ACTIVE false) -> rt :: {cls}(10.0.0.0/255.0.255.0 0) -> Discard;"
    with pytest.raises(ClickError):
        router(text, filename="<expr>")


def test_linear_noncontiguous_mask():
    t = Table("LinearIPLookup", ["10.0.5.0/255.0.255.0 1", "10.0.0.0/8 0"])
    assert t.send("10.77.5.9") == (1, "10.77.5.9")
    assert t.send("10.77.6.9") == (0, "10.77.6.9")
    assert t.read("table") == "10.0.5.0/255.0.255.0 - 1\n10.0.0.0/8 - 0\n"


# -- agreement with a plain-Python reference ------------------------------------
def reference_lookup(routes, addr):
    """(port, gw) of the longest matching prefix in {(net, plen): (gw, port)}."""
    best = None
    for (net, plen), (gw, port) in routes.items():
        mask = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF if plen else 0
        if addr & mask == net and (best is None or plen > best[0]):
            best = (plen, gw, port)
    return (-1, 0) if best is None else (best[2], best[1])


def expected_text(port, gw):
    return f"{port} {ipaddress.IPv4Address(gw)}" if gw else str(port)


def route_text(net, plen, gw, port):
    g = str(ipaddress.IPv4Address(gw)) if gw else "-"
    return f"{ipaddress.IPv4Address(net)}/{plen} {g} {port}"


prefixes = st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 32)).map(
    lambda t: ((t[0] & ((0xFFFFFFFF << (32 - t[1])) & 0xFFFFFFFF if t[1] else 0)), t[1]))
nexthops = st.tuples(st.sampled_from([0, 0x0A000001, 0xC0A80101]), st.integers(0, NOUT - 1))


def probes(routes, rng):
    """Addresses at, inside and just outside every route, plus random ones."""
    out = [0, 0xFFFFFFFF] + [rng.getrandbits(32) for _ in range(20)]
    for net, plen in routes:
        last = net | ((1 << (32 - plen)) - 1)
        out += [net, last, (net - 1) & 0xFFFFFFFF, (last + 1) & 0xFFFFFFFF,
                net | rng.getrandbits(32 - plen) if plen < 32 else net]
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.dictionaries(prefixes, nexthops, max_size=25), seed=st.integers(0, 2**32))
def test_all_elements_agree_with_reference(table, seed):
    rng = random.Random(seed)
    routes = [route_text(n, p, gw, port) for (n, p), (gw, port) in table.items()]
    addrs = probes(table, rng)
    for cls in ALL:
        t = Table(cls, routes)
        for a in addrs:
            assert t.read("lookup", str(ipaddress.IPv4Address(a))) == \
                expected_text(*reference_lookup(table, a)), (cls, a)


ops = st.lists(st.tuples(st.sampled_from(["add", "set", "remove"]), prefixes, nexthops),
               max_size=30)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.dictionaries(prefixes, nexthops, max_size=10), ops=ops,
       seed=st.integers(0, 2**32))
def test_dynamic_updates_agree_with_reference(initial, ops, seed):
    rng = random.Random(seed)
    tables = [Table(cls, [route_text(n, p, gw, port) for (n, p), (gw, port) in initial.items()])
              for cls in DYNAMIC]
    ref = dict(initial)
    for op, (net, plen), (gw, port) in ops:
        text = route_text(net, plen, gw, port)
        if op == "remove":
            text = f"{ipaddress.IPv4Address(net)}/{plen}"
            ok = (net, plen) in ref
            ref.pop((net, plen), None)
        elif op == "add":
            ok = (net, plen) not in ref
            ref.setdefault((net, plen), (gw, port))
        else:
            ok = True
            ref[(net, plen)] = (gw, port)
        for t in tables:
            if ok:
                t.write(op, text)
            else:
                with pytest.raises(ValueError):
                    t.write(op, text)
    addrs = probes(list(ref) + [(n, p) for _, (n, p), _ in ops], rng)
    for t in tables:
        assert len(t.read("table").splitlines()) == len(ref)
        for a in addrs:
            assert t.read("lookup", str(ipaddress.IPv4Address(a))) == \
                expected_text(*reference_lookup(ref, a)), (t.rt.class_name, a)


@pytest.mark.parametrize("cls", ALL)
def test_bench_lookups_matches_handler(cls):
    import array
    t = Table(cls, ROUTES)
    addrs = [0x0A010203, 0x0A010204, 0x0B000000, 0x0A020000]
    assert t.rt.bench_lookups(array.array("I", addrs)) == 3 + 2 + 2 + 0


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("n", [0, 1, 255, 256, 257, 700])
def test_bench_lookups_across_chunks(cls, n):
    # the base hands the addresses to the element's lookup_keys in chunks
    import array
    rng = random.Random(n)
    t = Table(cls, ROUTES[:2] + ROUTES[3:])        # no default route: some miss (-1)
    addrs = [rng.choice((0x0A000000, 0x0A010000, 0x0A010200, 0x0B000000)) | rng.getrandbits(9)
             for _ in range(n)]
    ports = [int(t.read("lookup", str(ipaddress.IPv4Address(a))).split()[0]) for a in addrs]
    assert -1 in ports or n < 256
    assert t.rt.bench_lookups(array.array("I", addrs)) == sum(ports)


def test_one_base_class():
    from clickpy.elements.ip.iproutetable import IPRouteTable
    for cls in ALL:
        assert isinstance(Table(cls, []).rt, IPRouteTable)
    reg = default_registry()
    assert all(reg.has(cls) for cls in ALL)
    assert not reg.has("IPRouteTable")             # a base, not an element
