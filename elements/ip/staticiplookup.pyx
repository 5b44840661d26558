# staticiplookup.pyx -- StaticIPLookup: LinearIPLookup whose routes are fixed at configuration
from clickpy.elements.ip.lineariplookup import LinearIPLookup


class StaticIPLookup(LinearIPLookup):
    """
    =c
    StaticIPLookup(ADDR1/MASK1 [GW1] OUT1, ADDR2/MASK2 [GW2] OUT2, ...)
    =s iproute
    simple static IP routing table
    =io
    One input, any number of outputs.
    =processing
    Push.
    =d
    Works as LinearIPLookup: longest-prefix match of the destination IP
    annotation, gateway into the annotation, packet to the route's output,
    drop when no route matches. The routes are the configuration arguments
    and cannot change while the router runs: there are no add, set, remove
    or ctrl handlers.
    =n
    Like LinearIPLookup, drops unrouted packets without printing a message.
    =e
      rt :: StaticIPLookup(10.0.0.0/8 0, 0/0 10.0.0.1 1);
    =h table read-only
    The routing table, one C<ADDR/MASK GW OUT> route a line.
    =h lookup read-only
    With an address parameter: the output port, then the gateway if any, of
    the route for that address; C<-1> when none matches.
    =a LinearIPLookup, RadixIPLookup, DirectIPLookup, RangeIPLookup
    """
    port_count = "1/-"
    processing = "h/h"

    DYNAMIC_ROUTES = False          # no add, set, remove or ctrl handlers
