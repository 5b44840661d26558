"""test_runtime -- routers end to end: handlers, errors, Python elements, stopping, pools."""
import os
import signal
import time

from harness import cli, cli_process, config_error, router, run

import clickpy


class Upper(clickpy.Element):
    """Upper-cases payload bytes; drops packets starting with 'x'."""
    port_count = "1/1"
    processing = "a/a"

    def simple_action(self, packet):
        if packet.data.startswith(b"x"):
            return None
        packet.write(0, packet.data.upper())
        return packet


def test_counts_and_router_handlers():
    r = run("s :: InfiniteSource(\\<00112233>, LIMIT 7, STOP true) -> c :: Counter -> d :: Discard")
    assert (r.read("s.count"), r.read("c.count"), r.read("c.byte_count"), r.read("d.count")) == \
        ("7", "7", "28", "7")
    assert r.read("list") == "3\ns\nc\nd"
    assert r.read("c.class") == "Counter" and r.read("c.name") == "c"
    assert r.read("s.config") == "\\<00112233>, LIMIT 7, STOP true"
    assert r.read("driver") == "userlevel"
    assert r.read("flatconfig").splitlines()[0] == "s :: InfiniteSource(\\<00112233>, LIMIT 7, STOP true);"
    assert r.read("s.scheduled") == "false" and r.read("s.tickets") == "1024"
    # Click's listing: newest first, flags r w + % . b
    listing = r.read("c.handlers").splitlines()
    assert "count\tr" in listing and "reset\twb" in listing
    assert listing[-5:] == ["handlers\tr.", "ports\tr.", "config\tr.", "class\tr.", "name\tr."]
    assert r.read("c.ports") == "1 input\npush~\t-\ts [0]\n1 output\npush~\t-\t[0] d\n"
    assert r.read("handlers").splitlines()[:8] == [
        "version\tr", "driver\tr", "config\tr", "flatconfig\tr", "requirements\tr",
        "handlers\tr", "list\tr", "stop\tw"]


def test_write_handlers_change_state():
    r = router("s :: InfiniteSource(LIMIT 3, STOP true) -> c :: Counter -> Discard")
    r.run()
    assert r.read("c.count") == "3"
    r.write("c.reset")
    assert r.read("c.count") == "0"
    r.write("s.limit", "5")
    assert r.read("s.limit") == "5"


def test_python_elements_mixed_with_compiled():
    r = run("InfiniteSource(\\<616263>, LIMIT 2, STOP true) -> u :: Upper -> c :: Counter -> rec :: Rec;\n"
            "InfiniteSource(\\<78797a>, LIMIT 3, STOP true) -> u;", classes=(Upper,))
    rec = r.element("rec")
    assert [p.data for p in rec.packets] == [b"ABC", b"ABC"]
    assert r.read("c.count") == "2"


def test_configure_errors_name_the_element_and_argument():
    assert config_error("s :: InfiniteSource(LIMIT many);\ns -> Discard") == ["test.click:1: While configuring 's :: InfiniteSource':",
                                "  LIMIT: expected integer"]


def test_declared_only_classes_cannot_run():
    assert config_error("InfiniteSource -> KernelTun(10.0.0.1/24) -> Discard") == ["test.click:1: element class 'KernelTun' cannot run yet "
                                "(declared only: no run-time code in clickpy)"]


def test_pool_exhaustion_drops_and_counts_and_nothing_crashes():
    from clickpy.runtime.packet import pool_stats, use_new_default_pool
    use_new_default_pool(10, 10)
    try:
        r = run("s :: InfiniteSource(LIMIT 100, BURST 4) -> rec :: Rec")
        assert r.read("s.count") == "10"
        assert len(r.element("rec").packets) == 10
        assert pool_stats()["alloc_failures"] >= 1
        assert pool_stats()["packets_free"] == 0
    finally:
        use_new_default_pool(65536, 32768)


def test_sigint_stops_cleanly_and_handlers_still_print():
    proc = cli_process("run", "-e",
                       'InfiniteSource -> c :: Counter -> Discard; Script(print "ready")',
                       "-h", "c.count", env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout.readline() == "ready\n"       # running, however slow the start
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert (proc.returncode, err) == (0, "")
    assert int(out) > 0


def test_cli_h_with_one_and_several_handlers_and_x():
    cmd = ["run", "--simtime", "-e", "InfiniteSource(LIMIT 4, STOP true) -> c :: Counter -> Discard"]
    one = cli(*cmd, "-h", "c.count")
    assert one.stdout == "4\n"
    two = cli(*cmd, "-h", "c.count", "-h", "c.byte_count")
    assert two.stdout == "c.count:\n4\n\nc.byte_count:\n276\n\n"     # 4 x 69 bytes
    glob = cli(*cmd, "-h", "*.count")
    assert glob.stdout == "InfiniteSource@1.count:\n4\n\nc.count:\n4\n\nDiscard@3.count:\n4\n\n"
    # a class name (or glob) prints each element's name, even for one (Click's driver)
    cls = cli(*cmd, "-h", "Counter.count")
    assert cls.stdout == "c.count:\n4\n\n"
    x = cli(*cmd, "-x", "c.count")
    assert x.returncode == 4


def test_load_python_and_pyx_element_files(tmp_path):
    py = tmp_path / "elems.py"
    py.write_text("import clickpy\n\nclass Rev(clickpy.Element):\n    port_count = '1/1'\n"
                  "    processing = 'a/a'\n\n    def simple_action(self, p):\n"
                  "        p.write(0, p.data[::-1])\n        return p\n")
    pyx = tmp_path / "zero.pyx"
    pyx.write_text("from clickpy.runtime.element cimport Element\n"
                   "from clickpy.runtime.packet cimport Packet, pkt_uniqueify\n\n"
                   "cdef class ZeroFirst(Element):\n    port_count = '1/1'\n    processing = 'a/a'\n\n"
                   "    cdef int action(self, Packet *p) noexcept nogil:\n"
                   "        if p.length == 0 or pkt_uniqueify(p) < 0:\n            return -1\n"
                   "        p.data[0] = 0\n        return 0\n")
    env = dict(os.environ, CLICKPY_CACHE=str(tmp_path / "cache"))
    out = tmp_path / "flat"
    r = cli("run", "--load", py, "--load", pyx,
            "-e", "InfiniteSource(\\<010203>, LIMIT 1, STOP true) -> Rev -> ZeroFirst "
            "-> c :: Counter -> Discard",
            "-h", "c.byte_count", "-o", out, env=env)
    assert (r.returncode, r.stderr, r.stdout) == (0, "", "3\n")
    check = cli("check", "-v", "--load", py, "-e", "InfiniteSource -> Rev -> Discard")
    assert "Python elements (run under the GIL): Rev" in check.stderr


def test_deprecated_arguments_warn_in_context(capfd):
    router("InfiniteSource(LIMIT 1, STOP true) -> p :: Print(x, LENGTH 10) -> Discard")
    assert capfd.readouterr().err == ("test.click:1: While configuring 'p :: Print':\n"
                                      "  warning: LENGTH: argument deprecated\n")


def test_cli_handler_errors_name_what_is_missing():
    base = ["run", "-e", "InfiniteSource(LIMIT 1, STOP true) -> c :: Counter -> Discard"]
    missing_handler = cli(*base, "-h", "c.nothing")
    assert (missing_handler.returncode, missing_handler.stderr) == (
        1, "no 'c.nothing' handler\n")
    missing_element = cli(*base, "-h", "x*.count")
    assert (missing_element.returncode, missing_element.stderr) == (
        1, "no element matching 'x*'\n")
    write_only = cli(*base, "-h", "c.reset", "-h", "nowhere.x")
    assert (write_only.returncode, write_only.stderr) == (
        1, "'c.reset' is a write handler\nno element 'nowhere'\n")
    bad_time = cli("run", "--simtime=abc", "-e", "Idle")
    assert (bad_time.returncode, bad_time.stderr) == (
        1, "clickpy run: --simtime: expected time in seconds\n")


BUGGY = '''import clickpy

class BadConf(clickpy.Element):
    port_count = "1/1"
    def configure(self, args):
        raise KeyError("oops")

class BadInit(clickpy.Element):
    port_count = "1/1"
    def initialize(self):
        raise ZeroDivisionError("init failed")

class BadRead(clickpy.Element):
    port_count = "1/1"
    def add_handlers(self):
        self.add_read_handler("boom", lambda: 1 / 0)

class BadPush(clickpy.Element):
    port_count = "1/1"
    processing = "h/h"
    def push(self, port, p):
        raise RuntimeError("bad packet")
'''


def _run_buggy(tmp_path, config, *extra):
    lib = tmp_path / "buggy.py"
    lib.write_text(BUGGY)
    return cli("run", "--load", lib, "-e", config, *extra)


def test_a_loaded_elements_exception_is_its_configuration_error(tmp_path):
    r = _run_buggy(tmp_path, "Idle -> BadConf -> Discard")
    assert (r.returncode, r.stderr.splitlines()) == (1, [
        "config:1: While configuring 'BadConf@2 :: BadConf':", "  KeyError: 'oops'",
        "Router could not be initialized!"])
    r = _run_buggy(tmp_path, "Idle -> BadInit -> Discard")
    assert (r.returncode, r.stderr.splitlines()) == (1, [
        "config:1: While initializing 'BadInit@2 :: BadInit':", "  ZeroDivisionError: init failed",
        "Router could not be initialized!"])


def test_debug_shows_the_traceback(tmp_path):
    r = _run_buggy(tmp_path, "Idle -> BadInit -> Discard", "--debug")
    assert r.returncode == 1
    assert "Traceback (most recent call last)" in r.stderr and 'buggy.py", line 11' in r.stderr
    assert r.stderr.endswith("  ZeroDivisionError: init failed\nRouter could not be initialized!\n")


def test_a_raising_read_handler_is_reported_not_a_traceback(tmp_path):
    r = _run_buggy(tmp_path, "InfiniteSource(LIMIT 1, STOP true) -> b :: BadRead -> Discard",
                   "-h", "b.boom")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "b.boom: ZeroDivisionError: division by zero\n")


def test_errors_on_the_data_path_are_counted_not_printed_per_packet(tmp_path):
    r = _run_buggy(tmp_path, "InfiniteSource(LIMIT 300, STOP true) -> b :: BadPush -> Discard",
                   "-h", "b.errors")
    assert (r.returncode, r.stdout) == (0, "300\n")
    assert r.stderr.splitlines() == ["config:1: 'b :: BadPush': RuntimeError: bad packet"] * 5 + [
        "config:1: 'b :: BadPush': more errors, counted but not printed (handler 'b.errors')"]


def test_batch_1_gives_clicks_per_packet_order():
    """Two Tee branches meeting in one Print: batched, each branch's packets go
    as a run; with --batch 1 every packet travels alone, in the order Click's
    per-packet push gives (checked against Click 2.1's output)."""
    config = ("InfiniteSource(\\<01>, LIMIT 3, BURST 3, STOP true) -> t :: Tee;"
              " t[0] -> Print(a) -> u :: Unstrip(0); t[1] -> Print(b) -> u;"
              " u -> Print(shared) -> Discard")
    base = ["run", "-e", config]
    click_order = ["a", "shared", "b", "shared"] * 3
    one = cli(*base, "--batch", "1")
    assert [line.split(":")[0] for line in one.stderr.splitlines()] == click_order
    batched = cli(*base)
    assert [line.split(":")[0] for line in batched.stderr.splitlines()] == \
        ["a"] * 3 + ["shared"] * 3 + ["b"] * 3 + ["shared"] * 3
    bad = cli(*base, "--batch", "65")
    assert (bad.returncode, bad.stderr) == (1, "clickpy run: --batch: batch size must be between"
                                               " 1 and 64\n")
