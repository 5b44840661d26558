"""controlsocket -- ControlSocket: serves the router's handlers over TCP or Unix sockets"""
from __future__ import annotations

import sys

from clickpy.control.server import ControlServer, parse_tcp_port
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    REST,
    AnyArg,
    Arg,
    Bool,
    ElementRef,
    Filename,
    Int,
    Word,
    parse_args,
)
from clickpy.runtime.pyelement import PyElement

_SUN_PATH_MAX = 108         # sizeof(sockaddr_un.sun_path) on Linux

_KEYWORDS = (Arg("READONLY", Bool, default=False),
             Arg("PROXY", ElementRef, default=None),
             Arg("VERBOSE", Bool, default=False),
             Arg("RETRIES", Int, default=0),
             Arg("RETRY_WARNINGS", Bool, default=True),
             Arg("LOCALHOST", Bool, default=True))


class ControlSocket(PyElement):
    """
    =c
    ControlSocket(TCP, PORT [, READONLY, PROXY, VERBOSE, RETRIES, RETRY_WARNINGS, LOCALHOST])
    ControlSocket(UNIX, FILENAME [, READONLY, PROXY, VERBOSE, RETRIES, RETRY_WARNINGS])
    =s control
    lets other programs call the router's handlers through a socket
    =io
    None.
    =processing
    None.
    =d
    Listens on a TCP port or a Unix-domain socket and speaks ControlSocket
    protocol 1.3: a client sends command lines (READ, READDATA, READUNTIL,
    WRITE, WRITEDATA, WRITEUNTIL, CHECKREAD, CHECKWRITE, LLRPC, HELP, QUIT)
    and gets reply lines that start with a three-digit code, FTP style, a
    hyphen after the code on every line but the last. A new connection is
    greeted with "Click::ControlSocket/1.3". Lines may end in CR, LF or
    CRLF; replies end in CRLF. Handlers are named "element.handler", by
    1-based element number as "3.handler", or "handler" for the router's
    own. A successful read answers "200 Read handler 'H' OK", a "DATA N"
    line, then N bytes. Codes: 200 OK, 220 OK with warnings, 500 syntax
    error, 501 unimplemented, 510 no such element, 511 no such handler, 520
    handler error, 530 permission denied, 590 other read error.

    Connections are served between task batches, several at a time, without
    blocking the router; handlers run on the router's thread.
    =item TYPE
    Keyword. TCP or UNIX. Mandatory.
    =item PORT
    TCP port, number or service name; "N+" takes the first free port from N
    on (up to 10 more). 0 lets the system choose (see the port handler).
    Mandatory for TCP.
    =item FILENAME
    Filename. The Unix socket to create; a stale socket there is replaced.
    Mandatory for UNIX.
    =item READONLY
    Boolean. Refuse every write handler (530). Default is false.
    =item PROXY
    Element name. Look every handler name up, whole, among this element's
    handlers. Default is none.
    =item VERBOSE
    Boolean. Report connections opening and closing on standard error.
    Default is false.
    =item RETRIES
    Integer. When the socket cannot be bound, retry once a second this many
    times, then stop the router. Default is 0 (fail at once).
    =item RETRY_WARNINGS
    Boolean. Warn at each failed retry. Default is true.
    =item LOCALHOST
    Boolean. Accept TCP connections on 127.0.0.1 only; false listens on
    every interface. Default is true.
    =n
    LOCALHOST defaults to true (Click: false, every interface). No LLRPC
    exists in clickpy: LLRPC commands are checked as in Click, then answer
    501. PROXY looks handlers up on the given element; Click's full
    HandlerProxy forwarding is not there. A write handler's Python warnings
    become the 220 reply's lines. HELP's wording is clickpy's. Only a stale
    socket is removed at FILENAME, never another kind of file. READDATA
    lengths are decimal. No hot-swapping and no SOCKET type.
    =e
      ControlSocket(TCP, 41900);
      ControlSocket(UNIX, /tmp/click.sock, READONLY true);
    =h port read-only
    The TCP port listened on (TCP only).
    =h filename read-only
    The Unix socket's file name (UNIX only).
    =a ChatterSocket, KernelHandlerProxy
    """
    port_count = "0/0"
    processing = "a/a"

    TYPE_ARGS = (Arg("TYPE", Word, MANDATORY | POSITIONAL), Arg("REST", AnyArg, REST))
    TCP_ARGS = (Arg("TYPE", Word, MANDATORY | POSITIONAL),
                Arg("PORT", Word, MANDATORY | POSITIONAL)) + _KEYWORDS
    UNIX_ARGS = (Arg("TYPE", Word, MANDATORY | POSITIONAL),
                 Arg("FILENAME", Filename, MANDATORY | POSITIONAL)) + _KEYWORDS

    _kind = None            # "TCP" or "UNIX"
    _server = None          # ControlServer, once initialized
    _timer = None           # retries a failed bind (RETRIES)

    def configure(self, args):
        kind = parse_args(self.TYPE_ARGS, args).TYPE.upper()
        if kind == "TCP":
            a = parse_args(self.TCP_ARGS, args)
            self._address = parse_tcp_port(a.PORT)
        elif kind == "UNIX":
            a = parse_args(self.UNIX_ARGS, args)
            if len(a.FILENAME.encode()) >= _SUN_PATH_MAX:
                raise ValueError("filename too long")
            self._address = a.FILENAME
        else:
            raise ValueError(f"unknown socket type '{kind}'")
        self._kind = kind
        self._opts = a
        self._retries = a.RETRIES
        self._server = None
        self._timer = None

    def initialize(self):
        a = self._opts
        proxy = None
        if a.PROXY is not None:
            proxy = self.router.element(a.PROXY)
            if proxy is None:
                raise ValueError(f"PROXY: no element named '{a.PROXY}'")
        self._server = ControlServer(self.router, self._kind, self._address,
                                     read_only=a.READONLY, proxy=proxy, verbose=a.VERBOSE,
                                     localhost=a.LOCALHOST, label=self._declaration())
        if not self._try_open():
            self._timer = self.router.driver.new_timer(self._retry)
            self._timer.schedule_after(1.0)

    def _declaration(self):
        return f"{self.name} :: {self.class_name}"

    def _try_open(self) -> bool:
        """Binds; False to retry later. Raises when no retries are left."""
        self._retries -= 1
        try:
            self._server.open()
        except OSError as err:
            if self._retries < 0:
                raise
            if self._opts.RETRY_WARNINGS:
                n = self._retries + 1
                print(f"{self.landmark}: {self._declaration()}: warning: {err} "
                      f"({n} {'try' if n == 1 else 'tries'} left)", file=sys.stderr)
            return False
        return True

    def _retry(self):
        try:
            if not self._try_open():
                self._timer.schedule_after(1.0)
        except OSError as err:
            print(f"{self.landmark}: {self._declaration()}: {err}", file=sys.stderr)
            self.router.please_stop()

    def cleanup(self):
        if self._timer is not None:
            self._timer.unschedule()
        if self._server is not None:
            self._server.close()

    def add_handlers(self):
        if self._kind == "TCP":
            self.add_read_handler("port", lambda: "" if self._server.port is None
                                  else str(self._server.port))
        else:
            self.add_read_handler("filename", lambda: self._address)
