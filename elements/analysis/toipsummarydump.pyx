# toipsummarydump.pyx -- ToIPSummaryDump: writes one text line of packet fields per packet
import sys

from libc.stdint cimport uint32_t

from clickpy.runtime.packet cimport (
    ANNO_EXTRA_PACKETS,
    ANNO_SIZE,
    Batch,
    Packet,
    pkt_network_offset,
)
from clickpy.elements.userlevel.dumpbase cimport DumpSink
from clickpy.io.ipsummary import Summary, format_line, header_lines, parse_fields
from clickpy.runtime.args import MANDATORY, POSITIONAL, AnyArg, Arg, Bool, Filename, String

cdef class ToIPSummaryDump(DumpSink):
    """
    =c
    ToIPSummaryDump(FILENAME [, FIELDS, CONTENTS, VERBOSE, BANNER, MULTIPACKET,
    BAD_PACKETS, CAREFUL_TRUNC, EXTRA_LENGTH, HEADER, BINARY])
    =s traces
    writes packet summary information to an ASCII file
    =io
    One input. Output 0 (optional): the packets, unchanged.
    =processing
    Input agnostic, output push. With a pull input, a task pulls packets.
    =d
    Writes a line for each packet to FILENAME ('-': standard output): the
    FIELDS, separated by spaces, each in Click's text form, or '-' when the
    packet lacks it (sport of an ICMP packet, TCP fields of a truncated
    header). The file starts with '!IPSummaryDump 1.3' and a '!data' line
    naming the fields. IP fields need the network header annotation
    (FromDump FORCE_IP, CheckIPHeader, MarkIPHeader).

    Fields: timestamp ts_sec ts_usec count link paint direction aggregate
    wire_len ip_src ip_dst ip_tos ip_dscp ip_ecn ip_ttl ip_frag ip_fragoff
    ip_id ip_sum ip_proto ip_hl ip_len ip_capture_len ip_opt sport dport
    eth_src eth_dst eth_type payload_len payload payload_md5
    payload_md5_hex tcp_seq tcp_ack tcp_off tcp_flags tcp_window tcp_urp
    tcp_opt tcp_ntopt tcp_sack udp_len icmp_type icmp_code icmp_type_name
    icmp_code_name icmp_flowid icmp_seq icmp_nextmtu, and Click's synonyms.
    =item FILENAME
    Filename. The output file. Mandatory.
    =item FIELDS
    String. Space-separated field names. Default is 'ip_src ip_dst'.
    =item CONTENTS
    String. Old name of FIELDS.
    =item VERBOSE
    Boolean. Add '!host' and '!runtime' comments. Default is false.
    =item BANNER
    String. Add a '!creator "BANNER"' comment.
    =item MULTIPACKET
    Boolean. Write 1 + the extra packets annotation lines per packet when
    FIELDS has no 'count'. Default is false.
    =item BAD_PACKETS
    Boolean. Write a '!bad REASON' line before packets with bad or
    truncated headers. Default is false.
    =item CAREFUL_TRUNC
    Boolean. Accepted for compatibility. Default is true.
    =item EXTRA_LENGTH
    Boolean. Use the extra length annotation in lengths. Default is true.
    =item HEADER
    Boolean. Write the '!' header lines. Default is true.
    =item BINARY
    Boolean. The binary format; only false is supported. Default is false.
    =n
    The binary format and CAREFUL_TRUNC's '!bad truncated IP' lines are not
    implemented. Timestamps print 6 decimals, or 9 when the time has
    nanoseconds. payload_md5's 22-character alphabet is clickpy's reading
    of Click's and may differ. Lines are produced by Python, a batch at a
    time. A failed write (a full disk) is printed once,
    "ToIPSummaryDump(FILENAME): reason", nothing more is written, and
    clickpy run exits with status 1; Click ignores such errors.
    =e
      FromDump(t.pcap, FORCE_IP true, STOP true)
        -> ToIPSummaryDump(t.txt, FIELDS timestamp ip_src sport ip_dst dport ip_proto);
    =h flush write-only
    Flushes the file.
    =h count read-only
    Packets written.
    =h filename read-only
    Same as FILENAME.
    =a FromIPSummaryDump, ToDump, FromDump
    """
    port_count = "1/0-1"
    processing = "a/h"
    ARGS = (Arg("FILENAME", Filename, MANDATORY | POSITIONAL),
            Arg("FIELDS", AnyArg, default=None),
            Arg("CONTENTS", AnyArg, default=None),
            Arg("VERBOSE", Bool, default=False),
            Arg("BANNER", String, default=None),
            Arg("MULTIPACKET", Bool, default=False),
            Arg("BAD_PACKETS", Bool, default=False),
            Arg("CAREFUL_TRUNC", Bool, default=True),
            Arg("EXTRA_LENGTH", Bool, default=True),
            Arg("HEADER", Bool, default=True),
            Arg("BINARY", Bool, default=False))

    cdef object _file               # text file, None until initialize
    cdef list _fields               # ipsummary.Field
    cdef object _banner
    cdef bint verbose               # VERBOSE
    cdef bint multipacket           # MULTIPACKET (and no 'count' field)
    cdef bint bad_packets           # BAD_PACKETS
    cdef bint extra_length          # EXTRA_LENGTH
    cdef bint header                # HEADER

    def configure(self, args):
        if args.BINARY:
            raise ValueError("BINARY: binary dumps are not supported")
        if args.FIELDS is not None and args.CONTENTS is not None:
            raise ValueError("FIELDS and CONTENTS are mutually exclusive")
        self._filename = args.FILENAME
        self._fields = parse_fields(args.FIELDS or args.CONTENTS or "ip_src ip_dst")
        if not self._fields:
            raise ValueError("no contents specified")
        self._banner = args.BANNER
        self.verbose = args.VERBOSE
        self.multipacket = args.MULTIPACKET and all(f.name != "count" for f in self._fields)
        self.bad_packets = args.BAD_PACKETS
        self.extra_length = args.EXTRA_LENGTH
        self.header = args.HEADER

    def initialize(self):
        if self._filename == "-":
            self._file = sys.stdout
        else:
            try:
                # text stands for bytes (UTF-8 with surrogateescape), as in configurations
                self._file = open(self._filename, "w", encoding="utf-8",
                                  errors="surrogateescape", newline="\n")
            except OSError as err:
                raise OSError(f"{self._filename}: {err.strerror}") from None
        if self.header:
            lines = header_lines(self._fields, self._banner, self.verbose)
            self._file.write("\n".join(lines) + "\n")
        if not self.input_is_push(0):
            self.schedule_task()

    def cleanup(self):
        if self._file is not None:
            try:
                self._file.flush()
                if self._file is not sys.stdout:
                    self._file.close()
            except OSError as err:
                self._failed(err)
            self._file = None

    cdef void _write_batch(self, Batch *b):
        cdef uint32_t i
        cdef Packet *p
        cdef int nh
        out = []
        for i in range(b.n):
            p = b.p[i]
            nh = pkt_network_offset(p)
            s = Summary(p.data[:p.length], nh if nh >= 0 else -1, p.timestamp_ns,
                        p.anno[:ANNO_SIZE], self.extra_length)
            line = format_line(self._fields, s)
            if self.bad_packets and s.bad:
                out.append("!bad " + s.bad)
            reps = 1
            if self.multipacket:
                reps = 1 + int.from_bytes(p.anno[ANNO_EXTRA_PACKETS:ANNO_EXTRA_PACKETS + 4],
                                          "little")
            out.extend([line] * reps)
        if out and self._file is not None:
            try:
                self._file.write("\n".join(out) + "\n")
            except OSError as err:
                self._failed(err)
                return
        self.n_count += b.n

    cdef void _write(self, Batch *b) noexcept nogil:
        with gil:
            self._write_batch(b)

    def add_handlers(self):
        self.add_write_handler("flush", self._flush, button=True)
        self.add_read_handler("count", lambda: self.n_count)
        self.add_read_handler("filename", lambda: self._filename)

    def _flush(self, value):
        if self._file is not None:
            try:
                self._file.flush()
            except OSError as err:
                self._failed(err)
