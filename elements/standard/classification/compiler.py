"""compiler -- boolean expressions over packet words compiled to decision trees

The shared half of Classifier, IPClassifier and IPFilter (Click's
classification.{hh,cc}): the expressions their pattern parsers build
(pattern.py, ipfilter.py), a compiler from ordered rules to a decision
graph whose nodes test one masked 32-bit word, an optimizer, and the
flattened Program behind the ``program`` handler. tree.pyx walks the
result in C.

Expressions (`Expr` tuples) are built from

  ("atom", off, mask, value, need)   the word at ``off`` (bytes, big-endian),
                                     ANDed with ``mask``, equals ``value``;
                                     false when fewer than ``need`` bytes from
                                     ``off`` are in the packet
  ("true",) ("false",) ("not", e) ("and", a, b) ("or", a, b) ("cond", c, a, b)
  ("flip", e)                        "not e", where missing bytes make the
                                     atoms of ``e`` true instead of false
                                     (Click's negate_subtree(flip_short)), so
                                     that ``ip ttl != 5`` is false when the TTL
                                     is missing, as ``ip ttl 5`` is

Targets in the graph are node numbers (>= 0) or outputs: ``-(port + 2)``,
and ``DROP_TARGET`` (-1) for "no pattern matched".
"""
from __future__ import annotations

import bisect

__all__ = ["Program", "compile_rules", "ClassifierError", "DROP_TARGET", "TRUE", "FALSE",
           "output_target", "atom", "e_and", "e_or", "e_not", "e_flip"]

DROP_TARGET = -1
TRUE = ("true",)
FALSE = ("false",)


class ClassifierError(ValueError):
    """A bad pattern; the message is Click's reason."""


def output_target(port: int) -> int:
    return -(port + 2)


def _need_of(mask: int) -> int:
    """Bytes from the word's start that a test of ``mask`` reads (Click's
    required_length): up to the last byte with a mask bit."""
    for n in (4, 3, 2, 1):
        if mask & (0xFF << (8 * (4 - n))):
            return n
    return 0


# -- expression helpers ---------------------------------------------------------------

def atom(off: int, mask: int, value: int, need: int | None = None):
    mask &= 0xFFFFFFFF
    if mask == 0:
        return TRUE
    return ("atom", off, mask, value & mask, _need_of(mask) if need is None else need)


def e_and(*parts):
    parts = [p for p in parts if p != TRUE]
    if not parts:
        return TRUE
    if FALSE in parts:
        return FALSE
    out = parts[-1]
    for p in reversed(parts[:-1]):
        out = ("and", p, out)
    return out


def e_or(*parts):
    parts = [p for p in parts if p != FALSE]
    if not parts:
        return FALSE
    if TRUE in parts:
        return TRUE
    out = parts[-1]
    for p in reversed(parts[:-1]):
        out = ("or", p, out)
    return out


def e_not(e):
    if e == TRUE:
        return FALSE
    if e == FALSE:
        return TRUE
    return ("not", e)


def e_flip(e):
    if e in (TRUE, FALSE):
        return e_not(e)
    return ("flip", e)


# -- the decision graph --------------------------------------------------------------

class _Graph:
    """Nodes [off, mask, value, need, short_yes, yes, no]; identical ones shared."""

    def __init__(self):
        self.nodes: list[list] = []
        self._index: dict[tuple, int] = {}

    def node(self, off, mask, value, need, short_yes, yes, no) -> int:
        if yes == no:
            return yes
        key = (off, mask, value, need, short_yes, yes, no)
        n = self._index.get(key)
        if n is None:
            n = self._index[key] = len(self.nodes)
            self.nodes.append(list(key))
        return n

    def compile(self, e, yes: int, no: int, short_true: bool = False) -> int:
        """A target that goes to ``yes`` when ``e`` holds, else ``no``."""
        kind = e[0]
        if kind == "atom":
            _, off, mask, value, need = e
            return self.node(off, mask, value, need, short_true, yes, no)
        if kind == "true":
            return yes
        if kind == "false":
            return no
        if kind == "not":
            return self.compile(e[1], no, yes, short_true)
        if kind == "flip":
            return self.compile(e[1], no, yes, not short_true)
        if kind == "and":
            return self.compile(e[1], self.compile(e[2], yes, no, short_true), no, short_true)
        if kind == "or":
            return self.compile(e[1], yes, self.compile(e[2], yes, no, short_true), short_true)
        if kind == "cond":
            return self.compile(e[1], self.compile(e[2], yes, no, short_true),
                                self.compile(e[3], yes, no, short_true), short_true)
        raise AssertionError(kind)


def _topological(nodes, start) -> list[int]:
    """Reachable nodes, each before every node it can jump to."""
    order, seen = [], set()
    stack = [(start, False)]
    while stack:
        n, done = stack.pop()
        if done:
            order.append(n)
            continue
        if n < 0 or n in seen:
            continue
        seen.add(n)
        stack.append((n, True))
        stack.append((nodes[n][6], False))
        stack.append((nodes[n][5], False))
    order.reverse()
    return order


class _Chains:
    """Runs of nodes linked by "no" that test the same word the same way,
    indexed by value, so a known word skips a run in one step."""

    def __init__(self, nodes, order):
        self.where: dict[int, tuple[list, int]] = {}
        for n in order:
            if n in self.where:
                continue
            chain = {"nodes": [], "at": {}}
            key = self._key(nodes[n])
            m = n
            while m >= 0 and m not in self.where and self._key(nodes[m]) == key:
                self.where[m] = (chain, len(chain["nodes"]))
                chain["at"].setdefault(nodes[m][2], []).append(len(chain["nodes"]))
                chain["nodes"].append(m)
                m = nodes[m][6]

    @staticmethod
    def _key(nd):
        return (nd[0], nd[1], nd[3], nd[4])

    def skip(self, nodes, n: int, value: int) -> int:
        """Where node ``n`` leads when its word masked is ``value``."""
        chain, pos = self.where[n]
        hits = chain["at"].get(value, ())
        k = bisect.bisect_left(hits, pos)
        if k < len(hits):
            return nodes[chain["nodes"][hits[k]]][5]
        return nodes[chain["nodes"][-1]][6]


# fact signs: what a branch tells about the test it leaves
PASSED = 1                      # the test held, its bytes present
FAILED = 0                      # the test failed, its bytes present
FAILED_OR_SHORT = -1            # the test failed or its bytes were missing


def _facts_after(nd, yes: bool) -> tuple:
    """Facts (off, mask, value, need, sign) a branch of node ``nd`` adds."""
    off, mask, value, need, short_yes = nd[0], nd[1], nd[2], nd[3], nd[4]
    if yes:
        return () if short_yes else ((off, mask, value, need, PASSED),)
    if not short_yes:
        return ((off, mask, value, need, FAILED_OR_SHORT),)
    out = [(off, mask, value, need, FAILED)]
    if mask & (mask - 1) == 0:        # one bit: failing says what it is
        out.append((off, mask, value ^ mask, need, PASSED))
    return tuple(out)


def _decide(nd, facts) -> bool | None:
    """Whether known facts settle node ``nd``'s test."""
    off, mask, value, need, short_yes = nd[0], nd[1], nd[2], nd[3], nd[4]
    for f_off, f_mask, f_value, f_need, sign in facts:
        if f_off != off:
            continue
        if sign == PASSED:
            enough = need <= f_need           # the node cannot be short
            common = f_mask & mask
            if (f_value & common) != (value & common) and (enough or not short_yes):
                return False
            if enough and mask & ~f_mask == 0:
                return True
        elif mask & f_mask == f_mask and value & f_mask == f_value:
            # a test of these bits and more fails where this one failed
            if sign == FAILED and (need <= f_need or not short_yes):
                return False
            if sign == FAILED_OR_SHORT and need >= f_need and not short_yes:
                return False
    return None


MAX_ALTERNATIVES = 4            # fact sets kept per node (Click's MAX_DOMLIST)
MAX_FACTS = 24                  # beyond this, failed tests are forgotten


def _add_facts(facts: frozenset, new: tuple) -> frozenset:
    out = facts.union(new)
    if len(out) > MAX_FACTS:            # long "no" chains: keep compiling linear
        out = frozenset(f for f in out if f[4] == PASSED or f in new)
    return out


def _optimize(nodes, start: int) -> int:
    """Redirects branches past tests that the path already settles.

    Each node keeps up to MAX_ALTERNATIVES sets of facts, tests known to
    have passed, such that every path to the node establishes one of them
    (more are merged into their common part), as Click's dominator
    optimizer keeps path sets. A branch whose target every alternative
    settles the same way jumps past it.
    """
    order = _topological(nodes, start)
    chains = _Chains(nodes, order)
    facts_in: dict[int, list] = {start: [frozenset()]}

    def path(t, facts):
        # the targets one fact set settles, from t on
        out = [t]
        while t >= 0:
            nd = nodes[t]
            d = _decide(nd, facts)
            if d is None:
                break
            if d:
                t = nd[5]
            else:
                # settled false: a run testing the same word is skipped whole
                exact = [f for f in facts if f[4] == PASSED and f[0] == nd[0]
                         and nd[1] & ~f[1] == 0 and nd[3] <= f[3]]
                t = chains.skip(nodes, t, exact[0][2] & nd[1]) if exact else nd[6]
            out.append(t)
        return out

    def follow(t, alternatives):
        paths = [path(t, f) for f in alternatives]
        if len(paths) == 1:
            return paths[0][-1]
        ends = {p[-1] for p in paths}
        if len(ends) == 1:
            return ends.pop()
        common = set(paths[0]).intersection(*paths[1:])
        return max(common, key=paths[0].index)     # the last place all paths pass

    for n in order:
        alts = facts_in.get(n)
        if alts is None:
            continue                    # no longer reachable
        nd = nodes[n]
        yes_facts, no_facts = _facts_after(nd, True), _facts_after(nd, False)
        yes_alts = [_add_facts(f, yes_facts) for f in alts]
        no_alts = [_add_facts(f, no_facts) for f in alts]
        for k, branch_alts in ((5, yes_alts), (6, no_alts)):
            t = follow(nd[k], branch_alts)
            nd[k] = t
            if t < 0:
                continue
            merged = facts_in.get(t, []) + [f for f in branch_alts
                                            if f not in facts_in.get(t, ())]
            if len(merged) > MAX_ALTERNATIVES:
                merged = [frozenset.intersection(*merged)]
            facts_in[t] = merged
    return follow(start, [frozenset()])


# -- the compiled program --------------------------------------------------------------

class Program:
    """A flattened decision tree: what tree.ClassTree loads and
    ``program`` prints.

    ``nodes`` are (off, mask, need, short_yes, no, cases), where cases is a
    list of (value, yes) sorted by value: one case is a plain test, more
    make a switch over values of one word (Click's compressed program
    groups them the same way). ``start`` is the first target.
    """

    def __init__(self, nodes, start):
        self.nodes = nodes
        self.start = start

    def outputs_used(self) -> set[int]:
        targets = [self.start] + [t for nd in self.nodes for t in
                                  [nd[4]] + [y for _, y in nd[5]]]
        return {-t - 2 for t in targets if t < -1}

    def safe_length(self) -> int:
        return max((nd[0] + nd[2] for nd in self.nodes), default=0)

    def unparse(self) -> str:
        """Click's listing: one line per test, ``step off/value%mask
        yes->... no->...``, switches spelled out as chains of tests."""
        steps = []
        first_step = 0
        step_of = []
        for nd in self.nodes:
            step_of.append(first_step)
            first_step += len(nd[5])

        def jump(t):
            if t == DROP_TARGET:
                return "[X]"
            if t < 0:
                return f"[{-t - 2}]"
            return f"step {step_of[t]}"

        for i, (off, mask, _need, short_yes, no, cases) in enumerate(self.nodes):
            for k, (value, yes) in enumerate(cases):
                s = step_of[i] + k
                nxt = f"step {s + 1}" if k + 1 < len(cases) else jump(no)
                line = (f"{'' if s >= 10 else ' '}{s} {off:3d}/{value:08x}%{mask:08x}"
                        f"  yes->{jump(yes)}  no->{nxt}")
                if short_yes:
                    line += "  short->yes"
                steps.append(line)
        if not self.nodes:
            out = 2147483647 if self.start == DROP_TARGET else -self.start - 2
            steps.append(f"all->[{out}]")
        steps.append(f"safe length {self.safe_length()}")
        steps.append("alignment offset 0")
        return "\n".join(steps) + "\n"


def compile_rules(rules) -> Program:
    """``rules``: (expression, target) in order; the first that holds wins,
    none sends packets to DROP_TARGET."""
    g = _Graph()
    nxt = DROP_TARGET
    for e, target in reversed(rules):
        nxt = g.compile(e, target, nxt)
    start = _optimize(g.nodes, nxt) if nxt >= 0 else nxt
    return _flatten(g.nodes, start)


MIN_SWITCH = 4                  # same-word tests in a row that become one switch


def _flatten(nodes, start) -> Program:
    """Numbers reachable nodes from 0 (the root), depth first, and turns
    runs of same-word tests reached only from their run into switches."""
    def resolve(t):
        # a test whose branches meet decides nothing
        while t >= 0 and nodes[t][5] == nodes[t][6]:
            t = nodes[t][5]
        return t

    start = resolve(start)
    if start < 0:
        return Program([], start)
    for n in _topological(nodes, start):
        nodes[n][5] = resolve(nodes[n][5])
        nodes[n][6] = resolve(nodes[n][6])
    order = _topological(nodes, start)
    inbound: dict[int, int] = {}
    for n in order:
        for t in (nodes[n][5], nodes[n][6]):
            if t >= 0:
                inbound[t] = inbound.get(t, 0) + 1
    groups = []                         # (head, [(value, yes)...], no)
    absorbed = set()
    for n in order:
        if n in absorbed:
            continue
        nd = nodes[n]
        cases = {nd[2]: nd[5]}
        run = []
        m = nd[6]
        while (m >= 0 and not nd[4] and inbound.get(m) == 1
               and (nodes[m][0], nodes[m][1], nodes[m][3], nodes[m][4])
               == (nd[0], nd[1], nd[3], nd[4])):
            cases.setdefault(nodes[m][2], nodes[m][5])
            run.append(m)
            m = nodes[m][6]
        if len(run) + 1 < MIN_SWITCH:   # short runs stay plain tests
            cases, m, run = {nd[2]: nd[5]}, nd[6], []
        absorbed.update(run)
        groups.append((n, cases, m))
    # number groups in depth-first order from the root
    by_head = {g[0]: g for g in groups}
    number: dict[int, int] = {}
    seq = []
    stack = [start]
    while stack:
        n = stack.pop()
        if n < 0 or n in number:
            continue
        number[n] = len(seq)
        g = by_head[n]
        seq.append(g)
        # the "no" branch gets the next number, as in Click's listings
        stack.extend([y for _, y in sorted(g[1].items(), reverse=True)] + [g[2]])

    def renum(t):
        return number[t] if t >= 0 else t

    out = []
    for head, cases, no in seq:
        nd = nodes[head]
        out.append((nd[0], nd[1], nd[3], bool(nd[4]), renum(no),
                    [(val, renum(y)) for val, y in sorted(cases.items())]))
    return Program(out, 0)
