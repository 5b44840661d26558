# checksum.pxd -- Internet checksums: RFC 1071 sums and RFC 1624 incremental updates
#
# Inline only: elements cimport these and the C compiler inlines them into
# their actions; nothing here needs an extension of its own.
#
# Byte order (RFC 1071 section 2(B)): a one's complement sum of 16-bit words
# taken in the machine's byte order equals the big-endian sum with its two
# bytes swapped. So the sums below load whole 32-bit words in host order
# (memcpy: no alignment needed) and only the final 16-bit result, where a
# caller wants a number, is converted to network order. A correct header
# sums to 0xFFFF in either order, so checking needs no conversion at all.
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy


cdef inline uint64_t csum_partial(const uint8_t *data, uint32_t length,
                                  uint64_t acc) noexcept nogil:
    """Adds ``length`` bytes to a running one's complement sum (host order).

    Words of 32 bits go into a 64-bit accumulator (RFC 1071 section 2(C):
    carries are folded back at the end); an odd last byte counts as the
    high byte of a zero-padded 16-bit word, as the RFC says.
    """
    cdef uint32_t w32
    cdef uint16_t w16 = 0
    while length >= 4:
        memcpy(&w32, data, 4)
        acc += w32
        data += 4
        length -= 4
    if length >= 2:
        memcpy(&w16, data, 2)
        acc += w16
        data += 2
        length -= 2
    if length:
        w16 = 0
        memcpy(&w16, data, 1)     # the byte first in memory: high byte in network order
        acc += w16
    return acc


cdef inline uint16_t csum_fold(uint64_t acc) noexcept nogil:
    """Folds a running sum to 16 bits with end-around carries (host order)."""
    acc = (acc & 0xFFFFFFFFU) + (acc >> 32)
    acc = (acc & 0xFFFFFFFFU) + (acc >> 32)
    acc = (acc & 0xFFFF) + (acc >> 16)
    acc = (acc & 0xFFFF) + (acc >> 16)
    return <uint16_t>acc


cdef inline uint16_t csum_to_net(uint16_t host_order_sum) noexcept nogil:
    """A 16-bit value summed in host order, as the number network order reads.

    Stores the two bytes as memory holds them and reads them big-endian;
    the compiler turns this into one byte swap (or nothing on big-endian).
    """
    cdef uint8_t b[2]
    memcpy(b, &host_order_sum, 2)
    return <uint16_t>((b[0] << 8) | b[1])


cdef inline uint16_t csum(const uint8_t *data, uint32_t length) noexcept nogil:
    """The RFC 1071 Internet checksum of ``data``, as a number (network order).

    The value to store, big-endian, in a checksum field that was zero while
    summing; 0 when ``data`` already contains a correct checksum.
    """
    return csum_to_net(<uint16_t>~csum_fold(csum_partial(data, length, 0)))


cdef inline bint csum_ip_header_ok(const uint8_t *ip, uint32_t hlen) noexcept nogil:
    """Whether an IPv4 header of ``hlen`` bytes (20 or more, a multiple of 4,
    all readable: callers check) carries a correct checksum.

    The fixed 20 bytes are summed as five unrolled words, options after.
    """
    cdef uint32_t w0, w1, w2, w3, w4
    cdef uint64_t acc
    memcpy(&w0, ip, 4)
    memcpy(&w1, ip + 4, 4)
    memcpy(&w2, ip + 8, 4)
    memcpy(&w3, ip + 12, 4)
    memcpy(&w4, ip + 16, 4)
    acc = <uint64_t>w0 + w1 + w2 + w3 + w4
    if hlen > 20:
        acc = csum_partial(ip + 20, hlen - 20, acc)
    return csum_fold(acc) == 0xFFFF


cdef inline uint16_t _csum_get(const uint8_t *field) noexcept nogil:
    return <uint16_t>((field[0] << 8) | field[1])


cdef inline void _csum_put(uint8_t *field, uint32_t acc) noexcept nogil:
    acc = (acc & 0xFFFF) + (acc >> 16)
    acc = (acc & 0xFFFF) + (acc >> 16)
    acc = ~acc & 0xFFFF
    field[0] = <uint8_t>(acc >> 8)
    field[1] = <uint8_t>acc


cdef inline void csum_replace16(uint8_t *field, uint16_t old_word,
                                uint16_t new_word) noexcept nogil:
    """Patches the checksum at ``field`` after a 16-bit word changed from
    ``old_word`` to ``new_word`` (both numbers as read in network order).

    RFC 1624 equation 3, HC' = ~(~HC + ~m + m'), which unlike RFC 1141's
    form never turns a correct checksum into the wrong zero.
    """
    cdef uint32_t acc = (<uint32_t>(~_csum_get(field)) & 0xFFFF) \
        + (<uint32_t>(~old_word) & 0xFFFF) + new_word
    _csum_put(field, acc)


cdef inline void csum_replace32(uint8_t *field, uint32_t old_word,
                                uint32_t new_word) noexcept nogil:
    """Patches the checksum at ``field`` after a 32-bit field (an address)
    changed from ``old_word`` to ``new_word`` (numbers as read in network order):
    RFC 1624 equation 3 applied to both halves."""
    cdef uint32_t acc = (<uint32_t>(~_csum_get(field)) & 0xFFFF) \
        + (~(old_word >> 16) & 0xFFFF) + (~old_word & 0xFFFF) \
        + (new_word >> 16) + (new_word & 0xFFFF)
    _csum_put(field, acc)
