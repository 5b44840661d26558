"""tracefile -- a trace file's bytes, as Click's FromFile gives them to FromDump and
FromIPSummaryDump: regular files mapped, FIFOs and pipes read to their end,
gzip and bzip2 files uncompressed, standard input for '-'."""
from __future__ import annotations

import errno
import mmap
import os
import stat
import sys

__all__ = ["load_trace"]


def load_trace(filename: str):
    """The file's contents (bytes, or a read-only mmap for a plain file).

    Raises OSError("FILE: reason") when it cannot be read and
    ValueError("FILE: reason") when compressed data is corrupt.
    """
    if filename == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            fd = os.open(filename, os.O_RDONLY)
        except OSError as err:
            raise OSError(f"{filename}: {err.strerror}") from None
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise OSError(f"{filename}: {os.strerror(errno.EISDIR)}")
            if stat.S_ISREG(st.st_mode):        # mapped, not copied
                data = mmap.mmap(fd, st.st_size, access=mmap.ACCESS_READ) if st.st_size else b""
            else:                               # a FIFO, a pipe, a device: read it all
                data = _read_all(fd)
        finally:
            os.close(fd)
    return _uncompressed(data, filename)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _uncompressed(data, filename: str):
    """gzip and bzip2 contents uncompressed (Click's FromFile pipes them through
    gzip -dc and bzip2 -dc); anything else as it is."""
    if data[:2] == b"\x1f\x8b":
        import gzip
        decompress = gzip.decompress
    elif data[:3] == b"BZh":
        import bz2
        decompress = bz2.decompress
    else:
        return data
    try:
        return decompress(bytes(data))
    except (OSError, EOFError, ValueError) as err:
        raise ValueError(f"{filename}: {err}") from None
