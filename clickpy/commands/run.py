"""run -- ``clickpy run``: Click's userlevel driver (-h, -x, -q, -o, --simtime, -p, -u)."""
from __future__ import annotations

import sys

from clickpy.errors import ClickError, error_text
from clickpy.runtime.handlers import HandlerError


def run_router(ns, loaded) -> int:
    from clickpy.lang.unparse import unparse
    from clickpy.runtime import clock
    from clickpy.runtime.router import Router

    if ns.output:
        _write_text(unparse(loaded.graph), ns.output)
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
    router = Router(loaded.checked, loaded.registry, loaded.text)
    try:
        router.initialize()
    except ClickError as e:
        e.messages.append("Router could not be initialized!")
        raise
    if ns.port or ns.unix_socket:
        from clickpy.control.server import attach_control_sockets
        attach_control_sockets(router, tcp_port=ns.port, unix_path=ns.unix_socket)
    if ns.quit:
        router.cleanup()
    elif getattr(ns, "stats", False):
        from clickpy.commands.stats import run_with_stats
        run_with_stats(router)
    else:
        router.run(cleanup=False)
    try:
        status = 0
        if ns.handler:
            status = print_handlers(router, ns.handler)
        if ns.exit_handler:
            status = exit_status(router, ns.exit_handler)
    finally:
        router.cleanup()        # after -h, as Click's driver does
    return status


def _write_text(text, path):
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w") as f:
            f.write(text)


def print_handlers(router, patterns) -> int:
    """Click's -h output: one value alone; several each under ``name.handler:``."""
    names = []
    status = 0
    for pattern in patterns:
        expanded = router.expand_handler_pattern(pattern)
        if not expanded:
            print(f"no element matching '{pattern.rpartition('.')[0]}'", file=sys.stderr)
            status = 1
        names.extend(expanded)
    values = []
    for name in names:
        try:
            values.append((name, router.read(name)))
        except Exception as e:          # a handler may raise anything: no traceback
            print(f"{name}: {error_text(e, (HandlerError,))}", file=sys.stderr)
            status = 1
    if len(names) == 1 and values:
        text = values[0][1]
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    else:
        for name, text in values:
            body = text if text.endswith("\n") or not text else text + "\n"
            sys.stdout.write(f"{name}:\n{body}\n")
    return status


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
