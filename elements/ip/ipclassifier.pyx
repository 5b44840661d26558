# ipclassifier.pyx -- IPClassifier: sends IP packets to the output of the first tcpdump-like pattern
from clickpy.elements.standard.classification.ipbase cimport IPFilterBase
from clickpy.lang import confstring


cdef class IPClassifier(IPFilterBase):
    """
    =c
    IPClassifier(PATTERN_1, ..., PATTERN_N)
    =s ip
    classifies IP packets by contents
    =io
    One input, N outputs: one per pattern.
    =processing
    Push.
    =d
    Sends each IP packet to the output of the first tcpdump-like pattern it
    matches; packets that match none are dropped. Input packets need their
    IP header annotation (CheckIPHeader or MarkIPHeader).

    Primitives:
    =over 8
    =item ip proto PROTO
    PROTO is a number or a name: icmp, igmp, ipip, tcp, udp, dccp, gre,
    sctp or one from /etc/protocols (also tcpudp: either TCP or UDP, and
    transp: any).
    =item [SRCORDST] host IPADDR
    SRCORDST is src, dst, 'src or dst' (the default) or 'src and dst'.
    =item [SRCORDST] net NETADDR
    NETADDR is ADDR/BITS, ADDR/MASK or 'ADDR mask MASK'.
    =item [SRCORDST] [tcp | udp] port PORT
    PORT is a number or a name (www, ssh, domain, ..., or one from
    /etc/services); without tcp or udp, either protocol.
    =item ip vers, ip hl, ip id, ip tos, ip dscp, ip ttl, ip len VALUE
    Header fields, compared as integers.
    =item ip ect, ip ce
    ECN capable transport, congestion experienced.
    =item ip frag, ip unfrag
    Fragments (more-fragments flag or an offset), and the others.
    =item tcp opt FLAG, tcp win WIN
    TCP flags (syn, fin, ack, rst, psh, urg) and window.
    =item icmp type TYPE
    A number or a name (echo, echo-reply, unreachable, ...).
    =item ip[POS:LEN] VALUE, transp[POS:LEN] VALUE
    LEN (1-4, default 1) bytes at POS in the IP or transport header; also
    tcp[...], udp[...], icmp[...].
    =item true, false
    Every packet, no packet.
    =back
    Directives take an operator before the value: ==, != and, for integer
    values, <, >, <= and >=; and a mask: 'DIRECTIVE & MASK [[OP] VALUE]'.
    Primitives combine with and, or, not (&&, ||, !), juxtaposition (and),
    'C ? A : B' and parentheses. Much may be left out: 'tcp' is 'ip proto
    tcp', 'www' is 'port www', 'syn' is 'tcp opt syn', '10.0.0.0/8' is
    'net 10.0.0.0/8', '10.0.0.1' is 'host 10.0.0.1', 'unfrag' is 'ip
    unfrag', and 'src port 80 or 81' repeats 'src port' for 81. A pattern
    '-', 'any' or 'all' matches everything.

    Port, ICMP type, TCP option and window tests hold only on first
    fragments. A test of bytes past the end of the packet fails; '!=' and
    the other negated relations fail too ('src tcp port != 5' means 'tcp
    and src port present and not 5'), while 'not' negates the whole test.
    =n
    Packets are read through their network and transport header
    annotations; a test fails when its whole field is not in the packet
    (Click checks only the bytes its mask covers, and treats IP header
    bytes as present whenever there is a transport header). Runs of steps
    that compare one word with different values become a binary search.
    'ether host' is not supported; relations that are always true or false
    are folded without Click's warning. See IPFilter for further notes.
    =e
      IPClassifier(10.0.0.0/24 and syn, 10.0.0.0/24 and fin ack,
                   10.0.0.0/24 and tcp, -);
    =h program read-only
    The decision tree, one step per line, in Click's format: offsets 256
    and on count IP header bytes, 512 and on transport header bytes.
    =a IPFilter, Classifier, CheckIPHeader, MarkIPHeader, AddressInfo
    """
    port_count = "1/-"
    processing = "h/h"

    def configure(self, args):
        patterns = self.one_per_output(args)
        self.load_rules([f"{i} {confstring.unquote(p)}" for i, p in enumerate(patterns)])
