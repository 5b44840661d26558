"""sourcedata -- the packet data Click's sources send when given no DATA.

InfiniteSource, RatedSource and TimedSource share it, byte for byte as
Click's (69 bytes), so counts and bandwidths come out as Click's do.
"""

DEFAULT_DATA = b"Random bullshit in a packet, at least 64 bytes long. Well, now it is."
