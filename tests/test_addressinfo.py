"""test_addressinfo -- AddressInfo names in address arguments."""
import pytest
from runtime_util import router

from clickpy.lang import ClickError
from clickpy.runtime.args import EtherAddress, IPAddress, IPPrefix

CONFIG = "AddressInfo(eth0 10.0.0.1/24 00:00:c0:ae:67:ef, gw 10.0.0.254);\nInfiniteSource(LIMIT 0) -> Discard"


def test_names_resolve_by_the_kind_wanted():
    router(CONFIG)
    assert IPAddress.parse("eth0") == bytes([10, 0, 0, 1])
    assert IPAddress.parse("eth0:ip") == bytes([10, 0, 0, 1])
    assert IPAddress.parse("eth0:bcast") == bytes([10, 0, 0, 255])
    assert IPAddress.parse("eth0:ipnet") == bytes([10, 0, 0, 0])
    assert IPAddress.parse("gw") == bytes([10, 0, 0, 254])
    assert EtherAddress.parse("eth0") == bytes.fromhex("0000c0ae67ef")
    assert IPPrefix.parse("eth0") == (bytes([10, 0, 0, 1]), bytes([255, 255, 255, 0]))
    assert IPPrefix.parse("eth0:ipnet") == (bytes([10, 0, 0, 0]), bytes([255, 255, 255, 0]))
    assert IPPrefix.parse("gw") == (bytes([10, 0, 0, 254]), bytes([255] * 4))


def test_unknown_names_and_wrong_kinds_are_errors():
    router(CONFIG)
    with pytest.raises(ValueError):
        IPAddress.parse("eth1")
    with pytest.raises(ValueError):
        EtherAddress.parse("gw")


def test_bad_addressinfo_argument_names_the_element():
    with pytest.raises(ClickError) as e:
        router("a :: AddressInfo(eth0 10.0.0.1.5);")
    assert e.value.messages == [
        "test.click:1: While configuring 'a :: AddressInfo':",
        "  '10.0.0.1.5' is not an IP address, prefix or Ethernet address"]
