"""test_addressinfo -- AddressInfo names in address arguments."""
import pytest
from harness import config_error, router

from clickpy.errors import ClickError
from clickpy.runtime.args import EtherAddress, IPAddress, IPPrefix

CONFIG = "AddressInfo(eth0 10.0.0.1/24 00:00:c0:ae:67:ef, gw 10.0.0.254);\nInfiniteSource(LIMIT 0) -> Discard"


def test_names_resolve_by_the_kind_wanted():
    names = router(CONFIG).address_table
    assert IPAddress.parse_in("eth0", names) == bytes([10, 0, 0, 1])
    assert IPAddress.parse_in("eth0:ip", names) == bytes([10, 0, 0, 1])
    assert IPAddress.parse_in("eth0:bcast", names) == bytes([10, 0, 0, 255])
    assert IPAddress.parse_in("eth0:ipnet", names) == bytes([10, 0, 0, 0])
    assert IPAddress.parse_in("gw", names) == bytes([10, 0, 0, 254])
    assert EtherAddress.parse_in("eth0", names) == bytes.fromhex("0000c0ae67ef")
    assert IPPrefix.parse_in("eth0", names) == (bytes([10, 0, 0, 1]), bytes([255, 255, 255, 0]))
    assert IPPrefix.parse_in("eth0:ipnet", names) == \
        (bytes([10, 0, 0, 0]), bytes([255, 255, 255, 0]))
    assert IPPrefix.parse_in("gw", names) == (bytes([10, 0, 0, 254]), bytes([255] * 4))


def test_unknown_names_and_wrong_kinds_are_errors():
    names = router(CONFIG).address_table
    with pytest.raises(ValueError):
        IPAddress.parse_in("eth1", names)
    with pytest.raises(ValueError):
        EtherAddress.parse_in("gw", names)


def test_names_belong_to_their_router():
    """A second router does not see the first one's names, nor does code outside both."""
    first = router(CONFIG)
    second = router("AddressInfo(eth0 192.168.1.1/16);\nInfiniteSource(LIMIT 0) -> Discard")
    assert IPAddress.parse_in("eth0", first.address_table) == bytes([10, 0, 0, 1])
    assert IPAddress.parse_in("eth0", second.address_table) == bytes([192, 168, 1, 1])
    with pytest.raises(ValueError):
        IPAddress.parse_in("gw", second.address_table)
    with pytest.raises(ValueError):
        IPAddress.parse("eth0")
    with pytest.raises(ClickError):
        router("InfiniteSource(LIMIT 0) -> EtherEncap(0x0800, eth0, 1:2:3:4:5:6) -> Discard")


def test_bad_addressinfo_argument_names_the_element():
    assert config_error("a :: AddressInfo(eth0 10.0.0.1.5);") == [
        "test.click:1: While configuring 'a :: AddressInfo':",
        "  '10.0.0.1.5' is not an IP address, prefix or Ethernet address"]
