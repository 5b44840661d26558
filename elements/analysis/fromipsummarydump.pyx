# fromipsummarydump.pyx -- FromIPSummaryDump: makes IP packets from IP summary dump lines
import sys

from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy

from clickpy.runtime.packet cimport (
    ANNO_DST_IP,
    ANNO_EXTRA_LENGTH,
    ANNO_SIZE,
    Packet,
    pkt_make,
    pkt_set_network_header,
)
from clickpy.elements.userlevel.dumpbase cimport DumpSource
from clickpy.io.ipsummary import Builder
from clickpy.io.tracefile import load_trace
from clickpy.lang import confstring
from clickpy.io.ipsummary.reader import (
    BANNER_WORD,
    HEADER_WORDS,
    dump_proto,
    make_packet,
    minor_version,
    parse_flowid,
    read_fields,
)
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    U8,
    AnyArg,
    Arg,
    Bool,
    Filename,
)

cdef class FromIPSummaryDump(DumpSource):
    """
    =c
    FromIPSummaryDump(FILENAME [, STOP, TIMING, ACTIVE, ZERO, CHECKSUM, PROTO,
    CONTENTS, DEFAULT_CONTENTS, FLOWID, ALLOW_NONEXISTENT])
    =s traces
    reads packets from an IP summary dump file
    =io
    No inputs, one output.
    =processing
    Agnostic. Push: a task emits batches. Pull: each pull returns packets.
    =d
    Reads a file written by ToIPSummaryDump and makes an IP packet from
    each line: the '!data' line names the fields; '!proto', '!flowid' and
    '!contents' lines are understood; '#' lines are comments. Fields a line
    leaves out ('-', or missing at the end) keep their defaults: IP version
    4, TTL 100, protocol PROTO, everything else zero. Packets start at the
    IP header (network header annotation set), or at an Ethernet header
    when eth_* fields are given. The destination IP annotation is set; the
    extra length annotation covers lengths (ip_len, wire_len, payload_len)
    beyond the data made.
    =item FILENAME
    Filename. The dump. Mandatory.
    =item STOP
    Boolean. Ask the router to stop at the end of the file. Default is false.
    =item TIMING
    Boolean. Emit packets at the pace of their timestamps. Default is false.
    =item ACTIVE
    Boolean. Whether packets are emitted. Default is true.
    =item ZERO
    Boolean. Data the dump does not give is zero. Only true is supported.
    Default is true.
    =item CHECKSUM
    Boolean. Pad each packet to its IP length and set IP, TCP, UDP and ICMP
    checksums. Default is false: checksums are what the dump says (ip_sum),
    else zero.
    =item PROTO
    Byte. IP protocol when the dump gives none. Default is 6 (TCP).
    =item CONTENTS
    String. Fields of lines before any '!data' line.
    =item DEFAULT_CONTENTS
    String. Same as CONTENTS.
    =item FLOWID
    String. 'SRC SPORT DST DPORT [PROTO]': addresses and ports for packets
    whose lines give none.
    =item ALLOW_NONEXISTENT
    Boolean. A missing or empty file is an empty dump. Default is false.
    =n
    Binary dumps, MULTIPACKET, SAMPLE and '!aggregate' are not supported.
    Click grows TCP and IP headers with options to account for lengths;
    clickpy puts the difference in the extra length annotation. The
    'count' handler is clickpy's.
    =e
      FromIPSummaryDump(t.txt, STOP true, CHECKSUM true) -> ToDump(t.pcap, ENCAP IP);
    =h active read/write
    Same as ACTIVE.
    =h encap read-only
    'IP'.
    =h filesize read-only
    File length in bytes.
    =h filepos read-only
    Bytes read so far.
    =h stop write-only
    Sets 'active' false and asks the router to stop.
    =h count read-only
    Packets emitted.
    =a ToIPSummaryDump, FromDump
    """
    port_count = "0/1"
    processing = "a/a"
    ARGS = (Arg("FILENAME", Filename, MANDATORY | POSITIONAL),
            Arg("STOP", Bool, default=False),
            Arg("TIMING", Bool, default=False),
            Arg("ACTIVE", Bool, default=True),
            Arg("ZERO", Bool, default=True),
            Arg("CHECKSUM", Bool, default=False),
            Arg("PROTO", U8, default=6),
            Arg("CONTENTS", AnyArg, default=None),
            Arg("DEFAULT_CONTENTS", AnyArg, default=None),
            Arg("FLOWID", AnyArg, default=None),
            Arg("ALLOW_NONEXISTENT", Bool, default=False))

    cdef list _lines                # the file, split into lines
    cdef object _fields             # [(Field or None)] from '!data'
    cdef object _flowid             # (src4, sport, dst4, dport) or None
    cdef int line_index             # next line
    cdef uint64_t filepos           # bytes consumed
    cdef uint64_t filesize
    cdef int default_proto          # PROTO, '!proto'
    cdef int minor_version          # from '!IPSummaryDump 1.N'
    cdef bint checksum              # CHECKSUM
    cdef bint allow_nonexistent     # ALLOW_NONEXISTENT
    cdef bint complained            # packet parse error reported

    def configure(self, args):
        if not args.ZERO:
            raise ValueError("ZERO: only true is supported")
        self._filename = args.FILENAME
        self.stop = args.STOP
        self.timing = args.TIMING
        self.active = args.ACTIVE
        self.checksum = args.CHECKSUM
        self.default_proto = args.PROTO
        self.allow_nonexistent = args.ALLOW_NONEXISTENT
        self.minor_version = 3
        contents = args.CONTENTS or args.DEFAULT_CONTENTS
        self._fields = read_fields(contents) if contents else None
        self._flowid = self._set_flowid(args.FLOWID) if args.FLOWID else None

    def _warn(self, message):
        print(f"{self._filename}: warning: {message}", file=sys.stderr)

    def _set_proto(self, str word):
        proto = dump_proto(word)
        if proto is None:
            print(f"warning: bad protocol '{word}'", file=sys.stderr)
        else:
            self.default_proto = proto

    def _set_flowid(self, str text):
        flowid, proto = parse_flowid(text)
        if proto is not None:
            self._set_proto(proto)
        return flowid

    def initialize(self):
        try:
            data = bytes(load_trace(self._filename))     # text: decoded whole
        except OSError:
            if not self.allow_nonexistent:
                raise
            data = b""
        if not data and not self.allow_nonexistent:
            raise ValueError(f"{self._filename}: empty file")
        self.filesize = len(data)
        self._lines = confstring.from_bytes(data).split("\n")
        if self._lines and self._lines[len(self._lines) - 1] == "":
            self._lines.pop()
        first = self._lines[0] if self._lines else ""
        if first.startswith(BANNER_WORD):
            minor = minor_version(first)
            if minor is not None:
                self.minor_version = minor
        elif first and not first.startswith(HEADER_WORDS) and self._fields is None:
            print(f"{self._filename}: warning: missing banner line; "
                  "is this an IP summary dump?", file=sys.stderr)
        self._start()

    def encap_name(self):
        return "IP"

    # -- reading --------------------------------------------------------------
    def _bang(self, str line):
        words = line.split()
        key = words[0]
        if key in ("!data", "!contents"):
            self._fields = read_fields(" ".join(words[1:]), self._warn)
            if not self._fields:
                print(f"{self._filename}: no contents specified", file=sys.stderr)
        elif key == "!proto" and len(words) == 2:
            self._set_proto(words[1])
        elif key == "!flowid":
            self._flowid = self._set_flowid(" ".join(words[1:]))

    cdef Packet *_read(self) noexcept nogil:
        with gil:
            return self._next_packet()

    cdef Packet *_next_packet(self):
        cdef Packet *p
        cdef const uint8_t *src
        cdef uint32_t extra
        cdef int nh, hl
        cdef bytes data, anno
        while self.line_index < len(self._lines):
            line = self._lines[self.line_index]
            self.line_index += 1
            self.filepos += len(line) + 1
            if not line.strip() or line[0] == "#":
                continue
            if line[0] == "!":
                self._bang(line)
                continue
            made = None
            if self._fields:
                made = make_packet(self._fields, line,
                                   Builder(self.default_proto, self._flowid, self.minor_version),
                                   self.checksum)
            if made is None:
                if not self.complained:
                    self.complained = True
                    what = "packet parse error" if self._fields else "no '!data' provided"
                    print(f"{self._filename}:{self.line_index}: {what}", file=sys.stderr)
                continue
            data, nh, ts, anno, extra, hl = made
            src = data
            p = pkt_make(self.pool, src, len(data))
            if p == NULL:
                self.line_index -= 1            # pool empty: try again later
                self.filepos -= len(line) + 1
                return NULL
            memcpy(p.anno, <const uint8_t *>anno, ANNO_SIZE)
            memcpy(&p.anno[ANNO_EXTRA_LENGTH], &extra, 4)
            p.timestamp_ns = ts
            if nh >= 0:
                pkt_set_network_header(p, p.data + nh, hl)
                if len(data) >= nh + 20:
                    memcpy(&p.anno[ANNO_DST_IP], p.data + nh + 16, 4)
            return p
        self.done = True
        return NULL

    # -- handlers ---------------------------------------------------------------
    def add_handlers(self):
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("encap", self.encap_name)
        self.add_read_handler("filesize", lambda: self.filesize)
        self.add_read_handler("filepos", lambda: self.filepos)
        self.add_write_handler("stop", self._stop, button=True)
        self.add_read_handler("count", lambda: self.n_count)
