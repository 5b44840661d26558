"""expand -- flattens compound elements and tunnels into a flat Graph (Click's naming)."""
from __future__ import annotations

from collections import defaultdict

from clickpy.errors import Coord, ErrorHandler
from clickpy.graph.graph import Graph
from clickpy.lang.builder_errors import port_error
from clickpy.lang.confstring import assign_arguments, expand, split_args
from clickpy.lang.scope import (
    COMPOUND,
    ERROR,
    PRIMITIVE,
    TUNNEL,
    TUNNEL_CLASS,
    Body,
    ElementClass,
    Env,
    signature,
)


class Expander:
    """Expands every compound instance of the file body in place, then
    follows connections through tunnels to build the flat graph."""

    def __init__(self, top: Body, errh: ErrorHandler):
        self.top = top
        self.errh = errh
        self.compounds: dict[str, tuple[str, Coord]] = {}
        # tunnel element index -> (role, partner indexes); roles as in add_tunnels
        self.roles: dict[int, tuple[str, int, int]] = {}

    def run(self, overrides: dict[str, str], requirements) -> Graph:
        top = self.top
        env = Env(depth=0)
        env.vars.update(top.defines)
        env.vars.update(overrides)          # NAME=value on the command line wins
        self._register_tunnels(0, len(top.names))
        # depth first, as a recursion would go, but on a list: a chain of
        # thousands of element classes each using the last must not hit
        # Python's recursion limit
        work = [(i, env) for i in reversed(range(len(top.names)))]
        while work:
            i, ienv = work.pop()
            self._expand_element(i, ienv, work)
        return self._graph(requirements)

    # -- compounds ----------------------------------------------------------
    def _expand_element(self, i: int, env: Env, work: list):
        top = self.top
        if top.names[i].startswith(";"):
            top.deanonymize(i)
        cls = top.classes[i]
        if cls.kind == TUNNEL:
            return
        top.configs[i] = expand(top.configs[i], env.lookup)
        if cls.kind != COMPOUND:
            return
        args = split_args(top.configs[i])
        found, values = self._resolve(cls, top.nin[i], top.nout[i], args, top.coords[i])
        if found is None:
            top.classes[i] = ElementClass(ERROR, cls.name)
        elif found.kind != COMPOUND:
            top.classes[i] = found
        else:
            body = found.body
            new_env = Env(env.parent_of(body.depth), body.depth)
            for (_, var), value in zip(body.formals, values, strict=False):
                new_env.vars[var] = value
            formal_names = {var for _, var in body.formals}
            for var, value in body.defines.items():
                if var not in formal_names:
                    new_env.vars[var] = expand(value, new_env.lookup)
            self._expand_into(body, i, new_env, work)

    def _resolve(self, cls: ElementClass, ninputs: int, noutputs: int, args: list[str],
                 coord: Coord):
        """Picks the overload matching the ports used and the arguments."""
        closest = closest_values = None
        candidates = 0
        current = cls
        while current is not None and current.kind == COMPOUND:
            candidates += 1
            formals = [kw for kw, _ in current.body.formals]
            values = assign_arguments(args, formals)
            if values is not None:
                if current.body.ninputs == ninputs and current.body.noutputs == noutputs:
                    return current, values
                closest, closest_values = current, values
            current = current.overload
        if current is not None:         # an extension falls back to the class it extends
            return current, args
        if candidates != 1 or closest is None:
            wanted = signature(cls.name, "", len(args), ninputs, noutputs)
            self.errh.error(coord, f"no match for '{wanted}'")
            chain = cls
            first = True
            while chain is not None and chain.kind == COMPOUND:
                if first:
                    self.errh.message(chain.body.coord, "candidates are:")
                    first = False
                self.errh.message(chain.body.coord, f"  {chain.body.signature()}")
                chain = chain.overload
        return closest, closest_values

    def _expand_into(self, body: Body, which: int, env: Env, work: list):
        top = self.top
        ename = top.names[which]
        self.compounds[ename] = (body.name, top.coords[which])
        top.classes[which] = TUNNEL_CLASS
        outer, inner_in, inner_out = self._add_tunnels(ename, top.coords[which])
        index_map = [inner_in, inner_out]
        i = 2
        while i < len(body.names):
            cname = f"{ename}/{body.names[i]}"
            existing = top.element_map.get(cname)
            if existing is not None:
                self.errh.error(top.coords[which], f"redeclaration of element '{cname}'")
                self.errh.error(top.coords[existing], f"'{cname}' previously declared here")
                index_map.append(-1)
                i += 1
                continue
            if body.classes[i].kind == TUNNEL:      # a group's tunnel triple
                index_map.extend(self._add_tunnels(cname, body.coords[i]))
                i += 3
                continue
            config = expand(body.configs[i], env.lookup)
            index_map.append(top.add_element(cname, body.classes[i], config, body.coords[i]))
            i += 1
        for f, fp, t, tp in body.connections:
            if index_map[f] >= 0 and index_map[t] >= 0:
                top.connect(index_map[f], fp, index_map[t], tp)
        # the body's elements next, in order, before anything queued earlier
        work.extend((index_map[k], env) for k in reversed(range(2, len(index_map)))
                    if index_map[k] >= 0)

    def _add_tunnels(self, name: str, coord: Coord) -> tuple[int, int, int]:
        from clickpy.lang.build import add_tunnels
        start = len(self.top.names)
        indexes = add_tunnels(self.top, name, coord, self.errh)
        self._register_tunnels(start, len(self.top.names), indexes)
        return indexes

    def _register_tunnels(self, start: int, end: int, triple=None):
        """Records which tunnel is a compound's outside and which its inside."""
        top = self.top
        if triple is not None:
            outer, inner_in, inner_out = triple
            self.roles[outer] = ("outer", inner_in, inner_out)
            self.roles[inner_in] = ("inner_in", outer, outer)
            self.roles[inner_out] = ("inner_out", outer, outer)
            return
        for i in range(start, end):
            name = top.names[i]
            if top.classes[i].kind != TUNNEL or i in self.roles:
                continue
            inner_in = top.element_map.get(f"{name}/input")
            inner_out = top.element_map.get(f"{name}/output")
            if inner_in is not None and inner_out is not None:
                self._register_tunnels(0, 0, (i, inner_in, inner_out))

    # -- connections through tunnels ----------------------------------------
    def _graph(self, requirements) -> Graph:
        top = self.top
        graph = Graph(requirements=list(requirements), compounds=self.compounds)
        new_index = {}
        for i, name in enumerate(top.names):
            cls = top.classes[i]
            if cls.kind == TUNNEL:
                continue
            if name.startswith(";"):
                name = top.deanonymize(i)
            class_name = cls.name if cls.kind in (PRIMITIVE, ERROR) else cls.name or "<anonymous>"
            new_index[i] = graph.add_element(name, class_name, top.configs[i], top.coords[i])
        self._from = defaultdict(list)
        self._to = defaultdict(list)
        for f, fp, t, tp in top.connections:
            self._from[(f, fp)].append((t, tp))
            self._to[(t, tp)].append((f, fp))
        self._memo: dict[tuple[int, int, bool], list] = {}
        for f, fp, t, tp in top.connections:
            sources = self._real_ends(f, fp, True)
            sinks = self._real_ends(t, tp, False)
            for se, sp in sources:
                for te, tport in sinks:
                    graph.connect(new_index[se], sp, new_index[te], tport)
        return graph.finish()

    def _real_ends(self, e: int, port: int, is_out: bool) -> list[tuple[int, int]]:
        """The non-tunnel ports a connection end stands for.

        Walks tunnel to tunnel depth first on an explicit stack (compounds
        may nest thousands deep); each tunnel end's answer is memoized, and
        one met again while its own walk is open (a cycle) counts as empty.
        """
        top, memo = self.top, self._memo
        if top.classes[e].kind != TUNNEL:
            return [(e, port)]
        root = (e, port, is_out)
        stack = [(root, None)]          # (tunnel end, its next ends once looked up)
        while stack:
            key, ends = stack[-1]
            if ends is None:
                if key in memo:         # done, or open further down the stack
                    stack.pop()
                    continue
                memo[key] = []
                ends = self._tunnel_ends(*key)
                stack[-1] = (key, ends)
                stack.extend(((oe, op, is_out), None) for oe, op in reversed(ends)
                             if top.classes[oe].kind == TUNNEL)
                continue
            result = []
            for oe, op in ends:
                result.extend(memo[(oe, op, is_out)] if top.classes[oe].kind == TUNNEL
                              else [(oe, op)])
            memo[key] = result
            stack.pop()
        return memo[root]

    def _tunnel_ends(self, e: int, port: int, is_out: bool) -> list[tuple[int, int]]:
        """The connection ends one step through tunnel ``e``; reports misuse."""
        partner = self._partner(e, is_out)
        if partner is None:
            if e in self.roles:
                kind = "output" if is_out else "input"
                self.errh.error(self.top.coords[e], f"'{self.top.names[e]}' used as {kind}")
            return []
        ends = self._to[(partner, port)] if is_out else self._from[(partner, port)]
        if not ends:
            port_error(self.top, self.errh, e, partner, port, is_out)
        return ends

    def _partner(self, e: int, is_out: bool) -> int | None:
        role = self.roles.get(e)
        if role is None:
            return None
        kind, a, b = role
        if kind == "outer":
            return b if is_out else a
        if kind == "inner_in":
            return a if is_out else None
        return None if is_out else a
