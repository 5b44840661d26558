// firewall.click -- a stateless IPv4 packet filter between two links.
//
// Interfaces: frames arrive from the pcap file $IN and the ones the rules
// allow leave, unchanged, into $OUT (one direction of a transparent
// bridge-style firewall in front of the server network $SERVERS). ARP
// frames pass untouched so hosts on both sides can still resolve each
// other; other non-IP frames are dropped.
//
// Rules, first match wins:
//   - TCP segments with ACK or RST set (replies and later segments of
//     connections already opened; a stateless stand-in for "established");
//   - new TCP connections to $SERVERS on ports 22 (ssh), 80 (http) and
//     443 (https);
//   - ICMP echo requests and replies, and ICMP unreachables (needed for
//     path MTU discovery);
//   - DNS: UDP to port 53 and replies from port 53;
//   - everything else is denied, including non-first fragments (port,
//     ICMP type and TCP flag tests only match first fragments).
// Denied packets are counted by 'denied' and discarded; packets with bad
// IP headers are counted by 'bad' and discarded. Read the counts with
// -h denied.count -h bad.count.
//
// Push and pull: FromDump pushes into the filter chain; the Queue's pull
// output makes ToDump a pull sink with its own task.
//
// Run:
//   clickpy check configs/firewall.click
//   clickpy run configs/firewall.click IN=trace.pcap OUT=allowed.pcap \
//       -h denied.count -h bad.count

define($IN in.pcap, $OUT out.pcap, $SERVERS 10.0.1.0/24);

src :: FromDump($IN, STOP true);
eth :: Classifier(12/0800,      // [0] IP
                  12/0806,      // [1] ARP
                  -);           // [2] other
out :: Queue(1000);
denied :: Counter;
bad :: Counter;

fw :: IPFilter(allow tcp opt ack,
               allow tcp opt rst,
               allow dst net $SERVERS and dst tcp port 22,
               allow dst net $SERVERS and dst tcp port 80,
               allow dst net $SERVERS and dst tcp port 443,
               allow icmp type echo,
               allow icmp type echo-reply,
               allow icmp type unreachable,
               allow dst udp port 53,
               allow src udp port 53,
               1 all);

src -> eth;
eth[0] -> Strip(14)
       -> chk :: CheckIPHeader
       -> fw
       -> Unstrip(14)
       -> out;
eth[1] -> out;
eth[2] -> Discard;

chk[1] -> bad -> Discard;
fw[1] -> denied -> Discard;

out -> ToDump($OUT);

// FromDump's stop event; then let the queue drain.
DriverManager(pause, wait 0.1s, stop);
