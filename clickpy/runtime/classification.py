"""classification -- Classifier and IPFilter patterns compiled to decision trees of word tests

The cold half of Classifier, IPClassifier and IPFilter (Click's
classification.{hh,cc}, classifier.cc, ipfilter.cc): pattern parsers, a
compiler from boolean expressions to a decision graph whose nodes test one
masked 32-bit word, an optimizer, and the printer behind the ``program``
handler. ``clickpy.runtime.classtree`` walks the result in C.

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

Offsets of IPFilter atoms follow Click's program listing: 256 + n is byte n
of the IP header, 512 + n byte n of the transport header.

Targets in the graph are node numbers (>= 0) or outputs: ``-(port + 2)``,
and ``DROP_TARGET`` (-1) for "no pattern matched".
"""
from __future__ import annotations

import bisect
import re

from clickpy.lang import values as v

__all__ = ["Program", "parse_classifier", "parse_ipfilter", "compile_rules",
           "ClassifierError", "DROP_TARGET", "NET", "TRANSP"]

DROP_TARGET = -1
NET = 256                       # IP header bytes in the program's offsets
TRANSP = 512                    # transport header bytes
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


def greater_than(off: int, mask: int, u: int, shift: int, need: int):
    """``(field & mask) > u`` for a field ``shift`` bits up its word.

    Walks the mask's bits from the top in runs where ``u`` is constant: over
    a run of zeros any one bit set in the field decides "greater"; over a
    run of ones the field must have them all, then the rest decides.
    """
    # the largest value under mask not above u: what the field must beat
    stray = u & ~mask
    if stray:
        u |= (1 << stray.bit_length()) - 1
    u &= mask
    if u >= mask:
        return FALSE
    bits = [b for b in range(31, -1, -1) if mask >> b & 1]
    i = 0
    pieces = []                         # (kind, run mask) from the top
    while i < len(bits):
        bit = u >> bits[i] & 1
        run = 0
        while i < len(bits) and (u >> bits[i] & 1) == bit:
            run |= 1 << bits[i]
            i += 1
        pieces.append((bit, run))
    # fold from the bottom: the lowest run of ones ends in "false"
    rest = FALSE
    for bit, run in reversed(pieces):
        test = atom(off, run << shift, (run if bit else 0) << shift, need)
        rest = e_and(test, rest) if bit else e_or(e_flip(test), rest)
    return rest


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
    """A flattened decision tree: what classtree.ClassTree loads and
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


# -- Classifier patterns (Click's Classifier) ------------------------------------------

_HEX = "0123456789abcdefABCDEF"


def parse_classifier_pattern(text: str, slot: int):
    """One ``OFFSET/VALUE[%MASK]`` pattern (several ANDed, ``!`` negates,
    ``-`` matches all) as an expression."""
    s = text
    n = len(s)
    i = 0
    if s == "-":
        return TRUE
    tests = []
    while i < n:
        while i < n and s[i].isspace():
            i += 1
        if i >= n:
            break
        negated = False
        if s[i] == "!":
            negated = True
            i += 1
            while i < n and s[i].isspace():
                i += 1
        if i >= n or not s[i].isdigit():
            raise ClassifierError(f"pattern {slot}: expected a digit")
        j = i
        while i < n and s[i].isdigit():
            i += 1
        offset = int(s[j:i])
        if i >= n or s[i] != "/":
            raise ClassifierError(f"pattern {slot}: expected '/'")
        i += 1
        j = i
        while i < n and (s[i] in _HEX or s[i] == "?"):
            i += 1
        value = s[j:i]
        mask = None
        if i < n and s[i] == "%":
            i += 1
            j = i
            while i < n and (s[i] in _HEX or s[i] == "?"):
                i += 1
            mask = s[j:i]
        if len(value) < 2:
            raise ClassifierError(f"pattern {slot}: value has less than 2 hex digits")
        if len(value) % 2:
            raise ClassifierError(f"pattern {slot}: value has odd number of hex digits")
        if mask is not None and len(mask) != len(value):
            many = "many" if len(mask) > len(value) else "few"
            raise ClassifierError(f"pattern {slot}: mask has too {many} hex digits")
        words: dict[int, list[int]] = {}
        for k in range(len(value)):
            byte = offset + k // 2
            shift = 4 if k % 2 == 0 else 0
            vc = value[k]
            vn, mn = (0, 0) if vc == "?" else (int(vc, 16), 0xF)
            if mask is not None:
                mc = mask[k]
                mn &= 0 if mc == "?" else int(mc, 16)
            w = words.setdefault(byte // 4 * 4, [0, 0])
            pos = 8 * (3 - byte % 4) + shift
            w[0] |= (vn & mn) << pos
            w[1] |= mn << pos
        test = e_and(*(atom(off, m, val) for off, (val, m) in sorted(words.items())))
        tests.append(e_not(test) if negated else test)
    return e_and(*tests)


def parse_classifier(patterns: list[str]) -> Program:
    rules = [(parse_classifier_pattern(p, i), output_target(i)) for i, p in enumerate(patterns)]
    return compile_rules(rules)


# -- IPFilter expressions (Click's IPFilter / IPClassifier) ------------------------------

UNKNOWN = None
TCP_OR_UDP = 0x10000            # "tcpudp": Click's IP_PROTO_TCP_OR_UDP
ANY_TRANSP = 0x10001            # "transp": Click's IP_PROTO_TRANSP
PROTO_NAMES = {"icmp": 1, "igmp": 2, "ipip": 4, "tcp": 6, "udp": 17,
               "tcpudp": TCP_OR_UDP, "transp": ANY_TRANSP}
PORT_NAMES = {"auth": 113, "bootpc": 68, "bootps": 67, "chargen": 19, "daytime": 13,
              "discard": 9, "dns": 53, "domain": 53, "echo": 7, "finger": 79, "ftp": 21,
              "ftp-data": 20, "https": 443, "imap3": 220, "imaps": 993, "irc": 194,
              "netbios-dgm": 138, "netbios-ns": 137, "netbios-ssn": 139, "nntp": 119,
              "ntp": 123, "pop3": 110, "pop3s": 995, "rip": 520, "route": 520, "smtp": 25,
              "snmp": 161, "snmp-trap": 162, "ssh": 22, "sunrpc": 111, "telnet": 23,
              "tftp": 69, "www": 80, "http": 80}
TCPOPT_NAMES = {"fin": 0x01, "syn": 0x02, "rst": 0x04, "psh": 0x08, "ack": 0x10, "urg": 0x20}
ICMP_NAMES = {"echo-reply": 0, "unreachable": 3, "sourcequench": 4, "redirect": 5,
              "echo": 8, "routeradvert": 9, "routersolicit": 10, "timeexceeded": 11,
              "parameterproblem": 12, "timestamp": 13, "timestamp-reply": 14,
              "inforeq": 15, "inforeq-reply": 16, "maskreq": 17, "maskreq-reply": 18}


class Field:
    """A header field: ``proto`` None for the IP header, else a transport
    protocol; position and width in bits."""

    __slots__ = ("name", "proto", "bit", "nbits")

    def __init__(self, name, proto, bit, nbits):
        self.name, self.proto, self.bit, self.nbits = name, proto, bit, nbits

    def __eq__(self, other):
        return isinstance(other, Field) and (self.proto, self.bit, self.nbits) == \
            (other.proto, other.bit, other.nbits)

    def __hash__(self):
        return hash((self.proto, self.bit, self.nbits))


F_VERS = Field("ip vers", None, 0, 4)
F_HL = Field("ip hl", None, 4, 4)
F_TOS = Field("ip tos", None, 8, 8)
F_DSCP = Field("ip dscp", None, 8, 6)
F_LEN = Field("ip len", None, 16, 16)
F_ID = Field("ip id", None, 32, 16)
F_TTL = Field("ip ttl", None, 64, 8)
F_TCP_WIN = Field("tcp win", 6, 112, 16)
F_ICMP_TYPE = Field("icmp type", 1, 0, 8)

# words naming a directive; None: a qualifier handled by the parser
TYPE_WORDS = {"ce": "ce", "dest": None, "dscp": F_DSCP, "dst": None, "ect": "ect",
              "ether": None, "frag": "frag", "hl": F_HL, "host": "host", "id": F_ID,
              "ip": None, "len": F_LEN, "net": "net", "not": None, "opt": "tcpopt",
              "port": "port", "proto": "proto", "src": None, "tos": F_TOS, "ttl": F_TTL,
              "type": F_ICMP_TYPE, "unfrag": "unfrag", "vers": F_VERS, "win": F_TCP_WIN}

SD_SRC, SD_DST, SD_AND, SD_OR = 1, 2, 3, 4
OP_EQ, OP_GT, OP_LT = 0, 1, 2


def unparse_proto(p) -> str:
    for name, num in PROTO_NAMES.items():
        if num == p:
            return name
    return "" if p is None else f"ip proto {p}"


def unparse_type(srcdst, typ) -> str:
    sd = {SD_SRC: "src ", SD_DST: "dst ", SD_OR: "src or dst ", SD_AND: "src and dst "}
    prefix = sd.get(srcdst, "")
    names = {None: "<none>", "host": "ip host", "net": "ip net", "proto": "proto",
             "frag": "ip frag", "unfrag": "ip unfrag", "port": "port", "tcpopt": "tcp opt",
             "ect": "ip ect", "ce": "ip ce"}
    if isinstance(typ, Field):
        if typ.name:
            return prefix + typ.name
        return prefix + (unparse_proto(typ.proto) if typ.proto is not None else "ip") + "[...]"
    return prefix + names.get(typ, str(typ))


_TOKEN = re.compile(r"\s*(?:(&&|\|\||[<>!=]=|[&|<>!=()\[\],;?])|([A-Za-z0-9\-./@_:]+)|(.))")


def split_words(text: str) -> list[str]:
    """Click's separate_text: operators and brackets alone, words of
    letters, digits and ``-./@_:``."""
    words = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        words.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
    return words


def _parse_int(word: str):
    try:
        return v.parse_int(word, 32) & 0xFFFFFFFF
    except ValueError:
        return None


def _parse_ip(word: str, names):
    try:
        return int.from_bytes(v.parse_ip(word), "big")
    except ValueError:
        a = names.lookup(word, "ip") if names is not None else None
        return None if a is None else int.from_bytes(a, "big")


def _named_net(word: str, names):
    """An AddressInfo name defined as a prefix (not a single address)."""
    entry = names.names.get(word) if names is not None else None
    if not entry or "prefix" not in entry:
        return None
    a, m = entry["prefix"]
    return int.from_bytes(a, "big") & int.from_bytes(m, "big"), int.from_bytes(m, "big")


def _parse_prefix(word: str, names):
    try:
        a, m = v.parse_ip_prefix(word, allow_bare=False)
    except ValueError:
        p = names.lookup(word, "prefix") if names is not None else None
        if p is None:
            return None
        a, m = p
    return int.from_bytes(a, "big"), int.from_bytes(m, "big")


class _Prim:
    """One directive being parsed (Click's IPFilter::Primitive)."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.type = None        # "host", "net", "proto", "port", ..., or a Field
        self.data = None        # kind of value: "int", "host", "net", "proto", "port", ...
        self.srcdst = 0
        self.proto = UNKNOWN    # transport protocol
        self.op = OP_EQ
        self.negated = False    # != <= >=
        self.u = 0
        self.mask = 0
        self.warning = None     # a note for the user, not an error

    def copy(self):
        p = _Prim()
        p.__dict__.update(self.__dict__)
        return p

    def error(self, msg):
        raise ClassifierError(f"'{unparse_type(self.srcdst, self.type)}': {msg}")

    def set_type(self, t):
        if self.type is not None:
            raise ClassifierError("type specified twice")
        self.type = t

    def set_srcdst(self, sd):
        if self.srcdst:
            raise ClassifierError("'src' or 'dst' specified twice")
        self.srcdst = sd

    def set_proto(self, p):
        if self.proto is not UNKNOWN and self.proto != p:
            raise ClassifierError("transport protocol specified twice")
        self.proto = p

    def set_mask(self, full: int, provided: int):
        """Value and mask for a field of ``full`` bits (Click's set_mask)."""
        data = self.u
        mask = provided or full
        if mask & full != mask:
            raise ClassifierError(f"'{unparse_type(self.srcdst, self.type)}': "
                                  f"mask out of range, bound 0x{full:X}")
        if self.op in (OP_GT, OP_LT):
            if (self.op == OP_LT and (data == 0 or data > mask)) or \
                    (self.op == OP_GT and data >= mask):
                holds = (not self.negated) if (self.op == OP_LT and data > mask) \
                    else self.negated
                self.op, self.u, self.mask, self.negated = "const", holds, 0, False
                return
            if self.op == OP_LT:        # x < U  is  not (x > U - 1)
                self.u = data - 1
                self.negated = not self.negated
                self.op = OP_GT
            self.mask = mask
            return
        if data > full:
            raise ClassifierError(f"'{unparse_type(self.srcdst, self.type)}': "
                                  f"out of range, bound {full}")
        self.mask = mask

    # Click's Primitive::check: fill in what was left out, check the rest
    def check(self, prev: _Prim, header, mask_kind, mask):
        old_srcdst = self.srcdst
        if self.type is None:
            d = self.data
            while True:
                if d in ("host", "net", "tcpopt"):
                    self.type = d
                    self.srcdst = self.srcdst or prev.srcdst
                elif d == "proto":
                    self.type = "proto"
                elif d == "port":
                    self.type = "port"
                    self.srcdst = self.srcdst or prev.srcdst
                    if self.proto is UNKNOWN:
                        self.proto = prev.proto
                elif d == "int":
                    if not isinstance(prev.type, Field) and prev.type not in ("proto", "port"):
                        raise ClassifierError("specify header field or 'port'")
                    d = self.data = prev.type
                    continue
                elif d is None:
                    if self.proto is UNKNOWN:
                        raise ClassifierError("partial directive")
                    self.type = "proto"
                elif isinstance(d, Field):
                    self.type = d
                    if d.proto is not None and self.proto is UNKNOWN:
                        self.proto = d.proto
                else:
                    raise ClassifierError(f"unknown type '{unparse_type(0, d)}'")
                break
        if header == "e":
            raise ClassifierError("'ether': not supported")
        t = self.type
        if t in ("host", "net"):
            if self.data != t:
                self.error("address missing")
            if self.op != OP_EQ:
                self.error("operator not supported")
            if t == "host":
                self.mask = 0xFFFFFFFF
            self.type = "host"
            if mask_kind and mask_kind not in ("int", "host"):
                self.error("bad mask")
            if mask_kind:
                self.mask = mask
        elif t == "proto":
            if self.data in ("int", "proto"):
                if self.proto is not UNKNOWN and self.proto != self.u:
                    self.error("specified twice")
                self.data = None
            else:
                self.u = self.proto
            self.proto = UNKNOWN
            if self.data is not None or self.u is UNKNOWN:
                self.error("value missing")
            if self.u >= 256:
                if self.op != OP_EQ or mask_kind:
                    raise ClassifierError(f"'{unparse_proto(self.u)}': "
                                          "operator or mask not supported")
                self.mask = 0xFF
            elif mask_kind and mask_kind != "int":
                self.error("bad mask")
            else:
                self.set_mask(0xFF, mask if mask_kind else 0)
            if self.op == OP_EQ and self.mask == 0xFF and not self.negated:
                self.proto = self.u
        elif t == "port":
            if self.data == "int":
                self.data = "port"
            if self.data != "port":
                self.error("value missing")
            if self.proto is UNKNOWN:
                self.proto = TCP_OR_UDP
            elif self.proto not in (6, 17, TCP_OR_UDP, 33):
                raise ClassifierError(f"'port': bad protocol {self.proto}")
            elif mask_kind and mask_kind != "int":
                self.error("bad mask")
            self.set_mask(0xFFFF, mask if mask_kind else 0)
        elif t == "tcpopt":
            if self.data == "int":
                self.data = "tcpopt"
            if self.data != "tcpopt":
                self.error("value missing")
            if self.proto is UNKNOWN:
                self.proto = 6
            elif self.proto != 6:
                raise ClassifierError(f"'tcp opt': bad protocol {self.proto}")
            if self.op != OP_EQ or self.negated or mask_kind:
                self.error("operator or mask not supported")
            if self.u > 255:
                raise ClassifierError(f"'tcp opt': value {self.u} out of range")
            self.mask = self.u
        elif t == "ect":
            if self.data not in (None, "int"):
                self.error("value missing")
            if self.data is None:
                self.u, self.negated = 0, True
            elif mask_kind and mask_kind != "int":
                self.error("bad mask")
            self.type = F_TOS
            self.set_mask(0x3, mask if mask_kind else 0)
        elif t == "ce":
            if self.data is not None or mask_kind:
                self.error("value not supported")
            self.u, self.mask, self.type = 3, 3, F_TOS
        elif t in ("frag", "unfrag"):
            if self.data is not None or mask_kind:
                self.error("value not supported")
            if t == "unfrag":
                self.negated = True
                self.type = "frag"
        elif isinstance(t, Field):
            if self.data != "int" and self.data != t:
                self.error("value missing")
            if mask_kind and mask_kind != "int":
                self.error("bad mask")
            self.set_mask((1 << t.nbits) - 1, mask if mask_kind else 0)
        if self.type in ("host", "port"):
            if not self.srcdst:
                self.srcdst = SD_OR
        elif old_srcdst:
            self.warning = f"'{unparse_type(0, self.type)}': 'src' or 'dst' ignored"

    # Click's Primitive::compile, as an expression
    def expr(self):
        parts = []
        t = self.type
        if self.proto is not UNKNOWN and t != "proto":
            parts.append(proto_test(self.proto))
        if t in ("port", "tcpopt") or (isinstance(t, Field) and t.proto is not None):
            parts.append(atom(NET + 4, 0x1FFF, 0))          # first fragment only
        if t == "host":
            tests = []
            if self.srcdst in (SD_SRC, SD_AND, SD_OR):
                tests.append(atom(NET + 12, self.mask, self.u, 4))
            if self.srcdst in (SD_DST, SD_AND, SD_OR):
                tests.append(atom(NET + 16, self.mask, self.u, 4))
            both = e_or(*tests) if self.srcdst == SD_OR else e_and(*tests)
            parts.append(e_flip(both) if self.negated else both)
        elif t == "proto":
            if self.u >= 256:
                parts.append(proto_test(self.u))
            else:
                parts.append(self.comparison(NET + 8, 16, 2, negate=True))
        elif t == "frag":
            test = atom(NET + 4, 0x3FFF, 0)
            parts.append(test if self.negated else e_flip(test))
        elif t == "port":
            tests = []
            if self.srcdst in (SD_SRC, SD_AND, SD_OR):
                tests.append(self.comparison(TRANSP, 16, 2, negate=False))
            if self.srcdst in (SD_DST, SD_AND, SD_OR):
                tests.append(self.comparison(TRANSP, 0, 4, negate=False))
            both = e_or(*tests) if self.srcdst == SD_OR else e_and(*tests)
            parts.append(e_flip(both) if self.negated else both)
        elif t == "tcpopt":
            parts.append(atom(TRANSP + 12, self.u << 16, self.u << 16, 2))
        elif isinstance(t, Field):
            base = NET if t.proto is None else TRANSP
            word = (t.bit >> 3) & ~3
            bit = t.bit & 31
            shift = 32 - (bit + t.nbits)
            need = (bit + t.nbits + 7) // 8
            parts.append(self.comparison(base + word, shift, need, negate=True))
        return e_and(*parts)

    def comparison(self, off, shift, need, negate):
        if self.op == "const":
            return TRUE if self.u else FALSE
        if self.op == OP_EQ:
            e = atom(off, self.mask << shift, (self.u & self.mask) << shift, need)
        else:
            e = greater_than(off, self.mask, self.u, shift, need)
        return e_flip(e) if self.negated and negate else e


def proto_test(p):
    if p == TCP_OR_UDP:
        return e_or(atom(NET + 8, 0x00FF0000, 6 << 16), atom(NET + 8, 0x00FF0000, 17 << 16))
    if p >= 256:
        return TRUE
    return atom(NET + 8, 0x00FF0000, p << 16)


def _lookup(word, typ, proto, report):
    """Click's IPFilter::lookup: ("type", t), (kind, value), or None; raises
    for an ambiguous or meaningless name when ``report``."""
    if typ is None and word in TYPE_WORDS:
        t = TYPE_WORDS[word]
        return None if t is None else ("type", t)
    got = [("proto", PROTO_NAMES.get(word), lambda: typ in (None, "proto")),
           ("port", PORT_NAMES.get(word),
            lambda: typ in (None, "port") and proto in (UNKNOWN, 6, 17, TCP_OR_UDP)),
           ("tcpopt", TCPOPT_NAMES.get(word),
            lambda: typ in (None, "tcpopt") and proto in (UNKNOWN, 6, TCP_OR_UDP)),
           (F_ICMP_TYPE, ICMP_NAMES.get(word),
            lambda: typ in (None, F_ICMP_TYPE) and proto in (UNKNOWN, 1))]
    found = [(k, val) for k, val, _ in got if val is not None]
    if not found:
        return None
    fits = [(k, val) for k, val, ok in got if val is not None and ok()]
    if len(fits) == 1:
        return fits[0]
    if not report:
        return False
    tries = ", ".join(f"'{unparse_type(0, k)} {word}'" for k, _ in found)
    raise ClassifierError(f"'{word}' is {'ambiguous' if fits else 'meaningless'}; try {tries}")


class _Parser:
    """Recursive descent over one pattern's words (Click's IPFilter::Parser)."""

    def __init__(self, words, pos, names=None):
        self.words = words
        self.pos = pos
        self.names = names              # the router's AddressInfo names, or None
        self.prev = _Prim()
        self.warnings = []

    def _peek(self, k=0):
        i = self.pos + k
        return self.words[i] if i < len(self.words) else None

    # expr ::= orexpr ['?' expr ':' expr]
    def _parse_expr(self):
        e = self._parse_orexpr()
        if self._peek() != "?":
            return e
        self.pos += 1
        a = self._parse_expr()
        if self._peek() != ":":
            raise ClassifierError("missing ':' in ternary expression")
        self.pos += 1
        b = self._parse_expr()
        return ("cond", e, a, b) if e not in (TRUE, FALSE) else (a if e == TRUE else b)

    # orexpr ::= term (('or' | '||') term)*
    def _parse_orexpr(self):
        parts = [self._parse_term()]
        while self._peek() in ("or", "||"):
            self.pos += 1
            parts.append(self._parse_term())
        return e_or(*parts)

    # term ::= factor ([('and' | '&&')] factor)*
    def _parse_term(self):
        parts = []
        explicit = True                     # the first factor must be there
        while True:
            before = self.pos
            e = self._parse_factor()
            if self.pos == before:
                if explicit:
                    raise ClassifierError("missing expression")
                break
            parts.append(e)
            explicit = self._peek() in ("and", "&&")
            if explicit:
                self.pos += 1
        return e_and(*parts)

    # factor ::= ('not' | '!') factor | '(' expr ')' | test
    def _parse_factor(self, negated=False):
        w = self._peek()
        if w in ("not", "!"):
            self.pos += 1
            before = self.pos
            e = self._parse_factor(not negated)
            if self.pos == before:
                raise ClassifierError(f"missing expression after '{w}'")
            return e
        if w == "(":
            self.pos += 1
            before = self.pos
            e = self._parse_expr()
            if self.pos == before:
                raise ClassifierError("missing expression after '('")
            if self._peek() != ")":
                raise ClassifierError("missing ')'")
            self.pos += 1
            return e_not(e) if negated else e
        return self._parse_test(negated)

    # test ::= 'true' | 'false' | quals ['[' POS[:LEN] ']'] ['&' MASK] [relop] data
    def _parse_test(self, negated):
        words = self.words
        w = self._peek()
        if w is None or w in (")", "||", "or", "?", ":"):
            return TRUE
        if w in ("true", "false"):
            self.pos += 1
            return e_not(TRUE if w == "true" else FALSE) if negated else \
                (TRUE if w == "true" else FALSE)
        first = self.pos
        prim = _Prim()
        header = None
        while self.pos < len(words):
            wd = words[self.pos]
            found = _lookup(wd, None, UNKNOWN, False)
            if found and found[0] == "type":
                prim.set_type(found[1])
                if isinstance(found[1], Field) and found[1].proto is not None:
                    prim.set_proto(found[1].proto)
            elif found and found[0] == "proto":
                prim.set_proto(found[1])
            elif found is not None:
                break
            elif wd == "src":
                nxt, nxt2 = self._peek(1), self._peek(2)
                if nxt2 in ("dst", "dest") and nxt in ("and", "&&"):
                    prim.set_srcdst(SD_AND)
                    self.pos += 2
                elif nxt2 in ("dst", "dest") and nxt in ("or", "||"):
                    prim.set_srcdst(SD_OR)
                    self.pos += 2
                else:
                    prim.set_srcdst(SD_SRC)
            elif wd in ("dst", "dest"):
                prim.set_srcdst(SD_DST)
            elif wd in ("ip", "ether"):
                if header:
                    break
                header = wd[0]
            elif wd in ("not", "!"):
                negated = not negated
            else:
                break
            self.pos += 1
        if self.pos != first:
            self.prev.clear()

        def word_here():
            return words[self.pos] if self.pos < len(words) - 1 else ""

        wd = word_here()
        if wd == "[" and self.pos > first and prim.type is None:
            self._parse_brackets(prim)
            wd = word_here()
        mask_kind, mask = None, 0
        if wd == "&" and self.pos < len(words) - 1:
            mw = words[self.pos + 1]
            if (m := _parse_int(mw)) is not None:
                mask_kind, mask = "int", m
            elif (m := _parse_ip(mw, self.names)) is not None:
                mask_kind, mask = "host", m
            if mask_kind:
                self.pos += 2
                if not mask:
                    raise ClassifierError("zero mask ignored")
            wd = word_here()
        ops = {"=": (OP_EQ, False), "==": (OP_EQ, False), "!=": (OP_EQ, True),
               ">": (OP_GT, False), "<": (OP_LT, False), ">=": (OP_LT, True),
               "<=": (OP_GT, True)}
        if wd in ops:
            prim.op, prim.negated = ops[wd]
            self.pos += 1
        if self.pos < len(words):
            wd = words[self.pos]
            found = _lookup(wd, prim.type, prim.proto, True)
            self.pos += 1
            rng = re.fullmatch(r"(\d+)-(\d+)", wd)
            if found and found[0] != "type":
                prim.data, prim.u = found
            elif (n := _parse_int(wd)) is not None:
                prim.data, prim.u = "int", n
            elif (p := _named_net(wd, self.names)) is not None:
                prim.data, (prim.u, prim.mask) = "net", p
            elif (a := _parse_ip(wd, self.names)) is not None:
                if self._peek() == "mask" and self._peek(1) is not None \
                        and (m := _parse_ip(self._peek(1), self.names)) is not None:
                    self.pos += 2
                    prim.data, prim.u, prim.mask = "net", a, m
                elif prim.type == "net" and (p := _parse_prefix(wd, self.names)) is not None:
                    prim.data, (prim.u, prim.mask) = "net", p
                else:
                    prim.data, prim.u = "host", a
            elif (p := _parse_prefix(wd, self.names)) is not None:
                prim.data, (prim.u, prim.mask) = "net", p
            elif rng and prim.op == OP_EQ and not prim.negated:
                return self._port_range(prim, header, negated, first, rng)
            else:
                if prim.op != OP_EQ or prim.negated:
                    raise ClassifierError(f"dangling operator near '{wd}'")
                self.pos -= 1
        if self.pos == first:
            raise ClassifierError(f"empty term near '{wd}'")
        prim.check(self.prev, header, mask_kind, mask)
        if prim.warning:
            self.warnings.append(prim.warning)
        self.prev = prim
        e = prim.expr()
        return e_not(e) if negated else e

    def _port_range(self, prim, header, negated, first, rng):
        """``port LO-HI`` (a clickpy extension): LO <= port <= HI."""
        lo, hi = int(rng.group(1)), int(rng.group(2))
        low = prim.copy()
        low.op, low.negated, low.data, low.u = OP_LT, True, "int", lo
        high = prim.copy()
        high.op, high.negated, high.data, high.u = OP_GT, True, "int", hi
        for p in (low, high):
            p.check(self.prev, header, None, 0)
        if low.type != "port":
            raise ClassifierError(f"'{rng.group(0)}': ranges need 'port'")
        if low.srcdst == SD_OR:
            low.srcdst = high.srcdst = SD_SRC
            src = e_and(low.expr(), high.expr())
            low.srcdst = high.srcdst = SD_DST
            e = e_or(src, e_and(low.expr(), high.expr()))
            low.srcdst = high.srcdst = SD_OR
        else:
            e = e_and(low.expr(), high.expr())
        self.prev = low
        return e_not(e) if negated else e

    def _parse_brackets(self, prim):
        words = self.words
        start = self.pos + 1
        j = start
        while j < len(words) and words[j] != "]":
            j += 1
        if j >= len(words):
            raise ClassifierError("missing ']'")
        combo = "".join(words[start:j])
        self.pos = j + 1
        m = re.fullmatch(r"(\w+)(?::(\w+)|,(\w+))?", combo)
        pos = length = None
        if m:
            pos = _parse_int(m.group(1))
            if m.group(2) is not None:
                length = _parse_int(m.group(2))
            elif m.group(3) is not None:
                end = _parse_int(m.group(3))
                length = None if end is None or pos is None else end - pos + 1
            else:
                length = 1
        if pos is None or length is None:
            raise ClassifierError("syntax error after '[', expected '[POS]' or '[POS:LEN]'")
        bit, nbits = pos * 8, length * 8
        if not 1 <= nbits <= 32:
            raise ClassifierError("LEN in '[POS:LEN]' out of range, should be between 1 and 4")
        if bit & ~31 != (bit + nbits - 1) & ~31:
            raise ClassifierError(f"field [{pos}:{length}] does not fit in a single word")
        proto = None if prim.proto is UNKNOWN else prim.proto
        prim.set_type(Field("", proto, bit, nbits))


def parse_ipfilter_pattern(text: str, slot: int, noutputs: int, warnings=None, names=None):
    """``ACTION [PATTERN]`` as (expression, target)."""
    words = split_words(text)
    if not words:
        raise ClassifierError(f"empty pattern {slot}")
    try:
        action = words[0]
        target = DROP_TARGET
        if action == "allow":
            target = output_target(0)
            if noutputs == 0:
                raise ClassifierError("'allow' is meaningless, element has zero outputs")
        elif action == "deny":
            if noutputs > 1 and warnings is not None:
                warnings.append(f"pattern {slot}: meaning of 'deny' has changed "
                                "(now it means 'drop')")
        elif action == "drop":
            pass
        elif (n := _parse_int(action)) is not None and not action.startswith("-"):
            if n >= noutputs:
                raise ClassifierError(f"slot '{n}' out of range")
            target = output_target(n)
        else:
            raise ClassifierError(f"unknown slot ID '{action}'")
        if len(words) == 1 or (len(words) == 2 and words[1] in ("-", "any", "all")):
            return TRUE, target
        if len(words) == 2 and words[1] == "none":
            return FALSE, target
        parser = _Parser(words, 1, names)
        e = parser._parse_expr()
        if parser.pos < len(words):
            raise ClassifierError(f"garbage after expression at '{words[parser.pos]}'")
        if warnings is not None:
            warnings.extend(f"pattern {slot}: {w}" for w in parser.warnings)
        return e, target
    except ClassifierError as err:
        if str(err).startswith("empty pattern"):
            raise
        raise ClassifierError(f"pattern {slot}: {err}") from None


def parse_ipfilter(patterns: list[str], noutputs: int, warnings=None, names=None) -> Program:
    """IPFilter's ``ACTION PATTERN`` arguments compiled; ``names`` is the
    router's AddressTable, for hosts and networks given as AddressInfo names."""
    rules = [parse_ipfilter_pattern(p, i, noutputs, warnings, names)
             for i, p in enumerate(patterns)]
    return compile_rules(rules)
