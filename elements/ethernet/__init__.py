"""ethernet -- Ethernet framing, VLAN tags and ARP (Click's elements/ethernet)."""
