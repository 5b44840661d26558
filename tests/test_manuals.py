"""test_manuals -- every element's manual page matches its declarations (STYLE f)."""
import re

import pytest

from clickpy.graph.registry import default_registry

REQUIRED = ("c", "s", "d")


def runnable_specs():
    reg = default_registry()
    return [reg.get(n) for n in reg.names() if reg.get(n).runnable and not reg.get(n).python]


def sections(doc):
    """{'c': text, 'item': [...], 'h': [...], ...} from Click's =section format."""
    out = {}
    for m in re.finditer(r"^=(\w+)[ \t]*(.*?)(?=^=\w+|\Z)", doc, re.M | re.S):
        key, body = m.group(1), m.group(2).strip()
        if key in ("item", "h"):
            out.setdefault(key, []).append(body)
        else:
            out[key] = body
    return out


@pytest.mark.parametrize("spec", runnable_specs(), ids=lambda s: s.name)
def test_manual_sections_and_arguments(spec):
    cls = default_registry().element_class(spec.name)
    doc = spec.doc or ""
    sec = sections(doc)
    for key in REQUIRED:
        assert key in sec, f"{spec.name}: manual lacks ={key}"
    assert sec["c"].split("\n")[0].startswith(spec.name), f"{spec.name}: =c names another class"
    synopsis = sec["c"]
    items = {i.split()[0] for i in sec.get("item", []) if i.split()}
    for arg in getattr(cls, "ARGS", ()) or ():
        assert re.search(rf"\b{arg.name}\b", synopsis), f"{spec.name}: =c lacks {arg.name}"
        assert arg.name in items, f"{spec.name}: no =item for {arg.name}"
    # declarations in the class agree with what the registry scanned
    assert cls.port_count == spec.port_count and cls.processing == spec.processing
