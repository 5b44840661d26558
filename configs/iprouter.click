// iprouter.click -- a two-interface IPv4 router, in the shape of the classic
// Click IP router (the one conf/make-ip-conf.pl generates), reading and
// writing pcap files instead of network devices.
//
// Interfaces:
//   0: address $IP0 on $NET0 (broadcast $BCAST0), Ethernet $MAC0;
//      frames arrive from the pcap file $IN0, leave into $OUT0.
//   1: address $IP1 on $NET1 (broadcast $BCAST1), Ethernet $MAC1;
//      frames arrive from $IN1, leave into $OUT1.
//   Default route: gateway $GW, reached through interface 0.
//   $PLEN0/$PLEN1 are the prefix lengths of $NET0/$NET1; keep the address
//   definitions of one interface consistent when overriding them.
//
// Per interface, a Classifier splits incoming frames into ARP queries
// (answered by an ARPResponder), ARP replies (fed to that interface's
// ARPQuerier), IP (painted with the interface number, then checked and
// routed) and everything else (discarded). The routing table sends
// packets for the router itself to output 0 (pings are answered, the rest
// dropped) and packets for each subnet to that interface's output path:
// DropBroadcasts, PaintTee (ICMP redirect when a packet leaves by the
// interface it came in on), IPGWOptions, FixIPSrc, DecIPTTL and
// IPFragmenter, each error branch answered by an ICMPError that goes back
// into the routing table, then ARPQuerier, Queue and ToDump.
//
// Push and pull: FromDump's output is agnostic and meets push inputs, so
// it pushes (it runs as a task). Everything up to the output queues is
// push. Each Queue's output 0 is pull; ToDump's input is agnostic, so
// ToDump becomes a pull sink that runs a task draining its Queue. No
// Unqueue is needed.
//
// Redirects: the classic configuration used CheckPaint here, whose old
// behaviour copied same-paint packets to output 1. Click's CheckPaint now
// passes only same-paint packets on output 0 and diverts all others to
// output 1, which would turn every transit packet into a redirect;
// PaintTee keeps the classic meaning (forward every packet, copy
// same-interface ones to the redirect ICMPError).
//
// Counters: chk.drops (bad IP headers), dt0.drops/dt1.drops (expired
// TTLs), fr0.drops/fr1.drops (too big with DF), arpq0.stats/arpq1.stats.
//
// Run:
//   clickpy check configs/iprouter.click
//   clickpy run configs/iprouter.click IN0=eth0.pcap IN1=eth1.pcap \
//       OUT0=out0.pcap OUT1=out1.pcap -h chk.drops
// The run ends after both input files are read (each FromDump raises a
// driver stop event; DriverManager waits for both, lets the queues drain,
// then stops).

define($IN0 in0.pcap, $OUT0 out0.pcap,
       $IP0 10.0.0.1, $PLEN0 24, $NET0 10.0.0.0/24, $BCAST0 10.0.0.255,
       $MAC0 00:00:c0:ae:67:ef,
       $IN1 in1.pcap, $OUT1 out1.pcap,
       $IP1 10.0.1.1, $PLEN1 24, $NET1 10.0.1.0/24, $BCAST1 10.0.1.255,
       $MAC1 00:00:c0:4f:71:ef,
       $GW 10.0.0.254, $MTU 1500, $QSIZE 200);

// ---- Input checks and the routing table --------------------------------

// Outputs: 0 the router itself, 1 interface 0, 2 interface 1.
rt :: RadixIPLookup($IP0/32 0,
                    $BCAST0/32 0,
                    $IP1/32 0,
                    $BCAST1/32 0,
                    255.255.255.255/32 0,
                    0.0.0.0/32 0,
                    $NET0 1,
                    $NET1 2,
                    0.0.0.0/0 $GW 1);

// Frames lose their Ethernet header; CheckIPHeader validates the IP header
// and rejects broadcast sources (RFC 1812 5.3.7); GetIPAddress copies the
// destination address into the annotation the lookup reads.
ip :: Strip(14)
   -> chk :: CheckIPHeader(INTERFACES $IP0/$PLEN0 $IP1/$PLEN1)
   -> GetIPAddress(16)
   -> [0]rt;

// Packets for the router: answer pings, drop the rest.
rt[0] -> ping :: ICMPPingResponder -> [0]rt;
ping[1] -> Discard;

// Elements are declared before they are used, as Click requires: 'ip' and
// 'rt' above, the interfaces' elements below.

// ---- Interface 0 -------------------------------------------------------

from0 :: FromDump($IN0, STOP true);
c0 :: Classifier(12/0806 20/0001,       // [0] ARP queries
                 12/0806 20/0002,       // [1] ARP replies
                 12/0800,               // [2] IP
                 -);                    // [3] everything else
out0 :: Queue($QSIZE);
arpq0 :: ARPQuerier($IP0, $MAC0);

from0 -> c0;
c0[0] -> ARPResponder($IP0 $MAC0) -> out0;
c0[1] -> [1]arpq0;
c0[2] -> Paint(1) -> ip;
c0[3] -> Discard;
arpq0 -> out0 -> ToDump($OUT0);

// ---- Interface 1 -------------------------------------------------------

from1 :: FromDump($IN1, STOP true);
c1 :: Classifier(12/0806 20/0001,
                 12/0806 20/0002,
                 12/0800,
                 -);
out1 :: Queue($QSIZE);
arpq1 :: ARPQuerier($IP1, $MAC1);

from1 -> c1;
c1[0] -> ARPResponder($IP1 $MAC1) -> out1;
c1[1] -> [1]arpq1;
c1[2] -> Paint(2) -> ip;
c1[3] -> Discard;
arpq1 -> out1 -> ToDump($OUT1);

// ---- Output path, interface 0 ------------------------------------------

rt[1] -> DropBroadcasts
      -> pt0 :: PaintTee(1)
      -> gio0 :: IPGWOptions($IP0)
      -> FixIPSrc($IP0)
      -> dt0 :: DecIPTTL
      -> fr0 :: IPFragmenter($MTU)
      -> [0]arpq0;
pt0[1] -> ICMPError($IP0, redirect, host) -> [0]rt;
gio0[1] -> ICMPError($IP0, parameterproblem) -> [0]rt;
dt0[1] -> ICMPError($IP0, timeexceeded) -> [0]rt;
fr0[1] -> ICMPError($IP0, unreachable, needfrag, PMTU $MTU) -> [0]rt;

// ---- Output path, interface 1 ------------------------------------------

rt[2] -> DropBroadcasts
      -> pt1 :: PaintTee(2)
      -> gio1 :: IPGWOptions($IP1)
      -> FixIPSrc($IP1)
      -> dt1 :: DecIPTTL
      -> fr1 :: IPFragmenter($MTU)
      -> [0]arpq1;
pt1[1] -> ICMPError($IP1, redirect, host) -> [0]rt;
gio1[1] -> ICMPError($IP1, parameterproblem) -> [0]rt;
dt1[1] -> ICMPError($IP1, timeexceeded) -> [0]rt;
fr1[1] -> ICMPError($IP1, unreachable, needfrag, PMTU $MTU) -> [0]rt;

// ---- Ending the run ----------------------------------------------------

// One stop event per FromDump; then give the queues time to drain.
DriverManager(pause, pause, wait 0.1s, stop);
