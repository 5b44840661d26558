"""command -- the clickpy command run as a user runs it, from the repository root"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLICKPY = (sys.executable, "-m", "clickpy")


def cli(*args, input: str | None = None, timeout: float = 120,
        **options) -> subprocess.CompletedProcess:
    """``python -m clickpy ARGS`` to its end (a hang fails after ``timeout`` s);
    stdout and stderr captured as text unless ``options`` (subprocess.run's)
    say otherwise."""
    kw = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    kw.update(options)
    return subprocess.run([*CLICKPY, *map(str, args)], input=input, timeout=timeout, **kw)


def cli_process(*args, **options) -> subprocess.Popen:
    """``python -m clickpy ARGS`` started in the background, pipes as text."""
    kw = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    kw.update(options)
    return subprocess.Popen([*CLICKPY, *map(str, args)], **kw)
