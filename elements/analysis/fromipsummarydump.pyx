# fromipsummarydump.pyx -- FromIPSummaryDump: makes IP packets from IP summary dump lines
import socket
import sys

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.driver cimport please_stop
from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport (
    ANNO_DST_IP,
    ANNO_EXTRA_LENGTH,
    ANNO_SIZE,
    BATCH_MAX,
    Batch,
    Packet,
    PacketPool,
    pkt_kill,
    pkt_make,
    pkt_set_network_header,
    pool_default,
)
from clickpy.io.ipsummary import Builder, find_field
from clickpy.lang import confstring as cs
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    U8,
    AnyArg,
    Arg,
    Bool,
    Filename,
)

cdef class FromIPSummaryDump(Element):
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

    cdef PacketPool *pool
    cdef object _filename
    cdef list _lines                # the file, split into lines
    cdef object _fields             # [(Field or None)] from '!data'
    cdef object _flowid             # (src4, sport, dst4, dport) or None
    cdef object _timer
    cdef int line_index             # next line
    cdef uint64_t filepos           # bytes consumed
    cdef uint64_t filesize
    cdef int default_proto          # PROTO, '!proto'
    cdef int minor_version          # from '!IPSummaryDump 1.N'
    cdef bint stop                  # STOP
    cdef bint timing                # TIMING
    cdef bint active                # ACTIVE
    cdef bint checksum              # CHECKSUM
    cdef bint allow_nonexistent     # ALLOW_NONEXISTENT
    cdef bint complained            # packet parse error reported
    cdef bint done                  # end of file reached
    cdef bint have_timing
    cdef int64_t timing_file_ns
    cdef int64_t timing_real_ns
    cdef uint64_t n_count           # packets emitted
    cdef Packet *pending            # TIMING: not yet due

    def __cinit__(self):
        self.pending = NULL

    def __dealloc__(self):
        if self.pending != NULL:
            pkt_kill(self.pending)

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
        self._fields = self._field_list(contents, strict=True) if contents else None
        self._flowid = _parse_flowid(args.FLOWID, self) if args.FLOWID else None

    def _field_list(self, text, strict=False):
        fields = []
        for word in cs.split_spaces(text):
            word = cs.unquote(word)
            f = find_field(word)
            if f is None or f.inject is None:
                if strict:
                    raise ValueError(f"unknown content type '{word}'")
                what = "unknown content type" if f is None else "content type ignored on input"
                print(f"{self._filename}: warning: {what} '{word}'", file=sys.stderr)
                f = None
            fields.append(f)
        return fields

    def initialize(self):
        self.pool = pool_default()
        try:
            if self._filename == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(self._filename, "rb") as fh:
                    data = fh.read()
        except OSError as err:
            if not self.allow_nonexistent:
                raise OSError(f"{self._filename}: {err.strerror}") from None
            data = b""
        if not data and not self.allow_nonexistent:
            raise ValueError(f"{self._filename}: empty file")
        self.filesize = len(data)
        self._lines = data.decode("latin-1").split("\n")
        if self._lines and self._lines[len(self._lines) - 1] == "":
            self._lines.pop()
        first = self._lines[0] if self._lines else ""
        if first.startswith("!IPSummaryDump"):
            try:
                _major, minor = first.split()[1].split(".")
                self.minor_version = int(minor)
            except (IndexError, ValueError):
                pass
        elif first and not first.startswith(("!creator", "!data", "!contents", "!proto",
                                             "!flowid")) and self._fields is None:
            print(f"{self._filename}: warning: missing banner line; "
                  "is this an IP summary dump?", file=sys.stderr)
        self._timer = self.router.driver.new_timer(self._on_timer)
        if self.output_is_push(0) and self.active:
            self.schedule_task()

    def cleanup(self):
        if self.pending != NULL:
            pkt_kill(self.pending)
            self.pending = NULL

    def encap_name(self):
        return "IP"

    # -- reading --------------------------------------------------------------
    def _bang(self, str line):
        words = line.split()
        key = words[0]
        if key in ("!data", "!contents"):
            self._fields = self._field_list(" ".join(words[1:]))
            if not self._fields:
                print(f"{self._filename}: no contents specified", file=sys.stderr)
        elif key == "!proto" and len(words) == 2:
            self.default_proto = _parse_proto_word(words[1], self.default_proto)
        elif key == "!flowid":
            self._flowid = _parse_flowid(" ".join(words[1:]), self)

    def _make(self, str line):
        """A packet's (data, nh, ts, anno, extra) from a line, or None."""
        b = Builder(self.default_proto, self._flowid, self.minor_version)
        args, nfields = _split_line(line, len(self._fields)), 0
        order = sorted(range(len(self._fields)),
                       key=lambda i: (self._fields[i].order if self._fields[i] else 0, i))
        for i in order:
            f = self._fields[i]
            if f is None or i >= len(args) or args[i] == "-":
                continue
            try:
                v = f.parse(args[i])
            except (ValueError, OSError, UnicodeEncodeError):
                continue
            f.inject(b, v)
            nfields += 1
        if not nfields:
            return None
        data, nh, extra = b.finish(self.checksum)
        return data, nh, b.ts_ns, bytes(b.anno), extra, (b.ip[0] & 15) * 4 if nh >= 0 else 0

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
            made = self._make(line) if self._fields else None
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

    cdef uint32_t _fill(self, Batch *b, uint32_t max):
        cdef Packet *p
        cdef int64_t now, at
        b.n = 0
        while b.n < max:
            if self.pending != NULL:
                p, self.pending = self.pending, NULL
            else:
                p = self._next_packet()
                if p == NULL:
                    break
            if self.timing:
                now = now_ns()
                if not self.have_timing:
                    self.have_timing = True
                    self.timing_file_ns, self.timing_real_ns = p.timestamp_ns, now
                at = self.timing_real_ns + p.timestamp_ns - self.timing_file_ns
                if at > now:
                    self.pending = p
                    self._timer.schedule_at_ns(at)
                    break
            b.p[b.n] = p
            b.n += 1
        self.n_count += b.n
        return b.n

    cdef bint run_task(self) noexcept nogil:
        cdef Batch b
        cdef uint32_t n
        if not self.active:
            self._task_scheduled = False
            return False
        with gil:
            n = self._fill(&b, BATCH_MAX)
        if n:
            self.output_push(0, &b)
        if self.pending == NULL and self.done:
            self._task_scheduled = False
            if self.stop:
                self.stop = False
                please_stop()
        elif self.pending != NULL and n == 0:
            self._task_scheduled = False
        return n > 0

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        b.n = 0
        if not self.active:
            return 0
        with gil:
            self._fill(b, max)
        if b.n == 0 and self.pending == NULL and self.done and self.stop:
            self.stop = False
            please_stop()
        return b.n

    def _on_timer(self):
        if self.active and self.output_is_push(0):
            self.schedule_task()

    # -- handlers ---------------------------------------------------------------
    def add_handlers(self):
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("encap", self.encap_name)
        self.add_read_handler("filesize", lambda: self.filesize)
        self.add_read_handler("filepos", lambda: self.filepos)
        self.add_write_handler("stop", self._stop, button=True)
        self.add_read_handler("count", lambda: self.n_count)

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
        if self.active and self.output_is_push(0):
            self.schedule_task()

    def _stop(self, value):
        self.active = False
        please_stop()


def _split_line(str line, int n):
    """The first ``n`` words of a line; double-quoted words may hold spaces."""
    out, i, end = [], 0, len(line)
    while len(out) < n and i < end:
        while i < end and line[i] in " \t\r":
            i += 1
        if i >= end:
            break
        j = i
        while j < end and line[j] not in " \t\r":
            if line[j] == '"':
                j += 1
                while j < end and line[j] != '"':
                    j += 2 if line[j] == "\\" else 1
            j += 1
        out.append(line[i:j])
        i = j
    return out


def _parse_proto_word(str word, int default):
    names = {"T": 6, "U": 17, "I": 1, "tcp": 6, "udp": 17, "icmp": 1}
    if word in names:
        return names[word]
    if word.isdigit() and int(word) < 256:
        return int(word)
    print(f"warning: bad protocol '{word}'", file=sys.stderr)
    return default


def _parse_flowid(str text, element):
    words = text.split()
    try:
        src = socket.inet_aton(words[0]) if words[0] != "-" else bytes(4)
        sport = int(words[1]) if words[1] != "-" else 0
        dst = socket.inet_aton(words[2]) if words[2] != "-" else bytes(4)
        dport = int(words[3]) if words[3] != "-" else 0
        if sport > 65535 or dport > 65535:
            raise ValueError
    except (IndexError, ValueError, OSError):
        raise ValueError("bad !flowid specification") from None
    if len(words) >= 5:
        element.default_proto = _parse_proto_word(words[4], element.default_proto)
    return (src, sport, dst, dport)
