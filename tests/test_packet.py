"""test_packet -- the packet pool and packet operations, through the Python view."""
import pytest
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether

import clickpy
from clickpy.runtime.packet import pool_stats


def test_bytes_annotations_and_scapy_round_trip():
    frame = Ether(src="00:01:02:03:04:05", dst="06:07:08:09:0a:0b") / IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1, dport=2) / b"hi"
    p = clickpy.Packet(frame)
    assert p.data == bytes(frame) and len(p) == len(bytes(frame))
    assert p.paint == 0 and p.dst_ip == "0.0.0.0" and p.timestamp_ns == 0
    p.paint = 7
    p.dst_ip = "192.168.1.9"
    assert p.anno[16] == 7 and p.anno[0:4] == bytes([192, 168, 1, 9])
    assert p.to_scapy()[IP].dst == "10.0.0.2"
    assert clickpy.Packet.from_scapy(frame).data == bytes(frame)


def test_push_pull_put_take_keep_data_exact():
    p = clickpy.Packet(b"abcdef")
    assert p.headroom == 128
    p.pull(2)
    assert p.data == b"cdef" and p.headroom == 130
    p.push(b"XY")
    assert p.data == b"XYcdef"
    p.put(b"12")
    assert p.data == b"XYcdef12"
    p.take(3)
    assert p.data == b"XYcde"


def test_push_beyond_headroom_copies_into_a_new_buffer():
    p = clickpy.Packet(b"data", headroom=2)
    p.push(b"0123456789")
    assert p.data == b"0123456789data"
    assert p.headroom >= 128


def test_clone_shares_until_written():
    p = clickpy.Packet(b"shared bytes")
    q = p.clone()
    assert p.shared and q.shared
    q.write(0, b"S")
    assert q.data == b"Shared bytes" and p.data == b"shared bytes"
    assert not q.shared and not p.shared


def test_network_header_moves_with_copies():
    p = clickpy.Packet(b"\x00" * 14 + b"\x45" + b"\x00" * 19)
    p.set_network_header(14, 20)
    assert p.network_header_offset == 14
    q = p.clone()
    q.push(b"\xff" * 200)               # forces a copy: offsets must follow the data
    assert q.network_header_offset == 214
    assert q.data[214] == 0x45


def test_pool_returns_every_buffer():
    before = pool_stats()
    packets = [clickpy.Packet(b"x" * 100) for _ in range(1000)]
    clones = [p.clone() for p in packets]
    mid = pool_stats()
    assert before["packets_free"] - mid["packets_free"] == 2000
    assert before["buffers_free"] - mid["buffers_free"] == 1000
    del packets, clones
    assert pool_stats()["packets_free"] == before["packets_free"]
    assert pool_stats()["buffers_free"] == before["buffers_free"]


def test_oversize_packets_use_an_external_buffer():
    before = pool_stats()["external_allocs"]
    p = clickpy.Packet(b"j" * 9000)
    assert len(p) == 9000 and p.data == b"j" * 9000
    assert pool_stats()["external_allocs"] == before + 1


def test_released_packet_view_refuses_use():
    from clickpy.runtime.router import Router  # noqa: F401  (ensures runtime import works)
    p = clickpy.Packet(b"abc")
    q = p.clone()
    del q
    assert len(p) == 3
    with pytest.raises(ValueError):
        p.write(5, b"zz")


def test_copy_keeps_bytes_pulled_off_in_front():
    p = clickpy.Packet(b"ETHERNETHDR!" + b"\x45payload")
    p.set_network_header(12, 1)
    p.pull(12)                          # data now starts at the IP header
    q = p.clone()
    q.write(0, b"\x46")                 # forces a copy of the shared buffer
    assert q.data == b"\x46payload" and not q.shared
    assert q.network_header_offset == 0
    q.unpull(12)                        # the pulled-off header is still there
    assert q.data == b"ETHERNETHDR!\x46payload"
    assert p.data == b"\x45payload"
