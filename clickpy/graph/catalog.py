"""catalog -- Click's element classes as declarations: ports, processing, flow

Each entry records what Click declares for one element class: its port count,
processing and flow codes, read from the class's header in Click's
``elements/<group>/`` folder (Click's named constants written out: PORTS_1_1
is "1/1", AGNOSTIC is "a/a", PROCESSING_A_AH is "a/ah"; a class that declares
no port count gets Click's default "0/0"), and the Click group (folder) it
belongs to. Only classes with no run-time code in clickpy are here:
``clickpy check`` uses these declarations so real configurations check
before their classes can run. A class that gains code in elements/ declares
its codes itself and leaves this table (tests/test_catalog.py checks both
against Click's declarations, and that no class is in both places).
"""
from __future__ import annotations

from clickpy.graph.spec import ElementSpec

__all__ = ["CATALOG", "catalog_by_name"]

CATALOG: tuple[ElementSpec, ...] = (
    # --- standard: core elements ---
    ElementSpec(
        name="AlignmentInfo", port_count="0/0", processing="a/a", group="standard",
        summary="records the packet data alignment each port can expect",
    ),
    ElementSpec(
        name="BandwidthMeter", port_count="1/2-", processing="h/h", group="standard",
        summary="sends packets to an output chosen by the measured byte rate",
    ),
    ElementSpec(
        name="BandwidthRatedSplitter", port_count="1/1-2", processing="h/h", group="standard",
        summary="splits off packets beyond a byte rate onto output 1",
    ),
    ElementSpec(
        name="BandwidthShaper", port_count="1/1", processing="l/l", group="standard",
        summary="limits the byte rate at which packets can be pulled",
    ),
    ElementSpec(
        name="Bypass", port_count="1-2/1-2", processing="a/a", flow_code="xy/[xy]x",
        group="standard", summary="routes packets around a side path that can be switched in",
    ),
    ElementSpec(
        name="Clipboard", port_count="2/2", processing="a/a", flow_code="#/#", group="standard",
        summary="copies byte ranges from one packet into later ones",
    ),
    ElementSpec(
        name="DRRSched", port_count="-/1", processing="l/l", group="standard",
        summary="pulls from its inputs by deficit round robin",
    ),
    ElementSpec(
        name="Error", port_count="-/-", processing="a/a", flow_code="x/y", group="standard",
        summary="refuses to initialize, stopping the router from starting",
    ),
    ElementSpec(
        name="HashSwitch", port_count="1/1-", processing="h/h", group="standard",
        summary="sends packets to an output chosen by hashing packet bytes",
    ),
    ElementSpec(
        name="Meter", port_count="1/2-", processing="h/h", group="standard",
        summary="sends packets to an output chosen by the measured packet rate",
    ),
    ElementSpec(
        name="MixedQueue", port_count="2/1-2", processing="h/lh", group="standard",
        summary="queues packets first-in-first-out on input 0, last-in-first-out on input 1",
    ),
    ElementSpec(
        name="NotifierQueue", port_count="1/1-2", processing="h/lh", group="standard",
        summary="queues packets and signals when it becomes empty or non-empty",
    ),
    ElementSpec(
        name="PrioSched", port_count="-/1", processing="l/l", group="standard",
        summary="pulls from the first input that has a packet",
    ),
    ElementSpec(
        name="PullNull", port_count="1/1", processing="l/l", group="standard",
        summary="passes pulled packets through unchanged",
    ),
    ElementSpec(
        name="PushNull", port_count="1/1", processing="h/h", group="standard",
        summary="passes pushed packets through unchanged",
    ),
    ElementSpec(
        name="RandomSample", port_count="1/1-2", processing="a/ah", group="standard",
        summary="passes a random sample of packets and diverts the rest",
    ),
    ElementSpec(
        name="RandomSwitch", port_count="1/1-", processing="h/h", group="standard",
        summary="sends each packet to a randomly chosen output",
    ),
    ElementSpec(
        name="RatedSplitter", port_count="1/1-2", processing="h/h", group="standard",
        summary="splits off packets beyond a packet rate onto output 1",
    ),
    ElementSpec(
        name="Resize", port_count="1/1", processing="a/a", group="standard",
        summary="adds or removes bytes at the head and tail of packets",
    ),
    ElementSpec(
        name="RoundRobinSched", port_count="-/1", processing="l/l", group="standard",
        summary="pulls from its inputs in turn",
    ),
    ElementSpec(
        name="RoundRobinSwitch", port_count="1/1-", processing="h/h", group="standard",
        summary="sends packets to its outputs in turn",
    ),
    ElementSpec(
        name="ScheduleInfo", port_count="0/0", processing="a/a", group="standard",
        summary="sets task scheduling weights for named elements",
    ),
    ElementSpec(
        name="Shaper", port_count="1/1", processing="l/l", group="standard",
        summary="limits the packet rate at which packets can be pulled",
    ),
    ElementSpec(
        name="StaticSwitch", port_count="1/-", processing="h/h", group="standard",
        summary="sends every packet to one output fixed at configuration",
    ),
    ElementSpec(
        name="StrideSched", port_count="1-/1", processing="l/l", group="standard",
        summary="pulls from its inputs by stride scheduling with tickets",
    ),
    ElementSpec(
        name="Suppressor", port_count="-/=", processing="a/a", flow_code="#/#", group="standard",
        summary="passes packets from input N to output N unless that port is suppressed",
    ),
    ElementSpec(
        name="Switch", port_count="1/-", processing="h/h", group="standard",
        summary="sends every packet to one output chosen by a handler",
    ),
    ElementSpec(
        name="TimedSink", port_count="1/0", processing="l/l", group="standard",
        summary="pulls and drops one packet per interval",
    ),
    ElementSpec(
        name="Unqueue2", port_count="1/1", processing="l/h", group="standard",
        summary="pulls packets only while downstream queues have room",
    ),
    # --- ip: IPv4 routing and rewriting ---
    ElementSpec(
        name="IPAddrPairRewriter", port_count="1-/1-", processing="h/h", group="ip",
        summary="rewrites IP address pairs by flow",
    ),
    ElementSpec(
        name="IPAddrRewriter", port_count="1-/1-", processing="h/h", group="ip",
        summary="rewrites IP addresses by flow",
    ),
    ElementSpec(
        name="IPInputCombo", port_count="1/1", processing="a/a", group="ip",
        summary="does the usual input checks of an IP router in one step",
    ),
    ElementSpec(
        name="IPOutputCombo", port_count="1/5", processing="h/h", group="ip",
        summary="does the usual output steps of an IP router in one step",
    ),
    ElementSpec(
        name="IPRewriterPatterns", port_count="0/0", processing="a/a", group="ip",
        summary="names rewrite patterns for rewriter elements",
    ),
    ElementSpec(
        name="RoundRobinIPMapper", port_count="0/0", processing="a/a", group="ip",
        summary="hands rewriters their patterns in turn",
    ),
    ElementSpec(
        name="SourceIPHashMapper", port_count="0/0", processing="a/a", group="ip",
        summary="picks rewrite patterns by hashing source addresses",
    ),
    # --- icmp ---
    ElementSpec(
        name="ICMPPingRewriter", port_count="1-/1-", processing="h/h", group="icmp",
        summary="rewrites ICMP echo flows",
    ),
    ElementSpec(
        name="ICMPRewriter", port_count="1/1-", processing="h/h", group="icmp",
        summary="rewrites ICMP errors to match rewritten flows",
    ),
    # --- tcpudp: TCP and UDP headers, flow rewriting ---
    ElementSpec(
        name="IPRewriter", port_count="1-/1-", processing="h/h", group="tcpudp",
        summary="rewrites TCP and UDP flows by pattern",
    ),
    ElementSpec(
        name="TCPRewriter", port_count="1-/1-", processing="h/h", group="tcpudp",
        summary="rewrites TCP flows, sequence numbers included",
    ),
    ElementSpec(
        name="UDPRewriter", port_count="1-/1-", processing="h/h", group="tcpudp",
        summary="rewrites UDP flows by pattern",
    ),
    # --- threads: scheduling across threads ---
    ElementSpec(
        name="StaticThreadSched", port_count="0/0", processing="a/a", group="threads",
        summary="pins elements' tasks to chosen threads",
    ),
    # --- userlevel: devices, files, sockets ---
    ElementSpec(
        name="FromDevice", port_count="0/1-2", processing="h/h", group="userlevel",
        summary="reads packets from a network device",
    ),
    ElementSpec(
        name="FromHost", port_count="0/1", processing="h/h", group="userlevel",
        summary="reads packets the host kernel sends to a tun device",
    ),
    ElementSpec(
        name="KernelTap", port_count="0-1/1-2", processing="a/h", flow_code="x/y",
        group="userlevel", summary="exchanges Ethernet frames with the kernel through a tap device",
    ),
    ElementSpec(
        name="KernelTun", port_count="0-1/1-2", processing="a/h", flow_code="x/y",
        group="userlevel", summary="exchanges IP packets with the kernel through a tun device",
    ),
    ElementSpec(
        name="RawSocket", port_count="0-1/0-1", processing="l/h", flow_code="x/y",
        group="userlevel", summary="sends and receives packets through a raw IP socket",
    ),
    ElementSpec(
        name="Socket", port_count="0-1/0-1", processing="a/h", flow_code="x/y", group="userlevel",
        summary="sends and receives packets through a TCP, UDP or UNIX socket",
    ),
    ElementSpec(
        name="ToDevice", port_count="1/0-2", processing="l/h", group="userlevel",
        summary="sends packets out a network device",
    ),
    ElementSpec(
        name="ToHost", port_count="1/0", processing="h/h", group="userlevel",
        summary="hands packets to the host kernel through a tun device",
    ),
    # --- linuxmodule: kernel-driver elements ---
    ElementSpec(
        name="PollDevice", port_count="0/1", processing="h/h", group="linuxmodule",
        summary="polls a network device for packets",
    ),
)


def catalog_by_name() -> dict[str, ElementSpec]:
    """Return the catalog keyed by element class name."""
    return {spec.name: spec for spec in CATALOG}
