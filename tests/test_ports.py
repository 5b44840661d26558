"""test_ports -- port count codes: parsing and the port numbers an element gets"""
import pytest

from clickpy.graph.ports import PortCount, PortRange, resolve_nports


@pytest.mark.parametrize("code, inputs, outputs", [
    ("1/1", PortRange(1, 1), PortRange(1, 1)),
    ("0/1", PortRange(0, 0), PortRange(1, 1)),
    ("1/1-2", PortRange(1, 1), PortRange(1, 2)),
    ("1-2/0", PortRange(1, 2), PortRange(0, 0)),
    ("1/-6", PortRange(1, 1), PortRange(0, 6)),
    ("2-/-", PortRange(2, None), PortRange(0, None)),
    ("-/-", PortRange(0, None), PortRange(0, None)),
    ("3", PortRange(3, 3), PortRange(3, 3)),          # one side serves for both
    ("1-", PortRange(1, None), PortRange(1, None)),
    ("", PortRange(0, 0), PortRange(0, 0)),
    ("1/", PortRange(1, 1), PortRange(0, 0)),         # empty output side: none
    ("10/12", PortRange(10, 10), PortRange(12, 12)),
])
def test_parse_ranges(code, inputs, outputs):
    pc = PortCount.parse(code)
    assert (pc.inputs, pc.outputs, pc.equal) == (inputs, outputs, False)
    assert str(pc) == code


@pytest.mark.parametrize("code, extra", [("1/=", 0), ("-/=", 0), ("1-/=+", 1), ("1/=++", 2)])
def test_parse_equal(code, extra):
    pc = PortCount.parse(code)
    assert pc.equal and pc.outputs is None and pc.extra_outputs == extra


@pytest.mark.parametrize("code", [
    "/1", "/", "x", "1/x", "=", "=/1", "1/=x", "1/=+-", "1/1/1", "1-2-3", "--", "1/--",
    " 1/1", "1 /1", "3-1", "1/+", "1/=+=", "a/a", "\u0661/1",
])
def test_parse_errors(code):
    with pytest.raises(ValueError, match="bad port count"):
        PortCount.parse(code)


@pytest.mark.parametrize("code, used, result", [
    ("1/1", (1, 1), (1, 1)),
    ("1/1", (0, 0), (1, 1)),            # raised to the minimum: ports show as unused
    ("1/1", (3, 2), (1, 1)),            # lowered to the maximum: ports 1.. do not exist
    ("1/1-2", (1, 0), (1, 1)),
    ("1/1-2", (1, 2), (1, 2)),
    ("1/1-2", (1, 5), (1, 2)),
    ("-/-", (7, 0), (7, 0)),
    ("2-/-", (0, 9), (2, 9)),
    ("1/-6", (1, 9), (1, 6)),
    ("0/0", (2, 2), (0, 0)),
    ("1-/=", (3, 0), (3, 3)),           # outputs follow the inputs, whatever is used
    ("1-/=", (0, 5), (1, 1)),
    ("1-/=+", (2, 0), (2, 3)),
    ("1/=++", (1, 9), (1, 3)),
    ("-/=", (0, 0), (0, 0)),
    ("1-2/=", (4, 4), (2, 2)),
])
def test_resolve(code, used, result):
    assert PortCount.parse(code).resolve(*used) == result
    assert resolve_nports(code, *used) == result


def test_range_str():
    assert [str(PortRange(*r)) for r in [(1, 1), (1, 2), (0, None), (2, None), (0, 6)]] == \
        ["1", "1-2", "-", "2-", "-6"]
