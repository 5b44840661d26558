"""lang -- front-end test helpers: a fixed class set, flat-graph views, error texts"""
from clickpy.errors import ClickError
from clickpy.lang import read_config

CLASSES = {"Idle", "Discard", "Counter", "Queue", "Paint", "Classifier", "Tee", "Print",
           "Shaper", "InfiniteSource", "Strip", "Unqueue", "Null", "PaintSwitch", "ToDump"}


def flat(text, defines=None, filename="t.click"):
    """Flattens ``text``: (elements as 'name :: Class(config)', sorted connection strings)."""
    g = read_config(text, filename, defines, CLASSES.__contains__)
    names = [e.name for e in g.elements]
    elems = [f"{e.name} :: {e.class_name}" + (f"({e.config})" if e.config else "")
             for e in g.elements]
    conns = [f"{names[c.from_element]} [{c.from_port}] -> [{c.to_port}] {names[c.to_element]}"
             for c in g.connections]
    return elems, sorted(conns)


def errors(text, defines=None, filename="t.click"):
    """The messages a bad configuration produces."""
    try:
        read_config(text, filename, defines, CLASSES.__contains__)
    except ClickError as e:
        return e.messages
    raise AssertionError("configuration unexpectedly accepted")
