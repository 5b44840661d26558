"""test_control -- ControlSocket protocol 1.3 end to end over loopback TCP and Unix sockets"""
import os
import shutil
import socket
import subprocess
import threading
import time
import warnings

import harness
import pytest
from harness import cli, cli_process

from clickpy.control.client import ControlClient, ControlError, parse_address
from clickpy.control.protocol import BLOCKED, DONE, IDLE, Session
from clickpy.errors import printable, printable_bytes
from clickpy.runtime.fdwatch import READ, FdWatcher

COUNT5 = "InfiniteSource(LIMIT 5) -> c :: Counter -> Discard;"
TCP = "cs :: ControlSocket(TCP, 0);"


def address(router):
    """Where the router's ControlSocket 'cs' listens."""
    if router.find_handler("cs.port") is not None:
        return ("127.0.0.1", int(router.read("cs.port")))
    return "unix:" + router.read("cs.filename")


def _force_stop(router):
    router.please_stop()
    router.driver.wake()


def serve(router_or_text, body, stop="socket"):
    """Runs the router in this (main) thread, ``body(router)`` in another.

    The driver installs signal handlers, so it must own the main thread.
    ``stop``: "socket" writes the router-wide ``stop`` handler through the
    socket after body; "body" means body stops the router itself; "call"
    asks the driver directly (READONLY routers refuse ``stop``).
    """
    router = harness.router(router_or_text) if isinstance(router_or_text, str) else router_or_text
    result = {}

    def client():
        try:
            result["value"] = body(router)
        except BaseException as e:          # re-raised in the test's thread
            result["error"] = e
            _force_stop(router)
            return
        if stop == "socket":
            try:
                with ControlClient(address(router)) as c:
                    c.write("stop")
            except BaseException as e:
                result["error"] = e
                _force_stop(router)
        elif stop == "call":
            _force_stop(router)

    t = threading.Thread(target=client, daemon=True)
    watchdog = threading.Timer(30, _force_stop, (router,))
    t.start()
    watchdog.start()
    try:
        router.run()
    finally:
        watchdog.cancel()
        t.join(10)
    if "error" in result:
        raise result["error"]
    return result.get("value")


class Raw:
    """A plain socket, for checking the exact bytes on the wire."""

    def __init__(self, addr):
        family = socket.AF_INET if isinstance(addr, tuple) else socket.AF_UNIX
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(addr if isinstance(addr, tuple) else addr[5:])
        self.buf = b""

    def send(self, data: bytes):
        self.sock.sendall(data)

    def take(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def expect(self, data: bytes):
        got = self.take(len(data))
        assert got == data
        return got

    def rest(self) -> bytes:
        """Everything until the server closes."""
        while chunk := self.sock.recv(65536):
            self.buf += chunk
        out, self.buf = self.buf, b""
        return out

    def close(self):
        self.sock.close()


def test_greeting_read_write_over_tcp():
    def body(router):
        r = Raw(address(router))
        r.expect(b"Click::ControlSocket/1.3\r\n")
        r.send(b"READ c.count\r\n")
        r.expect(b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5")
        r.send(b"write c.reset\r\n")            # commands are case-insensitive
        r.expect(b"200 Write handler 'c.reset' OK\r\n")
        r.send(b"GET c.count\nSET c.reset\rREAD c.byte_count\r\n")   # LF, CR, CRLF
        r.expect(b"200 Read handler 'c.count' OK\r\nDATA 1\r\n0"
                 b"200 Write handler 'c.reset' OK\r\n"
                 b"200 Read handler 'c.byte_count' OK\r\nDATA 1\r\n0")
        r.send(b"QUIT\r\n")
        assert r.rest() == b"200 Goodbye!\r\n"
        r.close()
    serve(TCP + COUNT5, body)


def test_router_handlers_and_element_numbers():
    text = TCP + COUNT5

    def body(router):
        with ControlClient(address(router)) as c:
            assert c.version == "1.3"
            assert c.read("version") == router.read("version")
            assert c.read("list") == "4\ncs\nInfiniteSource@2\nc\nDiscard@4"
            assert c.read("config") == text
            assert c.read(".version") == c.read("0.version") == router.read("version")
            assert c.read("3.count") == "5"                 # 1-based element number
            assert c.read("3.name") == "c"
            assert c.read("c.class") == "Counter"
            assert c.read("cs.class") == "ControlSocket"
            assert int(c.read("cs.port")) == address(router)[1]
    serve(text, body)


def test_error_replies_have_clicks_codes_and_texts():
    def body(router):
        r = Raw(address(router))
        r.take(len(b"Click::ControlSocket/1.3\r\n"))
        for line, reply in [
            (b"READ nope.count", b"510 No element named 'nope'\r\n"),
            (b"READ 99.count", b"510 No element named '99'\r\n"),
            (b"READ c.nope", b"511 No handler named 'c.nope'\r\n"),
            (b"WRITE nope", b"511 No handler named 'nope'\r\n"),
            (b"READ", b"500 Wrong number of arguments\r\n"),
            (b"WRITEDATA c.reset", b"500 Wrong number of arguments\r\n"),
            (b"READDATA c.count x", b"500 Syntax error in 'READDATA'\r\n"),
            (b"writedata c.reset -1", b"500 Syntax error in 'WRITEDATA'\r\n"),
            (b"CHECKREAD", b"500 Wrong number of arguments\r\n"),
            (b"FROB c.count", b"501 Command 'FROB' unimplemented\r\n"),
            (b"READ c.reset", b"530 Handler 'c.reset' write-only\r\n"),
            (b"WRITE c.count 1", b"530 Handler 'c.count' read-only\r\n"),
            (b"READ c.count now", b"590-Read handler 'c.count' error:\r\n"
                                  b"590 read handler 'c.count' does not take parameters\r\n"),
            (b"READ 3.count now", b"590-Read handler '3.count' error:\r\n"
                                  b"590 read handler 'c.count' does not take parameters\r\n"),
            (b"LLRPC c#8004", b"501 Cannot call LLRPC 'c#8004' remotely\r\n"),
            (b"LLRPC c", b"500 Syntax error in LLRPC name 'c'\r\n"),
            (b"LLRPC nope#1", b"510 No element named 'nope'\r\n"),
            (b"LLRPC c#1 zz", b"500 Syntax error in 'llrpc'\r\n"),
            (b"READ c.\x01\xff", b"511 No handler named 'c.^A\\377'\r\n"),
            (b"   ", b""),                                  # blank lines are ignored
        ]:
            r.send(line + b"\r\n")
            assert r.take(len(reply)) == reply, line
        r.close()
    serve(TCP + COUNT5, body)


def test_handler_errors_and_warnings():
    router = harness.router(TCP + COUNT5)
    c = router.element("c")

    def fail(value):
        from clickpy.runtime.handlers import HandlerError
        raise HandlerError(f"bad value '{value}'\nsecond line")

    def careful(value):
        warnings.warn(f"odd value {value}", stacklevel=1)

    c.add_write_handler("fail", fail)
    c.add_write_handler("careful", careful)
    c.add_read_handler("broken", lambda: 1 / 0)

    def body(router):
        r = Raw(address(router))
        r.take(26)
        r.send(b"WRITE c.fail x\r\n")
        r.expect(b"520-Write handler 'c.fail' error:\r\n520-bad value 'x'\r\n520 second line\r\n")
        r.send(b"WRITE c.careful 7\r\n")
        r.expect(b"220-Write handler 'c.careful' OK with warnings:\r\n220 odd value 7\r\n")
        r.send(b"READ c.broken\r\n")
        r.expect(b"590-Read handler 'c.broken' error:\r\n590 ZeroDivisionError: division by zero\r\n")
        r.close()
        with ControlClient(address(router)) as cl:      # the client's view of the same
            with pytest.raises(ControlError) as e:
                cl.write("c.fail", "y")
            assert e.value.code == 520
            assert e.value.lines == ["Write handler 'c.fail' error:", "bad value 'y'", "second line"]
            reply = cl.write("c.careful", "8")
            assert (reply.code, reply.lines[1:]) == (220, ["odd value 8"])
    serve(router, body)


def test_binary_data_readdata_writedata():
    router = harness.router(TCP + COUNT5)
    stored = []
    # handler text stands for the bytes on the wire (UTF-8 with surrogateescape)
    router.element("c").add_read_handler("echo", lambda p: p, param=True)
    router.element("c").add_write_handler("store", stored.append)
    blob = bytes(range(256)) + b"\r\n\r\nREAD c.count\r\n"

    def body(router):
        r = Raw(address(router))
        r.take(26)
        r.send(b"READDATA c.echo %d\r\n" % len(blob) + blob)
        r.expect(b"200 Read handler 'c.echo' OK\r\nDATA %d\r\n" % len(blob) + blob)
        r.send(b"WRITEDATA c.store 3\r\n\x00\xff\n")
        r.expect(b"200 Write handler 'c.store' OK\r\n")
        r.send(b"SETDATA c.store 0\r\n")
        r.expect(b"200 Write handler 'c.store' OK\r\n")
        r.send(b"READ c.echo  two   words  \r\n")    # inner spaces kept, outer ones not
        r.expect(b"200 Read handler 'c.echo' OK\r\nDATA 11\r\ntwo   words")
        r.close()
        with ControlClient(address(router)) as cl:
            assert cl.read_bytes("c.echo", blob) == blob
            cl.write("c.store", b" \x00 spaced \n")    # goes as WRITEDATA
            cl.write("c.store", "plain words")          # goes as WRITE
    serve(router, body)
    assert stored == ["\x00\udcff\n", "", " \x00 spaced \n", "plain words"]


def test_readuntil_writeuntil():
    router = harness.router(TCP + COUNT5)
    stored = []
    router.element("c").add_read_handler("echo", lambda p: p, param=True)
    router.element("c").add_write_handler("store", stored.append)

    def body(router):
        r = Raw(address(router))
        r.take(26)
        r.send(b"READUNTIL c.echo END\r\none\r\n END\ntwo\nEND  \r\nREAD c.count\r\n")
        r.expect(b"200 Read handler 'c.echo' OK\r\nDATA 14\r\none\r\n END\ntwo\n"
                 b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5")
        r.send(b"WRITEUNTIL c.store\r\nx = 1\ny = 2\n\nWRITEUNTIL c.store .\r\n.\r\n")
        r.expect(b"200 Write handler 'c.store' OK\r\n" * 2)
        r.send(b"READUNTIL c.echo")                    # partial lines wait for the rest
        time.sleep(0.05)
        r.send(b" STOP\r\nhello\r\n")
        time.sleep(0.05)
        r.send(b"STOP\r\n")
        r.expect(b"200 Read handler 'c.echo' OK\r\nDATA 7\r\nhello\r\n")
        r.close()
    serve(router, body)
    assert stored == ["x = 1\ny = 2\n", ""]


def test_check_read_and_check_write():
    def body(router):
        r = Raw(address(router))
        r.take(26)
        for line, reply in [
            (b"CHECKREAD c.count", b"200 Read handler 'c.count' OK\r\n"),
            (b"CHECKWRITE c.reset", b"200 Write handler 'c.reset' OK\r\n"),
            (b"CHECKWRITE c.count", b"511 Handler 'c.count' not writable\r\n"),
            (b"CHECKREAD c.reset", b"511 Handler 'c.reset' not readable\r\n"),
            (b"CHECKREAD x.count", b"510 No element named 'x'\r\n"),
            (b"CHECKWRITE c.x", b"511 No handler named 'c.x'\r\n"),
            (b"CHECKWRITE stop", b"200 Write handler 'stop' OK\r\n"),
        ]:
            r.send(line + b"\r\n")
            assert r.take(len(reply)) == reply, line
        r.close()
        with ControlClient(address(router)) as c:
            assert c.check_read("c.count") and c.check_write("c.reset")
            assert not c.check_write("c.count") and not c.check_read("nope.count")
    serve(TCP + COUNT5, body)


def test_help_and_quit():
    def body(router):
        r = Raw(address(router))
        r.take(26)
        r.send(b"HELP\r\n")
        lines = []
        while not lines or lines[-1][3:4] != b" ":
            while b"\r\n" not in r.buf:
                r.buf += r.sock.recv(4096)
            line, r.buf = r.buf.split(b"\r\n", 1)
            lines.append(line)
        assert lines[0] == b"200-Commands supported:"
        assert all(line.startswith(b"200-") for line in lines[:-1])
        assert lines[-1].startswith(b"200 QUIT")
        for command in (b"READ ", b"READDATA ", b"READUNTIL ", b"WRITE ", b"WRITEDATA ",
                        b"WRITEUNTIL ", b"CHECKREAD ", b"CHECKWRITE ", b"LLRPC "):
            assert any(line[4:].startswith(command) for line in lines), command
        r.send(b"CLOSE now\r\nREAD c.count\r\n")       # nothing after QUIT is run
        assert r.rest() == b"500 Bad command syntax\r\n200 Goodbye!\r\n"
        r.close()
    serve(TCP + COUNT5, body)


def test_readonly_refuses_writes_with_530():
    def body(router):
        r = Raw(address(router))
        r.take(26)
        for line, reply in [
            (b"WRITE c.reset", b"530 Permission denied for 'c.reset'\r\n"),
            (b"WRITEDATA c.reset 0", b"530 Permission denied for 'c.reset'\r\n"),
            (b"WRITE stop", b"530 Permission denied for 'stop'\r\n"),
            (b"CHECKWRITE c.reset", b"530 Permission denied for 'c.reset'\r\n"),
            (b"CHECKWRITE c.count", b"511 Handler 'c.count' not writable\r\n"),
            (b"WRITE c.count", b"530 Handler 'c.count' read-only\r\n"),
            (b"READ c.count", b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5"),
        ]:
            r.send(line + b"\r\n")
            assert r.take(len(reply)) == reply, line
        r.close()
    router = harness.router("cs :: ControlSocket(TCP, 0, READONLY true);" + COUNT5)
    serve(router, body, stop="call")
    assert router.read("c.count") == "5"


def test_several_clients_at_once():
    def one(addr, n, errors):
        try:
            with ControlClient(addr) as c:
                for _ in range(n):
                    assert c.read("c.count") == "5"
        except BaseException as e:
            errors.append(e)

    def body(router):
        addr = address(router)
        a, b = Raw(addr), Raw(addr)
        a.take(26)
        b.take(26)
        a.send(b"READ c.co")                            # a waits for the rest of its line
        b.send(b"READ c.count\r\nREAD 3.count\r\n")      # b is served meanwhile, pipelined
        b.expect(b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5"
                 b"200 Read handler '3.count' OK\r\nDATA 1\r\n5")
        a.send(b"unt\r\n")
        a.expect(b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5")
        a.close()
        b.close()
        errors = []
        threads = [threading.Thread(target=one, args=(addr, 50, errors)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert errors == []
        many = b"READ c.count\r\n" * 500                # more than one wake-up's worth
        c = Raw(addr)
        c.take(26)
        c.send(many + b"QUIT\r\n")
        assert c.rest() == b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5" * 500 \
            + b"200 Goodbye!\r\n"
        c.close()
    serve(TCP + COUNT5, body)


def test_client_closing_early_does_not_hurt_the_router():
    def body(router):
        addr = address(router)
        r = Raw(addr)
        r.send(b"READ c.count\r\nREADDATA c.count 10\r\nabc")   # then hang up mid-data
        r.sock.shutdown(socket.SHUT_WR)
        assert r.rest() == (b"Click::ControlSocket/1.3\r\n"
                            b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5"
                            b"500 Not enough data\r\n"
                            b"501 Command 'ABC' unimplemented\r\n")   # as in Click
        r.close()
        r = Raw(addr)
        r.send(b"READ c.count\r\n" * 100)
        r.sock.close()                                  # unread replies: reset
        with ControlClient(addr) as c:
            assert c.read("c.count") == "5"
    serve(TCP + COUNT5, body)


def test_unix_socket(tmp_path):
    path = tmp_path / "click.sock"
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))                               # a leftover from an earlier run
    stale.close()
    router = harness.router(f"cs :: ControlSocket(UNIX, {path});" + COUNT5)

    def body(router):
        r = Raw(f"unix:{path}")
        r.expect(b"Click::ControlSocket/1.3\r\n")
        r.send(b"READ c.count\r\n")
        r.expect(b"200 Read handler 'c.count' OK\r\nDATA 1\r\n5")
        r.close()
        with ControlClient(f"unix:{path}") as c:
            assert c.read("cs.filename") == str(path)
            c.write("c.reset")
            assert c.read("c.count") == "0"
    serve(router, body)
    assert not path.exists()                            # removed at cleanup


def test_unix_socket_keeps_a_regular_file(tmp_path):
    path = tmp_path / "not-a-socket"
    path.write_text("data")
    assert "bind: Address already in use" in str(
        harness.click_error(harness.router, f"cs :: ControlSocket(UNIX, {path});"))
    assert path.read_text() == "data"


def test_configuration_errors():
    for config, reason in [
        ("ControlSocket(FOO, 1)", "unknown socket type 'FOO'"),
        ("ControlSocket(TCP, 70000)", "PORT requires TCP port"),
        ("ControlSocket(TCP, x7)", "PORT requires TCP port"),
        ("ControlSocket(TCP)", "PORT: required argument missing"),
        ("ControlSocket(UNIX)", "FILENAME: required argument missing"),
        ("ControlSocket(UNIX, /tmp/" + "x" * 120 + ")", "filename too long"),
        ("ControlSocket(TCP, 0, READONLY maybe)", "READONLY: expected boolean"),
        ("ControlSocket(TCP, 0, PROXY nope)", "PROXY: no element named 'nope'"),
    ]:
        assert reason in str(harness.click_error(harness.router, config + ";")), config


def test_port_in_use_fails_or_retries():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    assert "bind: Address already in use" in str(
        harness.click_error(harness.router, f"ControlSocket(TCP, {port});"))
    # "PORT+" moves on to the next free port
    router = harness.router(f"cs :: ControlSocket(TCP, {port}+);")
    assert int(router.read("cs.port")) > port
    router.cleanup()
    # RETRIES: keeps trying once a second; here the port frees up in time
    router = harness.router(f"cs :: ControlSocket(TCP, {port}, RETRIES 3, RETRY_WARNINGS false);")
    assert router.read("cs.port") == ""

    def body(router):
        busy.close()
        deadline = time.monotonic() + 10
        while router.read("cs.port") == "":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with ControlClient(("127.0.0.1", port)) as c:
            assert c.read("cs.port") == str(port)
    serve(router, body)


def test_verbose_reports_connections(capfd):
    def body(router):
        with ControlClient(address(router)) as c:
            c.read("version")
    serve("cs :: ControlSocket(TCP, 0, VERBOSE true);", body, stop="call")
    err = capfd.readouterr().err
    assert "cs :: ControlSocket: opened connection" in err
    assert "from 127.0.0.1." in err
    assert "cs :: ControlSocket: closed connection" in err


def test_proxy_looks_handlers_up_on_the_proxy_element():
    router = harness.router("cs :: ControlSocket(TCP, 0, PROXY p); InfiniteSource(LIMIT 0) -> p :: Counter -> Discard;")
    router.element("p").add_read_handler("x.count", lambda: "proxied")

    def body(router):
        r = Raw(address(router))
        r.take(26)
        r.send(b"READ x.count\r\nREAD p.count\r\n")
        r.expect(b"200 Read handler 'x.count' OK\r\nDATA 7\r\nproxied"
                 b"511 No proxied handler named 'p.count'\r\n")
        r.close()
    serve(router, body, stop="call")


# -- pieces on their own --------------------------------------------------------

def test_session_partial_input_without_sockets():
    router = harness.router(COUNT5)
    router.element("c").add_read_handler("echo", lambda p: p, param=True)
    s = Session(router)
    assert bytes(s.out) == b"Click::ControlSocket/1.3\r\n"
    s.out.clear()
    assert s.step() == IDLE
    s.feed(b"READDATA c.echo 4\r\nab")
    assert s.step() == BLOCKED and s.out == b""
    s.feed(b"cdREAD c.ec")
    assert s.step() == DONE
    assert bytes(s.out) == b"200 Read handler 'c.echo' OK\r\nDATA 4\r\nabcd"
    assert s.step() == BLOCKED
    s.close_input()                                     # a last line without its end counts
    s.out.clear()
    assert s.step() == DONE
    assert bytes(s.out) == b"511 No handler named 'c.ec'\r\n"
    assert s.step() == IDLE


def test_printable_matches_clicks_escapes():
    assert printable_bytes(b"plain text") == b"plain text"
    assert printable_bytes(b"a\x00b\x1fc\x7fd\xff") == b"a^@b^_c\\177d\\377"
    # text stands for its bytes: a NUL, a stray byte, UTF-8 text
    assert printable("a\x00b\udcffc\u00e9") == "a^@b\\377c\\303\\251"


def test_poller_wakes_from_another_thread():
    p = FdWatcher()
    a, b = socket.socketpair()
    seen = []
    p.register(a, READ, seen.append)
    assert p.active()
    threading.Timer(0.05, p.wake).start()
    start = time.monotonic()
    assert p.poll(None) == 0 and time.monotonic() - start < 5
    b.send(b"x")
    assert p.poll(1) == 1 and seen == [READ]
    p.unregister(a)
    assert not p.active() and p.poll(None) == 0
    p.close()
    a.close()
    b.close()


def test_parse_address():
    assert parse_address("7777") == (socket.AF_INET, ("127.0.0.1", 7777))
    assert parse_address("localhost:80") == (socket.AF_INET, ("localhost", 80))
    assert parse_address("[::1]:80") == (socket.AF_INET6, ("::1", 80))
    assert parse_address("unix:/tmp/s") == (socket.AF_UNIX, "/tmp/s")
    assert parse_address("/tmp/s") == (socket.AF_UNIX, "/tmp/s")
    with pytest.raises(ValueError):
        parse_address("host:port")


def test_element_manual_is_listed():
    from clickpy.commands.describe import element_manual
    text = element_manual("ControlSocket")
    assert "ports 0/0" in text and "=h port read-only" in text


# -- the clickpy command ----------------------------------------------------------

def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(addr, proc, seconds=20):
    family = socket.AF_INET if isinstance(addr, tuple) else socket.AF_UNIX
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        s = socket.socket(family)
        try:
            s.connect(addr)
            return
        except OSError:
            time.sleep(0.05)
        finally:
            s.close()
    raise AssertionError(f"nothing listens on {addr}")


def test_clickpy_read_and_write_against_clickpy_run(running):
    port = free_port()
    proc = running("-p", str(port), "-e", COUNT5, "-h", "c.count")
    wait_for(("127.0.0.1", port), proc)
    where = f"127.0.0.1:{port}"
    r = cli("read", where, "c.count")
    assert (r.returncode, r.stdout, r.stderr) == (0, "5\n", "")
    r = cli("read", str(port), "list")
    assert (r.returncode, r.stdout) == (0, "3\nInfiniteSource@1\nc\nDiscard@3\n")
    r = cli("write", where, "c.reset")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert cli("read", where, "c.count").stdout == "0\n"
    r = cli("read", where, "c.nope")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "No handler named 'c.nope'\n")
    r = cli("read", where, "nope.count")
    assert (r.returncode, r.stderr) == (1, "No element named 'nope'\n")
    r = cli("write", where, "c.count", "3")
    assert (r.returncode, r.stderr) == (1, "Handler 'c.count' read-only\n")
    r = cli("read", where, "c.count", "extra")
    assert (r.returncode, r.stderr) == (
        1, "Read handler 'c.count' error:\nread handler 'c.count' does not take parameters\n")
    r = cli("write", where, "stop")
    assert (r.returncode, r.stderr) == (0, "")
    out, err = proc.communicate(timeout=20)
    assert (proc.returncode, out, err) == (0, "0\n", "")
    r = cli("read", where, "c.count")
    assert r.returncode == 1 and "Connection refused" in r.stderr


def test_clickpy_run_unix_socket(running, tmp_path):
    path = tmp_path / "ctl"
    proc = running("-u", str(path), "-e", COUNT5)
    wait_for(str(path), proc)
    r = cli("read", f"unix:{path}", "c.count")
    assert (r.returncode, r.stdout) == (0, "5\n")
    assert cli("write", f"unix:{path}", "stop").returncode == 0
    assert proc.wait(20) == 0
    assert not os.path.exists(path)


def test_clickpy_run_port_in_use_is_an_error():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    r = cli("run", "-p", str(busy.getsockname()[1]), "-e", COUNT5)
    busy.close()
    assert r.returncode == 1
    assert r.stderr == "ControlSocket: bind: Address already in use\n"


# -- under stress (hardening) ----------------------------------------------------------

def test_a_line_without_end_is_refused_not_rescanned():
    """A client streaming far more than any command without a line end gets
    one error and the rest of that line is dropped; the session goes on."""
    router = harness.router(COUNT5)
    s = Session(router)
    s.out.clear()
    chunk = b"A" * 4096
    for _ in range(64):                 # 256 KiB in 4 KiB pieces, as a socket delivers it
        s.feed(chunk)
        while s.step() == DONE:
            pass
    assert bytes(s.out) == b"500 Line too long (more than 65536 bytes)\r\n"
    assert len(s.inbuf) <= 8192         # what was refused is not kept
    s.out.clear()
    s.feed(b"AAAA\r\nREAD version\r\n")
    while s.step() == DONE:
        pass
    assert bytes(s.out).startswith(b"200 Read handler 'version' OK\r\nDATA ")


def test_line_end_search_does_not_restart_for_each_chunk():
    router = harness.router(COUNT5)
    s = Session(router)
    s.feed(b"READ ver")
    assert s.step() == BLOCKED and s.scanned == len(s.inbuf)
    s.feed(b"sion\r\n")
    assert s.step() == DONE and s.inbuf == b"" and s.scanned == 0


def _few_descriptors():
    import resource
    resource.setrlimit(resource.RLIMIT_NOFILE, (40, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


def test_out_of_descriptors_the_listener_backs_off_and_says_so_once(running):
    port = free_port()
    proc = cli_process("run", "-p", str(port), "-e", "Idle -> Discard; DriverManager(wait 8s, stop)",
                       preexec_fn=_few_descriptors)
    try:
        wait_for(("127.0.0.1", port), proc)
        clients = []
        for _ in range(60):             # more than the server's 40 descriptors
            c = socket.create_connection(("127.0.0.1", port), timeout=5)
            clients.append(c)
        time.sleep(1.5)
        for c in clients:
            c.close()
        time.sleep(1.5)
        # once descriptors are free again, new clients are served
        with ControlClient(("127.0.0.1", port)) as c:
            assert c.read("version")
            c.write("stop")
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert err.splitlines().count("ControlSocket: accept: Too many open files") == 1, err[:2000]
    assert len(err.splitlines()) == 1


@pytest.mark.skipif(shutil.which("ss") is None, reason="ss (iproute2) is not installed")
def test_listen_backlog_holds_a_burst_of_connects():
    """The kernel's queue for the listening socket (ss's Send-Q) is far above
    the 16 that made bursts of clients wait for SYN retries."""
    router = harness.router(COUNT5 + TCP)
    try:
        port = int(router.read("cs.port"))
        out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                             text=True, check=True).stdout.split()
        assert out[0] == "LISTEN" and int(out[2]) >= 128
    finally:
        router.cleanup()
