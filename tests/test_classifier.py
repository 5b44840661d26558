"""test_classifier -- Classifier: OFFSET/VALUE%MASK patterns, the program listing, errors."""
import pytest
from harness import click_error, router
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import ARP, Ether

import clickpy
from clickpy.elements.standard.classification.pattern import parse_classifier
from clickpy.elements.standard.classification.tree import ClassTree


class Sorter:
    """``src -> x :: CLASS(ARGS)``, output i into counter ci; ``out(pkt)`` is
    the output a packet took (None: dropped)."""

    def __init__(self, cls, patterns, noutputs=None, before=""):
        n = len(patterns) if noutputs is None else noutputs
        text = f"InfiniteSource(ACTIVE false) -> {before} x :: {cls}({', '.join(patterns)});\n"
        text += "".join(f"x[{i}] -> c{i} :: Counter -> Discard;\n" for i in range(n))
        self.n = n
        self.router = router(text)
        self.head = self.router.element("x" if not before else "head")

    def counts(self):
        return [int(self.router.read(f"c{i}.count")) for i in range(self.n)]

    def out(self, pkt):
        before = self.counts()
        self.head.push(0, clickpy.Packet(bytes(pkt)))
        after = self.counts()
        moved = [i for i in range(self.n) if after[i] != before[i]]
        assert len(moved) <= 1
        return moved[0] if moved else None


ETH_IP = Ether() / IP(src="10.0.0.1", dst="10.0.0.2") / TCP(sport=1234, dport=80)
ETH_ARP_REQ = Ether() / ARP(op=1)
ETH_ARP_REPLY = Ether(dst="00:01:02:03:04:05") / ARP(op=2)


def test_ethernet_types():
    s = Sorter("Classifier", ["12/0806 20/0001", "12/0806 20/0002", "12/0800", "-"])
    assert s.out(ETH_ARP_REQ) == 0
    assert s.out(ETH_ARP_REPLY) == 1
    assert s.out(ETH_IP) == 2
    assert s.out(Ether(type=0x86DD) / (b"x" * 40)) == 3


def test_no_match_drops():
    s = Sorter("Classifier", ["12/0800"])
    assert s.out(ETH_ARP_REQ) is None
    assert s.out(ETH_IP) == 0


def test_wildcard_nibbles_and_masks():
    s = Sorter("Classifier", ["12/08?6", "12/0800%ff0f", "14/40%f0"])
    assert s.out(ETH_ARP_REQ) == 0                      # 0806 fits 08?6
    assert s.out(bytes(12) + b"\x08\x30" + b"\x45" + bytes(40)) == 1    # 0830 & ff0f = 0800
    assert s.out(bytes(12) + b"\x09\x00" + b"\x45" + bytes(40)) == 2    # 45 & f0 = 40
    assert s.out(bytes(12) + b"\x09\x00" + b"\x55" + bytes(40)) is None
    s = Sorter("Classifier", ["0/??%ff 1/aa"])
    assert s.out(b"\x00\xaa") == 0 and s.out(b"\x77\xaa") == 0 and s.out(b"\x77\xab") is None


def test_negation_and_conjunction():
    s = Sorter("Classifier", ["12/0800 !23/06", "12/0800", "-"])
    assert s.out(Ether() / IP() / UDP()) == 0
    assert s.out(Ether() / IP() / TCP()) == 1
    assert s.out(ETH_ARP_REQ) == 2


def test_multiword_values_and_offsets():
    # a value spanning two words, not aligned
    s = Sorter("Classifier", ["10/aabbccdd", "-"])
    assert s.out(bytes(10) + bytes.fromhex("aabbccdd") + bytes(10)) == 0
    assert s.out(bytes(10) + bytes.fromhex("aabbccde") + bytes(10)) == 1


def test_short_packets():
    # a test past the end fails; its negation holds
    s = Sorter("Classifier", ["12/0800", "!12/0800", "-"])
    assert s.out(bytes(13)) == 1
    assert s.out(bytes(12) + b"\x08") == 1
    assert s.out(bytes(12) + b"\x08\x00") == 0
    # only bytes with mask bits must exist
    s = Sorter("Classifier", ["12/08??", "-"])
    assert s.out(bytes(12) + b"\x08") == 0


def test_program_format():
    p = parse_classifier(["12/0800 !23/06", "12/0806 20/0001", "-"])
    assert p.unparse() == (
        " 0  12/08000000%ffff0000  yes->step 3  no->step 1\n"
        " 1  12/08060000%ffff0000  yes->step 2  no->[2]\n"
        " 2  20/00010000%ffff0000  yes->[1]  no->[2]\n"
        " 3  20/00000006%000000ff  yes->[2]  no->[0]\n"
        "safe length 24\n"
        "alignment offset 0\n")
    assert parse_classifier(["-"]).unparse() == "all->[0]\nsafe length 0\nalignment offset 0\n"


def test_program_handler():
    s = Sorter("Classifier", ["12/0800", "-"])
    assert s.router.read("x.program") == (
        " 0  12/08000000%ffff0000  yes->[0]  no->[1]\n"
        "safe length 14\n"
        "alignment offset 0\n")


def test_switch_runs_match_chains():
    pats = [f"0/{i:02x}" for i in range(20)] + ["-"]
    p = parse_classifier(pats)
    tree = ClassTree(p)
    assert tree.nnodes == 1 and tree.nswitch_values == 20
    for i in range(25):
        assert tree.match(bytes([i, 0])) == (i if i < 20 else 20)
    assert tree.match(b"") == 20
    lines = p.unparse().splitlines()
    assert lines[0] == " 0   0/00000000%ff000000  yes->[0]  no->step 1"
    assert lines[19] == "19   0/13000000%ff000000  yes->[19]  no->[20]"


@pytest.mark.parametrize("pattern, reason", [
    ("x", "pattern 0: expected a digit"),
    ("12", "pattern 0: expected '/'"),
    ("12/0", "pattern 0: value has less than 2 hex digits"),
    ("12/080", "pattern 0: value has odd number of hex digits"),
    ("12/0800%ff", "pattern 0: mask has too few hex digits"),
    ("12/0800%ffffff", "pattern 0: mask has too many hex digits"),
    ("12/0800 junk", "pattern 0: expected a digit"),
])
def test_pattern_errors(pattern, reason):
    text = str(click_error(router, f"Idle -> x :: Classifier({pattern}) -> Discard;"))
    assert "While configuring 'x :: Classifier':" in text
    assert reason in text


def test_outputs_must_match_patterns():
    text = str(click_error(router, "Idle -> x :: Classifier(12/0800, -) -> Discard;"))
    assert "need 1 arguments, one per output port" in text
