"""catalog -- Click's element classes as declarations: ports, processing, flow

Each entry records what Click declares for one element class: its port count,
processing and flow codes, read from the class's header in Click's
``elements/<group>/`` folder (Click's named constants written out: PORTS_1_1
is "1/1", AGNOSTIC is "a/a", PROCESSING_A_AH is "a/ah"; a class that declares
no port count gets Click's default "0/0"). ``clickpy check`` uses these
declarations for classes whose run-time code may not exist yet; an element
with a run-time implementation declares the same codes itself.
"""
from __future__ import annotations

from clickpy.graph.spec import ElementSpec

__all__ = ["CATALOG", "catalog_by_name"]

CATALOG: tuple[ElementSpec, ...] = (
    # --- standard: core elements ---
    ElementSpec(
        name="AddressInfo", port_count="0/0", processing="a/a", group="standard",
        summary="names addresses for use in other elements' arguments",
    ),
    ElementSpec(
        name="Align", port_count="1/1", processing="a/a", group="standard",
        summary="moves packet data to a chosen alignment",
    ),
    ElementSpec(
        name="AlignmentInfo", port_count="0/0", processing="a/a", group="standard",
        summary="records the packet data alignment each port can expect",
    ),
    ElementSpec(
        name="AverageCounter", port_count="1/1", processing="a/a", group="standard",
        summary="counts packets and measures their average rate",
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
        name="BandwidthRatedUnqueue", port_count="1/1", processing="l/h", group="standard",
        summary="pulls packets and pushes them on at a bounded byte rate",
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
        name="CheckLength", port_count="1/1-2", processing="a/ah", group="standard",
        summary="diverts packets longer than a limit",
    ),
    ElementSpec(
        name="CheckPaint", port_count="1/1-2", processing="a/ah", group="standard",
        summary="diverts copies of packets carrying a given paint value",
    ),
    ElementSpec(
        name="Classifier", port_count="1/-", processing="h/h", group="standard",
        summary="sends packets to outputs chosen by byte-pattern matches",
    ),
    ElementSpec(
        name="Clipboard", port_count="2/2", processing="a/a", flow_code="#/#", group="standard",
        summary="copies byte ranges from one packet into later ones",
    ),
    ElementSpec(
        name="Counter", port_count="1/1", processing="a/a", group="standard",
        summary="counts packets and bytes",
    ),
    ElementSpec(
        name="DRRSched", port_count="-/1", processing="l/l", group="standard",
        summary="pulls from its inputs by deficit round robin",
    ),
    ElementSpec(
        name="Discard", port_count="1/0", processing="a/a", group="standard",
        summary="drops every packet",
    ),
    ElementSpec(
        name="DriverManager", port_count="-/-", processing="ah/ah", group="standard",
        summary="runs a script that controls when the driver stops",
    ),
    ElementSpec(
        name="DropBroadcasts", port_count="1/1-2", processing="a/ah", group="standard",
        summary="drops packets that arrived as link-level broadcasts",
    ),
    ElementSpec(
        name="Error", port_count="-/-", processing="a/a", flow_code="x/y", group="standard",
        summary="refuses to initialize, stopping the router from starting",
    ),
    ElementSpec(
        name="FrontDropQueue", port_count="1/1-2", processing="h/lh", group="standard",
        summary="queues packets, dropping from the head when full",
    ),
    ElementSpec(
        name="HashSwitch", port_count="1/1-", processing="h/h", group="standard",
        summary="sends packets to an output chosen by hashing packet bytes",
    ),
    ElementSpec(
        name="Hub", port_count="-/=", processing="h/h", flow_code="#/[^#]", group="standard",
        summary="copies each packet to every output but the one matching its input",
    ),
    ElementSpec(
        name="Idle", port_count="-/-", processing="a/a", flow_code="x/y", group="standard",
        summary="never moves packets and discards any pushed to it",
    ),
    ElementSpec(
        name="InfiniteSource", port_count="0/1", processing="a/a", group="standard",
        summary="generates packets as fast as it is allowed",
    ),
    ElementSpec(
        name="Message", port_count="0/0", processing="a/a", group="standard",
        summary="prints a message when the configuration is read",
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
        name="Null", port_count="1/1", processing="a/a", group="standard",
        summary="passes packets through unchanged",
    ),
    ElementSpec(
        name="Pad", port_count="1/1", processing="a/a", group="standard",
        summary="lengthens short packets to a minimum size",
    ),
    ElementSpec(
        name="Paint", port_count="1/1", processing="a/a", group="standard",
        summary="sets the paint annotation",
    ),
    ElementSpec(
        name="PaintSwitch", port_count="1/-", processing="h/h", group="standard",
        summary="sends packets to the output named by their paint annotation",
    ),
    ElementSpec(
        name="PaintTee", port_count="1/2", processing="a/ah", group="standard",
        summary="copies packets with a given paint value to output 1",
    ),
    ElementSpec(
        name="Print", port_count="1/1", processing="a/a", group="standard",
        summary="prints packet contents for debugging",
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
        name="PullTee", port_count="1/1-", processing="l/lh", group="standard",
        summary="copies each pulled packet to its push outputs",
    ),
    ElementSpec(
        name="PushNull", port_count="1/1", processing="h/h", group="standard",
        summary="passes pushed packets through unchanged",
    ),
    ElementSpec(
        name="Queue", port_count="1/1-2", processing="h/lh", group="standard",
        summary="stores packets in a first-in-first-out queue",
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
        name="RatedSource", port_count="0/1", processing="a/a", group="standard",
        summary="generates packets at a fixed rate",
    ),
    ElementSpec(
        name="RatedSplitter", port_count="1/1-2", processing="h/h", group="standard",
        summary="splits off packets beyond a packet rate onto output 1",
    ),
    ElementSpec(
        name="RatedUnqueue", port_count="1/1", processing="l/h", group="standard",
        summary="pulls packets and pushes them on at a bounded packet rate",
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
        name="Script", port_count="-/-", processing="ah/ah", group="standard",
        summary="runs a small program of handler reads, writes and waits",
    ),
    ElementSpec(
        name="SetTimestamp", port_count="1/1", processing="a/a", group="standard",
        summary="sets the timestamp annotation",
    ),
    ElementSpec(
        name="Shaper", port_count="1/1", processing="l/l", group="standard",
        summary="limits the packet rate at which packets can be pulled",
    ),
    ElementSpec(
        name="SimpleQueue", port_count="1/1-2", processing="h/lh", group="standard",
        summary="stores packets in a first-in-first-out queue without notification",
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
        name="Strip", port_count="1/1", processing="a/a", group="standard",
        summary="removes bytes from the front of packets",
    ),
    ElementSpec(
        name="StripToNetworkHeader", port_count="1/1", processing="a/a", group="standard",
        summary="removes everything before the network header",
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
        name="Tee", port_count="1/1-", processing="h/h", group="standard",
        summary="copies each packet to every output",
    ),
    ElementSpec(
        name="ThreadSafeQueue", port_count="1/1-2", processing="h/lh", group="standard",
        summary="stores packets in a queue safe for several pushers and pullers",
    ),
    ElementSpec(
        name="TimedSink", port_count="1/0", processing="l/l", group="standard",
        summary="pulls and drops one packet per interval",
    ),
    ElementSpec(
        name="TimedSource", port_count="0/1", processing="h/h", group="standard",
        summary="generates one packet per interval",
    ),
    ElementSpec(
        name="Truncate", port_count="1/1", processing="a/a", group="standard",
        summary="cuts packets down to a maximum length",
    ),
    ElementSpec(
        name="Unqueue", port_count="1/1", processing="l/h", group="standard",
        summary="pulls packets as they become available and pushes them on",
    ),
    ElementSpec(
        name="Unqueue2", port_count="1/1", processing="l/h", group="standard",
        summary="pulls packets only while downstream queues have room",
    ),
    ElementSpec(
        name="Unstrip", port_count="1/1", processing="a/a", group="standard",
        summary="restores bytes at the front of packets",
    ),
    # --- ip: IPv4 routing and rewriting ---
    ElementSpec(
        name="CheckIPHeader", port_count="1/1-2", processing="a/ah", group="ip",
        summary="validates IP headers and diverts bad packets",
    ),
    ElementSpec(
        name="CheckIPHeader2", port_count="1/1-2", processing="a/ah", group="ip",
        summary="validates IP headers without the checksum and diverts bad packets",
    ),
    ElementSpec(
        name="DecIPTTL", port_count="1/1-2", processing="a/ah", group="ip",
        summary="decrements the IP time-to-live and diverts expired packets",
    ),
    ElementSpec(
        name="DirectIPLookup", port_count="1/-", processing="h/h", group="ip",
        summary="routes IP packets with a direct-indexed lookup table",
    ),
    ElementSpec(
        name="FixIPSrc", port_count="1/1", processing="a/a", group="ip",
        summary="sets the IP source address on packets marked for fixing",
    ),
    ElementSpec(
        name="GetIPAddress", port_count="1/1", processing="a/a", group="ip",
        summary="copies an IP address from the packet into an annotation",
    ),
    ElementSpec(
        name="IPAddrPairRewriter", port_count="1-/1-", processing="h/h", group="ip",
        summary="rewrites IP address pairs by flow",
    ),
    ElementSpec(
        name="IPAddrRewriter", port_count="1-/1-", processing="h/h", group="ip",
        summary="rewrites IP addresses by flow",
    ),
    ElementSpec(
        name="IPClassifier", port_count="1/-", processing="h/h", group="ip",
        summary="sends IP packets to outputs chosen by tcpdump-like patterns",
    ),
    ElementSpec(
        name="IPEncap", port_count="1/1", processing="a/a", group="ip",
        summary="prepends an IP header",
    ),
    ElementSpec(
        name="IPFilter", port_count="1/-", processing="h/h", group="ip",
        summary="passes or drops IP packets by tcpdump-like rules",
    ),
    ElementSpec(
        name="IPFragmenter", port_count="1/1-2", processing="h/h", group="ip",
        summary="fragments IP packets larger than the MTU",
    ),
    ElementSpec(
        name="IPGWOptions", port_count="1/1-2", processing="a/ah", group="ip",
        summary="processes IP options at a router",
    ),
    ElementSpec(
        name="IPInputCombo", port_count="1/1", processing="a/a", group="ip",
        summary="does the usual input checks of an IP router in one step",
    ),
    ElementSpec(
        name="IPMirror", port_count="1/1", processing="a/a", group="ip",
        summary="swaps IP source and destination addresses and ports",
    ),
    ElementSpec(
        name="IPOutputCombo", port_count="1/5", processing="h/h", group="ip",
        summary="does the usual output steps of an IP router in one step",
    ),
    ElementSpec(
        name="IPPrint", port_count="1/1", processing="a/a", group="ip",
        summary="prints one-line summaries of IP packets",
    ),
    ElementSpec(
        name="IPReassembler", port_count="1/1-2", processing="a/ah", group="ip",
        summary="reassembles IP fragments into whole packets",
    ),
    ElementSpec(
        name="IPRewriterPatterns", port_count="0/0", processing="a/a", group="ip",
        summary="names rewrite patterns for rewriter elements",
    ),
    ElementSpec(
        name="LinearIPLookup", port_count="1/-", processing="h/h", group="ip",
        summary="routes IP packets by a linear search of the table",
    ),
    ElementSpec(
        name="MarkIPCE", port_count="1/1", processing="a/a", group="ip",
        summary="sets the ECN congestion-experienced mark",
    ),
    ElementSpec(
        name="MarkIPHeader", port_count="1/1", processing="a/a", group="ip",
        summary="marks where the IP header starts",
    ),
    ElementSpec(
        name="RadixIPLookup", port_count="1/-", processing="h/h", group="ip",
        summary="routes IP packets with a radix-tree table",
    ),
    ElementSpec(
        name="RangeIPLookup", port_count="1/-", processing="h/h", group="ip",
        summary="routes IP packets with a range-search table",
    ),
    ElementSpec(
        name="RoundRobinIPMapper", port_count="0/0", processing="a/a", group="ip",
        summary="hands rewriters their patterns in turn",
    ),
    ElementSpec(
        name="SetIPAddress", port_count="1/1", processing="a/a", group="ip",
        summary="sets the destination IP address annotation",
    ),
    ElementSpec(
        name="SetIPChecksum", port_count="1/1", processing="a/a", group="ip",
        summary="computes and sets the IP header checksum",
    ),
    ElementSpec(
        name="SetIPDSCP", port_count="1/1", processing="a/a", group="ip",
        summary="sets the IP DSCP field",
    ),
    ElementSpec(
        name="SourceIPHashMapper", port_count="0/0", processing="a/a", group="ip",
        summary="picks rewrite patterns by hashing source addresses",
    ),
    ElementSpec(
        name="StaticIPLookup", port_count="1/-", processing="h/h", group="ip",
        summary="routes IP packets with a fixed table",
    ),
    ElementSpec(
        name="StoreIPAddress", port_count="1/1-2", processing="a/ah", group="ip",
        summary="writes an IP address into the packet",
    ),
    ElementSpec(
        name="StripIPHeader", port_count="1/1", processing="a/a", group="ip",
        summary="removes the IP header",
    ),
    ElementSpec(
        name="UnstripIPHeader", port_count="1/1", processing="a/a", group="ip",
        summary="restores a stripped IP header",
    ),
    # --- ethernet: framing, ARP, VLANs ---
    ElementSpec(
        name="ARPPrint", port_count="1/1", processing="a/a", group="ethernet",
        summary="prints one-line summaries of ARP packets",
    ),
    ElementSpec(
        name="ARPQuerier", port_count="2/1-2", processing="h/h", flow_code="xy/x", group="ethernet",
        summary="resolves next-hop IP addresses to Ethernet addresses and encapsulates",
    ),
    ElementSpec(
        name="ARPResponder", port_count="1/1-2", processing="a/ah", group="ethernet",
        summary="answers ARP queries for configured addresses",
    ),
    ElementSpec(
        name="ARPTable", port_count="0/0", processing="a/a", group="ethernet",
        summary="stores IP-to-Ethernet address mappings",
    ),
    ElementSpec(
        name="EnsureEther", port_count="1/1", processing="a/a", group="ethernet",
        summary="adds an Ethernet header to packets lacking one",
    ),
    ElementSpec(
        name="EtherEncap", port_count="1/1", processing="a/a", group="ethernet",
        summary="prepends an Ethernet header",
    ),
    ElementSpec(
        name="EtherMirror", port_count="1/1", processing="a/a", group="ethernet",
        summary="swaps Ethernet source and destination addresses",
    ),
    ElementSpec(
        name="EtherRewrite", port_count="1/1", processing="a/a", group="ethernet",
        summary="overwrites Ethernet source and destination addresses",
    ),
    ElementSpec(
        name="EtherVLANEncap", port_count="1/1", processing="a/a", group="ethernet",
        summary="prepends an 802.1Q Ethernet header",
    ),
    ElementSpec(
        name="HostEtherFilter", port_count="1/1-2", processing="a/ah", group="ethernet",
        summary="diverts frames not addressed to this host",
    ),
    ElementSpec(
        name="VLANDecap", port_count="1/1", processing="a/a", group="ethernet",
        summary="removes an 802.1Q VLAN tag",
    ),
    ElementSpec(
        name="VLANEncap", port_count="1/1", processing="a/a", group="ethernet",
        summary="inserts an 802.1Q VLAN tag",
    ),
    # --- etherswitch: learning bridge ---
    ElementSpec(
        name="EtherSwitch", port_count="2-/=", processing="h/h", flow_code="#/[^#]",
        group="etherswitch", summary="forwards frames like a learning Ethernet bridge",
    ),
    # --- icmp ---
    ElementSpec(
        name="CheckICMPHeader", port_count="1/1-2", processing="a/ah", group="icmp",
        summary="validates ICMP headers and diverts bad packets",
    ),
    ElementSpec(
        name="ICMPError", port_count="1/1", processing="a/a", group="icmp",
        summary="builds ICMP error messages about packets",
    ),
    ElementSpec(
        name="ICMPPingResponder", port_count="1/1-2", processing="a/ah", group="icmp",
        summary="answers ICMP echo requests",
    ),
    ElementSpec(
        name="ICMPPingRewriter", port_count="1-/1-", processing="h/h", group="icmp",
        summary="rewrites ICMP echo flows",
    ),
    ElementSpec(
        name="ICMPPingSource", port_count="0-1/1", processing="h/a", group="icmp",
        summary="sends ICMP echo requests and tallies replies",
    ),
    ElementSpec(
        name="ICMPRewriter", port_count="1/1-", processing="h/h", group="icmp",
        summary="rewrites ICMP errors to match rewritten flows",
    ),
    # --- tcpudp: TCP and UDP headers, flow rewriting ---
    ElementSpec(
        name="CheckTCPHeader", port_count="1/1-2", processing="a/ah", group="tcpudp",
        summary="validates TCP headers and diverts bad packets",
    ),
    ElementSpec(
        name="CheckUDPHeader", port_count="1/1-2", processing="a/ah", group="tcpudp",
        summary="validates UDP headers and diverts bad packets",
    ),
    ElementSpec(
        name="IPRewriter", port_count="1-/1-", processing="h/h", group="tcpudp",
        summary="rewrites TCP and UDP flows by pattern",
    ),
    ElementSpec(
        name="SetTCPChecksum", port_count="1/1", processing="a/a", group="tcpudp",
        summary="computes and sets the TCP checksum",
    ),
    ElementSpec(
        name="SetUDPChecksum", port_count="1/1-2", processing="a/ah", group="tcpudp",
        summary="computes and sets the UDP checksum",
    ),
    ElementSpec(
        name="TCPRewriter", port_count="1-/1-", processing="h/h", group="tcpudp",
        summary="rewrites TCP flows, sequence numbers included",
    ),
    ElementSpec(
        name="UDPIPEncap", port_count="1/1", processing="a/a", group="tcpudp",
        summary="prepends UDP and IP headers",
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
    # --- analysis: trace files ---
    ElementSpec(
        name="FromIPSummaryDump", port_count="0/1", processing="a/a", group="analysis",
        summary="reads packets from an IP summary dump file",
    ),
    ElementSpec(
        name="ToIPSummaryDump", port_count="1/0-1", processing="a/h", group="analysis",
        summary="writes packet summaries to a file",
    ),
    # --- userlevel: devices, files, sockets ---
    ElementSpec(
        name="ControlSocket", port_count="0/0", processing="a/a", group="userlevel",
        summary="serves handler reads and writes over a socket",
    ),
    ElementSpec(
        name="FromDevice", port_count="0/1-2", processing="h/h", group="userlevel",
        summary="reads packets from a network device",
    ),
    ElementSpec(
        name="FromDump", port_count="0/1-2", processing="a/ah", group="userlevel",
        summary="reads packets from a pcap file",
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
        name="ToDump", port_count="1/0-1", processing="a/a", group="userlevel",
        summary="writes packets to a pcap file",
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
