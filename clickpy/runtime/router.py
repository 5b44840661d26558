"""router -- a flat, checked graph becomes running elements: configure, initialize, run."""
from __future__ import annotations

import sys

from clickpy.errors import ClickError, error_text
from clickpy.graph.check import CheckedGraph, declaration
from clickpy.graph.processing import PUSH
from clickpy.graph.registry import Registry
from clickpy.lang.confstring import split_args
from clickpy.runtime.addresses import AddressTable
from clickpy.runtime.args import ArgError, parse_args
from clickpy.runtime.driver import Driver
from clickpy.runtime.handlers import HandlerError, HandlerTable
from clickpy.runtime.loader import load
from clickpy.runtime.router_handlers import (
    add_element_handlers,
    add_router_handlers,
    add_task_handlers,
)
from clickpy.runtime.stack import STACK_MAX, chain_bytes, needs_own_stack, run_on_own_stack


class Router:
    """Elements wired port to port, a driver, and handlers.

    Built from a checked graph (``clickpy.graph.check.check_graph``) and
    the registry its classes come from. ``initialize()`` configures every
    element (arguments parsed from its ARGS table) and initializes it,
    collecting errors as Click does; ``run()`` runs the driver until
    something stops it.
    """

    def __init__(self, checked: CheckedGraph, registry: Registry, config_text: str = ""):
        self.graph = checked.graph
        self.checked = checked
        self.registry = registry
        self.config_text = config_text
        self.elements = []
        self._by_name = {}
        self._handlers = HandlerTable()
        self._driver = Driver()
        self._cleanups = []             # callbacks run by cleanup(), last added first
        self.address_table = AddressTable()     # AddressInfo names, this router's own
        self.initialized = False
        self._cleaned = False
        self._stack_size = 0            # >0: run the driver on a thread with this stack
        self.failures = 0               # errors that lost data while running (a full disk)

    @classmethod
    def from_text(cls, text: str, defines=None, filename: str = "config", registry=None):
        """Parses, checks and initializes a configuration (tests, Python API)."""
        loaded = load(None, text, defines, registry, filename=filename)
        router = cls(loaded.checked, loaded.registry, text)
        router.initialize()
        return router

    # -- set-up --------------------------------------------------------------
    def initialize(self):
        errors = []
        self._instantiate(errors)
        if not errors:
            self._wire()
            self._configure(errors)
        if not errors:
            # handlers exist before elements initialize, as in Click, so an
            # initializing Script may call them
            add_router_handlers(self)
            for e in self.elements:
                add_element_handlers(self, e)
                e.add_handlers()
            self._initialize_elements(errors)
        if not errors:
            self._size_stack(errors)
        if errors:
            self.cleanup()
            raise ClickError(errors[0], None, errors)
        for e in self.driver.task_elements():
            add_task_handlers(self, e)
        self.initialized = True
        return self

    def check_arguments(self) -> list[str]:
        """Parses every runnable element's arguments and configures it, without
        initializing anything (``clickpy check``); raises ClickError with
        every message. Returns the classes that have no run-time code."""
        errors = []
        self._instantiate(errors, declared_ok=True)
        if not errors:
            self._configure(errors)
        if errors:
            raise ClickError(errors[0], None, errors)
        # in order of first use
        return list(dict.fromkeys(ge.class_name for ge in self.graph.elements
                                  if ge.name not in self._by_name))

    def _instantiate(self, errors, declared_ok=False):
        for i, ge in enumerate(self.graph.elements):
            try:
                cls = self.registry.element_class(ge.class_name)
            except ImportError as err:      # a compiled module missing: not built
                errors.append(f"{ge.coord}: element class '{ge.class_name}' is not built "
                              f"({err}); run 'make' or 'pip install -e .'")
                continue
            if cls is None:
                if declared_ok:
                    continue
                errors.append(f"{ge.coord}: element class '{ge.class_name}' cannot run yet "
                              "(declared only: no run-time code in clickpy)")
                continue
            e = cls()
            e._attach(self, ge.name, i, ge.coord, ge.config)
            e._set_nports(self.checked.ninputs[i], self.checked.noutputs[i])
            self.elements.append(e)
            self._by_name[ge.name] = e

    def _wire(self):
        for c in self.checked.connections:
            src, dst = self.elements[c.from_element], self.elements[c.to_element]
            push = self.checked.outputs[c.from_element][c.from_port] == PUSH
            src._link_output(c.from_port, push, dst, c.to_port)
            dst._link_input(c.to_port, push, src, c.from_port)

    def _configure(self, errors):
        # Click's configure phases: information elements first, then the rest in order
        for e in sorted(self.elements, key=lambda x: getattr(type(x), "configure_phase", 0)):
            try:
                table = getattr(type(e), "ARGS", None)
                if table is not None:
                    args = parse_args(table, e.configuration, self.address_table)
                    self._warn(e, args.warnings)
                else:
                    args = split_args(e.configuration)
                e.configure(args)
            except Exception as err:        # a user's element may raise anything
                errors.append(f"{e.landmark}: While configuring '{declaration(self._ge(e))}':")
                errors.extend(f"  {line}" for line in error_text(err, (ArgError,)).splitlines())

    def _warn(self, e, warnings):
        """Configuration warnings (deprecated arguments...), in Click's context format."""
        if warnings:
            print(f"{e.landmark}: While configuring '{declaration(self._ge(e))}':", file=sys.stderr)
            for w in warnings:
                print(f"  warning: {w}", file=sys.stderr)

    def _initialize_elements(self, errors):
        for e in self.elements:
            try:
                e.initialize()
            except Exception as err:        # a user's element may raise anything
                errors.append(f"{e.landmark}: While initializing '{declaration(self._ge(e))}':")
                errors.extend(f"  {line}" for line in error_text(err).splitlines())

    def _ge(self, e):
        return self.graph.elements[e.eindex]

    def _size_stack(self, errors):
        """Decides whether the data path needs a thread with a bigger stack
        than the main thread's: pushes and pulls recurse element by element."""
        specs = self.checked.specs
        need = chain_bytes(len(self.elements),
                           [(c.from_element, c.to_element) for c in self.checked.connections],
                           lambda i: specs[i] is not None and specs[i].python)
        self._stack_size = needs_own_stack(need)
        if self._stack_size >= STACK_MAX:
            errors.append(f"{self.graph.elements[0].coord.file}: the longest chain of elements "
                          f"needs {need >> 20} MiB of stack, more than clickpy allows "
                          f"({STACK_MAX >> 20} MiB)")

    # -- running ----------------------------------------------------------
    def run(self, cleanup: bool = True):
        """Runs until stopped; ``cleanup=False`` leaves cleaning up to the caller
        (the driver reads ``-h`` handlers first, as Click does)."""
        if not self.initialized:
            self.initialize()
        try:
            if self._stack_size:
                run_on_own_stack(self._driver.run, self._stack_size, self._driver)
            else:
                self._driver.run()
        finally:
            if cleanup:
                self.cleanup()

    def report_failure(self, text: str):
        """An error that loses data while the router runs (a writer's full
        disk): printed, and counted so ``clickpy run`` exits non-zero."""
        self.failures += 1
        print(text, file=sys.stderr)

    def please_stop(self):
        self._driver.please_stop()

    @property
    def driver(self):
        return self._driver

    def cleanup(self):
        if self._cleaned:
            return
        self._cleaned = True
        for e in self.elements:
            try:
                e.cleanup()
            except Exception as err:        # cleanup must reach every element
                print(f"{e.landmark}: cleanup of '{e.name}' failed: {err}", file=sys.stderr)
        for callback in reversed(self._cleanups):
            callback()
        self._driver.close()

    def at_cleanup(self, callback):
        """Runs ``callback()`` when the router cleans up, after its elements
        (``clickpy run -p``'s control sockets close this way)."""
        self._cleanups.append(callback)

    # -- elements and handlers -------------------------------------------------
    def element(self, name: str):
        """An element by name, or by 1-based index as Click's ``N.h`` form."""
        e = self._by_name.get(name)
        if e is None and name.isdigit() and 0 < int(name) <= len(self.elements):
            e = self.elements[int(name) - 1]
        return e

    def _split_handler(self, hname: str):
        ename, dot, h = hname.rpartition(".")
        if not dot:
            return None, hname
        e = self.element(ename)
        if e is None:
            raise HandlerError(f"no element named '{ename}'")
        return e, h

    def read(self, hname: str, param: str | None = None) -> str:
        """Reads ``elem.handler`` (or a router handler); returns its text."""
        e, h = self._split_handler(hname)
        return self._handlers.read(e, h, param)

    def write(self, hname: str, value: str = ""):
        e, h = self._split_handler(hname)
        self._handlers.write(e, h, value)

    def handler_of(self, element, hname: str):
        """The Handler ``hname`` of ``element`` (None: a router-wide one), or None."""
        return self._handlers.find(element, hname)

    def find_handler(self, hname: str):
        e, h = self._split_handler(hname)
        return self._handlers.find(e, h)
