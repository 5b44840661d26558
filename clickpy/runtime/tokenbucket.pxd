# tokenbucket.pxd -- Click's token bucket arithmetic (jiffy ticks, 32-bit fractional tokens)
#
# The rated elements (RatedSource, RatedUnqueue, BandwidthRatedUnqueue) pace
# themselves with this bucket so that, under simulated time, they emit packets
# at the very instants Click's do. The arithmetic follows Click's
# include/click/tokenbucket.hh: time moves in ticks of one millisecond (the
# user-level jiffy), the token count is kept as a 32-bit fraction of the
# bucket's capacity, and refills add a whole number of fractional tokens per
# elapsed tick. Everything here is inline C; nothing needs the GIL.
from libc.stdint cimport UINT32_MAX, uint32_t, uint64_t

from clickpy.runtime.clock cimport now_ns

cdef enum:
    TB_FREQUENCY = 1000             # ticks per second (Click's user-level CLICK_HZ)

# UINT32_MAX is both a full bucket and "never" as a tick count.


ctypedef struct TokenBucket:
    uint32_t tokens_per_tick        # fractional tokens added per tick; 0: idle rate
    uint32_t token_scale            # fractional tokens per whole token
    uint32_t time_until_full        # ticks from empty to full; 0: unlimited rate
    uint32_t tokens                 # fractional tokens held, UINT32_MAX when full
    uint32_t time_point             # tick of the last refill (32-bit, as Click's jiffies)


cdef inline uint32_t tb_jiffies() noexcept nogil:
    """Router time in milliseconds, cut to 32 bits like Click's user-level jiffies."""
    return <uint32_t>(<uint64_t>(now_ns() // 1000000))


cdef inline void tb_init(TokenBucket *tb) noexcept nogil:
    """An idle, empty bucket whose last refill was at tick 0."""
    tb.tokens_per_tick = 0
    tb.token_scale = 1
    tb.time_until_full = UINT32_MAX
    tb.tokens = 0
    tb.time_point = 0


cdef inline void tb_assign(TokenBucket *tb, uint32_t rate, uint32_t capacity) noexcept nogil:
    """Sets the fill rate (tokens per second) and capacity (tokens).

    A zero rate or capacity makes the rate idle. The held fraction and the
    time point stay as they are, so the token count scales with capacity.
    """
    cdef uint32_t min_capacity
    cdef uint64_t per_tick
    if capacity == 0:
        rate = 0
        capacity = UINT32_MAX
    if rate != 0:
        # at least one whole token must fit in a tick's worth of refill
        min_capacity = (rate - 1) // TB_FREQUENCY + 1
        if capacity < min_capacity:
            capacity = min_capacity
    tb.token_scale = UINT32_MAX // capacity
    per_tick = <uint64_t>rate * tb.token_scale // TB_FREQUENCY
    if rate != 0:
        tb.tokens_per_tick = <uint32_t>per_tick if per_tick != 0 else 1
        tb.time_until_full = (UINT32_MAX - 1) // tb.tokens_per_tick + 1
    else:
        tb.tokens_per_tick = 0
        tb.time_until_full = UINT32_MAX


cdef inline bint tb_scale(TokenBucket *tb, uint32_t *t) noexcept nogil:
    """Whole tokens to fractional ones in place; False (and UINT32_MAX) on overflow."""
    cdef uint64_t f = <uint64_t>t[0] * tb.token_scale
    if f > UINT32_MAX:
        t[0] = UINT32_MAX
        return False
    t[0] = <uint32_t>f
    return True


cdef inline void tb_adjust(TokenBucket *tb, uint32_t old_scale) noexcept nogil:
    """Keeps the token count after tb_assign changed the scale from ``old_scale``."""
    cdef uint64_t f
    if old_scale != tb.token_scale:
        f = <uint64_t>tb.tokens * tb.token_scale // old_scale
        tb.tokens = <uint32_t>f if f <= UINT32_MAX else UINT32_MAX


cdef inline void tb_refill_at(TokenBucket *tb, uint32_t now) noexcept nogil:
    """Adds the tokens earned since the last refill (time never runs backwards)."""
    cdef uint32_t diff = now - tb.time_point if tb.time_point <= now else 0
    cdef uint64_t t
    if diff >= tb.time_until_full:
        tb.tokens = UINT32_MAX
    elif diff > 0:
        t = <uint64_t>tb.tokens + <uint64_t>diff * tb.tokens_per_tick
        tb.tokens = <uint32_t>t if t <= UINT32_MAX else UINT32_MAX
    tb.time_point = now


cdef inline void tb_refill(TokenBucket *tb) noexcept nogil:
    tb_refill_at(tb, tb_jiffies())


cdef inline void tb_set(TokenBucket *tb, uint32_t t) noexcept nogil:
    """Holds exactly ``t`` tokens (at most the capacity)."""
    tb_scale(tb, &t)
    tb.tokens = t


cdef inline bint tb_contains(TokenBucket *tb, uint32_t t) noexcept nogil:
    return tb_scale(tb, &t) and t <= tb.tokens


cdef inline bint tb_remove_if(TokenBucket *tb, uint32_t t) noexcept nogil:
    """Takes ``t`` tokens when the bucket holds them; False (nothing taken) if not."""
    if not tb_scale(tb, &t) or t > tb.tokens:
        return False
    tb.tokens -= t
    return True


cdef inline void tb_remove(TokenBucket *tb, uint32_t t) noexcept nogil:
    """Takes ``t`` tokens, emptying the bucket when it holds fewer."""
    tb_scale(tb, &t)
    tb.tokens = tb.tokens - t if t <= tb.tokens else 0


cdef inline uint32_t tb_time_until_contains(TokenBucket *tb, uint32_t t) noexcept nogil:
    """Ticks until the bucket holds ``t`` tokens; UINT32_MAX when it never will."""
    if not tb_scale(tb, &t):
        return UINT32_MAX
    if t <= tb.tokens or tb.time_until_full == 0:
        return 0
    if tb.tokens_per_tick == 0:
        return UINT32_MAX
    return (t - tb.tokens - 1) // tb.tokens_per_tick + 1


cdef inline uint32_t tb_rate(TokenBucket *tb) noexcept nogil:
    """The fill rate in tokens per second, as the tick arithmetic realizes it."""
    cdef uint64_t r = (<uint64_t>tb.tokens_per_tick * TB_FREQUENCY
                       + tb.tokens_per_tick // 2) // tb.token_scale
    return <uint32_t>r if r <= UINT32_MAX else UINT32_MAX


cdef inline uint32_t tb_capacity(TokenBucket *tb) noexcept nogil:
    return UINT32_MAX // tb.token_scale
