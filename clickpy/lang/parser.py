"""parser -- recursive-descent parser from tokens to the syntax tree (click.5)."""
from __future__ import annotations

from clickpy.errors import ClickError, ErrorHandler, printable
from clickpy.lang import ast
from clickpy.lang.lexer import (
    ARROW,
    ARROW2,
    BAR2,
    COLON2,
    DOTS,
    EOF,
    IDENT,
    KEYWORDS,
    VARIABLE,
    Lexer,
    Token,
)

_CONNECTORS = (ARROW, ARROW2)
MAX_DEPTH = 100     # nesting of compounds and groups


class Parser:
    """Parses one file; ``parse()`` returns its statement list.

    Syntax errors stop at the first one (raised as ClickError); warnings
    go to ``errh``.
    """

    def __init__(self, text: str, filename: str = "config", errh: ErrorHandler | None = None):
        self.lexer = Lexer(text, filename)
        self.errh = errh if errh is not None else ErrorHandler()
        self._pushback: list[Token] = []
        self._depth = 0                 # >0 inside a compound or group
        self._ends_with_output = True   # did the previous connection end at 'output'?

    # -- token methods ------------------------------------------------------
    def _advance(self) -> Token:
        return self._pushback.pop() if self._pushback else self.lexer.next()

    def _peek(self) -> Token:
        tok = self._advance()
        self._pushback.append(tok)
        return tok

    def _unlex(self, tok: Token):
        self._pushback.append(tok)

    def _accept(self, kind: str) -> Token | None:
        tok = self._advance()
        if tok.kind == kind:
            return tok
        self._unlex(tok)
        return None

    def _expect(self, kind: str) -> Token:
        tok = self._advance()
        if tok.kind != kind:
            raise self._error(tok.offset, f"expected {_describe(kind)}")
        return tok

    def _error(self, offset: int, msg: str) -> ClickError:
        return self.lexer.error(offset, msg)

    def _syntax_error(self, tok: Token) -> ClickError:
        # Click's %#s: control characters and non-text bytes shown escaped
        return self._error(tok.offset, f"syntax error near '{printable(tok.text or tok.kind)}'")

    def _config(self) -> str:
        """After '(': the configuration string and its closing ')'."""
        assert not self._pushback, "configuration strings are read right after '('"
        text = self.lexer.config_string()
        self._expect(")")
        return text

    # -- statements -------------------------------------------------------
    # file ::= stmt* EOF
    def parse(self) -> list:
        stmts = self._parse_statements(stop=(EOF,))
        self._expect(EOF)
        for offset in self.lexer.directive_errors():
            raise self._error(offset, "unknown preprocessor directive")
        return stmts

    # stmts ::= (connection | elementclass | require | define | ';')*
    def _parse_statements(self, stop: tuple[str, ...]) -> list:
        stmts = []
        while True:
            tok = self._peek()
            if tok.kind in stop:
                return stmts
            if tok.kind == ";":
                self._advance()
            elif tok.kind == KEYWORDS["elementclass"]:
                stmts.append(self._parse_elementclass())
            elif tok.kind in (KEYWORDS["require"], KEYWORDS["provide"]):
                stmts.append(self._parse_require())
            elif tok.kind == KEYWORDS["define"]:
                stmts.append(self._parse_define())
            elif tok.kind in (IDENT, "[", "{", "(") or (self._depth and tok.kind in _CONNECTORS):
                conn = self._parse_connection()
                if conn is not None:
                    stmts.append(conn)
            elif tok.kind == EOF and stop[0] == "}":
                # as Click's lexer: say so, close the compound here and go on,
                # so the errors that follow from it are reported too
                self.errh.error(self.lexer.coord(tok.offset), "expected '}'")
                return stmts
            elif tok.kind == EOF:
                raise self._error(tok.offset, f"expected {_describe(stop[0])}")
            else:
                raise self._syntax_error(tok)

    # connection ::= set (('->' | '=>') set)*
    def _parse_connection(self) -> ast.Connection | None:
        start = self._peek().offset
        sets: list[list[ast.ElementRef]] = []
        connectors: list[str] = []
        while True:
            elements = self._parse_element_set(first=not sets)
            if not elements:
                if sets:
                    raise self._syntax_error(self._peek())
                return None
            sets.append(elements)
            tok = self._advance()
            if tok.kind in _CONNECTORS:
                connectors.append(tok.text)
                continue
            if tok.kind in (",", COLON2):
                raise self._syntax_error(tok)
            if tok.kind not in (";", EOF):
                self._unlex(tok)
            break
        for s in sets[1:-1]:
            if any(e.kind == "implicit" for e in s):
                raise self._error(s[0].offset, "implicit ports used in the middle of a chain")
        last = sets[-1]
        self._ends_with_output = (len(sets) > 1 and len(last) == 1 and last[0].name == "output")
        if len(sets) == 1:
            # a lone set is a declaration; ports there mean nothing
            for e in sets[0]:
                if e.outports is not None and e.kind != "group":
                    raise self._error(e.offset, "output ports ignored at end of chain")
                if e.inports is not None and e.kind != "group":
                    raise self._error(e.offset, "input ports ignored at start of chain")
        else:
            for e in sets[0]:
                if e.inports is not None and e.kind not in ("group", "implicit"):
                    raise self._error(e.offset, "input ports ignored at start of chain")
            for e in sets[-1]:
                if e.outports is not None and e.kind not in ("group", "implicit"):
                    raise self._error(e.offset, "output ports ignored at end of chain")
        return ast.Connection(sets, connectors, start)

    # set ::= element (',' element)*
    def _parse_element_set(self, first: bool) -> list[ast.ElementRef]:
        elements = []
        while True:
            e = self._parse_element(first, position=len(elements))
            if e is None:
                break
            elements.append(e)
            if not self._accept(","):
                break
        return elements

    # element ::= [ports] (IDENT ['::' class] ['(' config ')'] | '{' compound '}' ['(' config ')']
    #                      | '(' stmts ')' | <implicit input/output>) [ports]
    def _parse_element(self, first: bool, position: int) -> ast.ElementRef | None:
        inports = self._parse_ports()
        tok = self._advance()
        if tok.kind == IDENT:
            e = ast.ElementRef("name", tok.text, tok.offset, inports=inports)
            if self._accept(COLON2):
                e.decl_class = self._parse_class_ref()
            if self._accept("("):
                e.config = self._config()
        elif tok.kind == "{":
            compound = self._parse_compound("", tok.offset)
            e = ast.ElementRef("compound", "", tok.offset, inports=inports, compound=compound)
            if self._accept("("):
                e.config = self._config()
        elif tok.kind == "(":
            e = ast.ElementRef("group", "", tok.offset, inports=inports)
            self._enter(tok)
            saved = self._ends_with_output
            self._ends_with_output = True
            e.group = self._parse_statements(stop=(")",))
            e.group_end = self._expect(")").offset
            self._ends_with_output = saved
            self._depth -= 1
        else:
            self._unlex(tok)
            return self._implicit_element(tok, inports, first, position)
        e.outports = self._parse_ports()
        return e

    def _implicit_element(self, tok, inports, first, position) -> ast.ElementRef | None:
        """Inside a compound or group, a missing element means input or output."""
        nested = self._depth > 0
        if nested and tok.kind in _CONNECTORS:
            implicit = first and (inports is not None or position == 0)
            if implicit and inports is None and not self._ends_with_output:
                self.errh.warning(self.lexer.coord(tok.offset), f"suggest 'input {tok.text}' "
                                  f"or '[0] {tok.text}' to start connection")
        elif nested and tok.kind == ",":
            implicit = inports is not None
        elif nested and tok.kind != COLON2:
            implicit = not first and (inports is not None or position == 0)
        else:
            implicit = False
        if implicit:
            if first:   # the ports written were output ports of 'input'
                return ast.ElementRef("implicit", "input", tok.offset, outports=inports)
            return ast.ElementRef("implicit", "output", tok.offset, inports=inports)
        if inports is not None:
            raise self._error(tok.offset, "stranded port ignored")
        if position == 0 and not (nested and first):
            raise self._syntax_error(tok)
        return None

    # class ::= IDENT | '{' compound '}'
    def _parse_class_ref(self) -> ast.ClassRef:
        tok = self._advance()
        if tok.kind == IDENT:
            return ast.ClassRef(tok.text, tok.offset)
        if tok.kind == "{":
            return ast.ClassRef(None, tok.offset, self._parse_compound("", tok.offset))
        raise self._error(tok.offset, "missing element type in declaration")

    # ports ::= '[' [port (',' port)* [',']] ']'    port ::= INT ['-' INT]
    def _parse_ports(self) -> ast.Ports | None:
        if not self._accept("["):
            return None
        ports: list[int] = []
        while True:
            tok = self._advance()
            if tok.kind == "]":
                return ast.Ports(ports or [0], expandable=True)
            if tok.kind != IDENT:
                raise self._error(tok.offset, "syntax error: expected port number")
            first = self._port_number(tok)
            if self._accept("-"):
                last = self._port_number(self._advance())
                if last < first:
                    raise self._error(tok.offset, f"syntax error: bad port range '{first}-{last}'")
                ports.extend(range(first, last + 1))
            else:
                ports.append(first)
            tok = self._advance()
            if tok.kind == "]":
                return ast.Ports(ports)
            if tok.kind != ",":
                raise self._error(tok.offset, "syntax error: expected ','")

    def _port_number(self, tok: Token) -> int:
        if tok.kind != IDENT or not tok.text.isdigit():
            raise self._error(tok.offset, "syntax error: port number should be integer")
        return int(tok.text)

    def _enter(self, tok: Token):
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise self._error(tok.offset, "maximum compound element nesting depth exceeded")

    # compound ::= body ('||' body)* ['||' '...'] '}'     (the '{' is already read)
    def _parse_compound(self, name: str, offset: int) -> ast.CompoundDef:
        bodies: list[ast.CompoundBody] = []
        extends = False
        body_start = offset
        while True:
            if self._accept(DOTS):
                tok = self._advance()
                if not bodies or tok.kind != "}":
                    raise self._error(tok.offset, "'...' should occur last, "
                                      "after one or more compounds")
                extends = True
                break
            self._enter(Token("{", "{", body_start))
            saved = self._ends_with_output
            self._ends_with_output = True
            formals = self._parse_formals()
            stmts = self._parse_statements(stop=("}", BAR2))
            self._ends_with_output = saved
            self._depth -= 1
            tok = self._advance()
            bodies.append(ast.CompoundBody(formals, stmts, body_start, tok.offset))
            if tok.kind in ("}", EOF):      # EOF: reported, closed as if '}'
                break
            body_start = tok.offset     # '||': another overload follows
        return ast.CompoundDef(name, bodies, extends, offset)

    # formals ::= [formal (',' formal)* '|']    formal ::= [KEYWORD] VARIABLE
    def _parse_formals(self) -> list[tuple[str, str, int]]:
        formals: list[tuple[str, str, int]] = []
        while True:
            t1 = self._advance()
            if t1.kind == IDENT:
                t2 = self._advance()
                if t2.kind != VARIABLE:
                    if formals:
                        raise self._error(t2.offset, "expected variable")
                    self._unlex(t2)
                    self._unlex(t1)
                    return formals
                formals.append((t1.text, t2.text, t1.offset))
            elif t1.kind == VARIABLE:
                formals.append(("", t1.text, t1.offset))
            elif t1.kind == "|":
                return formals
            else:
                if formals:
                    raise self._error(t1.offset, "expected variable")
                self._unlex(t1)
                return formals
            sep = self._advance()
            if sep.kind == "|":
                return formals
            if sep.kind != ",":
                raise self._error(sep.offset, "expected ',' or '|'")

    # elementclass ::= 'elementclass' IDENT ('{' compound | IDENT)
    def _parse_elementclass(self) -> ast.ElementClassStmt:
        kw = self._advance()
        name_tok = self._advance()
        if name_tok.kind != IDENT:
            raise self._error(name_tok.offset, "expected element type name")
        tok = self._advance()
        stmt = ast.ElementClassStmt(name_tok.text, kw.offset)
        if tok.kind == "{":
            stmt.compound = self._parse_compound(name_tok.text, tok.offset)
        elif tok.kind == IDENT:
            stmt.synonym = ast.ClassRef(tok.text, tok.offset)
        else:
            raise self._syntax_error(tok)
        return stmt

    # require ::= ('require' | 'provide') '(' config ')' [';']
    def _parse_require(self) -> ast.RequireStmt:
        from clickpy.lang.confstring import split_args, split_spaces, unquote
        kw = self._advance()
        self._expect("(")
        text = self._config()
        items = []
        for arg in split_args(text):
            words = split_spaces(arg)
            if not words:
                continue
            kind = unquote(words[0])
            if kind not in ("package", "library", "compact_config") and len(words) == 1:
                words, kind = ["package", words[0]], "package"    # require(X): package X
            if kind == "compact_config" and len(words) == 1:
                items.append((kind, ""))
            elif kind in ("package", "library") and len(words) == 2:
                items.append((kind, unquote(words[1])))
            else:
                raise self._error(kw.offset, "syntax error at requirement")
        return ast.RequireStmt(items, kw.offset, provide=kw.text == "provide")

    # define ::= 'define' '(' ($VAR value) (',' $VAR value)* ')'
    def _parse_define(self) -> ast.DefineStmt:
        from clickpy.lang.confstring import split_args
        kw = self._advance()
        self._expect("(")
        items = []
        for arg in split_args(self._config()):
            if not arg:
                continue                # an empty argument defines nothing (Click skips it)
            var, value = (arg.split(None, 1) + [""])[:2]
            if len(var) < 2 or var[0] != "$" or not all(c.isalnum() or c == "_" for c in var[1:]):
                raise self._error(kw.offset, "bad 'define' declaration: not a variable")
            items.append((var[1:], value))
        return ast.DefineStmt(items, kw.offset)


def _describe(kind: str) -> str:
    if kind in (EOF, IDENT, VARIABLE) or kind.startswith("'"):
        return kind
    return f"'{kind}'"


def parse(text: str, filename: str = "config", errh: ErrorHandler | None = None):
    """Parses configuration text into a list of statements (syntax only)."""
    return Parser(text, filename, errh).parse()
