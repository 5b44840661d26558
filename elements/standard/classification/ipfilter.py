"""ipfilter -- IPFilter's and IPClassifier's tcpdump-like patterns parsed into expressions

Click's ipfilter.cc: ``ACTION PATTERN`` rules (IPClassifier's patterns get
their output number as ACTION), a recursive-descent parser over Click's
words, and Click's Primitive, which fills in what a directive leaves out
and builds its expression. Offsets follow Click's program listing: NET + n
is byte n of the IP header, TRANSP + n byte n of the transport header.
Protocol, port, TCP flag and ICMP type names come from runtime nameinfo
(Click's NameInfo, with the system's /etc/protocols and /etc/services);
AddressInfo names from the router's AddressTable.
"""
from __future__ import annotations

import functools
import re

from clickpy.elements.standard.classification.compiler import (
    DROP_TARGET,
    FALSE,
    TRUE,
    ClassifierError,
    Program,
    atom,
    compile_rules,
    e_and,
    e_flip,
    e_not,
    e_or,
    output_target,
)
from clickpy.lang import values as v
from clickpy.runtime import nameinfo

__all__ = ["parse_ipfilter", "parse_ipfilter_pattern", "split_words", "NET", "TRANSP"]

NET = 256                       # IP header bytes in the program's offsets
TRANSP = 512                    # transport header bytes
UNKNOWN = None                  # no transport protocol given
TCP_OR_UDP = nameinfo.IP_PROTO_TCP_OR_UDP
# the protocols Click's unparse_transp_proto names; others print as "ip proto N"
_PROTO_WORDS = ("icmp", "igmp", "ipip", "tcp", "udp", "tcpudp", "transp")


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
    for name in _PROTO_WORDS:
        if nameinfo.IP_PROTOS[name] == p:
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

    def __init__(self, errors=None):
        self.errors = errors if errors is not None else []   # the parser's messages
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

    # these three say what is wrong and go on, as Click's do
    def set_type(self, t):
        if self.type is not None:
            self.errors.append("type specified twice")
        self.type = t

    def set_srcdst(self, sd):
        if self.srcdst:
            self.errors.append("'src' or 'dst' specified twice")
        self.srcdst = sd

    def set_proto(self, p):
        if self.proto is not UNKNOWN and self.proto != p:
            self.errors.append("transport protocol specified twice")
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


def proto_test(p):
    if p == TCP_OR_UDP:
        return e_or(atom(NET + 8, 0x00FF0000, 6 << 16), atom(NET + 8, 0x00FF0000, 17 << 16))
    if p >= 256:
        return TRUE
    return atom(NET + 8, 0x00FF0000, p << 16)


@functools.lru_cache(maxsize=1024)
def _named(word: str) -> tuple:
    """(database, value) for each of Click's name databases that knows
    ``word``: IP protocols, TCP ports, UDP ports, TCP flags, ICMP types.
    Cached: the system's databases are files read on each miss."""
    if not any(c.isalpha() for c in word) or _parse_int(word) is not None:
        return ()                       # numbers, addresses, prefixes name nothing
    got = (("proto", nameinfo.ip_proto(word)), ("tcp port", nameinfo.port(word, "tcp")),
           ("udp port", nameinfo.port(word, "udp")), ("tcpopt", nameinfo.TCP_FLAGS.get(word)),
           (F_ICMP_TYPE, nameinfo.icmp_type(word)))
    return tuple((db, val) for db, val in got if val is not None)


def _fits(db, typ, proto) -> bool:
    """Whether a name from database ``db`` can stand where type ``typ`` and
    transport protocol ``proto`` are known."""
    if db == "proto":
        return typ in (None, "proto")
    if db == "tcp port":
        return typ in (None, "port") and proto in (UNKNOWN, 6, TCP_OR_UDP)
    if db == "udp port":
        return typ in (None, "port") and proto in (UNKNOWN, 17, TCP_OR_UDP)
    if db == "tcpopt":
        return typ in (None, "tcpopt") and proto in (UNKNOWN, 6, TCP_OR_UDP)
    return typ in (None, F_ICMP_TYPE) and proto in (UNKNOWN, 1)


def _kind(db):
    return "port" if db in ("tcp port", "udp port") else db


def _lookup(word, typ, proto, report):
    """Click's IPFilter::lookup: ("type", t), (kind, value), or None; raises
    for an ambiguous or meaningless name when ``report``."""
    if typ is None and word in TYPE_WORDS:
        t = TYPE_WORDS[word]
        return None if t is None else ("type", t)
    found = _named(word)
    if not found:
        return None
    fits = [(db, val) for db, val in found if _fits(db, typ, proto)]
    ports = [val for db, val in fits if _kind(db) == "port"]
    if len(ports) == 2 and ports[0] == ports[1]:     # one number for TCP and UDP
        fits = [(db, val) for db, val in fits if db != "udp port"]
    if len(fits) == 1:
        return _kind(fits[0][0]), fits[0][1]
    if not report:
        return False
    kinds = dict.fromkeys(_kind(db) for db, _ in found)
    tries = ", ".join(f"'{unparse_type(0, k)} {word}'" for k in kinds)
    raise ClassifierError(f"'{word}' is {'ambiguous' if fits else 'meaningless'}; try {tries}")


class _Parser:
    """Recursive descent over one pattern's words (Click's IPFilter::Parser)."""

    def __init__(self, words, pos, names=None):
        self.words = words
        self.pos = pos
        self.names = names              # the router's AddressInfo names, or None
        self.errors = []                # Click's parser reports and goes on: all of them
        self.prev = _Prim(self.errors)
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
            self.errors.append("missing ':' in ternary expression")
            return e
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
                    self.errors.append("missing expression")
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
                self.errors.append(f"missing expression after '{w}'")
            return e
        if w == "(":
            self.pos += 1
            before = self.pos
            e = self._parse_expr()
            if self.pos == before:
                self.errors.append("missing expression after '('")
            if self._peek() == ")":
                self.pos += 1
            elif self.pos != before:
                self.errors.append("missing ')'")
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
        prim = _Prim(self.errors)
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
                    self.errors.append("zero mask ignored")
                    mask_kind = None
            wd = word_here()
        ops = {"=": (OP_EQ, False), "==": (OP_EQ, False), "!=": (OP_EQ, True),
               ">": (OP_GT, False), "<": (OP_LT, False), ">=": (OP_LT, True),
               "<=": (OP_GT, True)}
        if wd in ops:
            prim.op, prim.negated = ops[wd]
            self.pos += 1
        if self.pos < len(words):
            wd = words[self.pos]
            try:
                found = _lookup(wd, prim.type, prim.proto, True)
            except ClassifierError as err:  # ambiguous: the word is taken, the test dropped
                self.errors.append(str(err))
                found = "absorbed"
            self.pos += 1
            rng = re.fullmatch(r"(\d+)-(\d+)", wd)
            if found == "absorbed":
                prim.type = "invalid"
            elif found and found[0] != "type":
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
                    self.errors.append(f"dangling operator near '{wd}'")
                self.pos -= 1
        if self.pos == first:
            self.errors.append(f"empty term near '{wd}'")
            return TRUE
        if prim.type == "invalid":
            return TRUE
        try:
            prim.check(self.prev, header, mask_kind, mask)
        except ClassifierError as err:      # Click's check stops at its first error
            self.errors.append(str(err))
            return TRUE
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
        try:
            for p in (low, high):
                p.check(self.prev, header, None, 0)
        except ClassifierError as err:
            self.errors.append(str(err))
            return TRUE
        if low.type != "port":
            self.errors.append(f"'{rng.group(0)}': ranges need 'port'")
            return TRUE
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
            self.errors.append("missing ']'")
            self.pos = start
            return
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
            self.errors.append("syntax error after '[', expected '[POS]' or '[POS:LEN]'")
            return
        bit, nbits = pos * 8, length * 8
        if not 1 <= nbits <= 32:
            self.errors.append("LEN in '[POS:LEN]' out of range, should be between 1 and 4")
            return
        if bit & ~31 != (bit + nbits - 1) & ~31:
            self.errors.append(f"field [{pos}:{length}] does not fit in a single word")
            return
        proto = None if prim.proto is UNKNOWN else prim.proto
        prim.set_type(Field("", proto, bit, nbits))


def parse_ipfilter_pattern(text: str, slot: int, noutputs: int, warnings=None, names=None,
                           errors=None):
    """``ACTION [PATTERN]`` as (expression, target).

    As Click's IPFilter, a pattern goes on being read after an error, so
    one pass reports them all: they are appended to ``errors`` as
    "pattern N: ..." (raised as one ClassifierError when no list is given).
    """
    own = errors is None
    errors = [] if own else errors
    e, target = _parse_pattern(text, slot, noutputs, warnings, names, errors)
    if own and errors:
        raise ClassifierError("\n".join(errors))
    return e, target


def _parse_pattern(text, slot, noutputs, warnings, names, errors):
    words = split_words(text)
    if not words:
        errors.append(f"empty pattern {slot}")
        return FALSE, DROP_TARGET
    mine = []
    action = words[0]
    target = DROP_TARGET
    if action == "allow":
        target = output_target(0)
        if noutputs == 0:
            mine.append("'allow' is meaningless, element has zero outputs")
    elif action == "deny":
        if noutputs > 1 and warnings is not None:
            warnings.append(f"pattern {slot}: meaning of 'deny' has changed "
                            "(now it means 'drop')")
    elif action == "drop":
        pass
    elif (n := _parse_int(action)) is not None and not action.startswith("-"):
        if n >= noutputs:
            mine.append(f"slot '{n}' out of range")
        else:
            target = output_target(n)
    else:
        mine.append(f"unknown slot ID '{action}'")
    if len(words) == 1 or (len(words) == 2 and words[1] in ("-", "any", "all")):
        e = TRUE
    elif len(words) == 2 and words[1] == "none":
        e = FALSE
    else:
        parser = _Parser(words, 1, names)
        e = parser._parse_expr()
        mine.extend(parser.errors)
        if parser.pos < len(words):
            mine.append(f"garbage after expression at '{words[parser.pos]}'")
        if warnings is not None:
            warnings.extend(f"pattern {slot}: {w}" for w in parser.warnings)
    errors.extend(f"pattern {slot}: {m}" for m in mine)
    return e, target


def parse_ipfilter(patterns: list[str], noutputs: int, warnings=None, names=None) -> Program:
    """IPFilter's ``ACTION PATTERN`` arguments compiled; ``names`` is the
    router's AddressTable, for hosts and networks given as AddressInfo names.
    Raises one ClassifierError listing every pattern's errors, as Click does."""
    errors = []
    rules = [parse_ipfilter_pattern(p, i, noutputs, warnings, names, errors)
             for i, p in enumerate(patterns)]
    if errors:
        raise ClassifierError("\n".join(errors))
    return compile_rules(rules)
