"""script_engine -- the interpreter behind Script and DriverManager (control plane, Python).

A script is a list of instructions with a program counter. It advances in
"steps": ``pause`` and ``wait`` block until enough steps have been taken
(the ``step`` handler, a timer, or a driver stop request supplies them).
The step algorithm, the instruction set and the handler lookup rules
follow Click's Script (elements/standard/script.cc) and HandlerCall
(lib/handlercall.cc).
"""
from __future__ import annotations

import os
import signal
import sys

from clickpy.elements.standard.script_expr import (
    EXPRESSIONS,
    ScriptError,
    expand,
    parse_signal,
    shift_word,
    words,
)
from clickpy.lang import confstring as cs
from clickpy.lang import values
from clickpy.runtime.clock import now_nanoseconds
from clickpy.runtime.handlers import Handler, HandlerError

__all__ = ["ScriptEngine", "TYPES"]

TYPES = ("ACTIVE", "PASSIVE", "PACKET", "PROXY", "DRIVER", "SIGNAL")

# instruction codes; the negative ones double as goto targets (goto exit ...)
(I_INITIAL, I_WAIT_STEP, I_WAIT_TIME, I_PRINT, I_PRINTQ, I_PRINTN, I_PRINTNQ, I_READ,
 I_READQ, I_WRITE, I_WRITEQ, I_SET, I_SETQ, I_INIT, I_INITQ, I_EXPORT, I_EXPORTQ,
 I_LABEL, I_GOTO, I_RETURN, I_RETURNQ) = range(21)
I_EXIT, I_END, I_STOP, I_ERROR, I_ERRORQ = -1, -2, -3, -4, -5

_INSNS = {
    "print": I_PRINT, "printq": I_PRINTQ, "printn": I_PRINTN, "printnq": I_PRINTNQ,
    "read": I_READ, "readq": I_READQ, "write": I_WRITE, "writeq": I_WRITEQ,
    "set": I_SET, "setq": I_SETQ, "init": I_INIT, "initq": I_INITQ,
    "export": I_EXPORT, "exportq": I_EXPORTQ, "label": I_LABEL, "goto": I_GOTO,
    "return": I_RETURN, "returnq": I_RETURNQ, "pause": I_WAIT_STEP,
    "wait_step": I_WAIT_STEP, "wait_stop": I_WAIT_STEP, "wait_for": I_WAIT_TIME,
    "wait_time": I_WAIT_TIME, "exit": I_EXIT, "end": I_END, "stop": I_STOP,
    "error": I_ERROR, "errorq": I_ERRORQ,
    # pseudo-instructions, rewritten at configure time
    "wait": "wait", "loop": "loop", "save": "save", "append": "append",
}
_LABEL_INSNS = {"exit": I_EXIT, "end": I_END, "stop": I_STOP, "error": I_ERROR,
                "errorq": I_ERRORQ}
_VAR_INSNS = (I_SET, I_SETQ, I_INIT, I_INITQ, I_EXPORT, I_EXPORTQ, I_RETURN, I_RETURNQ)
_UNQUOTED = (I_PRINTQ, I_PRINTNQ, I_READQ, I_WRITEQ, I_SETQ, I_INITQ, I_EXPORTQ,
             I_RETURNQ, I_ERRORQ)

MAX_JUMPS = 1000                # gotos without blocking before a script is disabled
STEP_NORMAL, STEP_ROUTER, STEP_TIMER, STEP_JUMP = range(4)
EINVAL = 22


class _Errors:
    """Where a step's errors go: stderr under a "While executing" line, or
    collected for a handler call to report."""

    def __init__(self, context: str, collect: bool = False):
        self.context = context
        self.collect = collect
        self.lines: list[str] = []
        self.count = 0
        self._context_said = False

    def error(self, msg: str, within: str | None = None):
        self.count += 1
        lines = msg.splitlines() or [""]
        if within:
            lines = [within] + ["  " + line for line in lines]
        if self.collect:
            self.lines.extend(lines)
        else:
            self._emit(lines)

    def _emit(self, lines):
        out = []
        if not self._context_said:
            out.append(self.context)
            self._context_said = True
        out.extend("  " + line for line in lines)
        _write_err("\n".join(out) + "\n")

    def flush(self):
        """Prints collected errors (a handler call that did not fail)."""
        if self.lines:
            self._emit(self.lines)
            self.lines = []


def _write_err(text: str):
    sys.stderr.write(text)
    sys.stderr.flush()


def _write_out(text: str, f=None):
    """Writes text byte for byte, as configuration text stands for bytes."""
    data = cs.to_bytes(text)
    if f is not None:
        f.write(data)
        return
    sys.stdout.flush()
    buf = getattr(sys.stdout, "buffer", None)
    if buf is not None:
        buf.write(data)
        buf.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


class _Insn:
    """One instruction: code, integer argument (variable, goto target, pause
    count), per-run counter (pause), text."""
    __slots__ = ("op", "arg", "count", "text")

    def __init__(self, op, arg=0, text=""):
        self.op = op
        self.arg = arg
        self.count = 0
        self.text = text


class _ProxyTable(dict):
    """A PROXY script's handler table: any unknown name becomes a handler that runs the script."""

    def __init__(self, engine, existing):
        super().__init__(existing)
        self._engine = engine

    def get(self, name, default=None):
        h = super().get(name)
        if h is None and isinstance(name, str) and name:
            h = self._engine._proxy_handler(name)
            self[name] = h
        return h if h is not None else default


class ScriptEngine:
    """Instructions, variables and program counter of one Script element."""

    def __init__(self, element, args: list[str], default_type: str = "ACTIVE"):
        self.element = element
        self.router = element.router
        self.insns: list[_Insn] = []
        self.vars: dict[str, str] = {}
        self.exports: list[str] = []
        self.type = default_type
        self.signos: list[int] = []
        self.pos = 0
        self.step_count = 0
        self.write_status = 0
        self.run_args = ""
        self.run_name = ""
        self.run_write = False
        self.timer = None
        self._cur_steps = None          # [n] while the step handler runs (re-entry adds steps)
        self._stepping = False
        self._pending_init = []         # init/export instructions not evaluated yet
        self._old_signals: dict[int, object] = {}
        self._signal_timer = None
        self._signals_armed = False
        self._configure(args)

    # -- configuration -------------------------------------------------------
    def _configure(self, args):
        errors = []
        insn_args = []
        type_text = None
        for a in args:
            kw, value = cs.split_keyword(a)
            if kw == "TYPE":
                type_text = value
            else:
                insn_args.append(a)
        if type_text is not None:
            self._parse_type(type_text)
        elif self.type == "ACTIVE" and self.element.ninputs:
            self.type = "PACKET"        # a Script with ports handles packets
        e = self.element
        if self.type == "PACKET" and e.ninputs == 0:
            raise ValueError("PACKET script must have inputs")
        if self.type != "PACKET" and (e.ninputs or e.noutputs):
            raise ValueError("ports allowed only on PACKET scripts")
        if self.type == "DRIVER":
            driver = self.router.driver
            if driver.stop_hook is not None:
                raise ValueError("router has more than one driver script")
            driver.stop_hook = self._on_driver_stop

        for a in insn_args:
            name, rest = shift_word(a)
            if not name:
                continue                # an empty instruction is harmless
            op = _INSNS.get(name)
            if op is None or not self._add(op, rest):
                errors.append(f"syntax error at '{name}'")
        for insn in self.insns:
            if insn.op == I_GOTO and insn.text:
                label, insn.text = shift_word(insn.text)
                insn.arg = self._find_label(label)
                if insn.arg >= len(self.insns):
                    errors.append(f"no such label '{label}'")
        if not self.insns and self.type == "DRIVER":
            self._append(_Insn(I_WAIT_STEP, 1))
        self._append(_Insn(I_STOP if self.type == "DRIVER" else I_END))
        if errors:
            if self.type == "DRIVER" and self.router.driver.stop_hook == self._on_driver_stop:
                self.router.driver.stop_hook = None
            raise ValueError("\n".join(errors))

    def _parse_type(self, text):
        word, rest = shift_word(text)
        if word == "PUSH":
            word = "PACKET"
        if word == "SIGNAL":
            for w in words(rest):
                signo = parse_signal(w)
                if signo is None:
                    raise ValueError("bad signal number")
                self.signos.append(signo)
            if not self.signos:
                raise ValueError("bad signal number")
        elif word not in TYPES or rest:
            raise ValueError("bad TYPE")
        self.type = word

    def _append(self, insn):
        # the first instruction must be able to block, so the script can start
        if not self.insns and insn.op not in (I_INITIAL, I_WAIT_STEP, I_WAIT_TIME):
            self.insns.append(_Insn(I_INITIAL))
        self.insns.append(insn)

    def _add(self, op, rest) -> bool:
        """Adds one instruction; False on a syntax error."""
        if op == "wait":
            op = I_WAIT_TIME if rest else I_WAIT_STEP
        elif op == "loop":
            op = I_GOTO
            if rest:
                return False
        elif op in ("save", "append"):
            # save TEXT [FILE] is print >FILE TEXT (append: >>FILE)
            text, file = shift_word(rest)
            rest = (">" if op == "save" else ">>") + (file or "-") + " " + text
            op = I_PRINT
        if op == I_WAIT_STEP:
            n = 1
            if rest:
                try:
                    n = values.parse_unsigned(rest)
                except ValueError:
                    return False
            self._append(_Insn(I_WAIT_STEP, n))
        elif op == I_WAIT_TIME:
            if "$" not in rest:
                try:
                    values.parse_timestamp(rest)
                except ValueError:
                    return False
            self._append(_Insn(I_WAIT_TIME, 0, rest))
        elif op in _VAR_INSNS:
            if op in (I_RETURN, I_RETURNQ):
                rest = "_ " + rest
            var, text = shift_word(rest)
            if not var or (op in (I_SET, I_SETQ) and not text):
                return False
            self.vars.setdefault(var, "")
            if op in (I_EXPORT, I_EXPORTQ) and var not in self.exports:
                self.exports.append(var)
            self._append(_Insn(op, var, text))
        elif op == I_LABEL:
            label, extra = shift_word(rest)
            if not label or extra:
                return False
            self._append(_Insn(op, 0, label))
        elif op in (I_END, I_EXIT, I_STOP):
            if rest:
                return False
            self._append(_Insn(op))
        else:                           # print*, read*, write*, goto, error*
            self._append(_Insn(op, 0, rest))
        return True

    def _find_label(self, label: str) -> int:
        for i, insn in enumerate(self.insns):
            if insn.op == I_LABEL and insn.text == label:
                return i
        if label in _LABEL_INSNS:
            return _LABEL_INSNS[label]
        if label in ("begin", "loop"):
            return 0
        return len(self.insns)

    # -- life cycle ----------------------------------------------------------
    def initialize(self):
        self.pos = 0
        self.step_count = 0
        driver = self.router.driver
        self.timer = driver.new_timer(self._on_timer)
        errs = _Errors(self._context())
        # clickpy registers handlers after initialization (Click: before), so an
        # initial value that calls handlers is computed when the script is first used
        self._pending_init = [insn for insn in self.insns
                              if insn.op in (I_INIT, I_INITQ, I_EXPORT, I_EXPORTQ)]
        if self.router._handlers.find(self.element, "add") is not None \
                or not any("$(" in insn.text for insn in self._pending_init):
            self._run_init(errs)
        first = self.insns[0]
        if self.type in ("SIGNAL", "PASSIVE", "PACKET", "PROXY"):
            pass
        elif first.op == I_WAIT_TIME:
            ns = self._wait_ns(first.text, errs)
            if ns is None:
                raise ValueError("syntax error at 'wait'")
            self.timer.schedule_after_ns(ns)
        elif first.op == I_INITIAL:
            if self.type == "DRIVER":
                driver.adjust_runcount(-1)      # the driver calls us at once
            else:
                self.timer.schedule_now()
            first.arg = 1
        if self.type == "SIGNAL":
            # install from inside the driver loop, after the driver's own handlers
            self._signal_timer = driver.new_timer(self._arm_signals)
            self._signal_timer.schedule_now()

    def _run_init(self, errs=None):
        """Gives init and export variables their values (once)."""
        pending, self._pending_init = self._pending_init, []
        if pending and errs is None:
            errs = _Errors(self._context())
        for insn in pending:
            text = expand(insn.text, self._lookup_for(errs))
            self.vars[insn.arg] = cs.unquote(text) if insn.op in _UNQUOTED else text

    def cleanup(self):
        if self.timer is not None:
            self.timer.unschedule()
        self._disarm_signals()
        driver = self.router.driver if self.router is not None else None
        if driver is not None and driver.stop_hook == self._on_driver_stop:
            driver.stop_hook = None

    def add_handlers(self):
        e = self.element
        e.add_write_handler("step", lambda v: self._step_handler("step", v), button=True)
        e.add_write_handler("goto", lambda v: self._step_handler("goto", v))
        e.add_read_handler("run", lambda p: self._run_handler("run", p, False), param=True)
        e.add_write_handler("run", lambda v: self._run_handler("run", v, True))
        for name, fn in EXPRESSIONS.items():
            e.add_read_handler(name, self._expression(fn), param=True)
        e.add_read_handler("now", lambda: values.format_timestamp(now_nanoseconds()))
        e.add_read_handler("readable", lambda p: self._able(p, False), param=True)
        e.add_read_handler("writable", lambda p: self._able(p, True), param=True)
        e.add_read_handler("get", lambda p: self._var_handler("get", p), param=True)
        e.add_write_handler("set", lambda v: self._var_handler("set", v))
        e.add_read_handler("shift", lambda p: self._var_handler("shift", p), param=True)
        for var in self.exports:
            e.add_read_handler(var, lambda var=var: self._var_handler("get", var))
        if self.type == "PROXY":
            table = self.router._handlers
            table._by_element[e] = _ProxyTable(self, table._by_element.get(e, {}))

    @staticmethod
    def _expression(fn):
        def read(param):
            try:
                return fn(param)
            except ScriptError as err:
                raise HandlerError(str(err)) from None
        return read

    # -- names and handlers --------------------------------------------------
    def _context(self) -> str:
        return f"While executing '{self.element.name} :: {self.element.class_name}':"

    def _find_element(self, ename: str):
        """ename relative to this element's compound: a/b/s finds a/b/x, a/x, x."""
        prefix = self.element.name
        while True:
            slash = prefix.rfind("/")
            if slash < 0:
                break
            prefix = prefix[:slash]
            e = self.router.element(prefix + "/" + ename)
            if e is not None:
                return e
        return self.router.element(ename)

    def _handler(self, desc: str, write: bool, unquote: bool):
        """Parses "[ELEMENT.]HANDLER [VALUE]": (element or None, handler, value, name).

        Without an element name a handler of this script comes first, then a
        global one (Click's local handler references)."""
        word, value = shift_word(desc)
        if unquote:
            value = cs.unquote(value)
        table = self.router._handlers
        ename, dot, hname = word.rpartition(".")
        if not word or (dot and not hname):
            raise ScriptError(f"bad handler name '{word}'")
        if dot:
            e = self._find_element(ename)
            if e is None:
                raise ScriptError(f"no element named '{ename}'")
        else:
            e = self.element if table.find(self.element, hname) is not None else None
        full = f"{e.name}.{hname}" if e is not None else hname
        h = table.find(e, hname)
        if write:
            if h is None or h.write is None:
                raise ScriptError(f"no '{full}' write handler")
        else:
            if h is None or h.read is None:
                raise ScriptError(f"no '{full}' read handler")
            if value and not h.read_param:
                raise ScriptError(f"read handler '{full}' does not take parameters")
        return e, hname, value, full

    def _call_read(self, desc: str, errs: _Errors, unquote: bool = False):
        """Reads a handler: (name, text), or None after reporting an error."""
        try:
            e, hname, value, full = self._handler(desc, False, unquote)
        except ScriptError as err:
            errs.error(str(err))
            return None
        try:
            return full, self.router._handlers.read(e, hname, value or None)
        except Exception as err:        # a handler's failure is the script's error
            errs.error(str(err) or type(err).__name__,
                       f"While calling '{full}{' ' + value if value else ''}':")
            return full, ""

    def _call_write(self, desc: str, errs: _Errors, unquote: bool) -> int:
        try:
            e, hname, value, full = self._handler(desc, True, unquote)
        except ScriptError as err:
            errs.error(str(err))
            return -EINVAL
        try:
            self.router._handlers.write(e, hname, value)
        except Exception as err:
            errs.error(str(err) or type(err).__name__,
                       f"While calling '{full}{' ' + value if value else ''}':")
            return -EINVAL
        return 0

    def _lookup_for(self, errs: _Errors):
        def lookup(name: str, kind: str):
            if name in self.vars:
                return self.vars[name]
            if name == "?":
                return str(self.write_status)
            if name == "args":
                return self.run_args
            if name == "$":
                return str(os.getpid())
            if name == "0":
                return self.run_name
            if name[:1] in "123456789" and name.isdigit():
                ws = words(self.run_args)
                k = int(name)
                return ws[k - 1] if k <= len(ws) else ""
            if name == "#":
                return str(len(words(self.run_args)))
            if name == "write":
                return values.format_bool(self.run_write)
            if kind == "(":
                result = self._call_read(name, errs)
                return None if result is None else result[1]
            return None
        return lookup

    def _wait_ns(self, text: str, errs: _Errors):
        try:
            return values.parse_timestamp(expand(text, self._lookup_for(errs)))
        except ValueError:
            return None

    # -- the interpreter -------------------------------------------------------
    def step(self, nsteps: int, step_type: int, njumps: int, errs: _Errors) -> int:
        """Runs instructions until the script blocks or ends, taking up to
        nsteps steps; returns the jump count so far plus one (Click's step)."""
        if self._pending_init:
            self._run_init(errs)
        lookup = self._lookup_for(errs)
        insns = self.insns
        target = self.step_count + nsteps
        self._stepping = True
        try:
            while target >= self.step_count and self.pos < len(insns) and njumps < MAX_JUMPS:
                ipos = self.pos
                self.pos += 1
                insn = insns[ipos]
                op = insn.op
                if op == I_STOP:
                    self.step_count += 1
                    self.pos -= 1
                    if step_type != STEP_ROUTER:
                        self.router.driver.please_stop()
                    return njumps + 1
                if op in (I_END, I_EXIT):
                    self.pos -= 1
                    return njumps + 1
                if op in (I_ERROR, I_ERRORQ):
                    msg = expand(insn.text, lookup)
                    if op == I_ERRORQ:
                        msg = cs.unquote(msg)
                    if msg:
                        errs.error(msg)
                    self.pos -= 1
                    return njumps + 1
                if op == I_WAIT_STEP:
                    while self.step_count < target and insn.count < insn.arg:
                        insn.count += 1
                        self.step_count += 1
                    if self.step_count == target and insn.count < insn.arg:
                        self.pos -= 1
                        break
                elif op == I_WAIT_TIME:
                    if self.step_count == target:
                        ns = self._wait_ns(insn.text, errs)
                        if ns is None:
                            errs.error("syntax error at 'wait'")
                        else:
                            self.timer.schedule_after_ns(ns)
                            self.pos -= 1
                        break
                    self.step_count += 1
                    self.timer.unschedule()
                elif op == I_INITIAL:
                    if insn.arg:
                        self.step_count += 1
                        insn.arg = 0
                elif op in (I_PRINT, I_PRINTQ, I_PRINTN, I_PRINTNQ):
                    self._print(insn, lookup, errs)
                elif op in (I_READ, I_READQ):
                    result = self._call_read(expand(insn.text, lookup), errs, op == I_READQ)
                    if result is not None:
                        _write_err(f"{result[0]}:\n{result[1]}\n")
                elif op in (I_WRITE, I_WRITEQ):
                    self.write_status = self._call_write(expand(insn.text, lookup), errs,
                                                         op == I_WRITEQ)
                elif op in (I_SET, I_SETQ, I_RETURN, I_RETURNQ):
                    text = expand(insn.text, lookup)
                    self.vars[insn.arg] = cs.unquote(text) if op in _UNQUOTED else text
                    if op in (I_RETURN, I_RETURNQ) and self.pos == ipos + 1:
                        self.pos -= 1
                        break
                elif op == I_GOTO:
                    cond_text = expand(insn.text, lookup)
                    cond = True
                    if cond_text:
                        try:
                            cond = values.parse_bool(cond_text)
                        except ValueError:
                            errs.error(f"bad condition '{cond_text}'")
                            cond = False
                    if cond:
                        if insn.arg < 0:        # goto exit/end/stop/error
                            self.pos -= 1
                            if insn.arg == I_STOP and step_type != STEP_ROUTER:
                                self.router.driver.please_stop()
                            return njumps + 1
                        for i in range(insn.arg, ipos):
                            if insns[i].op == I_WAIT_STEP:
                                insns[i].count = 0
                        self.pos = insn.arg
                # labels, init and export do nothing when reached
                if self.pos != ipos + 1:
                    njumps += 1
            if njumps >= MAX_JUMPS:
                _write_err(f"{self.element.name} :: {self.element.class_name}: "
                           "too many jumps, giving up\n")
                self.pos = len(insns)
                self.timer.unschedule()
            if step_type == STEP_ROUTER:
                self.router.driver.adjust_runcount(1)
            return njumps + 1
        finally:
            self._stepping = False

    def _print(self, insn, lookup, errs):
        text = insn.text
        f = None
        if text.startswith(">"):
            append = text.startswith(">>")
            filename, text = shift_word(text[2 if append else 1:])
            if filename and filename != "-":
                try:
                    f = open(filename, "ab" if append else "wb")
                except OSError as err:
                    errs.error(f"{filename}: {err.strerror}")
                    return
        try:
            before = errs.count
            if text and (text[0].isalpha() or text[0] in "@_"):
                result = self._call_read(expand(text, lookup), errs,
                                         insn.op in (I_PRINTQ, I_PRINTNQ))
                result = "" if result is None else result[1]
            else:
                result = cs.unquote(expand(text, lookup, quote_values=True))
            if errs.count == before and not result.endswith("\n") \
                    and insn.op in (I_PRINT, I_PRINTQ):
                result += "\n"
            _write_out(result, f)
        finally:
            if f is not None:
                f.close()

    def complete(self):
        """After a step: (status, value). status is -1 after error, 1 after
        stop, else 0; value is return's value (PACKET scripts: "0" at end)."""
        last = None
        if 0 <= self.pos < len(self.insns):
            insn = self.insns[self.pos]
            last = insn.op
            if last == I_GOTO and insn.arg < 0:
                last = insn.arg
        if last == I_END and self.type == "SIGNAL":
            self._arm_signals()
        value = ""
        if last in (I_RETURN, I_RETURNQ):
            value = self.vars.get("_", "")
        elif last == I_END and self.type == "PACKET":
            value = "0"
        if last in (I_ERROR, I_ERRORQ):
            return -1, value
        return (1 if last == I_STOP else 0), value

    def _steps(self, nsteps, step_type, errs):
        """Runs steps; steps requested meanwhile (the script writing its own
        step handler) are added rather than run recursively."""
        if self._cur_steps is None:
            cur = self._cur_steps = [nsteps]
            njumps = 0
            try:
                while cur[0] >= 0:
                    n = cur[0]
                    cur[0] = -1
                    njumps = self.step(n, step_type, njumps, errs)
                    step_type = STEP_NORMAL
            finally:
                self._cur_steps = None
            return True
        return False

    # -- entry points ------------------------------------------------------------
    def _on_timer(self):
        errs = _Errors(self._context())
        try:
            self.step(1, STEP_TIMER, 0, errs)
            self.complete()
        except Exception as err:        # never let a script bug stop the driver loop
            errs.error(f"internal error: {type(err).__name__}: {err}")

    def _on_driver_stop(self) -> bool:
        """The driver's stop hook: one stop request steps the script once.

        True when the script consumed it (it blocked again and gave the
        runcount back); False when it ran to its end, so the router stops.
        """
        errs = _Errors(self._context())
        before = self.router.driver.runcount
        try:
            self._step_request(STEP_ROUTER, 1, errs)
            self.complete()
        except Exception as err:
            errs.error(f"internal error: {type(err).__name__}: {err}")
            return False
        return self.router.driver.runcount > before

    def _step_request(self, step_type, nsteps, errs):
        if not self._steps(nsteps, step_type, errs):
            self._cur_steps[0] += nsteps

    def _step_handler(self, what: str, value: str):
        """The step and goto write handlers."""
        self.run_name = what
        self.run_args = ""
        self.run_write = True
        errs = _Errors(self._context(), collect=True)
        data = cs.uncomment(value)
        if what == "goto":
            target = self._find_label(cs.uncomment(data))
            if target < 0 or target >= len(self.insns):
                raise HandlerError("jump to nonexistent label")
            for insn in self.insns[target:]:
                if insn.op == I_WAIT_STEP:
                    insn.count = 0
            self.pos = target
            self._steps(0, STEP_JUMP, errs)
        else:
            if data == "router":
                nsteps, step_type = 1, STEP_ROUTER
            elif not data:
                nsteps, step_type = 1, STEP_NORMAL
            else:
                try:
                    nsteps, step_type = values.parse_int(data), STEP_NORMAL
                except ValueError:
                    raise HandlerError("syntax error") from None
            self._step_request(step_type, nsteps, errs)
        self._finish(errs)

    def _run_handler(self, name: str, args: str, write: bool) -> str:
        """run (and a PROXY script's handlers): runs the script from the top."""
        self.run_name = name
        self.run_args = args
        self.run_write = write
        errs = _Errors(self._context(), collect=True)
        if self._cur_steps is None:
            self.pos = 0
            self._steps(0, STEP_JUMP, errs)
        return self._finish(errs)

    def _finish(self, errs: _Errors) -> str:
        status, value = self.complete()
        if status < 0:
            raise HandlerError("\n".join(errs.lines) or "script error")
        errs.flush()
        return value

    def _proxy_handler(self, name: str) -> Handler:
        return Handler(name, read=lambda p: self._run_handler(name, p, False),
                       write=lambda v: self._run_handler(name, v, True), read_param=True)

    def run_packet(self, port: int) -> int:
        """PACKET scripts: runs the script for one packet; the output port, or -1."""
        self.vars["input"] = str(port)
        errs = _Errors(self._context())
        try:
            self.pos = 0
            self.step(0, STEP_JUMP, 0, errs)
            value = self.complete()[1]
        except Exception as err:
            errs.error(f"internal error: {type(err).__name__}: {err}")
            return -1
        try:
            return values.parse_int(value.strip(cs.SPACE))
        except ValueError:
            return -1

    # -- variable handlers -----------------------------------------------------
    def _var_handler(self, what: str, text: str) -> str:
        """get VAR, set VAR VALUE, shift [VAR] (pops VAR's first word; default $args)."""
        if self._pending_init:
            self._run_init()
        var, rest = shift_word(text)
        if not var and what == "shift":
            var = "args"
        if not var:
            raise HandlerError("no variable")
        if rest and what != "set":
            raise HandlerError("too many arguments")
        if var != "args" and var not in self.vars and what != "set":
            raise HandlerError(f"undefined variable '{var}'")
        current = self.run_args if var == "args" else self.vars.get(var, "")
        if what == "get":
            return current
        if what == "set":
            new, result = rest, ""
        else:
            result, new = shift_word(current)
        if var == "args":
            self.run_args = new
        else:
            self.vars[var] = new
        return result

    def _able(self, text: str, write: bool) -> str:
        for name in words(text):
            try:
                self._handler(name, write, False)
            except ScriptError:
                return "false"
        return "true"

    # -- SIGNAL scripts ------------------------------------------------------------
    def _arm_signals(self):
        if self._signals_armed:
            return
        for signo in self.signos:
            old = signal.signal(signo, self._on_signal)
            self._old_signals.setdefault(signo, old)
        self._signals_armed = True

    def _disarm_signals(self):
        """Gives each signal back its previous handler until the script re-arms."""
        if self._signals_armed:
            for signo, old in self._old_signals.items():
                signal.signal(signo, old)
            self._signals_armed = False

    def _on_signal(self, signo, frame):
        self._disarm_signals()
        if self._stepping or self._cur_steps is not None:
            t = self.router.driver.new_timer(self._signal_run)
            t.schedule_now()
        else:
            self._signal_run()

    def _signal_run(self):
        try:
            self._run_handler("run", "", False)
        except HandlerError as err:
            _Errors(self._context()).error(str(err))
