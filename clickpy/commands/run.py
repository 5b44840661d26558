"""run -- ``clickpy run``: Click's userlevel driver (-h, -x, -q, -o, --simtime, -p, -u)."""
from __future__ import annotations

import os
import resource
import sys
import time

from clickpy.errors import ClickError, error_text
from clickpy.runtime.handlers import HandlerError, match_names


def run_router(ns, loaded) -> int:
    from clickpy.lang.unparse import unparse
    from clickpy.runtime import clock
    from clickpy.runtime.router import Router

    if ns.output:
        try:
            _write_text(unparse(loaded.graph), ns.output)
        except OSError as err:          # as Click's driver: said, and the run goes on
            print(f"{ns.output}: {err.strerror}", file=sys.stderr)
            output_failed = True
        else:
            output_failed = False
    if ns.simtime:
        start = None
        if ns.simtime_start:
            from clickpy.lang.values import parse_timestamp
            try:
                start = parse_timestamp(ns.simtime_start)
            except ValueError as e:
                raise ClickError(f"--simtime: {e}", None, [f"clickpy run: --simtime: {e}"]) \
                    from None
        clock.use_simulated_time(True, start)
    if ns.batch:
        from clickpy.runtime.element import set_batch_limit
        try:
            set_batch_limit(ns.batch)
        except ValueError as e:
            raise ClickError(str(e), None, [f"clickpy run: --batch: {e}"]) from None
    router = Router(loaded.checked, loaded.registry, loaded.text)
    try:
        router.initialize()
    except ClickError as e:
        e.messages.append("Router could not be initialized!")
        raise
    if ns.port or ns.unix_socket:
        from clickpy.control.server import attach_control_sockets
        attach_control_sockets(router, tcp_port=ns.port, unix_path=ns.unix_socket)
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    if ns.quit:
        pass                    # configured and initialized; -h reads, then cleanup
    elif getattr(ns, "stats", False):
        from clickpy.commands.stats import run_with_stats
        run_with_stats(router)
    else:
        router.run(cleanup=False)
    if ns.time:
        print(_times(before, resource.getrusage(resource.RUSAGE_SELF), time.monotonic() - started))
    try:
        status = 0
        if ns.handler:
            status = print_handlers(router, ns.handler)
        if ns.exit_handler:
            status = exit_status(router, ns.exit_handler)
    finally:
        router.cleanup()        # after -h, as Click's driver does
    # data was lost (a writer's full disk, -o or -h output that could not be
    # written): the run fails, where Click's driver exits 0
    if router.failures or (ns.output and output_failed):
        status = status or 1
    return status


def _out(text: str) -> bool:
    """Writes handler output to standard output; False, said once, when it
    could not be written (a full disk): the rest is not tried."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
        return True
    except OSError as err:
        print(f"standard output: {err.strerror}", file=sys.stderr)
        sys.stdout = open(os.devnull, "w")     # replaces standard output for good
        return False


def _times(before, after, wall: float) -> str:
    """-t: CPU times and elapsed time as Click prints them: "0.012u 0.004s 0:01.25"."""
    def ms(x: float) -> str:
        n = int(x * 1000 + 0.5)
        return f"{n // 1000}.{n % 1000:03d}"
    cs = int(wall * 100 + 0.5)
    return (f"{ms(after.ru_utime - before.ru_utime)}u {ms(after.ru_stime - before.ru_stime)}s"
            f" {cs // 6000}:{cs // 100 % 60:02d}.{cs % 100:02d}")


def _write_text(text, path):
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w") as f:
            f.write(text)


def print_handlers(router, patterns) -> int:
    """Click's -h: each ``[ELEMENT.]HANDLER`` read after the router stops.

    As Click's driver: the element part is an element name, else a glob over
    names or a class name, whose elements having the handler all print;
    values print alone when there is one, else each under ``name.handler:``
    and followed by a blank line. Returns 1 when any read failed.
    """
    status = 0
    several = len(patterns) > 1
    for pattern in patterns:
        ename, dot, hname = pattern.partition(".")      # the first dot, as Click
        if not dot:                     # a router-wide handler
            elements, named, hname = [None], several, ename
        else:
            elements = _handler_elements(router, ename, hname)
            if elements is None:
                globbed = any(c in ename for c in "?*[")
                print(f"no element {'matching ' if globbed else ''}'{ename}'", file=sys.stderr)
                status = 1
                continue
            named = several or router.element(ename) is None
        for e in elements:
            if not _print_handler(router, e, hname, named):
                status = 1
    return status


def _handler_elements(router, ename, hname):
    """The elements ``ename`` stands for (Click's expand_handler_elements):
    the element of that name; else those matching it as a glob or a class
    name that have a read handler ``hname``; None when nothing matches."""
    e = router.element(ename)
    if e is not None:
        return [e]
    if any(c in ename for c in "?*["):
        matches = [router.element(n) for n in match_names(ename, [x.name for x in router.elements])]
    else:
        matches = [x for x in router.elements if x.class_name == ename]
    if not matches:
        return None
    return [x for x in matches if (h := router.handler_of(x, hname)) and h.read]


def _print_handler(router, e, hname, named) -> bool:
    full = f"{e.name}.{hname}" if e is not None else hname
    h = router.handler_of(e, hname)
    if h is None:
        print(f"no '{full}' handler", file=sys.stderr)
        return False
    if h.read is None:
        print(f"'{full}' is a write handler", file=sys.stderr)
        return False
    try:
        text = router.read(full)
    except Exception as err:            # a handler may raise anything: no traceback
        print(f"{full}: {error_text(err, (HandlerError,))}", file=sys.stderr)
        return False
    if not h.raw and text and not text.endswith("\n"):
        text += "\n"
    return _out(f"{full}:\n{text}\n" if named else text)


def exit_status(router, name) -> int:
    """-x: the handler's value is the exit status (booleans: true is 0)."""
    try:
        text = router.read(name).strip()
    except Exception as e:
        print(f"{name}: {error_text(e, (HandlerError,))}", file=sys.stderr)
        return 1
    if text in ("true", "false"):
        return 0 if text == "true" else 1
    try:
        return int(text)
    except ValueError:
        return 1 if text else 0
