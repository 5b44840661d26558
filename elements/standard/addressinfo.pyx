# addressinfo.pyx -- AddressInfo: names for addresses, usable in other elements' arguments
from clickpy.runtime.element cimport Element


cdef class AddressInfo(Element):
    """
    =c
    AddressInfo(NAME ADDRESS [ADDRESS...], ...)
    =s information
    specifies address information
    =io
    None.
    =d
    Gives names to IP addresses, IP prefixes and Ethernet addresses. Any
    argument of another element that expects one of these may then use the
    name. In an argument that wants an IP address, NAME means the address
    (the address part of a prefix); where a prefix is wanted, the prefix;
    where an Ethernet address is wanted, the Ethernet address. Suffixes
    pick one meaning: NAME:ip, NAME:eth, NAME:ipnet (the prefix's network
    address, or the network prefix), NAME:bcast (the prefix's broadcast
    address). AddressInfo elements are configured before all others.
    =n
    IPv6 addresses are not supported.
    =e
      AddressInfo(eth0 10.0.0.1/24 00:00:c0:ae:67:ef);
      ... -> EtherEncap(0x0800, eth0, 00:00:c0:4f:71:ef) -> ...
    =a ARPQuerier, ARPResponder
    """
    port_count = "0/0"
    processing = "a/a"
    configure_phase = -10           # before every element that may use the names

    def configure(self, args):
        from clickpy.lang.confstring import split_spaces
        table = self.address_names
        for arg in args:
            words = split_spaces(arg)
            if len(words) < 2:
                raise ValueError(f"expected 'NAME ADDRESS [ADDRESS...]', got '{arg}'")
            for text in words[1:]:
                table.define(words[0], text)
