/* ceiling.c -- the plain C loop the forward chain is measured against
 *
 * Built at benchmark time (cc -O2 -shared -fPIC, into a temporary folder)
 * and called through ctypes; it is not part of the clickpy package.
 *
 * ceiling_run() does, in one C function with no element boundaries, the
 * per-packet work of
 *
 *   InfiniteSource -> Counter -> Strip(14) -> CheckIPHeader -> DecIPTTL
 *     -> Unstrip(14) -> Discard
 *
 * over N packets, in batches of 64:
 *   1. take a 2048-byte buffer from a last-in-first-out free list (like the
 *      packet pool), point the data 128 bytes in (headroom), and copy the
 *      template frame into it with memcpy (InfiniteSource);
 *   2. add the lengths to a byte count and the batch size to a packet count
 *      (Counter);
 *   3. per packet: skip 14 bytes (Strip); check that 20 bytes remain, the
 *      version is 4, the header length is at least 20, the IP length lies
 *      between the header length and the bytes present, and the RFC 1071
 *      checksum of the header is correct; trim to the IP length, record the
 *      network header offset and copy the destination address to an
 *      annotation (CheckIPHeader); drop TTL <= 1, otherwise decrement it and
 *      patch the checksum with RFC 1624 equation 3 (DecIPTTL); give the 14
 *      bytes back (Unstrip);
 *   4. return every buffer to the free list (Discard, and drops).
 * It does not check for clones, keep per-element counters or call through
 * function pointers; that is the price of the element structure, which
 * the ratio measures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 64
#define NBUF 256
#define BUFSIZE 2048
#define HEADROOM 128

struct cpkt {
    uint8_t *buf;           /* start of the buffer */
    uint8_t *data;          /* first byte of packet data */
    uint32_t len;           /* bytes of data */
    int32_t nh_off;         /* network header, from buf */
    uint8_t dst_anno[4];    /* destination address annotation */
};

static inline int ip_header_ok(const uint8_t *ip, uint32_t plen, uint32_t *hlen_out,
                               uint32_t *len_out)
{
    uint32_t hlen, len, i, w;
    uint64_t sum = 0;
    if (plen < 20 || (ip[0] >> 4) != 4)
        return 0;
    hlen = (uint32_t)(ip[0] & 0x0F) << 2;
    if (hlen < 20)
        return 0;
    len = (uint32_t)ip[2] << 8 | ip[3];
    if (len > plen || len < hlen)
        return 0;
    for (i = 0; i < hlen; i += 4) {
        memcpy(&w, ip + i, 4);
        sum += w;
    }
    sum = (sum & 0xFFFFFFFFu) + (sum >> 32);
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (sum & 0xFFFF) + (sum >> 16);
    if (sum != 0xFFFF)
        return 0;
    *hlen_out = hlen;
    *len_out = len;
    return 1;
}

static inline int dec_ttl(uint8_t *ip)
{
    uint32_t sum;
    if (ip[8] <= 1)
        return 0;
    /* RFC 1624 eqn 3 with m' = m - 0x0100: ~m + m' = 0xFEFF */
    sum = (~((uint32_t)ip[10] << 8 | ip[11]) & 0xFFFF) + 0xFEFF;
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = ~sum & 0xFFFF;
    ip[10] = (uint8_t)(sum >> 8);
    ip[11] = (uint8_t)sum;
    ip[8]--;
    return 1;
}

/* Runs the loop; returns elapsed nanoseconds, or -1 when out of memory:
 * this thread's CPU time when cpu_clock, else wall-clock (monotonic) time.
 * out[0]: packets counted, out[1]: bytes counted, out[2]: packets forwarded. */
int64_t ceiling_run(const uint8_t *tmpl, uint32_t length, uint64_t n, uint64_t *out,
                    int cpu_clock)
{
    clockid_t clock = cpu_clock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
    uint8_t *mem = malloc((size_t)NBUF * BUFSIZE);
    uint8_t *free_list[NBUF];
    uint32_t nfree = NBUF, i, keep, nb;
    struct cpkt b[BATCH];
    uint64_t left = n, npackets = 0, nbytes = 0, forwarded = 0;
    struct timespec t0, t1;
    if (mem == NULL || length + HEADROOM > BUFSIZE)
        return -1;
    for (i = 0; i < NBUF; i++)
        free_list[i] = mem + (size_t)i * BUFSIZE;
    memset(mem, 0, (size_t)NBUF * BUFSIZE);

    clock_gettime(clock, &t0);
    while (left) {
        nb = left < BATCH ? (uint32_t)left : BATCH;
        /* 1. source: allocate and copy */
        for (i = 0; i < nb; i++) {
            b[i].buf = free_list[--nfree];
            b[i].data = b[i].buf + HEADROOM;
            b[i].len = length;
            b[i].nh_off = -1;
            memcpy(b[i].data, tmpl, length);
        }
        /* 2. counter */
        for (i = 0; i < nb; i++)
            nbytes += b[i].len;
        npackets += nb;
        /* 3. strip, check, decrement, unstrip; drops go back at once */
        keep = 0;
        for (i = 0; i < nb; i++) {
            struct cpkt *p = &b[i];
            uint32_t hlen, len;
            uint8_t *ip;
            if (p->len < 14)
                goto drop;
            p->data += 14;
            p->len -= 14;
            ip = p->data;
            if (!ip_header_ok(ip, p->len, &hlen, &len))
                goto drop;
            p->nh_off = (int32_t)(ip - p->buf);
            if (p->len > len)
                p->len = len;
            memcpy(p->dst_anno, ip + 16, 4);
            if (!dec_ttl(ip))
                goto drop;
            p->data -= 14;
            p->len += 14;
            b[keep++] = *p;
            continue;
        drop:
            free_list[nfree++] = p->buf;
        }
        /* 4. discard */
        for (i = 0; i < keep; i++)
            free_list[nfree++] = b[i].buf;
        forwarded += keep;
        left -= nb;
    }
    clock_gettime(clock, &t1);
    free(mem);
    out[0] = npackets;
    out[1] = nbytes;
    out[2] = forwarded;
    return (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec);
}
