"""protocol -- the ControlSocket protocol 1.3: one client's commands in, replies out, no sockets"""
from __future__ import annotations

import re
import warnings

from clickpy.errors import error_text, printable_bytes
from clickpy.lang.confstring import from_bytes, to_bytes
from clickpy.runtime.handlers import HandlerError

__all__ = [
    "Session", "VERSION", "GREETING",
    "CSERR_OK", "CSERR_OK_HANDLER_WARNING", "CSERR_SYNTAX", "CSERR_UNIMPLEMENTED",
    "CSERR_NO_SUCH_ELEMENT", "CSERR_NO_SUCH_HANDLER", "CSERR_HANDLER_ERROR",
    "CSERR_DATA_TOO_BIG", "CSERR_LLRPC_ERROR", "CSERR_PERMISSION", "CSERR_NO_ROUTER",
    "CSERR_UNSPECIFIED", "DONE", "BLOCKED", "IDLE",
]

VERSION = "1.3"
GREETING = b"Click::ControlSocket/" + VERSION.encode() + b"\r\n"

# Reply codes (Click controlsocket.hh): 2xx success, 5xx failure.
CSERR_OK = 200
CSERR_OK_HANDLER_WARNING = 220
CSERR_SYNTAX = 500
CSERR_UNIMPLEMENTED = 501
CSERR_NO_SUCH_ELEMENT = 510
CSERR_NO_SUCH_HANDLER = 511
CSERR_HANDLER_ERROR = 520
CSERR_DATA_TOO_BIG = 521
CSERR_LLRPC_ERROR = 522
CSERR_PERMISSION = 530
CSERR_NO_ROUTER = 540
CSERR_UNSPECIFIED = 590

# What Session.step() did.
DONE = 0            # consumed one command line (and the data it took)
BLOCKED = 1         # a command waits for more input
IDLE = 2            # no input left

_MORE = object()    # a command's data has not all arrived: retry it later

# Click's commands are short; a client streaming a megabyte without a line end
# is broken or hostile. Past this, the line is refused and skipped to its end.
MAX_LINE = 65536

_EOL = re.compile(rb"[\r\n]")
_WORD = re.compile(rb"\S+")         # C isspace(): space \t \n \v \f \r
_DECIMAL = re.compile(rb"[+-]?[0-9]+")
_HEX = re.compile(rb"(?:0[xX])?[0-9a-fA-F]+")

# HELP's listing (Click's protocol leaves its wording free); one 200 line each.
_HELP = (
    "Commands supported:",
    "READ handler [arg...]   read a handler (with arguments), reply DATA",
    "READDATA handler len    read a handler, the next len bytes are its argument",
    "READUNTIL handler term  read a handler, argument lines end at a line term",
    "WRITE handler [arg...]  write a handler with the arguments",
    "WRITEDATA handler len   write a handler with the next len bytes",
    "WRITEUNTIL handler term write a handler with the lines up to a line term",
    "CHECKREAD handler       is the handler there and readable?",
    "CHECKWRITE handler      is the handler there and writable?",
    "LLRPC elt#number [len]  low-level RPC (not available in clickpy)",
    "QUIT                    close the connection",
)


def _wire(text: str) -> bytes:
    """Handler text as bytes: the inverse of how the wire's bytes became text."""
    return to_bytes(text)


def _canonical(name: str) -> str:
    """``.h`` and ``0.h`` name the router-wide handler ``h``."""
    dot = name.find(".")
    if dot == 0 or (dot == 1 and name[0] == "0"):
        return name[dot + 1:]
    return name


def _error_lines(err: BaseException) -> list[str]:
    return error_text(err, (HandlerError,)).splitlines()


class Session:
    """One client connection's protocol state, independent of any socket.

    ``feed()`` appends received bytes, ``close_input()`` records end of
    input, ``step()`` runs at most one complete command, and ``out`` holds
    reply bytes for the transport to send (it starts with the greeting).
    Handlers are called on the router's thread, between task batches.
    """

    def __init__(self, router, *, read_only: bool = False, proxy=None):
        self.router = router
        self.read_only = read_only      # READONLY: every write is refused (530)
        self.proxy = proxy              # PROXY element: its handlers answer for "e.h"
        self.inbuf = bytearray()        # received, not yet consumed
        self.inpos = 0                  # start of the unconsumed part of inbuf
        self.in_closed = False          # peer closed, or QUIT
        self.out = bytearray(GREETING)  # replies not yet sent
        self.scanned = 0                # inbuf before this has no line end after inpos
        self.skipping = False           # dropping an over-long line up to its end

    # -- input ---------------------------------------------------------------
    def feed(self, data: bytes):
        if not self.in_closed:
            self.inbuf += data

    def close_input(self):
        self.in_closed = True

    def has_input(self) -> bool:
        return self.inpos < len(self.inbuf)

    def step(self) -> int:
        """Runs the next command line if it and its data are complete.

        Lines end in CR, LF or CRLF; at end of input a partial last line
        counts as complete. A command whose data (READDATA, READUNTIL, ...)
        has not all arrived leaves the input untouched and returns BLOCKED.
        """
        start = self.inpos
        if start >= len(self.inbuf):
            return IDLE
        # search only what arrived since the last look: a long line costs
        # one pass, not one pass per received chunk
        m = _EOL.search(self.inbuf, max(start, self.scanned))
        if m is None or self.skipping:
            return self._long_line(m)
        end = m.end()
        if self.inbuf[end - 1] == 13 and end < len(self.inbuf) and self.inbuf[end] == 10:
            end += 1                    # CRLF
        line = bytes(self.inbuf[start:end])
        self.inpos = end
        if self._command(line) is _MORE:
            self.inpos = start
            return BLOCKED
        self._compact()
        return DONE

    def _long_line(self, m):
        """No line end yet (``m`` None), or skipping a refused line: BLOCKED,
        DONE, or a partial last line run at end of input."""
        if self.skipping:
            if m is None:
                self.inpos = self.scanned = len(self.inbuf)
                self._compact()
                return BLOCKED if not self.in_closed else IDLE
            self.skipping = False
            self.inpos = m.end()
            self._compact()
            return DONE
        if len(self.inbuf) - self.inpos > MAX_LINE:
            self._message(CSERR_SYNTAX, f"Line too long (more than {MAX_LINE} bytes)")
            self.skipping = True
            self.inpos = self.scanned = len(self.inbuf)
            self._compact()
            return DONE
        self.scanned = len(self.inbuf)
        if not self.in_closed:
            return BLOCKED
        line = bytes(self.inbuf[self.inpos:])
        self.inpos = len(self.inbuf)
        if self._command(line) is not _MORE:
            self._compact()
        return DONE

    def _compact(self):
        if self.inpos >= len(self.inbuf):
            self.inbuf.clear()
            self.inpos = self.scanned = 0
        elif self.inpos > 8192:
            del self.inbuf[:self.inpos]
            self.scanned = max(0, self.scanned - self.inpos)
            self.inpos = 0

    def _take(self, n: int):
        """The next n input bytes, _MORE to wait for them, or None (replied)."""
        if len(self.inbuf) - self.inpos < n:
            return self._insufficient()
        data = bytes(self.inbuf[self.inpos:self.inpos + n])
        self.inpos += n
        return data

    def _insufficient(self):
        if self.in_closed:
            self._message(CSERR_SYNTAX, "Not enough data")
            return None
        return _MORE

    def _take_until(self, term: bytes):
        """Input lines up to one equal to ``term`` (trailing spaces ignored on
        both); the terminating line is consumed too."""
        buf, s, end = self.inbuf, self.inpos, len(self.inbuf)
        while True:
            m = _EOL.search(buf, s)
            if m is None:
                return self._insufficient()
            linebegin = s
            s = m.end()
            if buf[s - 1] == 13 and s < end and buf[s] == 10:
                s += 1
            if bytes(buf[linebegin:m.start()]).rstrip(b" \t\v\f") == term:
                break
        data = bytes(buf[self.inpos:linebegin])
        self.inpos = s
        return data

    # -- output ----------------------------------------------------------------
    def _message(self, code: int, text: str, more: bool = False):
        """One reply line: code, '-' when more lines follow or ' ', text, CRLF."""
        self.out += b"%d%s%s\r\n" % (code, b"-" if more else b" ", printable_bytes(_wire(text)))

    def _messages(self, code: int, head: str, lines: list[str]):
        """``head`` alone, or ``head:`` followed by the lines (Click's transfer_messages)."""
        if lines:
            self._message(code, head + ":", True)
            for i, line in enumerate(lines):
                self._message(code, line, i < len(lines) - 1)
        else:
            self._message(code, head)

    # -- commands ----------------------------------------------------------------
    def _command(self, line: bytes):
        words = list(_WORD.finditer(line))
        if not words:
            return None
        command = from_bytes(words[0].group().upper())
        nargs = len(words)

        def rest(i):        # the text from word i to the last word, inner spaces kept
            return line[words[i].start():words[-1].end()] if nargs > i else b""

        if command in ("READ", "GET", "WRITE", "SET"):
            if nargs < 2:
                return self._message(CSERR_SYNTAX, "Wrong number of arguments")
            data = rest(2)
        elif command in ("READDATA", "WRITEDATA", "SETDATA"):
            if nargs != 3:
                return self._message(CSERR_SYNTAX, "Wrong number of arguments")
            n = self._length(words[2].group())
            if n is None:
                return self._message(CSERR_SYNTAX, f"Syntax error in '{command}'")
            data = self._take(n)
        elif command in ("READUNTIL", "WRITEUNTIL"):
            if nargs < 2:
                return self._message(CSERR_SYNTAX, "Wrong number of arguments")
            data = self._take_until(rest(2))
        elif command in ("CHECKREAD", "CHECKWRITE"):
            if nargs != 2:
                return self._message(CSERR_SYNTAX, "Wrong number of arguments")
            return self._check(from_bytes(words[1].group()), command == "CHECKWRITE")
        elif command == "LLRPC":
            return self._llrpc(line, words)
        elif command in ("QUIT", "CLOSE"):
            if nargs != 1:
                self._message(CSERR_SYNTAX, "Bad command syntax")
            self._message(CSERR_OK, "Goodbye!")
            self.in_closed = True
            self.inbuf.clear()
            self.inpos = self.scanned = 0
            return None
        elif command == "HELP":
            for i, text in enumerate(_HELP):
                self._message(CSERR_OK, text, i < len(_HELP) - 1)
            return None
        else:
            return self._message(CSERR_UNIMPLEMENTED, f"Command '{command}' unimplemented")
        if data is None or data is _MORE:
            return data
        hname = from_bytes(words[1].group())
        if command[0] in "RG":
            return self._read(hname, data)
        return self._write(hname, data)

    @staticmethod
    def _length(word: bytes) -> int | None:
        if not _DECIMAL.fullmatch(word) or int(word) < 0:
            return None
        return int(word)

    def _llrpc(self, line: bytes, words):
        # clickpy elements have no LLRPCs: the checks run as in Click, then 501
        if len(words) not in (2, 3):
            return self._message(CSERR_SYNTAX, "Wrong number of arguments")
        n = 0
        if len(words) == 3:
            n = self._length(words[2].group())
            if n is None:
                return self._message(CSERR_SYNTAX, "Syntax error in 'llrpc'")
        data = self._take(n)
        if data is None or data is _MORE:
            return data
        name = from_bytes(words[1].group())
        ename, _, number = name.partition("#")
        if not _HEX.fullmatch(to_bytes(number)):
            return self._message(CSERR_SYNTAX, f"Syntax error in LLRPC name '{name}'")
        if self._lookup(ename + ".name") is None:
            return None
        return self._message(CSERR_UNIMPLEMENTED, f"Cannot call LLRPC '{name}' remotely")

    # -- handlers ------------------------------------------------------------------
    def _lookup(self, full: str):
        """(element or None, handler name, Handler), or None after an error reply."""
        table = self.router._handlers
        name = _canonical(full)
        if self.proxy is not None:
            h = table.find(self.proxy, name)
            if h is None:
                self._message(CSERR_NO_SUCH_HANDLER, f"No proxied handler named '{full}'")
                return None
            return self.proxy, name, h
        ename, dot, hname = name.partition(".")
        e = None
        if dot:
            e = self.router.element(ename)
            if e is None:
                self._message(CSERR_NO_SUCH_ELEMENT, f"No element named '{ename}'")
                return None
        else:
            hname = name
        h = table.find(e, hname)
        if h is None or (h.read is None and h.write is None):
            self._message(CSERR_NO_SUCH_HANDLER, f"No handler named '{full}'")
            return None
        return e, hname, h

    def _lookup_access(self, full: str, write: bool):
        """As _lookup, for a handler that can write (else read): a read-only
        (write-only) one gets a permission error reply and None."""
        found = self._lookup(full)
        if found is not None and (found[2].write if write else found[2].read) is None:
            self._message(CSERR_PERMISSION, f"Handler '{full}' {'read' if write else 'write'}-only")
            return None
        return found

    def _read(self, full: str, param: bytes):
        found = self._lookup_access(full, False)
        if found is None:
            return None
        e, hname, h = found
        if param and not h.read_param:
            unparsed = f"{e.name}.{hname}" if e is not None else hname
            errors = [f"read handler '{unparsed}' does not take parameters"]
        else:
            try:
                data = _wire(self.router._handlers.read(e, hname, from_bytes(param)))
            except Exception as err:    # a handler failure is the client's answer
                errors = _error_lines(err)
            else:
                self._message(CSERR_OK, f"Read handler '{full}' OK")
                self.out += b"DATA %d\r\n" % len(data) + data
                return None
        return self._messages(CSERR_UNSPECIFIED, f"Read handler '{full}' error", errors)

    def _write(self, full: str, value: bytes):
        found = self._lookup_access(full, True)
        if found is None:
            return None
        e, hname = found[:2]
        if self.read_only:
            return self._message(CSERR_PERMISSION, f"Permission denied for '{full}'")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self.router._handlers.write(e, hname, from_bytes(value))
            except Exception as err:    # a handler failure is the client's answer
                lines = [str(w.message) for w in caught] + _error_lines(err)
                return self._messages(CSERR_HANDLER_ERROR, f"Write handler '{full}' error", lines)
        if caught:
            lines = [line for w in caught for line in str(w.message).splitlines()]
            return self._messages(CSERR_OK_HANDLER_WARNING,
                                  f"Write handler '{full}' OK with warnings", lines)
        return self._message(CSERR_OK, f"Write handler '{full}' OK")

    def _check(self, full: str, write: bool):
        found = self._lookup(full)
        if found is None:
            return None
        h = found[2]
        ok = (h.write if write else h.read) is not None
        if write and ok and self.read_only:
            return self._message(CSERR_PERMISSION, f"Permission denied for '{full}'")
        if ok:
            return self._message(CSERR_OK, f"{'Write' if write else 'Read'} handler '{full}' OK")
        what = "writable" if write else "readable"
        return self._message(CSERR_NO_SUCH_HANDLER, f"Handler '{full}' not {what}")
