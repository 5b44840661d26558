"""cli -- the ``clickpy`` command: run, check, flatten, dot, elements, read, write."""
from __future__ import annotations

import argparse
import os
import sys

from clickpy.errors import ClickError

COMMANDS = ("run", "check", "flatten", "dot", "elements", "read", "write")


def _config_args(p: argparse.ArgumentParser):
    p.add_argument("file", nargs="?", help="configuration file ('-' for standard input)")
    p.add_argument("defines", nargs="*", metavar="NAME=value", help="override define($NAME ...)")
    p.add_argument("-f", "--file", dest="file_opt", metavar="FILE",
                   help="read configuration from FILE")
    p.add_argument("-e", "--expression", dest="expr", metavar="EXPR", help="configuration text")
    p.add_argument("--load", action="append", default=[], metavar="FILE",
                   help="load element classes from FILE (.py, or .pyx compiled once)")
    p.add_argument("--debug", action="store_true",
                   help="print Python tracebacks of errors raised by element and handler code")


def _parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="clickpy", description="Click modular router for Python")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", add_help=False, help="run a router (Click driver options)")
    _config_args(run)
    run.add_argument("-h", "--handler", action="append", default=[], metavar="[ELEMENT.]H")
    run.add_argument("-x", "--exit-handler", metavar="ELEMENT.H")
    run.add_argument("-o", "--output", metavar="FILE", help="write the flat configuration")
    run.add_argument("-q", "--quit", action="store_true", help="check only, do not run")
    run.add_argument("-t", "--time", action="store_true")
    run.add_argument("-w", "--no-warnings", action="store_true")
    run.add_argument("-p", "--port", metavar="PORT")
    run.add_argument("-u", "--unix-socket", metavar="FILE")
    run.add_argument("-j", "--threads", type=int, default=1, metavar="N")
    # Click's --simtime[=TIME]: the value only after '=', so a following FILE stays a FILE
    run.add_argument("--simtime", action="store_true")
    run.add_argument("--simtime-start", dest="simtime_start", default="", help=argparse.SUPPRESS)
    run.add_argument("-C", "--clickpath", metavar="PATH")
    run.add_argument("-v", "--verbose", action="store_true")
    run.add_argument("--stats", action="store_true", help="live table of counters while running")
    run.add_argument("--batch", type=int, default=0, metavar="N",
                     help="at most N packets travel together (1: Click's exact packet order;"
                          " default 64)")
    run.add_argument("--help", action="help")

    check = sub.add_parser("check", help="check a configuration (exit 0 or 1)")
    _config_args(check)
    check.add_argument("-w", "--no-warnings", action="store_true")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="also list elements without run-time code")

    flatten = sub.add_parser("flatten", help="print the flat configuration")
    _config_args(flatten)
    flatten.add_argument("-o", "--output", metavar="FILE")

    dot = sub.add_parser("dot", help="Graphviz picture of the graph")
    _config_args(dot)
    dot.add_argument("--format", default="dot", choices=("dot", "svg", "png", "pdf"))
    dot.add_argument("-o", "--output", metavar="FILE")

    sub.add_parser("bench", help="forwarding throughput against a plain C loop (clickpy bench -h)")

    elements = sub.add_parser("elements", help="list element classes, or print one's manual")
    elements.add_argument("name", nargs="?")

    for name, what in (("read", "print a handler's value"), ("write", "call a write handler")):
        p = sub.add_parser(name, help=f"{what} through a running router's ControlSocket")
        p.add_argument("address", metavar="HOST:PORT|unix:PATH")
        p.add_argument("handler", metavar="[ELEMENT.]HANDLER")
        p.add_argument("args", nargs="*", metavar="ARG" if name == "read" else "VALUE")
        p.add_argument("--timeout", type=float, default=10.0, metavar="SEC")
    return top


def _load(ns):
    from clickpy.runtime.loader import load, split_defines
    words = [ns.file] if ns.file else []
    words += ns.defines
    words, defines = split_defines(words)
    file = ns.file_opt
    sources = len(words) + (file is not None) + (ns.expr is not None)
    if sources > 1:                 # Click's driver: a file and -e, two files, ...
        print(f"router configuration specified twice\n"
              f"Usage: clickpy {ns.command} [OPTION]... [ROUTERFILE]\n"
              f"Try 'clickpy {ns.command} --help' for more information.", file=sys.stderr)
        raise SystemExit(1)
    if words:
        file = words[0]
    if getattr(ns, "clickpath", None):
        os.environ["CLICKPATH"] = ns.clickpath
    loaded = load(file, ns.expr, defines, element_files=ns.load)
    if not getattr(ns, "no_warnings", False):
        loaded.errh.print_all(sys.stderr)
    return loaded


def _write(text: str | bytes, path: str | None):
    if path in (None, "-"):
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(path, mode) as f:
        f.write(text)


def cmd_check(ns) -> int:
    from clickpy.commands.check import check_configuration
    loaded = _load(ns)
    check_configuration(loaded, warnings=not ns.no_warnings)
    if ns.verbose:
        from clickpy.commands.describe import describe_runnability
        print(describe_runnability(loaded), file=sys.stderr)
    return 0


def cmd_flatten(ns) -> int:
    from clickpy.lang.unparse import unparse
    _write(unparse(_load(ns).graph), ns.output)
    return 0


def cmd_dot(ns) -> int:
    from clickpy.graph.dot import render, to_dot
    text = to_dot(_load(ns).graph)
    if ns.format == "dot":
        _write(text, ns.output)
    else:
        _write(render(text, ns.format), ns.output)
    return 0


def cmd_run(ns) -> int:
    from clickpy.commands.run import run_router
    try:
        loaded = _load(ns)
    except ClickError as e:
        if e.initializing:          # as Click's driver: not after syntax errors
            e.messages.append("Router could not be initialized!")
        raise
    return run_router(ns, loaded)


def cmd_elements(ns) -> int:
    from clickpy.commands.describe import element_list, element_manual
    if ns.name:
        text = element_manual(ns.name)
        if text is None:
            print(f"clickpy elements: no element class '{ns.name}'", file=sys.stderr)
            return 1
        print(text)
    else:
        print(element_list())
    return 0


def _control(ns, call) -> int:
    """Runs ``call(client)`` against ns.address; server errors exit 1."""
    from clickpy.control.client import ControlClient, ControlError
    try:
        with ControlClient(ns.address, timeout=ns.timeout) as client:
            return call(client)
    except ControlError as e:
        print(str(e), file=sys.stderr)
    except (OSError, ValueError) as e:
        print(f"clickpy {ns.command}: {ns.address}: {getattr(e, 'strerror', None) or e}",
              file=sys.stderr)
    return 1


def cmd_read(ns) -> int:
    def call(client):
        data = client.read_bytes(ns.handler, " ".join(ns.args))
        sys.stdout.buffer.write(data if not data or data.endswith(b"\n") else data + b"\n")
        return 0
    return _control(ns, call)


def cmd_write(ns) -> int:
    def call(client):
        reply = client.write(ns.handler, " ".join(ns.args))
        for line in reply.lines[1:]:
            print(line, file=sys.stderr)        # 220: the handler's warnings
        return 0
    return _control(ns, call)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # configuration text stands for bytes (UTF-8 read with surrogateescape):
    # what elements and handlers print goes out byte for byte, as Click's does
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    if argv[:1] == ["bench"]:           # its own options: hand over the rest as is
        from clickpy.commands.bench import main as bench_main
        return bench_main(argv[1:])
    argv = [f"--simtime-start={a.split('=', 1)[1]}" if a.startswith("--simtime=") else a
            for a in argv]
    if any(a.startswith("--simtime-start=") for a in argv):
        argv.append("--simtime")
    ns = _parser().parse_args(argv)
    if getattr(ns, "debug", False):
        os.environ["CLICKPY_DEBUG"] = "1"       # read by clickpy.errors.error_text
    handler = globals()[f"cmd_{ns.command}"]
    try:
        return handler(ns)
    except ClickError as e:
        for line in e.messages:
            print(line, file=sys.stderr)
        return 1
    except RuntimeError as e:       # e.g. Graphviz missing
        print(f"clickpy {ns.command}: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:       # interrupted before the driver took over SIGINT
        return 130


if __name__ == "__main__":
    sys.exit(main())
