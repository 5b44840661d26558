"""builder_errors -- Click's messages for compound ports nobody connects."""
from __future__ import annotations

from clickpy.errors import ErrorHandler
from clickpy.lang.scope import Body


def port_error(top: Body, errh: ErrorHandler, end: int, partner: int, port: int, is_out: bool):
    """Reports a tunnel end with nothing on the other side.

    ``end`` is the tunnel a connection reached, ``partner`` its other end.
    A connection into a compound's input that nothing inside uses means
    "has no input"; an input used inside but not connected outside means
    "input N unused" (likewise for outputs).
    """
    # the tunnel's entry side (where connections go in) and exit side
    entry, exit_ = (partner, end) if is_out else (end, partner)
    entry_name, exit_name = top.names[entry], top.names[exit_]
    if entry_name + "/input" == exit_name:
        what = "input {} unused" if is_out else "has no input {}"
        errh.error(top.coords[entry], f"'{entry_name}' " + what.format(port))
    elif entry_name == exit_name + "/output":
        what = "has no output {}" if is_out else "output {} unused"
        errh.error(top.coords[exit_], f"'{exit_name}' " + what.format(port))
    else:
        side = "input" if is_out else "output"
        errh.error(top.coords[partner],
                   f"tunnel '{entry_name} -> {exit_name}' {side} {port} unused")
