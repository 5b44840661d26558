"""test_catalog -- every class's declaration (the catalog's, or an element's own) matches
Click's and is well formed; the catalog holds only classes without run-time code."""
from __future__ import annotations

import re

import pytest

from clickpy.graph.catalog import CATALOG, catalog_by_name
from clickpy.graph.elemmap import load_element_map
from clickpy.graph.registry import _elements_root, default_registry
from clickpy.graph.spec import ElementSpec

# Every class named in CLICK_REFERENCE.md, "Elements by group" (hard-coded so the
# test does not depend on the shared notes being present).
REFERENCE_NAMES = {
    # Core and standard
    "InfiniteSource", "RatedSource", "TimedSource", "Idle", "Discard", "Print",
    "Counter", "AverageCounter", "Queue", "SimpleQueue", "ThreadSafeQueue",
    "FrontDropQueue", "Unqueue", "RatedUnqueue", "BandwidthRatedUnqueue", "Tee",
    "PullTee", "Null", "Paint", "CheckPaint", "PaintSwitch", "PaintTee", "Strip",
    "Unstrip", "StripToNetworkHeader", "Truncate", "Pad", "Align", "Switch",
    "StaticSwitch", "RoundRobinSwitch", "HashSwitch", "RandomSwitch",
    "RoundRobinSched", "PrioSched", "DRRSched", "StrideSched", "Shaper",
    "BandwidthShaper", "RatedSplitter", "BandwidthRatedSplitter", "Meter",
    "BandwidthMeter", "Hub", "Bypass", "SetTimestamp", "CheckLength", "Clipboard",
    "Resize", "Script", "DriverManager", "Message", "AddressInfo", "ScheduleInfo",
    "AlignmentInfo",
    # IP
    "Classifier", "IPClassifier", "IPFilter", "CheckIPHeader", "CheckIPHeader2",
    "MarkIPHeader", "DecIPTTL", "IPFragmenter", "IPReassembler", "IPGWOptions",
    "FixIPSrc", "DropBroadcasts", "StaticIPLookup", "LinearIPLookup",
    "RadixIPLookup", "DirectIPLookup", "RangeIPLookup", "GetIPAddress",
    "SetIPAddress", "StoreIPAddress", "IPEncap", "SetIPChecksum", "SetIPDSCP",
    "MarkIPCE", "IPPrint", "IPMirror", "StripIPHeader", "UnstripIPHeader",
    # Ethernet
    "EtherEncap", "EtherRewrite", "EtherMirror", "EnsureEther", "VLANEncap",
    "VLANDecap", "EtherVLANEncap", "HostEtherFilter", "ARPQuerier", "ARPResponder",
    "ARPTable", "ARPPrint", "EtherSwitch",
    # ICMP, TCP, UDP
    "CheckICMPHeader", "CheckTCPHeader", "CheckUDPHeader", "ICMPError",
    "ICMPPingResponder", "ICMPPingSource", "ICMPPingRewriter", "ICMPRewriter",
    "SetTCPChecksum", "SetUDPChecksum", "UDPIPEncap", "IPRewriter", "TCPRewriter",
    "UDPRewriter", "IPAddrRewriter", "IPAddrPairRewriter", "IPRewriterPatterns",
    "RoundRobinIPMapper", "SourceIPHashMapper",
    # I/O (user level)
    "FromDump", "ToDump", "FromIPSummaryDump", "ToIPSummaryDump", "FromDevice",
    "ToDevice", "KernelTun", "KernelTap", "Socket", "RawSocket", "ControlSocket",
}

# Classes outside the reference list that common Click configurations use.
EXTRA_NAMES = {
    "NotifierQueue", "MixedQueue", "PushNull", "PullNull", "Unqueue2", "Suppressor",
    "Error", "RandomSample", "TimedSink", "IPInputCombo", "IPOutputCombo",
    "StaticThreadSched", "FromHost", "ToHost", "PollDevice",
}

# name -> (port count, processing or None where the reference gives only ports),
# as the reference lists them and Click declares them.
EXPLICIT = {
    "InfiniteSource": ("0/1", "a/a"),
    "RatedSource": ("0/1", "a/a"),
    "TimedSource": ("0/1", "h/h"),
    "Idle": ("-/-", "a/a"),
    "Discard": ("1/0", "a/a"),
    "Print": ("1/1", "a/a"),
    "Counter": ("1/1", "a/a"),
    "AverageCounter": ("1/1", "a/a"),
    "Queue": ("1/1-2", "h/lh"),
    "SimpleQueue": ("1/1-2", "h/lh"),
    "ThreadSafeQueue": ("1/1-2", "h/lh"),
    "FrontDropQueue": ("1/1-2", "h/lh"),
    "Unqueue": ("1/1", "l/h"),
    "RatedUnqueue": ("1/1", "l/h"),
    "BandwidthRatedUnqueue": ("1/1", "l/h"),
    "Tee": ("1/1-", "h/h"),
    "PullTee": ("1/1-", "l/lh"),
    "Null": ("1/1", "a/a"),
    "Paint": ("1/1", "a/a"),
    "CheckPaint": ("1/1-2", "a/ah"),
    "PaintSwitch": ("1/-", "h/h"),
    "PaintTee": ("1/2", "a/ah"),
    "Strip": ("1/1", "a/a"),
    "Unstrip": ("1/1", "a/a"),
    "StripToNetworkHeader": ("1/1", "a/a"),
    "Truncate": ("1/1", "a/a"),
    "Pad": ("1/1", "a/a"),
    "Align": ("1/1", "a/a"),
    "Switch": ("1/-", "h/h"),
    "StaticSwitch": ("1/-", "h/h"),
    "RoundRobinSwitch": ("1/1-", "h/h"),
    "HashSwitch": ("1/1-", "h/h"),
    "RandomSwitch": ("1/1-", "h/h"),
    "RoundRobinSched": ("-/1", "l/l"),
    "PrioSched": ("-/1", "l/l"),
    "DRRSched": ("-/1", "l/l"),
    "StrideSched": ("1-/1", "l/l"),
    # The reference says 1/1-2; Click's shaper.hh declares PORTS_1_1 (and
    # BandwidthShaper inherits it), so Click wins.
    "Shaper": ("1/1", "l/l"),
    "BandwidthShaper": ("1/1", "l/l"),
    "RatedSplitter": ("1/1-2", "h/h"),
    "BandwidthRatedSplitter": ("1/1-2", "h/h"),
    "Meter": ("1/2-", "h/h"),
    "BandwidthMeter": ("1/2-", "h/h"),
    "Script": ("-/-", None),
    "DriverManager": ("-/-", None),
    "Message": ("0/0", None),
    "AddressInfo": ("0/0", None),
    "ScheduleInfo": ("0/0", None),
    "AlignmentInfo": ("0/0", None),
    "Classifier": ("1/-", "h/h"),
    "IPClassifier": ("1/-", "h/h"),
    "IPFilter": ("1/-", "h/h"),
    "CheckIPHeader": ("1/1-2", "a/ah"),
    "CheckIPHeader2": ("1/1-2", "a/ah"),
    "MarkIPHeader": ("1/1", None),
    "DecIPTTL": ("1/1-2", "a/ah"),
    "IPFragmenter": ("1/1-2", "h/h"),
    "IPReassembler": ("1/1-2", "a/ah"),
    "IPGWOptions": ("1/1-2", "a/ah"),
    "FixIPSrc": ("1/1", None),
    "DropBroadcasts": ("1/1-2", "a/ah"),
    "StaticIPLookup": ("1/-", "h/h"),
    "LinearIPLookup": ("1/-", "h/h"),
    "RadixIPLookup": ("1/-", "h/h"),
    "DirectIPLookup": ("1/-", "h/h"),
    "RangeIPLookup": ("1/-", "h/h"),
    "GetIPAddress": ("1/1", None),
    "SetIPAddress": ("1/1", None),
    "StoreIPAddress": ("1/1-2", None),
    "IPEncap": ("1/1", "a/a"),
    "SetIPChecksum": ("1/1", "a/a"),
    "SetIPDSCP": ("1/1", "a/a"),
    "MarkIPCE": ("1/1", "a/a"),
    "IPPrint": ("1/1", "a/a"),
    "IPMirror": ("1/1", "a/a"),
    "StripIPHeader": ("1/1", "a/a"),
    "UnstripIPHeader": ("1/1", "a/a"),
    "EtherEncap": ("1/1", "a/a"),
    "EtherRewrite": ("1/1", "a/a"),
    "EtherMirror": ("1/1", "a/a"),
    "EnsureEther": ("1/1", "a/a"),
    "VLANEncap": ("1/1", "a/a"),
    "VLANDecap": ("1/1", "a/a"),
    "EtherVLANEncap": ("1/1", "a/a"),
    "HostEtherFilter": ("1/1-2", "a/ah"),
    "ARPQuerier": ("2/1-2", "h/h"),
    "ARPResponder": ("1/1-2", "a/ah"),
    "ARPTable": ("0/0", None),
    "ARPPrint": ("1/1", None),
    "CheckICMPHeader": ("1/1-2", "a/ah"),
    "CheckTCPHeader": ("1/1-2", "a/ah"),
    "CheckUDPHeader": ("1/1-2", "a/ah"),
    "ICMPError": ("1/1", None),
    "ICMPPingResponder": ("1/1-2", "a/ah"),
    "ICMPPingSource": ("0-1/1", "h/a"),
    "ICMPPingRewriter": ("1-/1-", "h/h"),
    "ICMPRewriter": ("1/1-", "h/h"),
    "SetTCPChecksum": ("1/1", None),
    "SetUDPChecksum": ("1/1-2", None),
    "UDPIPEncap": ("1/1", None),
    "IPRewriter": ("1-/1-", "h/h"),
    "TCPRewriter": ("1-/1-", "h/h"),
    "UDPRewriter": ("1-/1-", "h/h"),
    "IPAddrRewriter": ("1-/1-", "h/h"),
    "IPAddrPairRewriter": ("1-/1-", "h/h"),
    "IPRewriterPatterns": ("0/0", None),
    "RoundRobinIPMapper": ("0/0", None),
    "SourceIPHashMapper": ("0/0", None),
    "FromDump": ("0/1-2", "a/ah"),
    "ToDump": ("1/0-1", "a/a"),
    "FromIPSummaryDump": ("0/1", "a/a"),
    "ToIPSummaryDump": ("1/0-1", "a/h"),
    "FromDevice": ("0/1-2", "h/h"),
    "ToDevice": ("1/0-2", "l/h"),
    "ControlSocket": ("0/0", None),
}

# Classes that override Click's default flow code ("x/x").
FLOW_CODES = {
    "ARPQuerier": "xy/x",
    "Bypass": "xy/[xy]x",
    "Clipboard": "#/#",
    "Error": "x/y",
    "EtherSwitch": "#/[^#]",
    "Hub": "#/[^#]",
    "Idle": "x/y",
    "KernelTap": "x/y",
    "KernelTun": "x/y",
    "RawSocket": "x/y",
    "Socket": "x/y",
    "Suppressor": "#/#",
}

GROUPS = ("standard", "ip", "ethernet", "etherswitch", "icmp", "tcpudp", "threads",
          "analysis", "userlevel", "linuxmodule")

# One side of a port count: N, N-, N-M, -M, -, = and =+N style forms.
_PORT_SIDE = re.compile(r"\d+|\d+-|\d+-\d+|-\d*|=(\+\d*)?")
_PROC_SIDE = re.compile(r"[ahl]+")
_FLOW_SIDE = re.compile(r"(?:[A-Za-z#]|\[\^?[A-Za-z#]+\])+")


def _two_sides(code: str) -> tuple[str, str]:
    left, sep, right = code.partition("/")
    assert sep == "/", f"{code!r} has no '/'"
    assert "/" not in right, f"{code!r} has more than one '/'"
    return left, right


def all_classes() -> dict[str, ElementSpec]:
    """The catalog's classes and the runnable elements' own declarations."""
    return default_registry().specs


def test_reference_names_present():
    missing = REFERENCE_NAMES - all_classes().keys()
    assert not missing, sorted(missing)


def test_extra_names_present():
    missing = EXTRA_NAMES - all_classes().keys()
    assert not missing, sorted(missing)


def test_explicit_names_listed_in_reference():
    assert EXPLICIT.keys() <= REFERENCE_NAMES


@pytest.mark.parametrize("name", sorted(EXPLICIT))
def test_explicit_codes(name):
    spec = all_classes()[name]
    ports, processing = EXPLICIT[name]
    assert spec.port_count == ports
    if processing is not None:
        assert spec.processing == processing


@pytest.mark.parametrize("name", sorted(FLOW_CODES))
def test_flow_codes(name):
    assert all_classes()[name].flow_code == FLOW_CODES[name]


def test_default_flow_code_elsewhere():
    for spec in all_classes().values():
        if spec.name not in FLOW_CODES:
            assert spec.flow_code == "x/x", spec.name


def test_names_unique():
    names = [spec.name for spec in CATALOG]
    assert len(names) == len(set(names))
    assert len(catalog_by_name()) == len(CATALOG)


@pytest.mark.parametrize("spec", sorted(default_registry().specs.values(), key=lambda s: s.name),
                         ids=lambda spec: spec.name)
def test_codes_well_formed(spec: ElementSpec):
    for side in _two_sides(spec.port_count):
        assert _PORT_SIDE.fullmatch(side), (spec.name, spec.port_count)
    for side in _two_sides(spec.processing):
        assert _PROC_SIDE.fullmatch(side), (spec.name, spec.processing)
    for side in _two_sides(spec.flow_code):
        assert _FLOW_SIDE.fullmatch(side), (spec.name, spec.flow_code)


@pytest.mark.parametrize("spec", CATALOG, ids=lambda spec: spec.name)
def test_entry_fields(spec: ElementSpec):
    assert spec.group in GROUPS
    assert spec.summary and "\n" not in spec.summary
    assert spec.summary[0].islower()
    assert not spec.runnable and spec.module is None and not spec.python


def test_sorted_by_group_then_name():
    keys = [(GROUPS.index(spec.group), spec.name) for spec in CATALOG]
    assert keys == sorted(keys)


def test_catalog_holds_only_classes_without_code():
    runnable = load_element_map(_elements_root()).keys()
    assert runnable and not (runnable & catalog_by_name().keys())
    for name in runnable:
        spec = all_classes()[name]
        assert spec.runnable and spec.module
        # summary from the manual's =s section, group from the element's folder
        assert spec.summary and "\n" not in spec.summary and not spec.summary.endswith("."), name
        assert spec.group in GROUPS and spec.module.split(".")[2] == spec.group, name


def test_groups_follow_click_folders():
    by_name = all_classes()
    # a few whose folder differs from the reference's paragraph
    assert by_name["Classifier"].group == "standard"
    assert by_name["DropBroadcasts"].group == "standard"
    assert by_name["IPRewriter"].group == "tcpudp"
    assert by_name["IPAddrRewriter"].group == "ip"
    assert by_name["ICMPPingRewriter"].group == "icmp"
    assert by_name["EtherSwitch"].group == "etherswitch"
    assert by_name["FromIPSummaryDump"].group == "analysis"
