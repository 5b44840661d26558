// bridge.click -- a three-port learning Ethernet bridge on pcap files.
//
// Interfaces: port N reads frames from $INN and writes the frames the
// bridge sends it into $OUTN (N = 0, 1, 2). EtherSwitch learns which port
// each source Ethernet address lives on and sends a frame only to the
// port of its destination, or floods it to every other port when the
// destination is unknown, broadcast or multicast. Learned addresses are
// forgotten after $TIMEOUT seconds without traffic. Read the table with
// -h sw.table.
//
// Push and pull: FromDump's agnostic output meets EtherSwitch's push
// inputs, so each FromDump pushes; EtherSwitch pushes into one Queue per
// port, and each Queue's pull output makes its ToDump a pull sink.
// EtherSwitch has as many outputs as inputs (port count 2-/=), so every
// port N is wired both ways.
//
// Run:
//   clickpy check configs/bridge.click
//   clickpy run configs/bridge.click IN0=a.pcap IN1=b.pcap IN2=c.pcap \
//       OUT0=to-a.pcap OUT1=to-b.pcap OUT2=to-c.pcap -h sw.table

define($IN0 port0-in.pcap, $OUT0 port0-out.pcap,
       $IN1 port1-in.pcap, $OUT1 port1-out.pcap,
       $IN2 port2-in.pcap, $OUT2 port2-out.pcap,
       $TIMEOUT 300, $QSIZE 1000);

sw :: EtherSwitch(TIMEOUT $TIMEOUT);

FromDump($IN0, STOP true) -> [0]sw;
FromDump($IN1, STOP true) -> [1]sw;
FromDump($IN2, STOP true) -> [2]sw;

sw[0] -> Queue($QSIZE) -> ToDump($OUT0);
sw[1] -> Queue($QSIZE) -> ToDump($OUT1);
sw[2] -> Queue($QSIZE) -> ToDump($OUT2);

// One stop event per FromDump; then let the queues drain.
DriverManager(pause, pause, pause, wait 0.1s, stop);
