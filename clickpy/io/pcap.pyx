# pcap.pyx -- libpcap and pcapng files: a memory-mapped record reader and a buffered writer
"""Packet capture files for FromDump and ToDump.

PcapReader maps a whole file and walks its records in C (``next``), for
libpcap files (microsecond magic a1b2c3d4, nanosecond a1b23c4d, Kuznetzov's
modified a1b2cd34, either byte order) and pcapng files (section header,
interface description, enhanced and simple packet blocks; other blocks are
skipped). PcapWriter writes libpcap files through stdio.
"""
import mmap
import os
import sys

from libc.errno cimport errno
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdio cimport fclose, fdopen, fflush, fopen, fwrite
from libc.string cimport memcpy

from clickpy.io.tracefile import load_trace

__all__ = ["PcapReader", "PcapWriter", "LINKTYPES", "linktype_name", "linktype_number",
           "RAW_IP_LINKTYPES"]

# libpcap magic numbers, as read in our byte order
cdef enum:
    MAGIC_USEC = 0xa1b2c3d4
    MAGIC_NSEC = 0xa1b23c4d
    MAGIC_MODIFIED = 0xa1b2cd34     # Kuznetzov's patched libpcap: 8 more header bytes
    NG_SHB = 0x0A0D0D0A             # pcapng section header block
    NG_IDB = 1                      # interface description block
    NG_SPB = 3                      # simple packet block
    NG_EPB = 6                      # enhanced packet block
    NG_BYTE_ORDER = 0x1A2B3C4D

# Click's ENCAP names and the LINKTYPE_* numbers written for them
LINKTYPES = {"NULL": 0, "ETHER": 1, "PPP": 9, "FDDI": 10, "ATM": 11, "PPP_HDLC": 50,
             "IP": 101, "HDLC": 104, "802_11": 105, "SLL": 113, "PRISM": 119,
             "AIRONET": 120, "SUNATM": 123}
# raw IPv4 appears as DLT_RAW (12, or 14 on OpenBSD), LINKTYPE_RAW (101), LINKTYPE_IPV4 (228)
RAW_IP_LINKTYPES = (12, 14, 101, 228)


def linktype_name(int linktype):
    """Click's ENCAP word for a link type ("ETHER", "IP", ...), or "#N"."""
    if linktype in RAW_IP_LINKTYPES:
        return "IP"
    for name, number in LINKTYPES.items():
        if number == linktype:
            return name
    return "<none>" if linktype < 0 else f"#{linktype}"


def linktype_number(str name):
    """The link type for an ENCAP word, "#N" or N; ValueError if unknown."""
    word = name.strip().upper()
    if word in LINKTYPES:
        return LINKTYPES[word]
    digits = word[1:] if word.startswith("#") else word
    if digits.isdigit() and int(digits) < 0x7FFFFFFF:
        return int(digits)
    raise ValueError(f"bad encapsulation type '{name}'")


cdef inline uint32_t _swap32(uint32_t x) noexcept nogil:
    return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >> 8) & 0xff00) | (x >> 24)


cdef inline uint32_t _load32(const uint8_t *p) noexcept nogil:
    cdef uint32_t x
    memcpy(&x, p, 4)                # unaligned-safe
    return x


cdef class PcapReader:
    """A capture file mapped into memory; ``open`` raises OSError/ValueError
    with Click's messages ("FILE: not a tcpdump file (bad magic number)")."""

    def __cinit__(self):
        self._keep = None
        self.base = NULL
        self.size = self.pos = 0
        self.nif = 0

    def __init__(self):
        raise TypeError("use PcapReader.open(filename)")

    @staticmethod
    def open(str filename):
        cdef PcapReader r = PcapReader.__new__(PcapReader)
        r._load(filename)
        r._parse_header(filename)
        return r

    def _load(self, str filename):
        cdef const uint8_t[::1] view
        data = load_trace(filename)
        self._keep = data
        self.size = len(data)
        if self.size:
            view = data
            self.base = &view[0]

    def close(self):
        """Unmaps the file; size and pos stay readable, next() gives PCAP_EOF."""
        self.base = NULL
        if isinstance(self._keep, mmap.mmap):
            try:
                self._keep.close()
            except BufferError:         # a view is still alive; the GC frees it
                pass
        self._keep = None

    cdef uint32_t _u32(self, const uint8_t *p) noexcept nogil:
        cdef uint32_t x = _load32(p)
        return _swap32(x) if self.swapped else x

    cdef uint32_t _u16(self, const uint8_t *p) noexcept nogil:
        cdef uint16_t x
        memcpy(&x, p, 2)
        return <uint32_t>(((x & 0xff) << 8) | (x >> 8)) if self.swapped else x

    def _parse_header(self, str filename):
        cdef uint32_t magic
        if self.size == 0:
            raise ValueError(f"{filename}: empty file")
        if self.size < 4:
            raise ValueError(f"{filename}: not a tcpdump file (too short)")
        magic = _load32(self.base)
        if magic == NG_SHB:
            self.ng = True
            self.linktype = -1
            self.pos = 0
            self._ng_prescan(filename)
            return
        if magic in (MAGIC_USEC, MAGIC_NSEC, MAGIC_MODIFIED):
            self.swapped = False
        elif _swap32(magic) in (MAGIC_USEC, MAGIC_NSEC, MAGIC_MODIFIED):
            self.swapped = True
            magic = _swap32(magic)
        else:
            raise ValueError(f"{filename}: not a tcpdump file (bad magic number)")
        if self.size < 24:
            raise ValueError(f"{filename}: not a tcpdump file (too short)")
        self.nano = magic == MAGIC_NSEC
        self.extra_hdr = 8 if magic == MAGIC_MODIFIED else 0
        major = self._u16(self.base + 4)
        if major != 2:
            raise ValueError(f"{filename}: unknown major version {major}")
        self.minor = self._u16(self.base + 6)
        self.linktype = <int>self._u32(self.base + 20)
        self.pos = 24

    def _ng_prescan(self, str filename):
        """Checks the section header and finds the first interface's link type."""
        cdef uint32_t order, blen, btype
        cdef uint64_t at = 0
        if self.size < 28:
            raise ValueError(f"{filename}: not a tcpdump file (too short)")
        order = _load32(self.base + 8)
        if order != NG_BYTE_ORDER and _swap32(order) != NG_BYTE_ORDER:
            raise ValueError(f"{filename}: not a tcpdump file (bad magic number)")
        self.swapped = order != NG_BYTE_ORDER
        major = self._u16(self.base + 12)
        if major != 1:
            raise ValueError(f"{filename}: unknown major version {major}")
        while at + 12 <= self.size:
            btype = self._u32(self.base + at)
            blen = self._u32(self.base + at + 4)
            if blen < 12 or blen % 4 or at + blen > self.size:
                break
            if btype == NG_IDB and blen >= 20:
                self.linktype = <int>self._u16(self.base + at + 8)
                break
            at += blen

    def seek(self, uint64_t pos):
        """Moves to a record boundary given by the user (FILEPOS, filepos)."""
        if pos > self.size:
            raise ValueError("file position out of range")
        if pos < (0 if self.ng else 24):
            pos = 0 if self.ng else 24
        self.pos = pos

    cdef int next(self, PcapRecord *r) noexcept nogil:
        """Fills ``r`` with the next record: PCAP_RECORD, PCAP_EOF,
        PCAP_TRUNCATED or PCAP_BAD. Never reads past the mapping."""
        cdef uint64_t left, need
        cdef uint32_t caplen, wlen, sec, sub
        cdef const uint8_t *h
        if self.base == NULL:
            return PCAP_EOF
        if self.ng:
            return self._next_ng(r)
        if self.pos >= self.size:
            return PCAP_EOF
        left = self.size - self.pos
        need = 16 + self.extra_hdr
        if left < need:
            return PCAP_TRUNCATED
        h = self.base + self.pos
        sec = self._u32(h)
        sub = self._u32(h + 4)
        caplen = self._u32(h + 8)
        wlen = self._u32(h + 12)
        # 2.3 and older files may have caplen and len the other way round
        if self.minor < 3 or (self.minor == 3 and caplen > wlen):
            caplen, wlen = wlen, caplen
        if caplen > PCAP_MAX_CAPLEN:
            return PCAP_BAD
        if left - need < caplen:
            return PCAP_TRUNCATED
        r.pos = self.pos
        r.data = h + need
        r.caplen = caplen
        # tcptrace writes caplen one above len; keep len >= caplen as tcpdump does
        r.wire_len = wlen if wlen >= caplen else caplen
        r.ts_ns = <int64_t>sec * 1000000000 + (<int64_t>sub if self.nano else <int64_t>sub * 1000)
        r.linktype = self.linktype
        self.pos += need + caplen
        return PCAP_RECORD

    cdef int _ng_interface(self, const uint8_t *body, uint32_t blen) noexcept nogil:
        """Records an interface description block's link type and resolution."""
        cdef int i = self.nif
        cdef uint32_t at = 8, code, olen, _k, res
        cdef int64_t p10
        if i >= PCAPNG_MAX_IF:
            return -1
        self.nif += 1
        self.if_linktype[i] = <int>self._u16(body)
        self.if_mul[i] = 1000            # default resolution: microseconds
        self.if_div[i] = 1
        self.if_scale[i] = 0
        if self.linktype < 0:
            self.linktype = self.if_linktype[i]
        while at + 4 <= blen:            # options: code(2) length(2) value, padded to 4
            code = self._u16(body + at)
            olen = self._u16(body + at + 2)
            if code == 0 or at + 4 + olen > blen:
                break
            if code == 9 and olen >= 1:  # if_tsresol
                res = body[at + 4]
                if res & 0x80:
                    self.if_scale[i] = 1e9 / <double>(<uint64_t>1 << (res & 0x3f))
                else:
                    p10 = 1
                    for _k in range(res if res < 9 else 9):
                        p10 *= 10
                    if res <= 9:
                        self.if_mul[i] = 1000000000 // p10
                        self.if_div[i] = 1
                    else:
                        self.if_mul[i] = 1
                        self.if_div[i] = 1
                        for _k in range(res - 9):
                            self.if_div[i] *= 10
            at += 4 + ((olen + 3) & ~3u)
        return 0

    cdef int _next_ng(self, PcapRecord *r) noexcept nogil:
        cdef uint64_t left
        cdef uint32_t btype, blen, ifc, caplen, wlen
        cdef uint64_t ticks
        cdef const uint8_t *b
        while True:
            if self.pos >= self.size:
                return PCAP_EOF
            left = self.size - self.pos
            if left < 12:
                return PCAP_TRUNCATED
            b = self.base + self.pos
            btype = _load32(b)
            if btype == NG_SHB:            # a new section: its own byte order
                if left < 28:
                    return PCAP_TRUNCATED
                if _load32(b + 8) == NG_BYTE_ORDER:
                    self.swapped = False
                elif _swap32(_load32(b + 8)) == NG_BYTE_ORDER:
                    self.swapped = True
                else:
                    return PCAP_BAD
                self.nif = 0
            else:
                btype = self._u32(b)
            blen = self._u32(b + 4)
            if blen < 12 or blen % 4:
                return PCAP_BAD
            if blen > left:
                return PCAP_TRUNCATED
            if btype == NG_IDB:
                if blen < 20 or self._ng_interface(b + 8, blen - 12) < 0:
                    return PCAP_BAD
            elif btype == NG_EPB:
                if blen < 32:
                    return PCAP_BAD
                ifc = self._u32(b + 8)
                ticks = (<uint64_t>self._u32(b + 12) << 32) | self._u32(b + 16)
                caplen = self._u32(b + 20)
                wlen = self._u32(b + 24)
                if ifc >= <uint32_t>self.nif or caplen > blen - 32 \
                        or caplen > PCAP_MAX_CAPLEN:
                    return PCAP_BAD
                r.pos = self.pos
                r.data = b + 28
                r.caplen = caplen
                r.wire_len = wlen if wlen >= caplen else caplen
                if self.if_scale[ifc] != 0:
                    r.ts_ns = <int64_t>(<double>ticks * self.if_scale[ifc])
                else:
                    r.ts_ns = <int64_t>ticks * self.if_mul[ifc] // self.if_div[ifc]
                r.linktype = self.if_linktype[ifc]
                self.pos += blen
                return PCAP_RECORD
            elif btype == NG_SPB:
                if blen < 16 or self.nif == 0:
                    return PCAP_BAD
                wlen = self._u32(b + 8)
                caplen = wlen if wlen <= blen - 16 else blen - 16
                if caplen > PCAP_MAX_CAPLEN:
                    return PCAP_BAD
                r.pos = self.pos
                r.data = b + 12
                r.caplen = caplen
                r.wire_len = wlen
                r.ts_ns = 0                 # simple packet blocks carry no time
                r.linktype = self.if_linktype[0]
                self.pos += blen
                return PCAP_RECORD
            self.pos += blen                # statistics, name resolution, custom...

    def records(self):
        """Yields (timestamp_ns, captured bytes, wire length, link type); tests."""
        cdef PcapRecord rec
        cdef int rc
        while True:
            rc = self.next(&rec)
            if rc != PCAP_RECORD:
                return rc
            yield rec.ts_ns, bytes(rec.data[:rec.caplen]), rec.wire_len, rec.linktype


cdef class PcapWriter:
    """Writes a libpcap file: ``PcapWriter.create(filename, linktype, snaplen, nano)``."""

    def __cinit__(self):
        self.f = NULL
        self.owns = False
        self.count = 0
        self.failed = False
        self.error = 0

    def __init__(self):
        raise TypeError("use PcapWriter.create(...)")

    def __dealloc__(self):
        if self.f != NULL and self.owns:
            fclose(self.f)
        self.f = NULL

    @staticmethod
    def create(str filename, int linktype, uint32_t snaplen=2000, bint nano=False):
        cdef PcapWriter w = PcapWriter.__new__(PcapWriter)
        cdef uint32_t hdr[6]
        if filename == "-":
            sys.stdout.flush()
            w.f = fdopen(os.dup(1), b"wb")
        else:
            w.f = fopen(os.fsencode(filename), b"wb")
        if w.f == NULL:
            raise OSError(f"{filename}: {os.strerror(errno)}")
        w.owns = True
        w.nano = nano
        w.snaplen = snaplen
        hdr[0] = MAGIC_NSEC if nano else MAGIC_USEC
        hdr[1] = 2 | (4 << 16)              # version 2.4, in our byte order
        hdr[2] = 0                          # thiszone
        hdr[3] = 0                          # sigfigs
        hdr[4] = snaplen if snaplen else 65535
        hdr[5] = <uint32_t>linktype
        if fwrite(hdr, 4, 6, w.f) != 6:
            w._fail()
        return w

    cdef void _fail(self) noexcept nogil:
        if not self.failed:
            self.failed = True
            self.error = errno

    cdef int write(self, const uint8_t *data, uint32_t length, uint32_t wire_len,
                   int64_t ts_ns) noexcept nogil:
        """Appends one record; -1 when the write failed."""
        cdef uint32_t rh[4]
        cdef uint32_t caplen = length
        cdef int64_t sec = ts_ns // 1000000000
        cdef int64_t sub = ts_ns - sec * 1000000000
        if self.f == NULL:
            return -1
        if self.snaplen and caplen > self.snaplen:
            caplen = self.snaplen
        rh[0] = <uint32_t>sec
        rh[1] = <uint32_t>(sub if self.nano else sub // 1000)
        rh[2] = caplen
        rh[3] = wire_len if wire_len >= caplen else caplen
        if fwrite(rh, 4, 4, self.f) != 4 or (caplen and fwrite(data, 1, caplen, self.f) != caplen):
            self._fail()
            return -1
        self.count += 1
        return 0

    def write_bytes(self, bytes data, int64_t ts_ns, wire_len=None):
        """Python access for tools and tests."""
        cdef const uint8_t *p = data
        return self.write(p, len(data), len(data) if wire_len is None else wire_len, ts_ns)

    def flush(self):
        """Flushes stdio's buffer; False when that failed (``error`` says why)."""
        if self.f != NULL and fflush(self.f) != 0:
            self._fail()
        return not self.failed

    def close(self):
        """Flushes and closes; False when anything written was lost."""
        if self.f != NULL and self.owns:
            if fclose(self.f) != 0:
                self._fail()
        elif self.f != NULL:
            self.flush()
        self.f = NULL
        return not self.failed
