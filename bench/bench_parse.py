"""bench_parse -- front-end benchmarks: read_config and unparse on 10,000-element configurations.

Run with ``pytest bench/bench_parse.py --benchmark-enable`` (the project's
pytest options disable benchmarks by default; disabled, each benchmark runs
once as a plain test). Nothing here asserts on time; the asserts check the
size of what was parsed.
"""
from __future__ import annotations

import pytest

# Flat: CHAINS chains of 4 named elements.
CHAINS = 2500
FLAT_ELEMENTS = 4 * CHAINS                  # 10,000
FLAT_CONNECTIONS = 3 * CHAINS               # 7,500

# Compound: USES instances of Stage, each 9 elements (5 of them in a nested
# IPPath instance) plus a Discard outside.
USES = 1000
COMPOUND_ELEMENTS = 10 * USES               # 10,000
COMPOUND_CONNECTIONS = 9 * USES             # 9,000


def flat_config(chains: int = CHAINS) -> str:
    """``chains`` chains ``InfiniteSource -> Counter -> Strip(14) -> Discard``,
    every element named, with a define used in each source."""
    lines = ["// generated: flat chains", "define($LIMIT 10, $LEN 64);", ""]
    for i in range(chains):
        lines.append(f"src{i} :: InfiniteSource(LENGTH $LEN, LIMIT $LIMIT, STOP false)"
                     f" -> cnt{i} :: Counter -> strip{i} :: Strip(14) -> sink{i} :: Discard;")
    return "\n".join(lines) + "\n"


def compound_config(uses: int = USES) -> str:
    """Two element classes, one nested in the other, Stage used ``uses`` times."""
    head = """\
// generated: compound element classes
define($LIMIT 10);

elementclass IPPath {
  input -> Strip(14) -> CheckIPHeader -> GetIPAddress(16) -> DecIPTTL
        -> Unstrip(14) -> output;
}

elementclass Stage {
  $limit, COLOR $color |
  src :: InfiniteSource(LENGTH 64, LIMIT $limit)
    -> c_in :: Counter -> path :: IPPath -> c_out :: Counter -> Paint($color) -> output;
}
"""
    lines = [head]
    for i in range(uses):
        lines.append(f"s{i} :: Stage($LIMIT, COLOR {i % 256}) -> d{i} :: Discard;")
    return "\n".join(lines) + "\n"


FLAT_TEXT = flat_config()
COMPOUND_TEXT = compound_config()


@pytest.fixture(scope="module")
def front_end():
    """(read_config, unparse), imported only when a benchmark runs, so that a
    missing front end fails with one clear message instead of a traceback."""
    try:
        from clickpy.lang import read_config
        from clickpy.lang.unparse import unparse
    except ImportError as exc:
        pytest.fail("clickpy front end not available: need "
                    "clickpy.lang.read_config and clickpy.lang.unparse.unparse "
                    f"({exc})", pytrace=False)
    return read_config, unparse


def _run(benchmark, func, *args):
    # Large inputs: a fixed number of rounds keeps a run short and comparable.
    return benchmark.pedantic(func, args=args, rounds=5, iterations=1, warmup_rounds=1)


def test_generated_sizes():
    """The generators themselves (no front end needed)."""
    assert FLAT_TEXT.count(" :: ") == FLAT_ELEMENTS
    assert FLAT_TEXT.count("->") == FLAT_CONNECTIONS
    assert COMPOUND_TEXT.count(":: Stage(") == USES


def test_read_config_flat(benchmark, front_end):
    read_config, _ = front_end
    graph = _run(benchmark, read_config, FLAT_TEXT, "flat.click")
    assert len(graph.elements) == FLAT_ELEMENTS
    assert len(set(graph.connections)) == FLAT_CONNECTIONS
    assert graph.element("src7").class_name == "InfiniteSource"


def test_read_config_compound(benchmark, front_end):
    read_config, _ = front_end
    graph = _run(benchmark, read_config, COMPOUND_TEXT, "compound.click")
    assert len(graph.elements) == COMPOUND_ELEMENTS
    assert len(set(graph.connections)) == COMPOUND_CONNECTIONS
    assert graph.element("s3/c_in").class_name == "Counter"
    assert sum(e.name.startswith("s3/path/") for e in graph.elements) == 5


def test_unparse_flat(benchmark, front_end):
    read_config, unparse = front_end
    graph = read_config(FLAT_TEXT, "flat.click")
    text = _run(benchmark, unparse, graph)
    assert len(read_config(text, "unparsed.click").elements) == FLAT_ELEMENTS


def test_unparse_compound(benchmark, front_end):
    read_config, unparse = front_end
    graph = read_config(COMPOUND_TEXT, "compound.click")
    text = _run(benchmark, unparse, graph)
    assert len(read_config(text, "unparsed.click").elements) == COMPOUND_ELEMENTS
