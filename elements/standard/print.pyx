# print.pyx -- Print: writes a one-line summary of each packet to standard error
from libc.stdint cimport int64_t, uint32_t

from clickpy.runtime.packet cimport ANNO_SIZE, Packet, pkt_headroom, pkt_tailroom
from clickpy.elements.standard.printbase cimport (
    CONTENTS_HEX,
    CONTENTS_NONE,
    PrintBase,
)
from clickpy.elements.standard.printbase import parse_contents
from clickpy.runtime.args import DEPRECATED, POSITIONAL, Arg, Bool, Int, String, Word
from clickpy.lang.values import format_timestamp


cdef class Print(PrintBase):
    """
    =c
    Print([LABEL, MAXLENGTH, CONTENTS, TIMESTAMP, PRINTANNO, ACTIVE, HEADROOM, LENGTH, NBYTES])
    =s debugging
    prints packet contents
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    For every packet, writes one line to standard error and passes the
    packet on. The line is LABEL and ": " (when LABEL is not empty), the
    timestamp and ": " (with TIMESTAMP), the packet length right-aligned in
    four columns, " (hH tT)" with the headroom and tailroom (with
    HEADROOM), " | " and the 48 annotation bytes in hex (with PRINTANNO),
    then " | " and up to MAXLENGTH data bytes: in hex, a space after every
    four bytes, or as text, a space before every eight characters and '.'
    for bytes outside 32-126.
    =item LABEL
    String. Text starting each line. Default is empty.
    =item MAXLENGTH
    Integer. Most data bytes printed; negative prints the whole packet.
    Default is 24.
    =item CONTENTS
    Word. NONE, HEX or ASCII (or a boolean: true means HEX). Default is HEX.
    =item TIMESTAMP
    Boolean. Print the timestamp annotation, seconds since 1970. Default is
    false.
    =item PRINTANNO
    Boolean. Print the annotation area in hex. Default is false.
    =item ACTIVE
    Boolean. Print at all. Default is true.
    =item HEADROOM
    Boolean. Print headroom and tailroom. Default is false.
    =item LENGTH
    Integer. Deprecated synonym of MAXLENGTH.
    =item NBYTES
    Integer. Deprecated synonym of MAXLENGTH.
    =n
    Headroom and tailroom are those of clickpy's buffers (2048 bytes, 128 of
    headroom for new packets), so they differ from Click's. Timestamps
    print with six decimals, nine when not a whole number of microseconds.
    The kernel-only CPU keyword is not accepted. Printing takes the
    interpreter lock for each batch.
    =e
      FromDump(in.pcap) -> Print(in, 32, TIMESTAMP true) -> Discard;
    =h active read/write
    Same as ACTIVE.
    =a IPPrint, ToDump
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("LABEL", String, POSITIONAL, default=""),
            Arg("MAXLENGTH", Int, POSITIONAL, default=24),
            Arg("CONTENTS", Word, default="HEX"),
            Arg("TIMESTAMP", Bool, default=False),
            Arg("PRINTANNO", Bool, default=False),
            Arg("ACTIVE", Bool, default=True),
            Arg("HEADROOM", Bool, default=False),
            Arg("LENGTH", Int, DEPRECATED),
            Arg("NBYTES", Int, DEPRECATED))

    cdef int maxlength          # MAXLENGTH; negative: whole packet
    cdef int contents           # CONTENTS_*
    cdef bint timestamp         # TIMESTAMP
    cdef bint printanno         # PRINTANNO
    cdef bint headroom          # HEADROOM

    def configure(self, args):
        contents = parse_contents(args.CONTENTS)
        maxlength = args.MAXLENGTH
        for old in ("LENGTH", "NBYTES"):       # later keywords win, as in Click
            if old in args:
                maxlength = getattr(args, old)
        self.label = args.LABEL
        self.maxlength = maxlength
        self.contents = contents
        self.timestamp = args.TIMESTAMP
        self.printanno = args.PRINTANNO
        self.active = args.ACTIVE
        self.headroom = args.HEADROOM

    cdef object _line(self, Packet *p):
        cdef uint32_t length = p.length
        cdef int64_t n = self.maxlength if self.contents != CONTENTS_NONE else 0
        cdef bytes data
        cdef uint32_t i
        if n < 0 or n > length:
            n = length
        sep = ""
        parts = []
        if self.label:
            parts.append(self.label)
            sep = ": "
        if self.timestamp:
            parts.append(sep + format_timestamp(p.timestamp_ns))
            sep = ": "
        parts.append(f"{sep}{length:4d}")
        if self.headroom:
            parts.append(f" (h{pkt_headroom(p)} t{pkt_tailroom(p)})")
        if self.printanno:
            parts.append(" | " + p.anno[:ANNO_SIZE].hex())
        if n:
            data = p.data[:n]
            if self.contents == CONTENTS_HEX:
                h = data.hex()
                parts.append(" | " + " ".join([h[i:i + 8] for i in range(0, len(h), 8)]))
            else:
                text = "".join([chr(c) if 32 <= c <= 126 else "." for c in data])
                parts.append(" | " + "".join([" " + text[i:i + 8]
                                              for i in range(0, len(text), 8)]))
        return "".join(parts)
