// nat.click -- a NAT gateway (network address and port translation)
// between an inside network and the outside world, on pcap files.
//
// Interfaces:
//   inside:  address $INT_IP on $INT_NET, Ethernet $INT_MAC; frames arrive
//            from $IN_INT and leave into $OUT_INT.
//   outside: address $EXT_IP on $EXT_NET, Ethernet $EXT_MAC, next hop
//            $EXT_GW for everything off that subnet; frames arrive from
//            $IN_EXT and leave into $OUT_EXT.
//
// TCP and UDP from inside hosts are rewritten by 'rw' to come from
// $EXT_IP, with a source port chosen from the 'to_world' pattern's range;
// replies arriving at $EXT_IP are mapped back to the inside host. Pings
// from inside are rewritten the same way by 'pr' (the ICMP identifier
// plays the part of the port). Traffic from outside that matches no
// mapping is dropped (the 'drop' input specifications on input 1). The
// gateway answers pings to either of its own addresses; anything else
// addressed to it, and all non-IP, non-ARP frames, are discarded.
// ARP works as in iprouter.click: ARPResponder answers queries for the
// gateway's addresses, ARPQuerier resolves next hops.
//
// Not done here: TTL decrement and ICMP errors (see iprouter.click), and
// rewriting ICMP errors that refer to translated flows (ICMPRewriter).
//
// Push and pull: FromDump pushes; all processing is push up to the two
// Queues, whose pull outputs make the ToDumps pull sinks.
//
// Run:
//   clickpy check configs/nat.click
//   clickpy run configs/nat.click IN_INT=inside.pcap IN_EXT=outside.pcap \
//       OUT_INT=to-inside.pcap OUT_EXT=to-outside.pcap -h rw.tcp_table

define($IN_INT inside-in.pcap, $OUT_INT inside-out.pcap,
       $INT_IP 10.0.0.1, $INT_NET 10.0.0.0/24, $INT_MAC 00:00:c0:ae:67:ef,
       $IN_EXT outside-in.pcap, $OUT_EXT outside-out.pcap,
       $EXT_IP 192.0.2.1, $EXT_NET 192.0.2.0/24, $EXT_MAC 00:00:c0:4f:71:ef,
       $EXT_GW 192.0.2.254, $PORTS 1024-65535, $QSIZE 1000);

// ---- Declarations ------------------------------------------------------

// The one translation: source address $EXT_IP, source port from $PORTS,
// destination unchanged.
IPRewriterPatterns(to_world $EXT_IP $PORTS - -);

// Input 0: from inside, new flows get a mapping; output 0 goes outside,
// replies leave on output 1 (inside). Input 1: from outside, existing
// mappings only.
rw :: IPRewriter(pattern to_world 0 1, drop);
pr :: ICMPPingRewriter(pattern to_world 0 1, drop);

from_int :: FromDump($IN_INT, STOP true);
c_int :: Classifier(12/0806 20/0001,    // [0] ARP queries
                    12/0806 20/0002,    // [1] ARP replies
                    12/0800,            // [2] IP
                    -);                 // [3] other
ip_int :: IPClassifier(src net $INT_NET and (tcp or udp),
                       src net $INT_NET and icmp type echo,
                       dst host $INT_IP and icmp type echo,
                       -);
arpq_int :: ARPQuerier($INT_IP, $INT_MAC);
q_int :: Queue($QSIZE);

from_ext :: FromDump($IN_EXT, STOP true);
c_ext :: Classifier(12/0806 20/0001,
                    12/0806 20/0002,
                    12/0800,
                    -);
ip_ext :: IPClassifier(dst host $EXT_IP and (tcp or udp),
                       dst host $EXT_IP and icmp type echo-reply,
                       dst host $EXT_IP and icmp type echo,
                       -);
arpq_ext :: ARPQuerier($EXT_IP, $EXT_MAC);
q_ext :: Queue($QSIZE);

// Toward the inside, the destination is on the inside subnet; toward the
// outside, off-subnet destinations go by way of $EXT_GW.
to_int :: GetIPAddress(16);
to_ext :: RadixIPLookup($EXT_NET 0, 0.0.0.0/0 $EXT_GW 0);

// ---- Inside interface --------------------------------------------------

from_int -> c_int;
c_int[0] -> ARPResponder($INT_IP $INT_MAC) -> q_int;
c_int[1] -> [1]arpq_int;
c_int[2] -> Strip(14) -> CheckIPHeader -> ip_int;
c_int[3] -> Discard;

ip_int[0] -> [0]rw;
ip_int[1] -> [0]pr;
ip_int[2] -> ICMPPingResponder -> to_int;
ip_int[3] -> Discard;

to_int -> [0]arpq_int -> q_int -> ToDump($OUT_INT);

// ---- Outside interface -------------------------------------------------

from_ext -> c_ext;
c_ext[0] -> ARPResponder($EXT_IP $EXT_MAC) -> q_ext;
c_ext[1] -> [1]arpq_ext;
c_ext[2] -> Strip(14) -> CheckIPHeader -> ip_ext;
c_ext[3] -> Discard;

ip_ext[0] -> [1]rw;
ip_ext[1] -> [1]pr;
ip_ext[2] -> ICMPPingResponder -> to_ext;
ip_ext[3] -> Discard;

to_ext -> [0]arpq_ext -> q_ext -> ToDump($OUT_EXT);

// ---- Translated traffic ------------------------------------------------

rw[0] -> to_ext;
rw[1] -> to_int;
pr[0] -> to_ext;
pr[1] -> to_int;

// One stop event per FromDump; then let the queues drain.
DriverManager(pause, pause, wait 0.1s, stop);
