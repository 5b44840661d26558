"""coord -- places in configuration text, printed as Click landmarks."""
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Coord:
    """A file and line (Click's "landmark"); prints as ``file:line``."""

    file: str
    line: int = 0

    def __str__(self):
        return f"{self.file}:{self.line}" if self.line else self.file


NO_COORD = Coord("<unknown>")
