"""lexer -- splits Click configuration text into tokens; knows no grammar."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from clickpy.errors import ClickError, Coord

# token kinds; single-character tokens use the character itself as kind
IDENT = "identifier"
VARIABLE = "variable"
ARROW = "'->'"
ARROW2 = "'=>'"
COLON2 = "'::'"
BAR2 = "'||'"
DOTS = "'...'"
EOF = "end of file"
KEYWORDS = {"elementclass": "'elementclass'", "require": "'require'",
            "provide": "'provide'", "define": "'define'"}

_WORD = r"[A-Za-z0-9_@]+(?:/[A-Za-z0-9_@]+)*"
_TOKEN = re.compile(
    r"(?P<skip>(?:\s+|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/|\Z))+)"
    rf"|(?P<word>{_WORD})"
    r"|\$(?P<var>[A-Za-z0-9_]*)"
    r"|(?P<op>->|=>|::|\|\||\.\.\.)"
    r"|(?P<char>.)", re.S)
_DIRECTIVE = re.compile(r'#[ \t]*(?:line[ \t]+)?(?P<line>\d+)?[ \t]*'
                        r'(?P<file>"(?:[^"\\\n]|\\.)*")?[^\n]*')
# characters that matter while scanning a configuration string
_CONFIG_STOP = re.compile(r"[()\"'/\\\n]")


@dataclass(slots=True)
class Token:
    kind: str
    text: str
    offset: int

    def is_(self, kind):
        return self.kind == kind


class Lexer:
    """Produces tokens on demand; the parser asks for configuration strings.

    Line numbers are computed from offsets only when a place is needed.
    ``# N "file"`` line directives at the start of a line remap places so
    errors point at the original file, as Click's lexer does.
    """

    def __init__(self, text: str, filename: str = "config"):
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.filename = filename
        self.pos = 0
        self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        # (offset where it applies, file, line number at that offset)
        self._remaps: list[tuple[int, str, int]] = [(0, filename, 1)]
        self._directive_errors: list[int] = []

    # -- places ---------------------------------------------------------
    def coord(self, offset: int) -> Coord:
        index = bisect.bisect_right(self._remaps, (offset, "\uffff", 0)) - 1
        start, file, line = self._remaps[index]
        lines_between = (bisect.bisect_left(self._newlines, offset)
                         - bisect.bisect_left(self._newlines, start))
        return Coord(file, line + lines_between)

    def error(self, offset: int, msg: str) -> ClickError:
        return ClickError(msg, self.coord(offset))

    # -- tokens ---------------------------------------------------------
    def next(self) -> Token:
        text = self.text
        while True:
            pos = self.pos
            if pos >= len(text):
                return Token(EOF, "", len(text))
            if text[pos] == "#" and (pos == 0 or text[pos - 1] == "\n"):
                self.pos = self._line_directive(pos)
                continue
            m = _TOKEN.match(text, pos)
            self.pos = m.end()
            kind = m.lastgroup
            if kind == "skip":
                continue
            if kind == "word":
                word = m.group()
                return Token(KEYWORDS.get(word, IDENT), word, pos)
            if kind == "var":
                if m.group("var"):
                    return Token(VARIABLE, m.group("var"), pos)
                self.pos = pos + 1
                return Token("$", "$", pos)
            if kind == "op":
                return Token(f"'{m.group()}'", m.group(), pos)
            return Token(m.group(), m.group(), pos)

    def _line_directive(self, pos: int) -> int:
        m = _DIRECTIVE.match(self.text, pos)
        end = m.end()
        next_line = end + 1
        if m.group("line") is None:
            self._directive_errors.append(pos)
            return next_line
        file = self.coord(pos).file
        if m.group("file"):
            from clickpy.lang.confstring import unquote
            file = unquote(m.group("file")) or self.filename
        self._remaps.append((next_line, file, int(m.group("line"))))
        return next_line

    def directive_errors(self):
        """Offsets of unknown '#' directives (reported by the parser)."""
        return self._directive_errors

    def config_string(self) -> str:
        """The text after '(' up to the next unbalanced ')', left unconsumed.

        Comments and quotes are skipped over so parentheses inside them do
        not count; the text is returned verbatim (Click's lex_config).
        """
        text = self.text
        end = len(text)
        start = s = self.pos
        depth = 1
        pieces = []
        while True:
            m = _CONFIG_STOP.search(text, s)
            if not m:
                s = end
                break
            s = m.start()
            c = text[s]
            if c == "(":
                depth += 1
                s += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
                s += 1
            elif c == "\n":
                s += 1
                if s < end and text[s] == "#":
                    # a line directive inside a configuration string is removed
                    pieces.append(text[start:s])
                    s = start = self._line_directive(s)
            elif c == "/":
                if text.startswith("//", s):
                    nl = text.find("\n", s)
                    s = end if nl < 0 else nl
                elif text.startswith("/*", s):
                    close = text.find("*/", s + 2)
                    s = end if close < 0 else close + 2
                else:
                    s += 1
            elif c in "\"'":
                s = self._skip_quote(s + 1, c)
            else:   # backslash
                if text.startswith("\\<", s):
                    close = text.find(">", s + 2)
                    s = end if close < 0 else close + 1
                else:
                    s += 2 if c == "\\" and s + 1 < end else 1
        pieces.append(text[start:s])
        self.pos = s
        return "".join(pieces)

    def _skip_quote(self, s: int, quote: str) -> int:
        text = self.text
        end = len(text)
        while s < end:
            c = text[s]
            if c == "\\" and quote == '"' and s + 1 < end:
                if text[s + 1] == "<":
                    close = text.find(">", s + 2)
                    s = end if close < 0 else close + 1
                    continue
                s += 2
                continue
            if c == quote:
                return s + 1
            s += 1
        return end
