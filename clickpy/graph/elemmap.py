"""elemmap -- finds element classes in elements/ by reading source, not importing it.

Click's click-mkelemmap harvests EXPORT_ELEMENT lines into a map; here a
class counts as an element when its body declares ``port_count``. The map
(class name -> module, ports, processing, flow, manual) lets a router
import, and an image pack, only the modules its configuration uses.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_CLASS = re.compile(r"^(?:cdef\s+)?class\s+(\w+)\s*(?:\([^)]*\))?\s*:", re.M)
_FIELD = re.compile(r'^\s+(port_count|processing|flow_code|class_name)\s*=\s*"([^"]*)"', re.M)
_DOC = re.compile(r'\A\s*(?:"""(.*?)"""|\'\'\'(.*?)\'\'\')', re.S)


def scan_source(text: str, module: str) -> list[dict]:
    """Element entries declared in one source file."""
    entries = []
    starts = [m for m in _CLASS.finditer(text)]
    for n, m in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        block = text[m.end():end]
        fields = dict(_FIELD.findall(block))
        if "port_count" not in fields:
            continue
        doc = _DOC.match(block)
        entries.append({
            "name": fields.get("class_name", m.group(1)),
            "python_name": m.group(1),
            "module": module,
            "port_count": fields["port_count"],
            "processing": fields.get("processing", "a/a"),
            "flow_code": fields.get("flow_code", "x/x"),
            "doc": _dedent(doc.group(1) or doc.group(2)) if doc else None,
        })
        entries[-1]["summary"] = summary_of(entries[-1]["doc"])
    return entries


def summary_of(doc: str | None) -> str:
    """The manual's one-line summary: the text under ``=s CATEGORY`` (Click's elementdoc)."""
    if not doc:
        return ""
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("=s"):
            rest = [x.strip() for x in lines[i + 1:]]
            text = []
            for x in rest:
                if not x or x.startswith("="):
                    break
                text.append(x)
            return " ".join(text)
    return ""


def _dedent(doc: str) -> str:
    import inspect
    return inspect.cleandoc(doc)


def scan(root: Path, package: str = "clickpy.elements") -> dict[str, dict]:
    """Every element class under ``root`` (the elements/ folder)."""
    found: dict[str, dict] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".pyx", ".py") or path.name.startswith("_"):
            continue
        rel = path.relative_to(root).with_suffix("")
        module = ".".join((package, *rel.parts))
        group = rel.parts[0] if len(rel.parts) > 1 else ""
        for entry in scan_source(path.read_text(encoding="utf-8"), module):
            entry["group"] = group
            entry["python"] = path.suffix == ".py"
            found[entry["name"]] = entry
    return found


def write_element_map(root: Path, out: Path):
    out.write_text(json.dumps(scan(root), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_element_map(root: Path) -> dict[str, dict]:
    """The generated map when it is there and fresh, else a scan of the sources."""
    out = root / "elementmap.json"
    if out.exists():
        newest = max((p.stat().st_mtime for p in root.rglob("*.py*")), default=0)
        if out.stat().st_mtime >= newest:
            return json.loads(out.read_text(encoding="utf-8"))
    return scan(root)


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "elements"
    write_element_map(root, root / "elementmap.json")
