# todump.pyx -- ToDump: writes packets to a libpcap file
from libc.stdint cimport uint32_t
from libc.string cimport memcpy

from clickpy.io.pcap cimport PcapWriter
from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.packet cimport ANNO_EXTRA_LENGTH, Batch, Packet
from clickpy.elements.userlevel.dumpbase cimport DumpSink
from clickpy.io.pcap import linktype_name, linktype_number
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, Bool, Filename, String, Unsigned

cdef class ToDump(DumpSink):
    """
    =c
    ToDump(FILENAME [, SNAPLEN, ENCAP, USE_ENCAP_FROM, EXTRA_LENGTH, NANO])
    =s traces
    writes packets to a tcpdump file
    =io
    One input. Output 0 (optional): the packets, unchanged.
    =processing
    Agnostic. With a pull input and no output, a task pulls batches and
    writes them.
    =d
    Writes each packet to FILENAME in libpcap ('tcpdump -w') format, in
    this machine's byte order. FILENAME '-' writes to standard output. The
    record's timestamp is the packet's timestamp annotation (the current
    time when it has none); its wire length adds the extra length
    annotation when EXTRA_LENGTH is true. Packets then leave on output 0
    when it exists. The file is flushed and closed at cleanup.
    =item FILENAME
    Filename. The output file. Mandatory.
    =item SNAPLEN
    Unsigned. Bytes of each packet written; 0 means all. Default is 2000.
    =item ENCAP
    Word. The link type stored in the file header: ETHER, IP, FDDI, ATM,
    802_11, SLL, AIRONET, HDLC, PPP_HDLC, PPP, SUNATM, PRISM, NULL, or a
    number. Default is ETHER.
    =item USE_ENCAP_FROM
    String. Space-separated element names whose 'encap' values (FromDump,
    FromIPSummaryDump) give ENCAP; they must agree.
    =item EXTRA_LENGTH
    Boolean. Add the extra length annotation to each record's wire length.
    Default is true.
    =item NANO
    Boolean. Write nanosecond timestamps (magic a1b23c4d). Default is false.
    =n
    ENCAP IP writes link type 101 (LINKTYPE_RAW). UNBUFFERED is not
    supported. Packets are written in batches. When a write fails (a full
    disk), the error is printed once as Click prints it, "ToDump(FILENAME):
    reason", nothing more is written, and, since packets were lost,
    clickpy run exits with status 1 where Click exits 0: a deliberate
    difference. A failure to flush the file at cleanup counts the same.
    =e
      FromDump(in.pcap, STOP true) -> ToDump(out.pcap);
    =h count read-only
    Packets written.
    =h reset_counts write-only
    Sets 'count' to 0.
    =h filename read-only
    Same as FILENAME.
    =h encap read-only
    The link type written, as an ENCAP word ('ETHER', 'IP', ...).
    =a FromDump, ToIPSummaryDump
    """
    port_count = "1/0-1"
    processing = "a/a"
    ARGS = (Arg("FILENAME", Filename, MANDATORY | POSITIONAL),
            Arg("SNAPLEN", Unsigned, POSITIONAL, default=2000),
            Arg("ENCAP", String, POSITIONAL, default=None),
            Arg("USE_ENCAP_FROM", String, default=None),
            Arg("EXTRA_LENGTH", Bool, default=True),
            Arg("NANO", Bool, default=False))

    cdef PcapWriter writer          # None until initialize
    cdef object _encap_from         # element names, or None
    cdef int linktype               # LINKTYPE_* in the file header
    cdef uint32_t snaplen           # SNAPLEN
    cdef bint extra_length          # EXTRA_LENGTH
    cdef bint nano                  # NANO
    cdef bint pull_task             # pull input, nothing downstream: our task pulls

    def configure(self, args):
        self._filename = args.FILENAME
        self.snaplen = args.SNAPLEN
        self.extra_length = args.EXTRA_LENGTH
        self.nano = args.NANO
        if args.ENCAP is not None and args.USE_ENCAP_FROM is not None:
            raise ValueError("ENCAP and USE_ENCAP_FROM are mutually exclusive")
        self.linktype = linktype_number(args.ENCAP) if args.ENCAP is not None else 1
        self._encap_from = args.USE_ENCAP_FROM.split() if args.USE_ENCAP_FROM else None

    def initialize(self):
        if self._encap_from:
            words = set()
            for ename in self._encap_from:
                e = self.router.element(ename)
                if e is None or not hasattr(e, "encap_name"):
                    raise ValueError(f"USE_ENCAP_FROM: '{ename}' has no encapsulation")
                words.add(e.encap_name())
            if len(words) != 1:
                raise ValueError("USE_ENCAP_FROM: encapsulations disagree: "
                                 + ", ".join(sorted(words)))
            self.linktype = linktype_number(words.pop())
        self.writer = PcapWriter.create(self._filename, self.linktype, self.snaplen, self.nano)
        self.pull_task = not self.input_is_push(0) and \
            (self.noutputs == 0 or self.output_is_push(0))
        if self.pull_task:
            self.schedule_task()

    def cleanup(self):
        if self.writer is not None and not self.writer.close():
            self._failed(self.writer.error)

    cdef void _write(self, Batch *b) noexcept nogil:
        cdef uint32_t i, extra, wire
        cdef Packet *p
        for i in range(b.n):
            p = b.p[i]
            wire = p.length
            if self.extra_length:
                memcpy(&extra, &p.anno[ANNO_EXTRA_LENGTH], 4)
                wire += extra
            if self.writer.write(p.data, p.length, wire,
                                 p.timestamp_ns if p.timestamp_ns else now_ns()) < 0:
                with gil:
                    self._failed(self.writer.error)
                break
            self.n_count += 1

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        if self.input_pull(0, b, max) and not self.write_failed:
            self._write(b)
        return b.n

    def add_handlers(self):
        self.add_read_handler("count", lambda: self.n_count)
        self.add_write_handler("reset_counts", self._reset_counts, button=True)
        self.add_read_handler("filename", lambda: self._filename)
        self.add_read_handler("encap", lambda: linktype_name(self.linktype))

    def _reset_counts(self, value):
        self.n_count = 0
