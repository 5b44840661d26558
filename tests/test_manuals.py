"""test_manuals -- every element's manual page matches its declarations (STYLE f).

Both ways, for every class with run-time code: each ``=item`` is an argument
the element takes and each argument has one; each ``=h`` is a handler the
element registers and each handler it registers has one.
"""
import re

import pytest
from harness import router
from scapy.layers.l2 import Ether
from scapy.utils import wrpcap

from clickpy.graph.registry import default_registry
from clickpy.runtime.args import REST
from clickpy.runtime.handlers import HandlerTable

REQUIRED = ("c", "s", "d")


def runnable_specs():
    reg = default_registry()
    return [reg.get(n) for n in reg.names() if reg.get(n).runnable]


def sections(doc):
    """{'c': text, 'item': [...], 'h': [...], ...} from Click's =section format.

    Items inside ``=over ... =back`` belong to a list in the text (IPClassifier's
    primitives), not to the argument list, and are left out.
    """
    doc = re.sub(r"^=over\b.*?^=back[ \t]*$", "", doc, flags=re.M | re.S)
    out = {}
    for m in re.finditer(r"^=(\w+)[ \t]*(.*?)(?=^=\w+|\Z)", doc, re.M | re.S):
        key, body = m.group(1), m.group(2).strip()
        if key in ("item", "h"):
            out.setdefault(key, []).append(body)
        else:
            out[key] = body
    return out


def headings(sec, key):
    """(name, rest of the heading line) per name the manual's ``=item`` or ``=h``
    entries give: an entry's first word, or, as Click groups related handlers,
    its comma-separated words ("=h eq, ne, lt read-only")."""
    out = []
    for body in sec.get(key, []):
        m = re.match(r"((?:\S+,\s+)*\S+)[ \t]*(.*)", body)
        if m:
            out.extend((name, m.group(2)) for name in re.split(r",\s+", m.group(1)))
    return out


def documented(sec, key):
    """The names the manual's ``=item`` or ``=h`` entries give."""
    return [name for name, _ in headings(sec, key)]


def argument_names(cls):
    """Keywords of the element's argument tables: ARGS, and the ``*_ARGS`` tables
    an element that picks one by its first argument parses with (ControlSocket's
    TCP_ARGS, UNIX_ARGS); REST catch-alls are no keyword."""
    tables = [getattr(cls, name) for name in dir(cls) if name == "ARGS" or name.endswith("_ARGS")]
    return {a.name for table in tables if table for a in table if not a.flags & REST}


def has_argument_table(cls):
    return any(getattr(cls, n) for n in dir(cls) if n == "ARGS" or n.endswith("_ARGS"))


@pytest.mark.parametrize("spec", runnable_specs(), ids=lambda s: s.name)
def test_manual_sections_and_arguments(spec):
    cls = default_registry().element_class(spec.name)
    doc = spec.doc or ""
    sec = sections(doc)
    for key in REQUIRED:
        assert key in sec, f"{spec.name}: manual lacks ={key}"
    assert sec["c"].split("\n")[0].startswith(spec.name), f"{spec.name}: =c names another class"
    synopsis = sec["c"]
    items = set(documented(sec, "item"))
    for arg in getattr(cls, "ARGS", ()) or ():
        assert re.search(rf"\b{arg.name}\b", synopsis), f"{spec.name}: =c lacks {arg.name}"
        assert arg.name in items, f"{spec.name}: no =item for {arg.name}"
    # declarations in the class agree with what the registry scanned
    assert cls.port_count == spec.port_count and cls.processing == spec.processing


@pytest.mark.parametrize("spec", runnable_specs(), ids=lambda s: s.name)
def test_manual_items_name_arguments(spec):
    """Every =item is an argument, once: a keyword of the argument tables, or,
    for an element that parses its configuration by hand (no table), an
    argument its =c synopsis shows."""
    cls = default_registry().element_class(spec.name)
    sec = sections(spec.doc or "")
    items = documented(sec, "item")
    assert len(items) == len(set(items)), f"{spec.name}: an =item twice"
    if has_argument_table(cls):
        names = argument_names(cls)
        assert set(items) == names, (f"{spec.name}: =item without argument "
                                     f"{sorted(set(items) - names)}, argument without =item "
                                     f"{sorted(names - set(items))}")
    else:
        for item in items:
            assert re.search(rf"\b{re.escape(item)}\b", sec["c"]), f"{spec.name}: =c lacks {item}"


# -- handlers ------------------------------------------------------------------------

# A configuration for each class that needs arguments, ports by its port count
# otherwise; several where handlers depend on the configuration (the union
# counts). "{tmp}" is a scratch folder with in.pcap and in.txt.
SAMPLES = {
    "ARPQuerier": ["ARPQuerier(10.0.0.1, 00:01:02:03:04:05)"],
    "ARPResponder": ["ARPResponder(10.0.0.1 00:01:02:03:04:05)"],
    "AddressInfo": ["AddressInfo(me 10.0.0.1)"],
    "Align": ["Align(4, 0)"],
    "BandwidthRatedUnqueue": ["BandwidthRatedUnqueue(1000)"],
    "CheckICMPHeader": ["CheckICMPHeader", "CheckICMPHeader(DETAILS true)"],
    "CheckIPHeader": ["CheckIPHeader", "CheckIPHeader(DETAILS true)"],
    "CheckIPHeader2": ["CheckIPHeader2", "CheckIPHeader2(DETAILS true)"],
    "CheckLength": ["CheckLength(60)"],
    "CheckPaint": ["CheckPaint(1)"],
    "CheckTCPHeader": ["CheckTCPHeader", "CheckTCPHeader(DETAILS true)"],
    "CheckUDPHeader": ["CheckUDPHeader", "CheckUDPHeader(DETAILS true)"],
    "Classifier": [("Classifier(12/0800, -)", 1, 2)],
    "ControlSocket": ["ControlSocket(TCP, 0)", "ControlSocket(UNIX, {tmp}/sock)"],
    "DirectIPLookup": [("DirectIPLookup(0.0.0.0/0 0)", 1, 1)],
    "DriverManager": ["DriverManager(stop)"],
    "EtherEncap": ["EtherEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2)"],
    "EtherRewrite": ["EtherRewrite(1:1:1:1:1:1, 2:2:2:2:2:2)"],
    "EtherVLANEncap": ["EtherVLANEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2, 1)"],
    "FixIPSrc": ["FixIPSrc(10.0.0.1)"],
    "FromDump": ["FromDump({tmp}/in.pcap)"],
    "FromIPSummaryDump": ["FromIPSummaryDump({tmp}/in.txt)"],
    "GetIPAddress": ["GetIPAddress(16)"],
    "HostEtherFilter": ["HostEtherFilter(1:1:1:1:1:1)"],
    "ICMPError": ["ICMPError(10.0.0.1, unreachable)"],
    "ICMPPingSource": ["ICMPPingSource(10.0.0.1, 10.0.0.2)",
                       ("ICMPPingSource(10.0.0.1, 10.0.0.2)", 1, 1)],
    "IPClassifier": [("IPClassifier(tcp, -)", 1, 2)],
    "IPEncap": ["IPEncap(17, 10.0.0.1, 10.0.0.2)"],
    "IPFilter": [("IPFilter(allow all)", 1, 1)],
    "IPFragmenter": ["IPFragmenter(576)"],
    "IPGWOptions": ["IPGWOptions(10.0.0.1)"],
    "LinearIPLookup": [("LinearIPLookup(0.0.0.0/0 0)", 1, 1)],
    "Message": ["Message(hello)"],
    "Paint": ["Paint(1)"],
    "PaintTee": ["PaintTee(1)"],
    "RadixIPLookup": [("RadixIPLookup(0.0.0.0/0 0)", 1, 1)],
    "RangeIPLookup": [("RangeIPLookup(0.0.0.0/0 0)", 1, 1)],
    "RatedUnqueue": ["RatedUnqueue(10)"],
    "Script": ["Script(TYPE ACTIVE)", "Script(TYPE PASSIVE)", ("Script(TYPE PACKET)", 1, 1)],
    "SetIPAddress": ["SetIPAddress(10.0.0.1)"],
    "SetIPDSCP": ["SetIPDSCP(0)"],
    "StaticIPLookup": [("StaticIPLookup(0.0.0.0/0 0)", 1, 1)],
    "StoreIPAddress": ["StoreIPAddress(10.0.0.1, 16)"],
    "Strip": ["Strip(14)"],
    "ToDump": ["ToDump({tmp}/out.pcap)"],
    "ToIPSummaryDump": ["ToIPSummaryDump({tmp}/out.txt)"],
    "Truncate": ["Truncate(10)"],
    "UDPIPEncap": ["UDPIPEncap(10.0.0.1, 1, 10.0.0.2, 2)"],
    "Unstrip": ["Unstrip(14)"],
}


def least_ports(side: str, inputs: int = 0) -> int:
    """The fewest ports one side of a port count code allows ("=" copies the inputs)."""
    return inputs if side == "=" else int(re.match(r"\d*", side).group() or 0)


def sample_configs(spec, tmp):
    """(configuration text with the element named x) for each sample of ``spec``."""
    for sample in SAMPLES.get(spec.name, [spec.name]):
        decl, nin, nout = sample if isinstance(sample, tuple) else (sample, None, None)
        ins, outs = spec.port_count.split("/")
        nin = least_ports(ins) if nin is None else nin
        nout = least_ports(outs, nin) if nout is None else nout
        text = f"x :: {decl.format(tmp=tmp)};"
        text += "".join(f" Idle -> [{i}]x;" for i in range(nin))
        text += "".join(f" x[{o}] -> Idle;" for o in range(nout))
        yield text


# what "=h NAME FLAGS" promises: (readable, writable)
ACCESS = {"read-only": (True, False), "write-only": (False, True), "read/write": (True, True),
          "read with parameters": (True, False)}


def registered_handlers(text) -> dict[str, tuple[bool, bool]]:
    """{name: (readable, writable)} of the handlers element x's own add_handlers
    registers, in a router built from ``text``."""
    r = router(text)
    try:
        x, kept = r.element("x"), r._handlers
        r._handlers = HandlerTable()        # only what add_handlers adds, nothing generic
        try:
            x.add_handlers()
            return {name: (h.read is not None, h.write is not None)
                    for name in r._handlers.names(x) for h in [r._handlers.find(x, name)]}
        finally:
            r._handlers = kept
    finally:
        r.cleanup()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A folder with the input files FromDump and FromIPSummaryDump samples read."""
    tmp = tmp_path_factory.mktemp("manuals")
    wrpcap(str(tmp / "in.pcap"), [Ether()])
    (tmp / "in.txt").write_text("!data ip_len\n")
    return tmp


@pytest.mark.parametrize("spec", runnable_specs(), ids=lambda s: s.name)
def test_manual_handlers_are_the_registered_ones(spec, scratch):
    manual = headings(sections(spec.doc or ""), "h")
    names = [name for name, _ in manual]
    assert len(names) == len(set(names)), f"{spec.name}: an =h twice"
    registered = {}
    for text in sample_configs(spec, scratch):
        registered.update(registered_handlers(text))
    assert set(names) == set(registered), (f"{spec.name}: =h without handler "
                                           f"{sorted(set(names) - set(registered))}, handler "
                                           f"without =h {sorted(set(registered) - set(names))}")
    for name, flags in manual:
        assert ACCESS.get(flags) == registered[name], \
            f"{spec.name}: =h {name} says {flags!r}, registered (read, write) {registered[name]}"
