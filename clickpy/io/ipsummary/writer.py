"""writer -- the '!' header lines that open a dump (ToIPSummaryDump)."""
from __future__ import annotations

import socket
import time

from clickpy.io.ipsummary.values import quote_payload
from clickpy.lang import confstring as cs

DUMP_BANNER = "!IPSummaryDump 1.3"


def header_lines(fields, banner: str | None = None, verbose: bool = False) -> list[str]:
    """The banner, '!creator "BANNER"', with ``verbose`` '!host' and '!runtime', then '!data'."""
    lines = [DUMP_BANNER]
    if banner is not None:
        lines.append("!creator " + quote_payload(cs.to_bytes(banner)))
    if verbose:
        now = time.time()
        lines.append("!host " + socket.gethostname())
        lines.append(f"!runtime {now:.6f} ({time.ctime(now)})")
    lines.append("!data " + " ".join(f.name for f in fields))
    return lines
