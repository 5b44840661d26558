// loadbalancer.click -- a round-robin TCP load balancer: connections to a
// virtual address are spread over three backend servers.
//
// Interfaces:
//   front: clients reach the virtual service $VIP:$PORT here. Ethernet
//          $FRONT_MAC on $FRONT_NET, next hop $FRONT_GW for clients off
//          that subnet; frames arrive from $IN_FRONT, leave into $OUT_FRONT.
//   back:  the servers $SERVER1, $SERVER2 and $SERVER3 listen on $PORT on
//          the back subnet, where the balancer's address is $BACK_IP,
//          Ethernet $BACK_MAC; frames arrive from $IN_BACK, leave into
//          $OUT_BACK.
//
// The first packet of each new client connection asks the IPRewriter for a
// mapping; its input specification is the RoundRobinIPMapper 'rr', which
// hands out the three patterns in turn. Each pattern rewrites the
// destination to one server and the source to $BACK_IP with a fresh port
// from $PORTS (full NAT: servers reply to the balancer whatever their
// default route). Later packets of the connection, and the servers'
// replies (input 1, 'drop' for anything without a mapping), follow the
// mapping; replies leave on output 1 rewritten to come from $VIP:$PORT.
// The balancer answers pings to $VIP and $BACK_IP and ARP for both; other
// traffic is discarded.
//
// Push and pull: FromDump pushes; everything is push up to the two Queues,
// whose pull outputs make the ToDumps pull sinks.
//
// Run:
//   clickpy check configs/loadbalancer.click
//   clickpy run configs/loadbalancer.click IN_FRONT=clients.pcap \
//       IN_BACK=servers.pcap OUT_FRONT=to-clients.pcap OUT_BACK=to-servers.pcap \
//       -h rw.tcp_table

define($IN_FRONT front-in.pcap, $OUT_FRONT front-out.pcap,
       $VIP 192.0.2.10, $FRONT_NET 192.0.2.0/24, $FRONT_GW 192.0.2.254,
       $FRONT_MAC 00:00:c0:ae:67:ef,
       $IN_BACK back-in.pcap, $OUT_BACK back-out.pcap,
       $BACK_IP 10.0.1.1, $BACK_MAC 00:00:c0:4f:71:ef,
       $SERVER1 10.0.1.11, $SERVER2 10.0.1.12, $SERVER3 10.0.1.13,
       $PORT 80, $PORTS 1024-65535, $QSIZE 1000);

// ---- Declarations ------------------------------------------------------

// SADDR SPORT DADDR DPORT FOUTPUT ROUTPUT: new flows leave on output 0
// (to the servers), their replies on output 1 (to the clients).
rr :: RoundRobinIPMapper($BACK_IP $PORTS $SERVER1 - 0 1,
                         $BACK_IP $PORTS $SERVER2 - 0 1,
                         $BACK_IP $PORTS $SERVER3 - 0 1);
rw :: IPRewriter(rr, drop);

from_front :: FromDump($IN_FRONT, STOP true);
c_front :: Classifier(12/0806 20/0001,  // [0] ARP queries
                      12/0806 20/0002,  // [1] ARP replies
                      12/0800,          // [2] IP
                      -);               // [3] other
ip_front :: IPClassifier(dst host $VIP and dst tcp port $PORT,
                         dst host $VIP and icmp type echo,
                         -);
arpq_front :: ARPQuerier($VIP, $FRONT_MAC);
q_front :: Queue($QSIZE);
to_front :: RadixIPLookup($FRONT_NET 0, 0.0.0.0/0 $FRONT_GW 0);

from_back :: FromDump($IN_BACK, STOP true);
c_back :: Classifier(12/0806 20/0001,
                     12/0806 20/0002,
                     12/0800,
                     -);
ip_back :: IPClassifier(dst host $BACK_IP and src tcp port $PORT,
                        dst host $BACK_IP and icmp type echo,
                        -);
arpq_back :: ARPQuerier($BACK_IP, $BACK_MAC);
q_back :: Queue($QSIZE);
to_back :: GetIPAddress(16);

// ---- Client side -------------------------------------------------------

from_front -> c_front;
c_front[0] -> ARPResponder($VIP $FRONT_MAC) -> q_front;
c_front[1] -> [1]arpq_front;
c_front[2] -> Strip(14) -> CheckIPHeader -> ip_front;
c_front[3] -> Discard;

ip_front[0] -> [0]rw;
ip_front[1] -> ICMPPingResponder -> to_front;
ip_front[2] -> Discard;

to_front -> [0]arpq_front -> q_front -> ToDump($OUT_FRONT);

// ---- Server side -------------------------------------------------------

from_back -> c_back;
c_back[0] -> ARPResponder($BACK_IP $BACK_MAC) -> q_back;
c_back[1] -> [1]arpq_back;
c_back[2] -> Strip(14) -> CheckIPHeader -> ip_back;
c_back[3] -> Discard;

ip_back[0] -> [1]rw;
ip_back[1] -> ICMPPingResponder -> to_back;
ip_back[2] -> Discard;

to_back -> [0]arpq_back -> q_back -> ToDump($OUT_BACK);

// ---- Balanced traffic --------------------------------------------------

rw[0] -> to_back;
rw[1] -> to_front;

// One stop event per FromDump; then let the queues drain.
DriverManager(pause, pause, wait 0.1s, stop);
