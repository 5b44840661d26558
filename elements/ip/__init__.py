"""ip -- IPv4 elements: header checks and marks, TTL, addresses (Click's elements/ip)."""
