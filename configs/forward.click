// forward.click -- the default benchmark and smoke test: a generated
// stream of identical 64-byte UDP frames through the IP forwarding
// fast path, counted before and after.
//
// Interfaces: none. InfiniteSource emits $N copies of one Ethernet/IPv4/UDP
// frame, then stops the driver (STOP true). Each frame loses its Ethernet
// header, has its IP header checked and its TTL decremented (checksum
// patched), gets its Ethernet header back and is counted and discarded.
// c0 and c1 should both count $N packets; a difference means CheckIPHeader
// or DecIPTTL dropped some.
//
// The frame, 64 bytes:
//   Ethernet  dst 00:00:c0:ae:67:ef  src 00:00:c0:4f:71:ef  type 0800
//   IPv4      version 4, header 20 bytes, TOS 0, total length 50, id 0,
//             no fragmentation, TTL 64, protocol 17 (UDP),
//             header checksum 65b8, 10.0.0.2 -> 10.0.1.2
//   UDP       port 1234 -> 5678, length 30, checksum 76f0
//   payload   "clickpy forward test!\n" (22 bytes)
//
// Push and pull: every element is agnostic (a/a, and a/ah with output 1
// unused), so the whole chain is push, driven by InfiniteSource's task.
//
// Run:
//   clickpy check configs/forward.click
//   clickpy run configs/forward.click N=1000000 -h c0.count -h c1.count

define($N 1000000);

InfiniteSource(DATA \<00 00 c0 ae 67 ef 00 00 c0 4f 71 ef 08 00
                      45 00 00 32 00 00 00 00 40 11 65 b8 0a 00 00 02 0a 00 01 02
                      04 d2 16 2e 00 1e 76 f0
                      63 6c 69 63 6b 70 79 20 66 6f 72 77 61 72 64 20 74 65 73 74 21 0a>,
               LIMIT $N, BURST 64, STOP true)
  -> c0 :: Counter
  -> Strip(14)
  -> CheckIPHeader
  -> DecIPTTL
  -> Unstrip(14)
  -> c1 :: Counter
  -> Discard;
