"""icmp -- ICMP elements: header checks, errors, ping (Click's elements/icmp)."""
