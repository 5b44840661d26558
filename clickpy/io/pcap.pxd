# pcap.pxd -- libpcap and pcapng files: a memory-mapped record reader and a buffered writer
from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.stdio cimport FILE

cdef enum:
    PCAP_RECORD = 1             # next() found a record
    PCAP_EOF = 0                # clean end of file
    PCAP_TRUNCATED = -1         # the file ends inside a record
    PCAP_BAD = -2               # a record header makes no sense; reading stops
    PCAP_MAX_CAPLEN = 262144    # largest capture length accepted (tcpdump's snaplen)
    PCAPNG_MAX_IF = 64          # pcapng interfaces remembered per section

ctypedef struct PcapRecord:
    const uint8_t *data         # captured bytes, inside the mapping
    uint32_t caplen             # captured length
    uint32_t wire_len           # original length on the wire (>= caplen)
    int64_t ts_ns               # timestamp, ns since the epoch
    int linktype                # LINKTYPE_* of this record
    uint64_t pos                # file offset of the record header


cdef class PcapReader:
    cdef object _keep           # mmap or bytes owning the data
    cdef const uint8_t *base    # first byte of the file
    cdef readonly uint64_t size  # bytes in the file
    cdef readonly uint64_t pos  # next record's offset
    cdef readonly bint ng       # pcapng (else libpcap)
    cdef bint swapped           # file byte order differs from ours
    cdef bint nano              # libpcap: nanosecond timestamps
    cdef int minor              # libpcap minor version (2.3 and older swap lengths)
    cdef uint32_t extra_hdr     # bytes after each record header (modified pcap)
    cdef readonly int linktype  # libpcap link type; pcapng: first interface's
    cdef int nif                # pcapng: interfaces in this section
    cdef int if_linktype[PCAPNG_MAX_IF]
    cdef int64_t if_mul[PCAPNG_MAX_IF]     # ts * mul / div = ns (decimal resolutions)
    cdef int64_t if_div[PCAPNG_MAX_IF]
    cdef double if_scale[PCAPNG_MAX_IF]    # ns per tick (binary resolutions), else 0

    cdef int next(self, PcapRecord *r) noexcept nogil
    cdef int _next_ng(self, PcapRecord *r) noexcept nogil
    cdef uint32_t _u32(self, const uint8_t *p) noexcept nogil
    cdef uint32_t _u16(self, const uint8_t *p) noexcept nogil
    cdef int _ng_interface(self, const uint8_t *body, uint32_t blen) noexcept nogil


cdef class PcapWriter:
    cdef FILE *f                # the output, buffered by stdio
    cdef bint owns              # close at the end (not stdout)
    cdef readonly bint nano     # nanosecond timestamps
    cdef readonly uint32_t snaplen   # bytes of each packet written (0: all)
    cdef readonly uint64_t count     # records written
    cdef readonly bint failed        # a write failed (disk full...)
    cdef readonly int error          # errno of the first failure

    cdef int write(self, const uint8_t *data, uint32_t length, uint32_t wire_len,
                   int64_t ts_ns) noexcept nogil
    cdef void _fail(self) noexcept nogil
