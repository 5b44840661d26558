"""addresses -- names for addresses (Click's AddressInfo), one table per router."""
from __future__ import annotations

from clickpy.lang import values as v


class AddressTable:
    """Names defined by AddressInfo elements: IP address, prefix, Ethernet address."""

    def __init__(self):
        self.names: dict[str, dict[str, object]] = {}

    def define(self, name: str, text: str):
        """Adds one address to ``name``; the kind is read from the text."""
        entry = self.names.setdefault(name, {})
        for kind, parse in (("eth", v.parse_ether), ("ip", v.parse_ip)):
            try:
                entry[kind] = parse(text)
                return
            except ValueError:
                pass
        try:
            addr, mask = v.parse_ip_prefix(text, allow_bare=False)
        except ValueError:
            raise ValueError(f"'{text}' is not an IP address, prefix or Ethernet address") \
                from None
        entry["prefix"] = (addr, mask)
        entry.setdefault("ip", addr)

    def lookup(self, text: str, kind: str):
        """``name`` or ``name:suffix`` as an address of ``kind`` (ip, prefix, eth), or None.

        Suffixes: ``:ip``, ``:eth``, ``:ipnet`` (the network of the prefix),
        ``:bcast`` (its broadcast address), ``:prefix``.
        """
        name, _, suffix = text.partition(":")
        entry = self.names.get(name)
        if entry is None:
            return None
        if suffix in ("", kind):
            if kind == "prefix":
                return entry.get("prefix") or _as_prefix(entry.get("ip"))
            return entry.get(kind)
        if suffix == "ip" and kind == "prefix":
            return _as_prefix(entry.get("ip"))
        prefix = entry.get("prefix")
        if prefix is None:
            return None
        addr, mask = prefix
        if suffix == "ipnet":
            net = bytes(a & m for a, m in zip(addr, mask, strict=True))
            return (net, mask) if kind == "prefix" else net if kind == "ip" else None
        if suffix == "bcast" and kind == "ip":
            return bytes(a | (~m & 0xFF) for a, m in zip(addr, mask, strict=True))
        return None


def _as_prefix(addr):
    return None if addr is None else (addr, b"\xff\xff\xff\xff")

