"""test_checksum -- the runtime's Internet checksum, as Python tools call it, against scapy's."""
import random

from hypothesis import given
from hypothesis import strategies as st
from scapy.utils import checksum as scapy_checksum

from clickpy.runtime.checksum import internet_checksum


def test_known_ip_header():
    # RFC 1071-style example: a real IPv4 header whose checksum field is zero
    header = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
    assert internet_checksum(header) == 0xB861
    filled = header[:10] + (0xB861).to_bytes(2, "big") + header[12:]
    assert internet_checksum(filled) == 0


@given(st.binary(min_size=1, max_size=1600))
def test_matches_scapy(data):
    assert internet_checksum(data) == scapy_checksum(data) & 0xFFFF


def test_accepts_bytearray_and_odd_lengths():
    rng = random.Random(7)
    data = bytearray(rng.getrandbits(8) for _ in range(61))
    assert internet_checksum(data) == scapy_checksum(bytes(data)) & 0xFFFF
    assert internet_checksum(b"") == 0xFFFF
