"""args -- element argument tables and the all-or-nothing parser (Click's Args)"""
from __future__ import annotations

from clickpy.lang import confstring as cs
from clickpy.lang import values as v

__all__ = [
    "Arg", "ArgError", "ArgValues", "ArgType", "parse_args", "synopsis",
    "MANDATORY", "POSITIONAL", "DEPRECATED", "MULTIPLE", "REST",
    "Bool", "Int", "Unsigned", "U8", "U16", "U32", "U64", "I8", "I16", "I32", "I64",
    "IntType", "BoundedInt", "Real", "Seconds", "Timestamp", "Bandwidth",
    "IPAddress", "IPAddressList", "IPPrefix", "IPPrefixArg", "Netmask", "EtherAddress",
    "AnnoArg", "parse_address",
    "String", "Word", "Data", "Keyword", "Filename", "AnyArg", "ElementRef",
]

# Flags, as Click's read/read_m/read_p/read_mp plus read_all and consume.
MANDATORY = 1       # missing -> "KEYWORD: required argument missing"
POSITIONAL = 2      # may also be given by position, in ARGS order
DEPRECATED = 4      # accepted, with a warning "KEYWORD: argument deprecated"
MULTIPLE = 8        # may repeat; the value is a list in config order (read_all)
REST = 16           # takes every argument no other Arg took, as a list


class ArgError(ValueError):
    """Arguments that do not fit their table; one message per problem.

    Messages are Click's reasons, such as "MAX: out of range, bound 255" or
    "too many arguments"; the runtime adds the element's place.
    """

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


class ArgType:
    """A value parser: `name` for messages, `parse(text)` raising ValueError.

    ``parse_in(text, names)`` parses with a router's AddressInfo names at
    hand (an AddressTable, or None); only address types use them.
    """

    name = "argument"

    def parse(self, text: str):
        return text

    def parse_in(self, text: str, names):
        return self.parse(text)

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}>"


class _FuncType(ArgType):
    def __init__(self, name: str, func):
        self.name = name
        self._func = func

    def parse(self, text: str):
        return self._func(text)


class _AddressType(_FuncType):
    """An address parser that also accepts AddressInfo names (``name``,
    ``name:ip``...) of the given ``kind`` (ip, prefix, eth)."""

    def __init__(self, name: str, func, kind: str):
        super().__init__(name, func)
        self.kind = kind

    def parse_in(self, text: str, names):
        return parse_address(text, self.kind, self._func, names)


def parse_address(text: str, kind: str, parse, names):
    """``parse(text)``, or else the AddressInfo name ``text`` of ``kind`` in
    ``names`` (an AddressTable or None); raises parse's ValueError."""
    try:
        return parse(text)
    except ValueError:
        value = names.lookup(text, kind) if names is not None else None
        if value is None:
            raise
        return value


class IntType(ArgType):
    """Integers of a given width; signed ones accept a '-' sign."""

    def __init__(self, bits: int | None = 32, signed: bool = False, name: str | None = None):
        self.bits = bits
        self.signed = signed
        self.name = name or ("integer" if signed else "unsigned integer")

    def parse(self, text: str) -> int:
        if self.signed:
            return v.parse_int(text, self.bits)
        return v.parse_unsigned(text, self.bits)


class BoundedInt(ArgType):
    """Integers between lo and hi inclusive (BoundedIntArg)."""

    def __init__(self, lo: int, hi: int, name: str = "integer"):
        self.lo, self.hi, self.name = lo, hi, name

    def parse(self, text: str) -> int:
        x = v.parse_int(text, None)
        if x < self.lo:
            raise ValueError(f"out of range, bound {self.lo}")
        if x > self.hi:
            raise ValueError(f"out of range, bound {self.hi}")
        return x


class IPPrefixArg(ArgType):
    """(address, mask) pairs; allow_bare accepts a lone address as /32."""

    name = "IP address prefix"

    def __init__(self, allow_bare: bool = False):
        self.allow_bare = allow_bare

    def parse(self, text: str) -> tuple[bytes, bytes]:
        return v.parse_ip_prefix(text, self.allow_bare)

    def parse_in(self, text: str, names) -> tuple[bytes, bytes]:
        return parse_address(text, "prefix", self.parse, names)


class IPAddressListArg(ArgType):
    """Space-separated IP addresses (or AddressInfo names), as a list of 4-byte values."""

    name = "list of IP addresses"

    def parse(self, text: str) -> list[bytes]:
        return self.parse_in(text, None)

    def parse_in(self, text: str, names) -> list[bytes]:
        return [parse_address(word, "ip", v.parse_ip, names) for word in cs.split_spaces(text)]


class AnnoArg(ArgType):
    """An annotation of ``size`` bytes: a Click name (PAINT) or an offset (Click's AnnoArg).

    A name must denote an annotation of exactly ``size`` bytes; a number is
    any offset that leaves ``size`` bytes inside the annotation area.
    """

    name = "annotation"

    def __init__(self, size: int = 1):
        self.size = size

    def parse(self, text: str) -> int:
        from clickpy.runtime.packet import ANNOTATION_AREA_SIZE, ANNOTATIONS
        if text in ANNOTATIONS:
            offset, size = ANNOTATIONS[text]
            if size != self.size:
                raise ValueError("expected annotation")
        else:
            try:
                offset = v.parse_unsigned(text, None)
            except ValueError:
                raise ValueError("expected annotation") from None
        if offset + self.size > ANNOTATION_AREA_SIZE:
            raise ValueError("expected annotation")
        return offset


class ElementRefType(ArgType):
    """An element name, kept as text; the runtime resolves it after configure."""

    name = "element name"

    def parse(self, text: str) -> str:
        return v.parse_element_name(text)


Bool = _FuncType("boolean", v.parse_bool)
Int = IntType(32, True)
Unsigned = IntType(32, False)
U8, U16, U32, U64 = (IntType(b, False) for b in (8, 16, 32, 64))
I8, I16, I32, I64 = (IntType(b, True) for b in (8, 16, 32, 64))
Real = _FuncType("real number", v.parse_real)
Seconds = _FuncType("time in seconds", v.parse_seconds)             # float seconds
Timestamp = _FuncType("timestamp", v.parse_timestamp)               # int nanoseconds
Bandwidth = _FuncType("bandwidth", v.parse_bandwidth)               # int bytes/s
IPAddress = _AddressType("IP address", v.parse_ip, "ip")             # 4 bytes
IPPrefix = IPPrefixArg(allow_bare=True)                             # (4 bytes, 4 bytes)
IPAddressList = IPAddressListArg()                                  # [4 bytes, ...]
Netmask = _FuncType("IP netmask", v.parse_netmask)                  # 4 bytes
EtherAddress = _AddressType("Ethernet address", v.parse_ether, "eth")  # 6 bytes
String = _FuncType("string", v.parse_string)
Word = _FuncType("word", v.parse_word)
Data = _FuncType("data", v.parse_data)                              # bytes
Keyword = _FuncType("keyword", v.parse_keyword)
Filename = _FuncType("filename", v.parse_filename)
AnyArg = ArgType()                                                  # the raw text
ElementRef = ElementRefType()

_NO_DEFAULT = object()


class Arg:
    """One row of an element's ARGS table.

    Arg("MAX", U8, MANDATORY | POSITIONAL); Arg("OFFSET", Unsigned, POSITIONAL,
    default=0). The name is the keyword and the attribute of the result.
    """

    __slots__ = ("name", "type", "flags", "default")

    def __init__(self, name: str, type: ArgType = AnyArg, flags: int = 0,
                 default=_NO_DEFAULT):
        if not name or not (name[0].isalpha() or name[0] == "_"):
            raise ValueError(f"{name}: keywords must start with a letter or underscore")
        if flags & REST and flags & (MULTIPLE | POSITIONAL):
            raise ValueError(f"{name}: REST cannot be combined with MULTIPLE or POSITIONAL")
        self.name = name
        self.type = type
        self.flags = flags
        self.default = default

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT

    def __repr__(self):
        d = f", default={self.default!r}" if self.has_default else ""
        return f"Arg({self.name!r}, {self.type!r}, {self.flags}{d})"


class ArgValues:
    """Parsed arguments: args.MAX, "MAX" in args (given, not defaulted).

    Arguments neither given nor defaulted read as None (MULTIPLE and REST
    as []). `warnings` lists deprecation notes.
    """

    def __init__(self, values: dict, given: set, warnings: list[str]):
        self.__dict__.update(values)
        self._values = values
        self._given = frozenset(given)
        self.warnings = warnings

    def given(self, name: str) -> bool:
        return name in self._given

    def __contains__(self, name: str) -> bool:
        return name in self._given

    def as_dict(self) -> dict:
        return dict(self._values)

    def __repr__(self):
        inner = ", ".join(f"{k}={val!r}" for k, val in self._values.items())
        return f"ArgValues({inner})"


# Argument states, as Click's Args::_kwpos: >0 keyword length, 0 positional.
_TAKEN_BY_POSITION = -1
_TAKEN_BY_KEYWORD = -2


class _Matcher:
    def __init__(self, conf: list[str]):
        self.conf = conf
        self.kwpos = []
        for a in conf:
            kw, _ = cs.split_keyword(a)
            self.kwpos.append(len(kw) if kw else 0)

    def find(self, keyword: str, flags: int, firstmatch: bool = False) -> str | None:
        """Take the argument for keyword; None if there is none (Args::find).

        The last "KEYWORD value" wins (the first with firstmatch). A
        positional Arg takes the first untaken argument when it has no
        keyword, or even when it looks like one if the Arg is mandatory and
        not given by keyword. Once an argument was taken by keyword, no
        later argument is positional.
        """
        kwpos, conf = self.kwpos, self.conf
        klen = len(keyword)
        got, got_kw, position = -1, 0, -1
        for i, k in enumerate(kwpos):
            if position == -1 and k != _TAKEN_BY_POSITION:
                position = i if k >= 0 else -2
            if k == klen and conf[i].startswith(keyword):
                got, got_kw = i, k
                kwpos[i] = _TAKEN_BY_KEYWORD
                if firstmatch:
                    break
        if (flags & POSITIONAL and position >= 0 and kwpos[position] >= 0
                and ((got < 0 and flags & MANDATORY) or kwpos[position] == 0)
                and (not firstmatch or got < 0 or position < got)):
            kwpos[position] = _TAKEN_BY_POSITION
            if firstmatch and 0 <= position < got:
                kwpos[got] = klen          # leave it for the next round
            if firstmatch or got < position:
                got, got_kw = position, 0  # the later of the two wins
        if got < 0:
            return None
        return conf[got][got_kw:].lstrip(cs.SPACE) if got_kw else conf[got]


def parse_args(table, conf: str | list[str] | None, names=None) -> ArgValues:
    """Parse conf against an ARGS table; raise ArgError listing every problem.

    conf is a configuration string (split with split_args) or a list of
    arguments; ``names`` is the router's AddressTable, for address
    arguments given as AddressInfo names. Positional Args take leading arguments in table order;
    others are "KEYWORD value" in any order. Nothing is returned unless
    everything parses; an empty argument counts as not given, as in Click.
    """
    if conf is None:
        conf = []
    elif isinstance(conf, str):
        conf = cs.split_args(conf)
    m = _Matcher(list(conf))
    errors: list[str] = []
    warnings: list[str] = []
    values: dict = {}
    given: set = set()
    rest_args = []

    def parse_one(arg: Arg, text: str):
        try:
            return arg.type.parse_in(text, names)
        except ValueError as e:
            errors.append(f"{arg.name}: {e}")
            return None

    for arg in table:
        flags = arg.flags
        if flags & REST:
            rest_args.append(arg)
            continue
        if flags & MULTIPLE:
            items = []
            f = flags
            while (text := m.find(arg.name, f, firstmatch=True)):
                items.append(parse_one(arg, text))
                f &= ~MANDATORY
            if items:
                values[arg.name] = items
                given.add(arg.name)
            elif flags & MANDATORY:
                errors.append(f"{arg.name}: required argument missing")
            else:
                values[arg.name] = arg.default if arg.has_default else []
        else:
            text = m.find(arg.name, flags)
            if text:
                values[arg.name] = parse_one(arg, text)
                given.add(arg.name)
            elif flags & MANDATORY and (text is None or not arg.has_default):
                errors.append(f"{arg.name}: required argument missing")
            else:
                values[arg.name] = arg.default if arg.has_default else None
        if arg.name in given and flags & DEPRECATED:
            warnings.append(f"{arg.name}: argument deprecated")

    left = [i for i, k in enumerate(m.kwpos) if k >= 0]
    for arg in rest_args:
        values[arg.name] = [parse_one(arg, m.conf[i]) for i in left]
        if left:
            given.add(arg.name)
        elif arg.flags & MANDATORY:
            errors.append(f"{arg.name}: required argument missing")
        left = []
    too_many = False
    for i in left:
        k = m.kwpos[i]
        if k > 0:
            errors.append(f"{m.conf[i][:k]}: unknown argument")
        else:
            too_many = True
    if too_many:
        errors.append("too many arguments")
    if errors:
        raise ArgError(errors)
    return ArgValues(values, given, warnings)


def synopsis(table, class_name: str | None = None) -> str:
    """The =c form of a table: "MAX [, OFFSET, VERBOSE]".

    Mandatory arguments come bare (positional ones first, in order), then
    the optional ones in one bracket. With class_name: "CapIPTTL(MAX [,
    OFFSET])", or just the name when there are no arguments.
    """
    pos = [a for a in table if a.flags & POSITIONAL]
    kw = [a for a in table if not a.flags & POSITIONAL]
    required = [a.name for a in pos + kw if a.flags & MANDATORY]
    optional = [a.name for a in pos + kw if not a.flags & MANDATORY]
    text = ", ".join(required)
    if optional:
        text += (" [, " if text else "[") + ", ".join(optional) + "]"
    if class_name is None:
        return text
    return f"{class_name}({text})" if text else class_name
