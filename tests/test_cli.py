"""test_cli -- the clickpy command as a user runs it: exit codes, output, no tracebacks."""
import re

import pytest
from harness import ROOT, cli

CONFIGS = sorted((ROOT / "configs").glob("*.click"))


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_every_bundled_configuration_checks_cleanly(config):
    r = cli("check", str(config))
    assert r.returncode == 0, r.stderr
    # the only thing check may say: classes the configuration uses that cannot run yet
    assert all(": warning: " in line and "has no run-time code in clickpy yet" in line
               for line in r.stderr.splitlines()), r.stderr


def test_check_parses_element_arguments_as_run_does():
    r = cli("check", "-e", "InfiniteSource(LIMIT abc) -> Discard")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "config:1: While configuring 'InfiniteSource@1 :: InfiniteSource':",
        "  LIMIT: expected integer"]
    r = cli("check", "-e", "s :: InfiniteSource(LIMIT 3);\ns -> c :: Counter(x) -> Discard;\n"
            "Idle -> q :: Queue(-1) -> Discard")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "config:2: While configuring 'c :: Counter':", "  too many arguments",
        "config:3: While configuring 'q :: Queue':", "  CAPACITY: expected unsigned integer"]


def test_check_warns_of_classes_that_cannot_run():
    r = cli("check", "-e", "InfiniteSource -> t :: KernelTun(10.0.0.1/24) -> Discard;\n"
            "KernelTun(10.0.0.2/24) -> Discard")
    assert r.returncode == 0
    assert r.stderr.splitlines() == [
        "config:1: warning: 't :: KernelTun' cannot run: KernelTun has no run-time code"
        " in clickpy yet"]
    assert cli("check", "-w", "-e", "InfiniteSource -> KernelTun(1.0.0.1/8) -> Discard"
               ).stderr == ""


def test_check_reports_click_errors_with_file_line_and_exit_1(tmp_path):
    bad = tmp_path / "router.click"
    bad.write_text("src :: Idle;\nsrc -> q :: Queue(10);\nq -> d :: Discard;\nq [2] -> d;\n")
    r = cli("check", str(bad))
    assert r.returncode == 1
    # as Click: range errors end the checks, so no "output 1 unused" after them
    assert r.stderr.splitlines() == [f"{bad}:2: 'q :: Queue' has no output 2"]
    assert "Traceback" not in r.stderr


def test_check_push_to_pull_error_text():
    r = cli("check", "-e", "InfiniteSource -> q :: Queue -> Unqueue -> Discard;\n"
            "Idle -> Unqueue@5 :: Unqueue -> Discard;\nq [1] -> Discard")
    assert r.returncode == 0, r.stderr
    r = cli("check", "-e", "s :: TimedSource;\nu :: Unqueue;\ns -> u -> Discard")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "'s :: TimedSource' push output 0 connected to 'u :: Unqueue' pull input 0"]


def test_syntax_error_is_one_line_no_traceback():
    r = cli("check", "-e", "a :: Counter;\na -> -> b")
    assert r.returncode == 1
    assert r.stderr == "config:2: syntax error near '->'\n"


def test_standard_input_and_defines():
    r = cli("flatten", "-", "N=7", input="define($N 1); Idle -> Queue($N) -> Discard;")
    assert r.returncode == 0, r.stderr
    # Click's layout: connections chained through input and output 0
    assert r.stdout == ("Idle@1 :: Idle;\nQueue@2 :: Queue(7);\nDiscard@3 :: Discard;\n\n"
                        "Idle@1 -> Queue@2\n    -> Discard@3;\n")


def test_flat_configuration_is_laid_out_as_clicks():
    """Click 2.1's flatconfig for the same text, byte for byte: one require(),
    declarations, connections chained through port 0, the rest after."""
    r = cli("run", "-q", "-h", "flatconfig", "-e",
            "require(compact_config); a :: Idle; t :: Tee(2); a -> t; t[0] -> Discard;"
            " t[1] -> Queue -> Unqueue -> Discard; x :: Null; Idle -> x -> x")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == (
        "require(compact_config);\n\n"
        "a :: Idle;\nt :: Tee(2);\nDiscard@3 :: Discard;\nQueue@4 :: Queue;\n"
        "Unqueue@5 :: Unqueue;\nDiscard@6 :: Discard;\nx :: Null;\nIdle@8 :: Idle;\n\n"
        "a -> t\n    -> Discard@3;\nt [1] -> Queue@4\n    -> Unqueue@5\n    -> Discard@6;\n"
        "Idle@8 -> x\n    -> x;\n")


def test_flatten_output_rereads_to_the_same_graph(tmp_path):
    from clickpy.lang import read_config
    for config in CONFIGS:
        r = cli("flatten", str(config))
        assert r.returncode == 0, r.stderr
        again = read_config(r.stdout, "flat.click")
        assert again.same_as(read_config(config.read_text(), str(config)))


def test_run_q_o_writes_flat_config_without_running(tmp_path):
    out = tmp_path / "flat.click"
    r = cli("run", "-q", "-o", str(out), "-e", "InfiniteSource -> c :: Counter -> Discard")
    assert (r.returncode, r.stderr) == (0, "")
    assert out.read_text() == ("InfiniteSource@1 :: InfiniteSource;\nc :: Counter;\n"
                               "Discard@3 :: Discard;\n\nInfiniteSource@1 -> c\n    -> Discard@3;\n")


def test_run_bad_configuration_prints_click_failure_line():
    # as Click's driver: the failure line follows the router's checks, not
    # errors in reading the configuration (an unknown class is one)
    r = cli("run", "-q", "-e", "x :: Nope;")
    assert (r.returncode, r.stderr.splitlines()) == (1, ["config:1: unknown element class 'Nope'"])
    r = cli("run", "-q", "-e", "x :: Queue; Idle -> x -> Discard; Idle -> [2]x")
    assert (r.returncode, r.stderr.splitlines()) == (1, [
        "config:1: 'x :: Queue' has no input 2", "Router could not be initialized!"])


def test_missing_file_is_a_clear_error():
    r = cli("check", "/nonexistent/router.click")
    assert r.returncode == 1
    assert r.stderr.startswith("/nonexistent/router.click: ")
    assert "Traceback" not in r.stderr


def test_elements_lists_every_class_and_what_runs():
    r = cli("elements")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split()[:5] == ["CLASS", "GROUP", "PORTS", "PROC", "STATUS"]
    queue = next(line for line in lines if line.startswith("Queue "))
    assert queue.split()[1:4] == ["standard", "1/1-2", "h/lh"]
    assert "cannot run yet" in lines[-1]


def test_elements_manual_and_unknown_name():
    r = cli("elements", "CheckIPHeader")
    assert r.returncode == 0
    assert r.stdout.startswith("CheckIPHeader (ip): ")
    assert "ports 1/1-2, processing a/ah" in r.stdout
    r = cli("elements", "NoSuchThing")
    assert (r.returncode, r.stderr) == (1, "clickpy elements: no element class 'NoSuchThing'\n")


def test_dot_text_and_check_verbose():
    r = cli("dot", "-e", "a :: Idle -> c :: { input -> Counter -> output } -> Discard")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("digraph")
    assert "cluster" in r.stdout and '"c/Counter@1"' in r.stdout
    # KernelTun (TUN devices) is declared from Click's catalog but has no run-time code
    r = cli("check", "-v", "-w", "-e", "InfiniteSource -> KernelTun(10.0.0.1/24) -> Discard")
    assert r.returncode == 0, r.stderr
    assert "classes without run-time code yet: KernelTun\n" in r.stderr


@pytest.mark.parametrize("config", [
    "define($a 1,,$b 2); Idle -> Queue($b) -> Discard",
    "define(,); Idle -> Discard",
    "TimedSource(INTERVAL 1e308) -> Discard",
    "Idle -> IPReassembler(TIMEOUT 1e308) -> Discard",
    "Idle -> SetTimestamp(TIMESTAMP 99999999999999999999) -> Discard",
    "ARPTable(TIMEOUT 1e308)",
    "DriverManager(wait 1e300, stop)",
    "ICMPPingSource(1.0.0.1, 2.0.0.2, INTERVAL 1e308, LIMIT 1, STOP true) -> Discard",
])
def test_values_past_their_c_types_run_instead_of_a_traceback(config):
    """Each gave a Python traceback (OverflowError, unpacking) before; times
    now saturate as Click's do, and empty define arguments are skipped."""
    r = cli("run", "--simtime", "-e", config)
    assert (r.returncode, r.stderr) == (0, "")


def test_text_stands_for_bytes_in_data_and_messages(tmp_path):
    """A UTF-8 DATA string is its bytes (it was rejected, or one byte per
    character); a NUL or a stray byte in a message shows escaped as Click's
    %#s does (it was printed raw)."""
    r = cli("run", "-e", 'InfiniteSource(DATA "h\u00e9\u20ac\\<ff>", LIMIT 1, STOP true)'
            " -> Print(x) -> Discard")
    assert (r.returncode, r.stderr) == (0, "x:    7 | 68c3a9e2 82acff\n")
    bad = tmp_path / "bad.click"
    bad.write_bytes(b"Idle -> Pr\x00int -> Discard\nIdle -> Cou\xffnter -> Discard\n")
    r = cli("check", str(bad))
    assert (r.returncode, r.stderr) == (1, f"{bad}:1: syntax error near '^@'\n")
    bad.write_bytes(b"Idle -> Cou\xffnter -> Discard\n")
    r = cli("check", str(bad))
    assert (r.returncode, r.stderr) == (1, f"{bad}:1: syntax error near '\\377'\n")


def test_t_prints_clicks_times_and_two_configurations_are_an_error(tmp_path):
    r = cli("run", "-q", "-t", "-e", "Idle -> Discard")
    assert r.returncode == 0 and re.fullmatch(r"\d+\.\d{3}u \d+\.\d{3}s \d+:\d\d\.\d\d\n", r.stdout)
    f = tmp_path / "f.click"
    f.write_text("Idle -> Discard")
    for args in (["-f", str(f), "-e", "Idle -> Discard"], [str(f), "-e", "Idle"], [str(f), str(f)]):
        r = cli("run", "-q", *args)
        assert (r.returncode, r.stderr.splitlines()[0]) == (1, "router configuration specified twice")
