"""bench -- ``clickpy bench``: forwarding throughput of the IP fast path against a plain C loop.

Scenarios, each at 64-byte and 1500-byte Ethernet/IPv4/UDP frames:

  a  source-sink   InfiniteSource(DATA frame, LIMIT N, BURST 64, STOP true) -> Discard
  b  forward       InfiniteSource(...) -> Counter -> Strip(14) -> CheckIPHeader
                     -> DecIPTTL -> Unstrip(14) -> Discard
  c  pcap          FromDump(N-packet pcap) -> Strip(14) -> CheckIPHeader
                     [-> IPClassifier(udp, -)] -> Unstrip(14) -> ToDump | Discard
                   (uses IPClassifier and ToDump when they are built; says which)
  ceiling          bench/ceiling.c: scenario b's per-packet work as one C
                   function (see that file), compiled with the system cc

Only ``router.run()`` is timed (configuration and the pcap file are made
first); each figure is the best of --repeat runs, interleaved, all in one
process, so the ratio to the ceiling compares like with like. Times are
the running thread's CPU time by default (``--clock cpu``), so that other
processes on a shared machine do not count; ``--clock wall`` measures
elapsed time instead, the same on an idle machine. Nothing here asserts
on time.
"""
from __future__ import annotations

import os

# numpy's OpenBLAS threads spin in the background (docs/architecture.md, "Measuring")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import shutil  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

SCENARIOS = ("a", "b", "c", "ceiling")
TITLES = {"a": "a: source -> sink", "b": "b: forward chain", "c": "c: pcap chain",
          "ceiling": "ceiling: plain C loop"}
SIZES = (64, 1500)
CEILING_C = Path(__file__).resolve().parents[2] / "bench" / "ceiling.c"

ETH_DST = bytes.fromhex("0000c0ae67ef")
ETH_SRC = bytes.fromhex("0000c04f71ef")
IP_SRC = bytes([10, 0, 0, 2])
IP_DST = bytes([10, 0, 1, 2])


class BenchError(Exception):
    """A scenario could not run (missing element, compiler, wrong counts)."""


# -- packets ------------------------------------------------------------------------

def forward_frame(size: int = 64) -> bytes:
    """An Ethernet/IPv4/UDP frame of ``size`` bytes (no FCS), checksums correct.

    At 64 bytes it is configs/forward.click's frame: TTL 64, 10.0.0.2 ->
    10.0.1.2, UDP 1234 -> 5678.
    """
    from clickpy.runtime.checksum import internet_checksum
    if size < 14 + 20 + 8:
        raise ValueError("frames need at least 42 bytes")
    payload_len = size - 42
    text = b"clickpy forward test!\n"
    payload = (text * (payload_len // len(text) + 1))[:payload_len]
    udp_len = 8 + payload_len
    pseudo = IP_SRC + IP_DST + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", 1234, 5678, udp_len, 0) + payload
    usum = internet_checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", usum) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0, IP_SRC, IP_DST)
    ip = ip[:10] + struct.pack("!H", internet_checksum(ip)) + ip[12:]
    return ETH_DST + ETH_SRC + b"\x08\x00" + ip + udp


def write_pcap(path: Path, frame: bytes, n: int) -> None:
    """A libpcap file (microsecond timestamps, Ethernet) of ``n`` copies of ``frame``."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        chunk = 4096
        written = 0
        while written < n:
            k = min(chunk, n - written)
            recs = bytearray()
            for i in range(written, written + k):
                recs += struct.pack("<IIII", 1_000_000 + i // 1_000_000, i % 1_000_000,
                                    len(frame), len(frame))
                recs += frame
            f.write(recs)
            written += k


def _hex(frame: bytes) -> str:
    return "\\<" + frame.hex() + ">"


# -- configurations ---------------------------------------------------------------

def _runnable(name: str) -> bool:
    from clickpy.graph.registry import default_registry
    try:
        return default_registry().element_class(name) is not None
    except ImportError:
        return False


def config_a(frame: bytes, n: int) -> str:
    return f"InfiniteSource(DATA {_hex(frame)}, LIMIT {n}, BURST 64, STOP true) -> d :: Discard;"


def config_b(frame: bytes, n: int) -> str:
    return (f"InfiniteSource(DATA {_hex(frame)}, LIMIT {n}, BURST 64, STOP true)\n"
            "  -> c :: Counter -> Strip(14) -> CheckIPHeader -> DecIPTTL -> Unstrip(14)"
            " -> d :: Discard;")


def config_c(pcap: Path, out: Path | None) -> tuple[str, str]:
    """Scenario c's configuration and a short description of the chain used."""
    if not _runnable("FromDump"):
        raise BenchError("FromDump is not built")
    for name in ("Strip", "Unstrip", "CheckIPHeader"):
        if not _runnable(name):
            raise BenchError(f"{name} is not built")
    classify = _runnable("IPClassifier")
    todump = _runnable("ToDump") and out is not None
    sink = f"d :: ToDump({out})" if todump else "d :: Discard"
    text = f"FromDump({pcap}, STOP true) -> Strip(14) -> CheckIPHeader"
    if classify:
        text += " -> cl :: IPClassifier(udp, -) -> Unstrip(14) -> " + sink + ";\ncl[1] -> Discard;"
    else:
        text += " -> Unstrip(14) -> " + sink + ";"
    desc = ("FromDump -> Strip -> CheckIPHeader" + (" -> IPClassifier" if classify else "")
            + " -> Unstrip -> " + ("ToDump" if todump else "Discard"))
    return text, desc


# -- running --------------------------------------------------------------------------

CPU_CLOCK = True       # time this thread's CPU time, not elapsed time


def now() -> float:
    """Seconds on the benchmark clock (see CPU_CLOCK)."""
    return time.thread_time() if CPU_CLOCK else time.perf_counter()


def time_router(text: str) -> tuple[float, object]:
    """Builds a router (not timed), runs it to the end (timed); (seconds, router)."""
    from clickpy.runtime import clock
    from clickpy.runtime.router import Router
    clock.use_simulated_time(False)
    router = Router.from_text(text, filename="bench.click")
    t0 = now()
    router.run()
    return now() - t0, router


_CEILING = None


def load_ceiling():
    """The compiled ceiling loop (ctypes function), built once per process."""
    global _CEILING
    if _CEILING is not None:
        return _CEILING
    if not CEILING_C.is_file():
        raise BenchError(f"{CEILING_C} not found")
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise BenchError("no C compiler (cc) to build the ceiling loop")
    tmp = Path(tempfile.mkdtemp(prefix="clickpy-ceiling-"))
    lib = tmp / "ceiling.so"
    r = subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(lib), str(CEILING_C)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"building the ceiling loop failed:\n{r.stderr}")
    dll = ctypes.CDLL(str(lib))
    fn = dll.ceiling_run
    fn.restype = ctypes.c_int64
    fn.argtypes = [ctypes.c_char_p, ctypes.c_uint32, ctypes.c_uint64,
                   ctypes.POINTER(ctypes.c_uint64), ctypes.c_int]
    _CEILING = (fn, dll, tmp)
    return _CEILING


def time_ceiling(frame: bytes, n: int) -> float:
    fn = load_ceiling()[0]
    out = (ctypes.c_uint64 * 3)()
    ns = fn(frame, len(frame), n, out, int(CPU_CLOCK))
    if ns < 0:
        raise BenchError("ceiling loop: out of memory")
    if (out[0], out[1], out[2]) != (n, n * len(frame), n):
        raise BenchError(f"ceiling loop forwarded {out[2]} of {n} packets")
    return ns / 1e9


@dataclass
class Result:
    scenario: str
    size: int
    packets: int
    seconds: float                  # best of the runs
    runs: list[float] = field(default_factory=list)
    note: str = ""
    ratio: float | None = None      # packets/s over the ceiling's, same size

    @property
    def pps(self) -> float:
        return self.packets / self.seconds if self.seconds > 0 else 0.0

    @property
    def gbps(self) -> float:
        return self.pps * self.size * 8 / 1e9


def _check_count(router, handler: str, want: int, scenario: str):
    got = int(router.read(handler))
    if got != want:
        raise BenchError(f"scenario {scenario}: {handler} is {got}, expected {want}")


def run_scenario(scenario: str, size: int, n: int, workdir: Path,
                 pcap_packets: int | None = None) -> tuple[float, int, str]:
    """One timed run: (seconds, packets, note)."""
    frame = forward_frame(size)
    if scenario == "ceiling":
        return time_ceiling(frame, n), n, ""
    if scenario == "a":
        secs, r = time_router(config_a(frame, n))
        _check_count(r, "d.count", n, scenario)
        return secs, n, ""
    if scenario == "b":
        secs, r = time_router(config_b(frame, n))
        _check_count(r, "c.count", n, scenario)
        _check_count(r, "d.count", n, scenario)
        return secs, n, ""
    if scenario == "c":
        m = pcap_packets or n
        pcap = workdir / f"forward-{size}-{m}.pcap"
        if not pcap.exists():
            write_pcap(pcap, frame, m)
        text, desc = config_c(pcap, workdir / "out.pcap")
        secs, r = time_router(text)
        if r.element("d").class_name == "Discard":
            _check_count(r, "d.count", m, scenario)
        return secs, m, desc
    raise BenchError(f"unknown scenario '{scenario}'")


def measure(scenarios=SCENARIOS, sizes=SIZES, n: int = 1_000_000, repeat: int = 5,
            pcap_packets: int | None = None, workdir: Path | None = None,
            progress=None) -> list[Result]:
    """Runs every scenario at every size ``repeat`` times; best times, ratios filled in.

    Runs are interleaved (a, b, c, ceiling, a, b, ...) so that whatever
    else the machine does slows every scenario alike.
    """
    own_dir = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="clickpy-bench-")) if own_dir else workdir
    results: list[Result] = []
    try:
        for size in sizes:
            by_sc: dict[str, Result] = {}
            for _ in range(repeat):
                for sc in scenarios:
                    res = by_sc.get(sc)
                    if res is not None and not res.packets:
                        continue                    # skipped once: skipped
                    try:
                        secs, packets, note = run_scenario(sc, size, n, workdir, pcap_packets)
                    except BenchError as e:
                        by_sc[sc] = Result(sc, size, 0, 0.0, note=f"skipped: {e}")
                        continue
                    if res is None:
                        res = by_sc[sc] = Result(sc, size, packets, secs, note=note)
                    res.runs.append(secs)
                    res.seconds = min(res.seconds, secs)
                    if progress:
                        progress(sc, size, secs, packets)
            results.extend(by_sc[sc] for sc in scenarios)
            if own_dir:
                for f in workdir.glob("*.pcap"):
                    f.unlink()
        for res in results:
            ceil = next((c for c in results if c.scenario == "ceiling" and c.size == res.size
                         and c.packets), None)
            if ceil is not None and res.packets:
                res.ratio = res.pps / ceil.pps
    finally:
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


# -- the command ------------------------------------------------------------------------

def _table(results: list[Result], n: int, repeat: int):
    from rich.table import Table
    clock = "CPU time" if CPU_CLOCK else "wall-clock time"
    t = Table(title=f"clickpy bench: best of {repeat} runs of {n:,} packets, one core, {clock}")
    for col in ("scenario", "frame", "packets/s", "Gbit/s", "vs ceiling"):
        t.add_column(col, justify="left" if col == "scenario" else "right")
    for r in results:
        if not r.packets:
            t.add_row(r.scenario, f"{r.size} B", "-", "-", "-")
            continue
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        t.add_row(r.scenario, f"{r.size} B", f"{r.pps:,.0f}", f"{r.gbps:.2f}", ratio)
    return t


def _legend(results: list[Result]) -> list[str]:
    """What each scenario ran (scenario c's chain depends on what is built)."""
    lines = []
    for sc in dict.fromkeys(r.scenario for r in results):
        notes = sorted({r.note for r in results if r.scenario == sc and r.note})
        if sc == "c" and any(r.packets for r in results if r.scenario == sc):
            m = max(r.packets for r in results if r.scenario == sc)
            notes = [f"{m:,}-packet pcap"] + notes
        lines.append(f"{TITLES[sc]}" + (f" ({'; '.join(notes)})" if notes else ""))
    return lines


def _parser():
    p = argparse.ArgumentParser(
        prog="clickpy bench",
        description="Throughput of the IPv4 forwarding fast path against a plain C loop.")
    p.add_argument("-n", "--packets", type=int, default=1_000_000, metavar="N",
                   help="packets per run (default 1000000)")
    p.add_argument("-r", "--repeat", type=int, default=5, metavar="R",
                   help="runs per scenario, interleaved; the best counts (default 5)")
    p.add_argument("-s", "--sizes", default="64,1500", metavar="B[,B...]",
                   help="frame sizes in bytes (default 64,1500)")
    p.add_argument("--scenarios", default=",".join(SCENARIOS), metavar="LIST",
                   help="of a, b, c, ceiling (default: all)")
    p.add_argument("--pcap-packets", type=int, default=None, metavar="N",
                   help="packets in scenario c's pcap file (default: --packets)")
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                   help="time CPU time of the running thread (default) or elapsed time")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    return p


def main(argv: list[str] | None = None) -> int:
    ns = _parser().parse_args(argv)
    try:
        sizes = [int(s) for s in ns.sizes.split(",") if s]
        if any(s < 42 or s > 1900 for s in sizes):
            raise ValueError
    except ValueError:
        print("clickpy bench: --sizes takes byte counts between 42 and 1900", file=sys.stderr)
        return 1
    scenarios = [s for s in ns.scenarios.split(",") if s]
    bad = [s for s in scenarios if s not in SCENARIOS]
    if bad or ns.packets <= 0 or ns.repeat <= 0:
        print(f"clickpy bench: bad scenario '{bad[0]}'" if bad else
              "clickpy bench: --packets and --repeat must be positive", file=sys.stderr)
        return 1
    global CPU_CLOCK
    CPU_CLOCK = ns.clock == "cpu"
    if "b" in scenarios and "ceiling" not in scenarios:
        scenarios.append("ceiling")

    from rich.console import Console
    console = Console(stderr=True)

    def progress(sc, size, secs, packets):
        if not ns.quiet:
            console.print(f"  {TITLES[sc]}, {size} B: {packets / secs:,.0f} packets/s",
                          highlight=False)

    try:
        results = measure(scenarios, sizes, ns.packets, ns.repeat, ns.pcap_packets,
                          progress=progress)
    except KeyboardInterrupt:
        return 130
    out = Console()
    out.print(_table(results, ns.packets, ns.repeat))
    for line in _legend(results):
        out.print(line, highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
