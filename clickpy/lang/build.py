"""build -- turns the syntax tree into compound bodies, resolving names in scope."""
from __future__ import annotations

import os
from collections.abc import Callable

from clickpy.errors import Coord, ErrorHandler
from clickpy.lang import ast
from clickpy.lang.scope import (
    COMPOUND,
    ERROR,
    PRIMITIVE,
    TUNNEL,
    TUNNEL_CLASS,
    Body,
    ElementClass,
)


class Builder:
    """Walks statements in order, as Click's lexer does while it parses.

    Class names are resolved where they are used (element classes are
    lexically scoped and nonrecursive); element names are resolved in the
    body being built. Errors are collected in ``errh``.
    """

    def __init__(self, is_primitive: Callable[[str], bool], errh: ErrorHandler,
                 load_elements: Callable[[str], object] | None = None):
        self.is_primitive = is_primitive
        self.errh = errh
        self.load_elements = load_elements      # require(library X.py): element classes
        self.classes: dict[str, ElementClass] = {}      # classes defined by the configuration
        self.requirements: list[tuple[str, str]] = []
        self.libraries: set[str] = set()
        self._primitives: dict[str, ElementClass] = {}
        self.coord_of: Callable[[int], Coord] = lambda offset: Coord("config")
        self.filename = "config"

    # -- classes ----------------------------------------------------------
    def lookup_class(self, name: str) -> ElementClass | None:
        cls = self.classes.get(name)
        if cls is not None:
            return cls
        cls = self._primitives.get(name)
        if cls is None and self.is_primitive(name):
            cls = self._primitives[name] = ElementClass(PRIMITIVE, name)
        return cls

    def force_class(self, name: str, coord: Coord, report: bool = True) -> ElementClass:
        cls = self.lookup_class(name)
        if cls is None:
            if report:
                self.errh.error(coord, f"unknown element class '{name}'")
            cls = self.classes[name] = ElementClass(ERROR, name)
        return cls

    def _class_ref(self, ref: ast.ClassRef, body: Body) -> ElementClass:
        if ref.compound is not None:
            return self._compound(ref.compound, body)
        return self.force_class(ref.name, self.coord_of(ref.offset))

    # -- files ------------------------------------------------------------
    def build_file(self, stmts: list, coord_of, filename: str, top: Body | None = None) -> Body:
        self.coord_of = coord_of
        self.filename = filename
        if top is None:
            top = Body("", Coord(filename), 0)
        self._statements(stmts, top)
        return top

    def _statements(self, stmts: list, body: Body):
        for stmt in stmts:
            if isinstance(stmt, ast.Connection):
                self._connection(stmt, body)
            elif isinstance(stmt, ast.ElementClassStmt):
                self._elementclass(stmt, body)
            elif isinstance(stmt, ast.DefineStmt):
                for var, value in stmt.items:
                    if var in body.defines:
                        self.errh.error(self.coord_of(stmt.offset),
                                        f"parameter '${var}' multiply defined")
                    else:
                        body.defines[var] = value
            elif isinstance(stmt, ast.RequireStmt):
                self._require(stmt, body)

    def _elementclass(self, stmt: ast.ElementClassStmt, body: Body):
        if stmt.compound is not None:
            self.classes[stmt.name] = self._compound(stmt.compound, body)
        else:
            target = self.force_class(stmt.synonym.name, self.coord_of(stmt.synonym.offset))
            self.classes[stmt.name] = target

    def _require(self, stmt: ast.RequireStmt, body: Body):
        for kind, value in stmt.items:
            if kind == "library":
                self._library(value, stmt, body)
            elif not stmt.provide:
                self.requirements.append((kind, value))

    def _library(self, value: str, stmt: ast.RequireStmt, body: Body):
        from clickpy.lang.parser import Parser
        coord = self.coord_of(stmt.offset)
        if body.depth:
            self.errh.error(coord, "'require library' must be used at file scope")
            return
        path = find_library(value, self.filename)
        if path is None:
            self.errh.error(coord, f"library '{value}' not found in CLICKPATH/conf")
            return
        if path in self.libraries:
            return
        self.libraries.add(path)
        if path.endswith((".py", ".pyx")):
            if self.load_elements is None:
                self.errh.error(coord, f"cannot load element library '{value}' here")
            else:
                self.load_elements(path)
            return
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
        saved = self.coord_of, self.filename
        parser = Parser(text, path, self.errh)
        self.build_file(parser.parse(), parser.lexer.coord, path, body)
        self.coord_of, self.filename = saved

    # -- compounds ----------------------------------------------------------
    def _compound(self, cdef: ast.CompoundDef, outer: Body) -> ElementClass:
        """Builds every overload; returns the class for the first one."""
        saved_classes = dict(self.classes)
        extension = None
        if cdef.extends:
            extension = self.lookup_class(cdef.name)
            if extension is None:
                coord = self.coord_of(cdef.offset)
                self.errh.error(coord, f"cannot extend unknown element class '{cdef.name}'")
                extension = ElementClass(ERROR, cdef.name)
        first = last = None
        for cbody in cdef.bodies:
            body = Body(cdef.name, self.coord_of(cbody.offset), outer.depth + 1)
            body.add_element("input", TUNNEL_CLASS, "", body.coord)
            body.add_element("output", TUNNEL_CLASS, "", body.coord)
            body.anonymous_offset = 2
            self._formals(cbody, body)
            self._statements(cbody.statements, body)
            self.classes = dict(saved_classes)      # classes defined inside stay inside
            self._finish_compound(body)
            cls = ElementClass(COMPOUND, cdef.name, body)
            if last is not None:
                last.overload = cls
            first = first or cls
            last = cls
        last.overload = extension
        return first

    def _formals(self, cbody: ast.CompoundBody, body: Body):
        order_error = False
        for keyword, var, offset in cbody.formals:
            coord = self.coord_of(offset)
            if var in body.defines:
                self.errh.error(coord, f"parameter '${var}' multiply defined")
                continue
            if keyword and any(k == keyword for k, _ in body.formals):
                self.errh.error(coord, f"repeated keyword parameter '{keyword}' "
                                "in compound element")
            if body.formals and not order_error:
                prev = body.formals[-1][0]
                if (not keyword and prev) or prev == "__REST__":
                    self.errh.error(coord, "compound element parameters out of order\n"
                                    "(The correct order is "
                                    "'[positional], [keywords], [__REST__]'.)")
                    order_error = True
            body.formals.append((keyword, var))
            body.defines[var] = keyword

    def _finish_compound(self, body: Body):
        printable = body.name or "<anonymous>"
        body.ninputs = self._check_pseudo(body, 0, False, printable, body.coord)
        body.noutputs = self._check_pseudo(body, 1, True, printable, body.coord)
        for i, name in enumerate(body.names):
            if name.startswith(";"):
                body.deanonymize(i)

    def _check_pseudo(self, body: Body, index: int, is_output: bool, printable: str,
                      coord: Coord) -> int:
        """Checks a compound's or group's 'input'/'output'; returns its port count."""
        kind, other = ("output", "input") if is_output else ("input", "output")
        nused = body.nin[index] if is_output else body.nout[index]
        wrong = body.nout[index] if is_output else body.nin[index]
        used = [False] * nused
        for f, fp, t, tp in body.connections:
            if is_output and t == index:
                used[tp] = True
            elif not is_output and f == index:
                used[fp] = True
        if wrong:
            self.errh.error(coord, f"'{printable}' pseudoelement '{kind}' "
                            f"may only be used as {other}")
        for port, ok in enumerate(used):
            if not ok:
                self.errh.error(coord, f"'{printable}' {kind} {port} missing")
        return nused

    # -- connections ----------------------------------------------------
    def _connection(self, conn: ast.Connection, body: Body):
        previous = None
        for n, refs in enumerate(conn.sets):
            lone = len(conn.sets) == 1
            current = self._element_set(refs, body, lone)
            if previous is not None:
                self._connect_all(previous, current, conn.connectors[n - 1], body,
                                  self.coord_of(refs[0].offset))
            previous = current

    def _element_set(self, refs: list[ast.ElementRef], body: Body, lone: bool):
        """Adds a comma-separated set; returns [(index, inports, outports)]."""
        # groups first: Click names a group when it opens, and the set's
        # other elements only once the whole set has been read
        group_ports = {}
        for k, ref in enumerate(refs):
            if ref.kind == "group":
                group_ports[k] = self._group(ref, body)
        if lone and len(refs) > 1:
            self._spread_declaration(refs)
        result = []
        for k, ref in enumerate(refs):
            inports = _port_list(ref.inports)
            outports = _port_list(ref.outports)
            if ref.kind == "group":
                index, nin, nout = group_ports[k]
                if not inports:
                    inports = list(range(nin))
                if not outports:
                    outports = list(range(nout))
            elif ref.kind == "implicit":
                index = body.element_map[ref.name]
            else:
                index = self._element(ref, body)
            result.append((index, inports, outports))
        return result

    def _spread_declaration(self, refs: list[ast.ElementRef]):
        """``a, b, c :: Class(config)`` declares all three the same way."""
        last = refs[-1]
        if any(r.kind != "name" or r.decl_class or r.config is not None or r.inports or r.outports
               for r in refs[:-1]):
            return
        for r in refs[:-1]:
            r.decl_class = last.decl_class
            r.config = last.config

    def _element(self, ref: ast.ElementRef, body: Body) -> int:
        coord = self.coord_of(ref.offset)
        if ref.kind == "compound":
            cls = self._compound(ref.compound, body)
        else:
            cls = self.lookup_class(ref.name)
        decl = self._class_ref(ref.decl_class, body) if ref.decl_class else None
        config = ref.config or ""
        existing = body.element_map.get(ref.name) if ref.kind == "name" else None
        if cls is None and existing is not None:
            if decl is not None:
                self.errh.error(coord, f"redeclaration of element '{ref.name}'")
                if body.classes[existing] is not TUNNEL_CLASS:
                    self.errh.error(body.coords[existing],
                                    f"element '{ref.name}' previously declared here")
            elif ref.config is not None:
                self.errh.error(coord, "configuration string ignored on element reference")
            return existing
        name = ref.name
        if decl is not None and cls is not None:
            self.errh.error(coord, f"class '{ref.name}' used as element name")
        elif decl is None and cls is None:
            self.errh.error(coord, f"undeclared element '{ref.name}'")
            cls = self.force_class(ref.name, coord, report=False)
        if cls is not None:     # anonymous: named after the class as written
            name = body.anonymous_name(ref.name)
        else:
            _check_name(name, coord, self.errh)
        return body.add_element(name, cls or decl, config, coord)

    def _group(self, ref: ast.ElementRef, body: Body) -> tuple[int, int, int]:
        name = body.anonymous_name("")
        index, gin, gout = add_tunnels(body, name, self.coord_of(ref.offset), self.errh)
        saved = body.element_map.get("input"), body.element_map.get("output")
        body.element_map["input"], body.element_map["output"] = gin, gout
        self._statements(ref.group, body)
        end = self.coord_of(ref.group_end)
        nin = self._check_pseudo(body, gin, False, "<anonymous group>", end)
        nout = self._check_pseudo(body, gout, True, "<anonymous group>", end)
        for pseudo, old in zip(("input", "output"), saved, strict=True):
            if old is None:
                del body.element_map[pseudo]
            else:
                body.element_map[pseudo] = old
        return index, nin, nout

    def _connect_all(self, outputs, inputs, connector: str, body: Body, coord: Coord):
        """Connects two sets (Click's rules for '->', '=>', lists and expansion)."""
        min_out, exp_out = _analyze(outputs, 2)
        min_in, exp_in = _analyze(inputs, 1)
        if exp_in + exp_out > 1:
            self.errh.error(coord, "at most one expandable port allowed per connection")
            if min_in < min_out:
                exp_in = 0
            else:
                exp_out = 0
        if connector == "=>":
            # a lone element with no ports may expand to match the other side
            if min_in == 1 and min_out > 1 and not inputs[0][1]:
                exp_in = 1
            if min_out == 1 and min_in > 1 and not outputs[0][2]:
                exp_out = 1
        step_in = min_in > 1 or bool(exp_in)
        step_out = min_out > 1 or bool(exp_out)
        extra_in = min_out - min_in if exp_in else 0
        extra_out = min_in - min_out if exp_out else 0
        if step_in and step_out:
            if connector != "=>":
                self.errh.error(coord, "syntax error: many-to-many connections require '=>'")
            if not exp_in and not exp_out and min_in != min_out:
                self.errh.error(coord, f"connection mismatch: {min_out} outputs connected "
                                f"to {min_in} inputs")
            elif not exp_in and min_in < min_out:
                self.errh.error(coord, f"connection mismatch: {min_out} or more outputs "
                                f"connected to {min_in} inputs")
            elif not exp_out and min_out < min_in:
                self.errh.error(coord, f"connection mismatch: {min_out} outputs connected "
                                f"to {min_in} or more inputs")
        elif not step_in and not step_out:
            step_in = True
        outs = _PortWalker(outputs, 2, step_out, extra_out)
        ins = _PortWalker(inputs, 1, step_in, extra_in)
        while not outs.done() and not ins.done():
            body.connect(outs.element(), outs.port(), ins.element(), ins.port())
            outs.advance()
            ins.advance()


class _PortWalker:
    """Steps through the (element, port) pairs one side of a connection offers."""

    def __init__(self, entries, side: int, step: bool, extra: int):
        self.entries = entries
        self.side = side        # 1: input ports, 2: output ports
        self.step = step
        self.extra = extra      # ports an expandable list may still add
        self.k = 0
        self.pos = 0
        self._port = None

    def done(self):
        return self.k >= len(self.entries)

    def element(self):
        return self.entries[self.k][0]

    def port(self):
        if self._port is None:
            ports = self.entries[self.k][self.side]
            self._port = ports[0] if ports else 0
        return self._port

    def advance(self):
        if not self.step:
            return
        ports = self.entries[self.k][self.side]
        n = len(ports)
        self.pos += 1
        if self.pos < n and ports[self.pos] >= 0:
            self._port = ports[self.pos]                      # port list
        elif n and ports[-1] == -1 and self.extra > 0:
            self._port = ports[-2] + self.pos - (n - 2)       # expandable port
            self.extra -= 1
        elif n == 0 and self.extra > 0:
            self._port = self.pos                             # missing port, expanded
            self.extra -= 1
        else:
            self._port = None
            self.pos = 0
            self.k += 1


def _analyze(entries, side: int) -> tuple[int, int]:
    """(minimum number of ports, number of expandable lists) on one side."""
    minimum = expandable = 0
    for entry in entries:
        ports = entry[side]
        n = len(ports)
        if n <= 1:
            minimum += 1
        elif ports[-1] == -1:
            minimum += n - 1
            expandable += 1
        else:
            minimum += n
    return minimum, expandable


def _port_list(ports: ast.Ports | None) -> list[int]:
    if ports is None:
        return []
    return ports.ports + [-1] if ports.expandable else list(ports.ports)


def _check_name(name: str, coord: Coord, errh: ErrorHandler):
    if any(part.isdigit() for part in name.split("/")):
        errh.error(coord, f"element name '{name}' has all-digit component")


def add_tunnels(body: Body, name: str, coord: Coord, errh: ErrorHandler) -> tuple[int, int, int]:
    """Adds the tunnel triple NAME, NAME/input, NAME/output (compounds, groups)."""
    indexes = []
    for n in (name, f"{name}/input", f"{name}/output"):
        index = body.add_element(n, TUNNEL_CLASS, "", coord)
        if body.classes[index] is not TUNNEL_CLASS and body.classes[index].kind != TUNNEL:
            errh.error(coord, f"redeclaration of element '{n}'")
            errh.error(body.coords[index], f"'{n}' previously declared here")
        indexes.append(index)
    return indexes[0], indexes[1], indexes[2]


def find_library(value: str, current_file: str) -> str | None:
    """Looks for a ``require(library ...)`` file beside the current one, then in CLICKPATH."""
    dirs = [os.path.dirname(current_file) or "."]
    for entry in os.environ.get("CLICKPATH", "").split(":"):
        if entry:
            dirs += [entry, os.path.join(entry, "conf")]
    for d in dirs:
        path = os.path.normpath(os.path.join(d, value))
        if os.path.isfile(path):
            return path
    return None
