"""test_script -- Script and DriverManager: instructions, expressions, driver stop events."""
from __future__ import annotations

import os
import re

import pytest
from harness import click_error, router, run

from clickpy.elements.standard.script import DriverManager, Script
from clickpy.runtime.handlers import HandlerError

# a source of N packets into a counter, for scripts to watch
IDLE_C = "InfiniteSource(LIMIT 0) -> c :: Counter -> Discard;"
SOURCE = "src :: InfiniteSource(LIMIT {n}, STOP true) -> c :: Counter -> Discard;"


def out_of(capfd, text: str):
    run(text)
    cap = capfd.readouterr()
    return cap.out, cap.err


# -- DriverManager and the driver's stop events --------------------------------
def test_drivermanager_wait_then_stop_at_exact_simulated_time(capfd):
    out, err = out_of(capfd, "DriverManager(wait 0.1s, print $(now), stop);")
    assert out == "1000000000.100000\n"
    assert err == ""


def test_drivermanager_stops_a_router_that_would_run_forever(capfd):
    # a source that always has work: simulated time would never move, so real time
    r = run("InfiniteSource -> c :: Counter -> Discard;"
            "DriverManager(wait 0.05s, stop);"
            "Script(wait 0.5s, print late);", simtime=False)
    assert capfd.readouterr().out == ""       # stopped before the other script's wait
    assert r.driver.stopped


def test_drivermanager_pause_waits_for_the_source_to_stop(capfd):
    out, err = out_of(capfd, SOURCE.format(n=5)
                      + "DriverManager(pause, read c.count, print $(c.count), stop);")
    # Click's read format: "NAME:\nVALUE\n" on standard error
    assert err == "c.count:\n5\n"
    assert out == "5\n"


def test_drivermanager_pause_count_takes_several_stop_requests(capfd):
    out, _ = out_of(capfd, SOURCE.format(n=3)
                    + "s :: Script(wait 1s, stop);"
                    + "DriverManager(pause 2, print $(now), stop);")
    assert out == "1000000001.000000\n"


def test_drivermanager_runs_at_once_when_it_does_not_block(capfd):
    r = run(SOURCE.format(n=-1) + "DriverManager(print \"hello\");")
    assert capfd.readouterr().out == "hello\n"
    assert r.read("c.count") == "0"


def test_drivermanager_wait_after_stop_request_lets_router_run_on(capfd):
    out, _ = out_of(capfd, SOURCE.format(n=4)
                    + "DriverManager(pause, wait 0.5s, print $(now) $(c.count));")
    assert out == "1000000000.500000 4\n"


def test_script_stop_without_drivermanager_stops_router(capfd):
    r = run("InfiniteSource -> c :: Counter -> Discard; Script(wait 2ms, stop);",
            simtime=False)
    assert r.driver.stopped                     # and did not run forever


def test_only_one_driver_script():
    err = click_error(router, "DriverManager(stop); d2 :: Script(TYPE DRIVER, stop);")
    assert str(err).splitlines() == [
        "test.click:1: While configuring 'd2 :: Script':",
        "  router has more than one driver script"]


# -- printing, reading, writing ----------------------------------------------------
def test_print_forms(capfd, tmp_path):
    f = tmp_path / "out.txt"
    out, _ = out_of(capfd, SOURCE.format(n=2) + f"""
        DriverManager(pause,
            print c.count,                 // a handler
            print "c.count",               // quoted text
            print '"c.count"',
            print $(add 1 2),
            set x c.count,
            print $x,
            print $($x),
            printn "no newline",
            print "",
            printq src.data,
            print >{f} "first",
            print >>{f} "second line",
            printn >>{f} $(c.count),
            stop)""")
    assert out == ('2\nc.count\n"c.count"\n3\nc.count\n2\nno newline\n'
                   + "Random bullshit in a packet, at least 64 bytes long. Well, now it is.\n")
    assert f.read_text() == "first\nsecond line\n2"


def test_read_format_and_local_handler_names(capfd):
    out, err = out_of(capfd, 's0 :: Script(readq length "\\<0a 09 01>", read c.count, '
                             'read version, stop);' + IDLE_C)
    assert out == ""
    assert err == "s0.length:\n3\nc.count:\n0\nversion:\n0.2.0\n"


def test_write_calls_handlers_and_sets_status(capfd):
    out, err = out_of(capfd, SOURCE.format(n=3) + """
        DriverManager(pause, print $?, write c.reset, print $? $(c.count),
                      write c.nosuch, print $?, stop)""")
    assert out == "0\n0 0\n-22\n"
    assert err == ("While executing 'DriverManager@4 :: DriverManager':\n"
                   "  no 'c.nosuch' write handler\n")


def test_quoting_forms(capfd):
    out, _ = out_of(capfd, """s :: Script(
        set x $(add 0 0), print $x,
        set x "$(add 0 0)", print $x,
        setq x "$(add 0 0)", print $x,
        set y "a b", print $y, setq y "a b", print $y,
        print "[$y]", stop)""")
    assert out == '0\n"0"\n0\n"a b"\na b\n[a b]\n'


def test_handler_errors_are_reported_in_context(capfd):
    out, err = out_of(capfd, "s :: Script(print nosuch.count, print $(s.add x), "
                             "read c.count 5, error stopped here, print never);" + IDLE_C)
    assert out == ""                     # a print whose handler call failed adds no newline
    assert err.splitlines() == [
        "While executing 's :: Script':",
        "  no element named 'nosuch'",
        "  While calling 's.add x':",
        "    expected list of numbers",
        "  read handler 'c.count' does not take parameters",
        "  stopped here"]


# -- expressions -------------------------------------------------------------------
EXPRESSIONS = [
    ("add 1 2 3", "6"), ("sub 10 2 2", "6"), ("min 10 6 20", "6"), ("max -1 6 3", "6"),
    ("mul 1 2 3", "6"), ("div 75 2.5 5", "6"), ("idiv 60 2 5", "6"), ("div 7 2", "3.5"),
    ("idiv 7 2", "3"), ("add 0.5 1", "1.5"), ("add", "0"), ("mul", "1"),
    ("add 0x10 1", "17"), ("div 1 0", "inf"), ("div 1 3", "0.333333333333"),
    ("mod 7 3", "1"), ("mod -7 3", "-1"), ("rem 7.5 2", "1.5"),
    ("neg 5", "-5"), ("neg -2.5", "2.5"), ("abs -7", "7"), ("abs 3", "3"),
    ("eq 10 0xA", "true"), ("le 9 8", "false"), ("eq 10x 10x", "true"),
    ("ne 1 2", "true"), ("lt 1 2", "true"), ("gt 1 2", "false"), ("ge 2 2", "true"),
    ("lt 1.5 2", "true"), ("lt abc abd", "true"), ("eq \"a\" a", "true"),
    ("not true", "false"), ("not 0", "true"), ("and true yes 1", "true"),
    ("and true false", "false"), ("and", "true"), ("or false true", "true"), ("or", "false"),
    ("nand true true", "false"), ("nor false false", "true"),
    ("if true a b", "a"), ("if false a b", "b"), ("in foo bar foo", "true"),
    ("in foo bar baz", "false"), ("first x y z", "x"), ("length abcdef", "6"),
    ("unquote \"a b\"", "a b"), ("sprintf \"%05x\" 127", "0007f"),
    ("sprintf \"%d-%s-%%-%3u|\" -4 word 7", "-4-word-%-  7|"),
    ("htonl $(ntohl 6)", "6"), ("htons $(ntohs 6)", "6"),
    ("random 1", "0"), ("random 4 4", "4"),
    ("readable c.count s.add", "true"), ("readable c.reset", "false"),
    ("writable c.reset", "true"),
]


@pytest.mark.parametrize("expr, expected", EXPRESSIONS)
def test_expression_handlers(capfd, expr, expected):
    out, err = out_of(capfd, f"{IDLE_C} s :: Script(print $({expr}), stop);")
    assert (out, err) == (expected + "\n", "")


def test_expression_handlers_read_directly():
    r = router("s :: Script(TYPE PASSIVE);")
    assert r.read("s.add", "1 2") == "3"
    assert re.fullmatch(r"\d+\.\d{6}(\d{3})?", r.read("s.now"))
    with pytest.raises(HandlerError, match="expected two numbers"):
        r.read("s.mod", "1")
    with pytest.raises(HandlerError, match="expected one number"):
        r.read("s.neg", "x")
    with pytest.raises(HandlerError, match="syntax error"):
        r.read("s.not", "maybe")


def test_random_in_range():
    r = router("s :: Script(TYPE PASSIVE);")
    assert {int(r.read("s.random", "3")) for _ in range(50)} <= {0, 1, 2}
    with pytest.raises(HandlerError, match="bad N"):
        r.read("s.random", "0")


def test_cat_reads_files(tmp_path):
    f = tmp_path / "f"
    f.write_bytes(b"a\tb\n")
    r = router("s :: Script(TYPE PASSIVE);")
    assert r.read("s.cat", str(f)) == "a\tb\n"
    assert r.read("s.catq", str(f)) == '"a\\tb\\n"'


# -- control flow ----------------------------------------------------------------
def test_loop_with_labels_and_conditions(capfd):
    out, _ = out_of(capfd, "s :: Script(set x 0, label begin_loop, print $x, "
                           "set x $(s.add $x 1), goto begin_loop $(s.lt $x 5), stop);")
    assert out == "0\n1\n2\n3\n4\n"


def test_goto_predefined_labels_and_loop(capfd):
    out, _ = out_of(capfd, """
        a :: Script(init n 0, set n $(add $n 1), print "a$n", goto end $(ge $n 3), loop);
        b :: Script(print "b1", goto exit, print "b2");
        d :: Script(print "d1", goto stop true, print "d2");""")
    assert out == "a1\na2\na3\nb1\nd1\n"


def test_end_exit_and_bad_condition(capfd):
    out, err = out_of(capfd, "s :: Script(print 1, goto x maybe, label x, end, print 2);"
                             "t :: Script(exit, print 3); DriverManager(wait 1s, stop);")
    assert out == "1\n"
    assert err == "While executing 's :: Script':\n  bad condition 'maybe'\n"


def test_too_many_jumps(capfd):
    out, err = out_of(capfd, "s0 :: Script(label a, goto a); s1 :: Script(wait 1, stop);")
    assert err == "s0 :: Script: too many jumps, giving up\n"


def test_wait_with_variable_time(capfd):
    out, _ = out_of(capfd, "Script(set t 250ms, wait $t, print $(now), wait 1, "
                           "print $(now), stop);")
    assert out == "1000000000.250000\n1000000001.250000\n"


def test_pause_step_and_goto_handlers(capfd):
    r = router('s :: Script(print "a", pause, print "b", pause 2, print "c", label l, print "d");')
    r.write("s.step")                   # the script has not started: this step starts it
    assert capfd.readouterr().out == "a\n"
    r.write("s.step")
    assert capfd.readouterr().out == "b\n"
    r.write("s.step", "1")
    assert capfd.readouterr().out == ""
    r.write("s.step", "1")
    assert capfd.readouterr().out == "c\nd\n"
    r.write("s.goto", "l")
    assert capfd.readouterr().out == "d\n"
    with pytest.raises(HandlerError, match="jump to nonexistent label"):
        r.write("s.goto", "nowhere")
    with pytest.raises(HandlerError, match="syntax error"):
        r.write("s.step", "x")


# -- script types and handlers ---------------------------------------------------------
def test_passive_run_handler_and_arguments():
    r = router("InfiniteSource(LIMIT 0) -> c1 :: Counter -> c2 :: Counter -> Discard;"
               "s :: Script(TYPE PASSIVE, return $(add $(c1.count) $(c2.count)));"
               "t :: Script(TYPE PASSIVE, returnq \"$# [$1] [$2] [$3] $args\");"
               "u :: Script(TYPE PASSIVE, error \"bad $1\");")
    assert r.read("s.run") == "0"
    assert r.read("t.run", "x 'y z'") == "2 [x] ['y z'] [] x 'y z'"
    with pytest.raises(HandlerError, match='"bad q"'):
        r.read("u.run", "q")
    r.write("s.run", "")                # a write runs it too


def test_export_set_get_shift_handlers(capfd):
    r = router("s :: Script(TYPE PASSIVE, export a 1, exportq b \"x y\", init c $(add 2 3),"
               "set d 4, return $a$c$d);")
    assert r.read("s.a") == "1"
    assert r.read("s.b") == "x y"
    assert r.read("s.get", "c") == "5"
    assert r.read("s.run") == "154"
    r.write("s.set", "a seven eight")
    assert r.read("s.a") == "seven eight"
    assert r.read("s.shift", "a") == "seven"
    assert r.read("s.get", "a") == "eight"
    with pytest.raises(HandlerError, match="undefined variable 'zz'"):
        r.read("s.get", "zz")
    with pytest.raises(HandlerError, match="no variable"):
        r.read("s.get")


def test_script_04_arithmetic_and_variables(capfd):
    # Click's test/standard/Script-04.clicktest, as configuration
    out, err = out_of(capfd, """s0 :: Script(
        print $(add 1 2 3), print $(sub 10 2 2), print $(min 10 6 20),
        print $(max -1 6 3), print $(mul 1 2 3), print $(div 75 2.5 5),
        print $(idiv 60 2 5), print $(htonl $(ntohl 6)), print $(htons $(ntohs 6)),
        write set foovar foo bar baz, print $(shift foovar), print $(shift foovar),
        print $(get foovar), stop)""")
    assert out == "6\n" * 9 + "foo\nbar\nbaz\n"
    assert err == ""


def test_packet_scripts_choose_output_ports(capfd):
    r = run("""
        InfiniteSource(LIMIT 6)
          -> sx :: Script(TYPE PACKET, init i 0, set j $i, set i $(if $(eq $i 0) 1 0), return $j);
        sx[0] -> c0 :: Counter -> Discard;
        sx[1] -> c1 :: Counter -> Discard;
        InfiniteSource(LIMIT 4) -> Script(TYPE PACKET, end) -> e :: Counter -> Discard;
        InfiniteSource(LIMIT 4) -> Script(TYPE PACKET, exit) -> x :: Counter -> Discard;
        InfiniteSource(LIMIT 3) -> Script(return $input) -> d :: Counter -> Discard;""")
    assert (r.read("c0.count"), r.read("c1.count")) == ("3", "3")
    assert r.read("e.count") == "4"
    assert r.read("x.count") == "0"
    assert r.read("d.count") == "3"     # a Script with ports is a PACKET script


def test_packet_script_runs_handlers_per_packet(capfd):
    r = run("InfiniteSource(LIMIT 5, STOP true) -> Script(write c.reset) -> c :: Counter "
            "-> Discard; DriverManager(pause, print $(c.count), stop);")
    assert capfd.readouterr().out == "1\n"
    assert r.read("c.count") == "1"


def test_proxy_script_answers_any_handler():
    r = router("""p :: Script(TYPE PROXY,
        goto nota $(ne $0 a), returnq "you called 'a'", label nota,
        goto notb $(ne $0 b), returnq "you called 'b' with $args, write $write", label notb,
        error bad handler);""")
    assert r.read("p.a") == "you called 'a'"
    assert r.read("p.b", "x") == "you called 'b' with x, write false"
    with pytest.raises(HandlerError, match="bad handler"):
        r.read("p.c")
    assert r.read("p.add", "1 1") == "2"        # Script's own handlers stay


@pytest.mark.skipif(not hasattr(os, "kill"), reason="needs signals")
def test_signal_script_runs_on_signal(capfd):
    out, _ = out_of(capfd, """s :: Script(TYPE SIGNAL USR1, init n 0, set n $(add $n 1),
                                         print "got $n");
        Script(wait 0.1, print $(kill USR1 $$), wait 0.1, print $(kill USR1 $$),
               wait 0.1, stop);""")
    # the handler runs as soon as kill returns, before kill's own empty line
    assert out == "got 1\n\ngot 2\n\n"


# -- configuration errors ----------------------------------------------------------
@pytest.mark.parametrize("config, message", [
    ("Script(frob x)", "syntax error at 'frob'"),
    ("Script(set x)", "syntax error at 'set'"),
    ("Script(label)", "syntax error at 'label'"),
    ("Script(label a b)", "syntax error at 'label'"),
    ("Script(stop now)", "syntax error at 'stop'"),
    ("Script(loop 3)", "syntax error at 'loop'"),
    ("Script(pause x)", "syntax error at 'pause'"),
    ("Script(wait 3 apples)", "syntax error at 'wait'"),
    ("Script(goto nowhere)", "no such label 'nowhere'"),
    ("Script(TYPE BOGUS)", "bad TYPE"),
    ("Script(TYPE SIGNAL NOSUCH)", "bad signal number"),
    ("Script(TYPE SIGNAL)", "bad signal number"),
    ("Script(TYPE PACKET)", "PACKET script must have inputs"),
    ("InfiniteSource -> Script(TYPE PASSIVE) -> Discard", "ports allowed only on PACKET scripts"),
])
def test_configure_errors(config, message):
    lines = str(click_error(router, config + ";")).splitlines()
    assert lines[0].startswith("test.click:1: While configuring '")
    assert lines[1:] == ["  " + message]


def test_configure_reports_every_bad_instruction():
    err = click_error(router, "s :: Script(foo, print ok, bar 1, goto x);")
    assert str(err).splitlines() == [
        "test.click:1: While configuring 's :: Script':",
        "  syntax error at 'foo'",
        "  syntax error at 'bar'",
        "  no such label 'x'"]


def test_manuals_are_documented():
    from clickpy.elements.standard.script import DriverManager, Script
    for cls in (Script, DriverManager):
        doc = cls.__doc__
        for section in ("=c", "=s control", "=d", "=n", "=e", "=a"):
            assert section in doc


PULLER = '''
import clickpy


class PullSome(clickpy.Element):
    """Pulls on its input for 20 task runs, pushing what it gets."""
    port_count = "1/1"
    processing = "l/h"

    def initialize(self):
        self.tries = 20
        self.schedule_task()

    def run_task(self):
        p = self.input_pull_packet(0)
        if p is not None:
            self.output_push_packet(0, p)
        self.tries -= 1
        return self.tries > 0
'''


def test_packet_script_in_pull_context(tmp_path):
    lib = tmp_path / "pullsome.py"
    lib.write_text(PULLER)
    r = run(f"""require(library {lib});
        InfiniteSource(LIMIT 6)
          -> s :: Script(TYPE PACKET, init i 0, set i $(add $i 1),
                         goto odd $(mod $i 2), return 0, label odd, return 1)
          -> PullSome -> c0 :: Counter -> Discard;
        s[1] -> c1 :: Counter -> Discard;""")
    assert not r.element("s").input_is_push(0)
    assert (r.read("c0.count"), r.read("c1.count")) == ("3", "3")


def test_two_stop_requests_in_one_round_step_the_driver_script_twice(capfd):
    run("InfiniteSource(LIMIT 1, STOP true) -> Discard;\n"
        "InfiniteSource(LIMIT 1, STOP true) -> Discard;\n"
        "DriverManager(pause, pause, print \"both stop events seen\", stop);")
    assert capfd.readouterr().out == "both stop events seen\n"


def test_script_elements_are_the_compiled_classes():
    r = router("s :: Script(TYPE PASSIVE, return 1); d :: DriverManager(stop);")
    assert type(r.element("s")) is Script
    assert type(r.element("d")) is DriverManager
    assert r.read("s.run") == "1"
