# fromdump.pyx -- FromDump: reads packets from libpcap and pcapng capture files
import sys

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy

from clickpy.io.pcap cimport (
    PCAP_EOF,
    PCAP_RECORD,
    PCAP_TRUNCATED,
    PcapReader,
    PcapRecord,
)
from clickpy.runtime.driver cimport please_stop
from clickpy.runtime.packet cimport (
    ANNO_EXTRA_LENGTH,
    Packet,
    pkt_make,
    pkt_set_network_header,
)
from clickpy.elements.userlevel.dumpbase cimport DumpSource
from clickpy.io.pcap import RAW_IP_LINKTYPES, linktype_name
from clickpy.runtime.args import (
    POSITIONAL,
    Arg,
    Bool,
    Filename,
    Real,
    Seconds,
    String,
    Timestamp,
    U64,
    MANDATORY,
)

cdef enum:
    SAMPLING_SHIFT = 28             # SAMPLE is kept in 28-bit fixed point, as Click does
    LT_NULL = 0                     # BSD loopback: 4-byte address family
    LT_ETHER = 1
    LT_SLL = 113                    # Linux cooked capture
    ETHERTYPE_IP = 0x0800
    ETHERTYPE_VLAN = 0x8100


cdef inline bint _is_raw(int linktype) noexcept nogil:
    return linktype == 12 or linktype == 14 or linktype == 101 or linktype == 228


cdef class FromDump(DumpSource):
    """
    =c
    FromDump(FILENAME [, TIMING, STOP, ACTIVE, SAMPLE, FORCE_IP, START,
    START_AFTER, END, END_AFTER, INTERVAL, END_CALL, FILEPOS])
    =s traces
    reads packets from a tcpdump file
    =io
    No inputs. Output 0: packets. Output 1 (optional): non-IP packets when
    FORCE_IP is true.
    =processing
    Agnostic; output 1 is push. Push: a task emits batches of up to 64
    packets. Pull: each pull returns the packets that are due.
    =d
    Reads packets from FILENAME, written by 'tcpdump -w', ToDump or
    Wireshark: libpcap files with microsecond or nanosecond timestamps in
    either byte order, and pcapng files (enhanced and simple packet
    blocks). FILENAME '-' reads standard input. Each packet gets the
    record's timestamp annotation and, when the record was cut short, an
    extra length annotation holding the bytes not captured.

    Raw IP captures (link types 12, 14, 101, 228) get their network header
    annotation set, as with FORCE_IP. A record cut off by the end of the
    file, or with an impossible length, ends the dump; FromDump says so on
    standard error once and counts it in 'truncated'.
    =item FILENAME
    Filename. The capture file. Mandatory.
    =item TIMING
    Boolean. Emit packets at the pace of their timestamps, the first one at
    once. Default is false.
    =item STOP
    Boolean. Ask the router to stop at the end of the file (or at END).
    Default is false.
    =item ACTIVE
    Boolean. Whether packets are emitted (see the 'active' handler). Default
    is true.
    =item SAMPLE
    Real between 0 and 1. Emit each packet with this probability, in 28-bit
    fixed point. Default is 1.
    =item FORCE_IP
    Boolean. Emit only IP packets, with their network header annotation
    set; others go to output 1, or are dropped. Default is false.
    =item START
    Timestamp. Skip packets before this absolute time.
    =item START_AFTER
    Time in seconds. Skip packets in the first T seconds of the file.
    =item END
    Timestamp. End at the first packet at or after this absolute time.
    =item END_AFTER
    Time in seconds. End at the first packet T seconds after the first
    timestamp of the file.
    =item INTERVAL
    Time in seconds. End at the first packet T seconds after the first one
    emitted.
    =item END_CALL
    String. A write handler call, 'ELEMENT.HANDLER [VALUE]', made at the end.
    Default, with END, START_AFTER or INTERVAL: 'NAME.active false'.
    =item FILEPOS
    Unsigned. Start reading at this byte offset of the file (a record
    boundary, such as a 'packet_filepos' value).
    =n
    gzip and bzip2 files are uncompressed in memory (Click pipes them
    through gzip -dc or bzip2 -dc); a plain file is always mapped (MMAP is
    ignored). Not supported: FORCE_LEN and the other FastClick additions. Capture lengths up to
    262144 bytes are accepted (Click refuses above 65535). pcapng is
    clickpy's addition. The 'truncated' handler is clickpy's. Without
    TIMING, packets leave in batches of 64.
    =e
      FromDump(trace.pcap, STOP true, FORCE_IP true) -> CheckIPHeader -> Discard;
    =h count read-only
    Packets emitted.
    =h reset_counts write-only
    Sets 'count' to 0.
    =h sampling_prob read-only
    The sampling probability actually used.
    =h active read/write
    Same as ACTIVE.
    =h encap read-only
    The file's link type as a ToDump ENCAP word ('ETHER', 'IP', ...).
    =h filename read-only
    Same as FILENAME.
    =h filesize read-only
    File length in bytes.
    =h filepos read/write
    Byte offset of the next record; writing moves there.
    =h packet_filepos read-only
    Byte offset of the last record read.
    =h extend_interval write-only
    Moves the end time later by the written number of seconds and sets
    'active' true.
    =h reset_timing write-only
    Restarts TIMING from the next packet.
    =h stop write-only
    Sets 'active' false and asks the router to stop.
    =h truncated read-only
    1 when the file ended inside a record or had a bad record header.
    =a ToDump, FromIPSummaryDump, FromDevice.u
    """
    port_count = "0/1-2"
    processing = "a/ah"
    ARGS = (Arg("FILENAME", Filename, MANDATORY | POSITIONAL),
            Arg("TIMING", Bool, POSITIONAL, default=False),
            Arg("STOP", Bool, default=False),
            Arg("ACTIVE", Bool, default=True),
            Arg("SAMPLE", Real, default=1.0),
            Arg("FORCE_IP", Bool, default=False),
            Arg("START", Timestamp, default=None),
            Arg("START_AFTER", Seconds, default=None),
            Arg("END", Timestamp, default=None),
            Arg("END_AFTER", Seconds, default=None),
            Arg("INTERVAL", Seconds, default=None),
            Arg("END_CALL", String, default=None),
            Arg("FILEPOS", U64, default=0))

    cdef PcapReader reader          # the mapped file (None until initialize)
    cdef object _end_call           # (element, handler, value) or None
    cdef bint force_ip              # FORCE_IP (or a raw IP file)
    cdef bint have_first            # skip packets before first_ns
    cdef bint have_last             # end at last_ns
    cdef bint first_relative        # first_ns is an offset from the file's first time
    cdef bint last_relative         # last_ns is an offset from the file's first time
    cdef bint last_interval         # last_ns is an offset from first_ns
    cdef bint have_times            # relative times resolved
    cdef bint end_announced         # end action taken
    cdef bint problem_reported      # truncation message printed
    cdef int problem                # PCAP_TRUNCATED / PCAP_BAD, or 0
    cdef int64_t first_ns           # START or START_AFTER
    cdef int64_t last_ns            # END, END_AFTER or INTERVAL
    cdef uint32_t sampling_prob     # SAMPLE << 28
    cdef uint64_t rng               # xorshift state for SAMPLE
    cdef uint64_t n_nonip           # FORCE_IP rejects
    cdef uint64_t packet_filepos    # last record's offset
    cdef uint64_t start_filepos     # FILEPOS

    def __cinit__(self):
        self.reader = None
        self.rng = 0x9E3779B97F4A7C15

    def configure(self, args):
        self._filename = args.FILENAME
        self.timing = args.TIMING
        self.stop = args.STOP
        self.active = args.ACTIVE
        self.force_ip = args.FORCE_IP
        if not 0 <= args.SAMPLE:
            raise ValueError("SAMPLE: out of range")
        if args.SAMPLE > 1:
            print(f"{self.landmark}: warning: SAMPLE probability reduced to 1", file=sys.stderr)
        self.sampling_prob = <uint32_t>(min(args.SAMPLE, 1.0) * (1 << SAMPLING_SHIFT) + 0.5)
        if args.START is not None and args.START_AFTER is not None:
            raise ValueError("START and START_AFTER are mutually exclusive")
        if sum(x is not None for x in (args.END, args.END_AFTER, args.INTERVAL)) > 1:
            raise ValueError("END, END_AFTER, and INTERVAL are mutually exclusive")
        self.have_first = args.START is not None or args.START_AFTER is not None
        self.first_relative = args.START is None
        self.first_ns = args.START if args.START is not None else \
            int(round((args.START_AFTER or 0) * 1e9))
        self.have_last = True
        self.last_relative = self.last_interval = False
        if args.END is not None:
            self.last_ns = args.END
        elif args.END_AFTER is not None:
            self.last_ns, self.last_relative = int(round(args.END_AFTER * 1e9)), True
        elif args.INTERVAL is not None:
            self.last_ns, self.last_interval = int(round(args.INTERVAL * 1e9)), True
        else:
            self.have_last = False
        if args.STOP and args.END_CALL is not None:
            raise ValueError("END_CALL and STOP are mutually exclusive")
        self._end_call = None
        if args.END_CALL is not None:
            self._end_call = _parse_handler_call(args.END_CALL)
        elif self.have_last and not self.stop:
            self._end_call = (self.name, "active", "false")
        self.start_filepos = args.FILEPOS

    def initialize(self):
        self.reader = PcapReader.open(self._filename)
        lt = self.reader.linktype
        if self.force_ip:
            if not (_is_raw(lt) or lt in (LT_ETHER, LT_SLL, LT_NULL)):
                raise ValueError(f"{self._filename}: unknown linktype {lt}; "
                                 "can't force IP packets")
        elif lt in RAW_IP_LINKTYPES:
            self.force_ip = True
        if self.start_filepos:
            self.reader.seek(self.start_filepos)
        self._start()

    def cleanup(self):
        super().cleanup()
        if self.reader is not None:
            self.reader.close()

    def encap_name(self):
        """The ENCAP word ToDump's USE_ENCAP_FROM reads (after initialize)."""
        if self.reader is None:
            from clickpy.io.pcap import PcapReader as Reader
            return linktype_name(Reader.open(self._filename).linktype)
        return linktype_name(self.reader.linktype)

    # -- reading ---------------------------------------------------------------
    cdef bint _sampled_out(self) noexcept nogil:
        cdef uint64_t x
        if self.sampling_prob >= (1u << SAMPLING_SHIFT):
            return False
        x = self.rng                    # xorshift64
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        self.rng = x
        return <uint32_t>(x & ((1u << SAMPLING_SHIFT) - 1)) >= self.sampling_prob

    cdef bint _mark_ip(self, Packet *p, int linktype) noexcept nogil:
        """Sets the network header of an IPv4 packet; False for anything else."""
        cdef uint8_t *d = p.data
        cdef uint32_t n = p.length, off, etype, fam
        if _is_raw(linktype):
            off = 0
        elif linktype == LT_ETHER:
            if n < 14:
                return False
            etype = (<uint32_t>d[12] << 8) | d[13]
            off = 14
            if etype == ETHERTYPE_VLAN and n >= 18:
                etype = (<uint32_t>d[16] << 8) | d[17]
                off = 18
            if etype != ETHERTYPE_IP:
                return False
        elif linktype == LT_SLL:
            if n < 16 or ((<uint32_t>d[14] << 8) | d[15]) != ETHERTYPE_IP:
                return False
            off = 16
        elif linktype == LT_NULL:
            if n < 4:
                return False
            memcpy(&fam, d, 4)
            if fam != 2 and fam != 0x02000000:      # AF_INET, either byte order
                return False
            off = 4
        else:
            return False
        if n < off + 20 or (d[off] >> 4) != 4 or (d[off] & 15) < 5 \
                or n < off + ((d[off] & 15) << 2):
            return False
        pkt_set_network_header(p, d + off, (d[off] & 15) << 2)
        return True

    cdef void _prepare_times(self, int64_t ts) noexcept nogil:
        if self.first_relative:
            self.first_ns += ts
        if self.last_relative:
            self.last_ns += ts
        elif self.last_interval:
            self.last_ns += self.first_ns if self.have_first else ts
        self.have_times = True

    cdef Packet *_read(self) noexcept nogil:
        """The next packet to emit, or NULL (end, or the pool is empty)."""
        cdef PcapRecord rec
        cdef Packet *p
        cdef int rc
        cdef uint32_t extra
        while not self.done:
            rc = self.reader.next(&rec)
            if rc != PCAP_RECORD:
                if rc != PCAP_EOF:
                    self.problem = rc
                self.done = True
                return NULL
            if not self.have_times:
                self._prepare_times(rec.ts_ns)
            if self.have_first:
                if rec.ts_ns < self.first_ns:
                    continue
                self.have_first = False
            if self.have_last and rec.ts_ns >= self.last_ns:
                self.reader.pos = rec.pos       # keep it for extend_interval
                self.done = True
                return NULL
            if self._sampled_out():
                continue
            p = pkt_make(self.pool, rec.data, rec.caplen)
            if p == NULL:
                self.reader.pos = rec.pos       # pool empty: retry next time
                return NULL
            self.packet_filepos = rec.pos
            p.timestamp_ns = rec.ts_ns
            extra = rec.wire_len - rec.caplen
            memcpy(&p.anno[ANNO_EXTRA_LENGTH], &extra, 4)
            if self.force_ip and not self._mark_ip(p, rec.linktype):
                self.n_nonip += 1
                self.output_push_one(1, p)      # dropped without output 1
                continue
            return p
        return NULL

    cdef void _at_end(self) noexcept nogil:
        """End of file or END: report problems, then STOP or END_CALL, once."""
        if self.end_announced:
            return
        self.end_announced = True
        with gil:
            self._end_actions()

    def _end_actions(self):
        if self.problem and not self.problem_reported:
            self.problem_reported = True
            what = ("truncated packet record" if self.problem == PCAP_TRUNCATED
                    else "bad packet header; giving up")
            print(f"{self.name}: {self._filename}: {what} at byte {self.reader.pos}",
                  file=sys.stderr)
        if self.stop:
            self.active = False
            please_stop()
        elif self._end_call is not None:
            ename, hname, value = self._end_call
            try:
                self.router.write(f"{ename}.{hname}", value)
            except Exception as err:        # a bad END_CALL must not kill the run
                print(f"{self.name}: END_CALL: {err}", file=sys.stderr)

    # -- handlers ----------------------------------------------------------------
    def add_handlers(self):
        self.add_read_handler("count", lambda: self.n_count)
        self.add_write_handler("reset_counts", self._reset_counts, button=True)
        self.add_read_handler("sampling_prob", self._sampling_prob)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)
        self.add_read_handler("encap", self.encap_name)
        self.add_read_handler("filename", lambda: self._filename)
        self.add_read_handler("filesize", lambda: self.reader.size if self.reader else "-")
        self.add_read_handler("filepos", lambda: self.reader.pos if self.reader else 0)
        self.add_write_handler("filepos", self._write_filepos)
        self.add_read_handler("packet_filepos", lambda: self.packet_filepos)
        self.add_write_handler("extend_interval", self._extend_interval)
        self.add_write_handler("reset_timing", self._reset_timing, button=True)
        self.add_write_handler("stop", self._stop, button=True)
        self.add_read_handler("truncated", lambda: int(self.problem != 0))

    def _sampling_prob(self):
        return f"{self.sampling_prob / (1 << SAMPLING_SHIFT):.10g}"

    def _reset_counts(self, value):
        self.n_count = 0

    def _write_filepos(self, value):
        pos = U64.parse(value.strip())
        self.reader.seek(pos)
        self._drop_pending()
        self.done = self.end_announced = False
        self.problem = 0
        self._set_active(self.active)

    def _extend_interval(self, value):
        delta = int(round(Seconds.parse(value.strip()) * 1e9))
        if self.have_times:
            self.last_ns += delta
        else:
            self.first_ns += 0
            self.last_ns += delta
        self.have_last = True
        if self.done and self.problem == 0 and self.reader.pos < self.reader.size:
            self.done = self.end_announced = False
        self._set_active(True)

    def _reset_timing(self, value):
        self.have_timing = False


def _parse_handler_call(str text):
    """'elem.handler value' -> (element, handler, value)."""
    words = text.strip().split(None, 1)
    if not words or "." not in words[0]:
        raise ValueError(f"END_CALL: bad handler call '{text}'")
    ename, _, hname = words[0].rpartition(".")
    return ename, hname, words[1] if len(words) > 1 else ""
