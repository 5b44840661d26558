"""stats -- ``clickpy run --stats``: a live table of element counters, and a final one."""
from __future__ import annotations

import time

# handlers worth showing, in column order (Click's names)
COLUMNS = ("count", "byte_count", "drops", "length", "highwater_length")
REFRESH_S = 0.5


def counter_rows(router):
    """(element, class, {handler: value}) for elements that have any counter."""
    rows = []
    for e in router.elements:
        values = {}
        for h in COLUMNS:
            if router._handlers.find(e, h) is not None:
                try:
                    values[h] = router.read(f"{e.name}.{h}")
                except Exception:       # a handler that fails is shown as '-'
                    values[h] = "-"
        if values:
            rows.append((e.name, e.class_name, values))
    return rows


def render(router, elapsed_s: float):
    from rich.table import Table
    rows = counter_rows(router)
    columns = [h for h in COLUMNS if any(h in values for _, _, values in rows)]
    table = Table(title=f"clickpy: {elapsed_s:.2f} s")
    table.add_column("element", no_wrap=True)
    table.add_column("class", no_wrap=True)
    for h in columns:
        table.add_column(h, justify="right", no_wrap=True)
    table.add_column("packets/s", justify="right", no_wrap=True, min_width=12)
    for name, cls, values in rows:
        rate = "-"
        if "count" in values and elapsed_s > 0:
            try:
                rate = f"{int(values['count']) / elapsed_s:,.0f}"
            except ValueError:
                pass
        table.add_row(name, cls, *[values.get(h, "") for h in columns], rate)
    return table


def run_with_stats(router):
    """Runs the router, refreshing the table while it runs; prints the last one."""
    from rich.console import Console
    from rich.live import Live
    console = Console(stderr=True)
    if not console.is_terminal:
        console.width = max(console.width, 120)    # logs: no truncated columns
    with Live(render(router, 0.0), console=console, auto_refresh=False) as live:
        def refresh():
            live.update(render(router, time.perf_counter() - start), refresh=True)
            timer.schedule_after(REFRESH_S)
        timer = router.driver.new_timer(refresh, daemon=True)
        timer.schedule_after(REFRESH_S)
        start = time.perf_counter()
        try:
            router.run(cleanup=False)
        finally:
            live.update(render(router, time.perf_counter() - start), refresh=True)
