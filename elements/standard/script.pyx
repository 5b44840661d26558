# script.pyx -- Script and DriverManager: Click's scripting language for controlling a router
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch, Packet, pkt_kill

from clickpy.elements.standard.script_engine import ScriptEngine


cdef class Script(Element):
    """
    =c
    Script([TYPE,] INSTRUCTIONS...)
    =s control
    scripts a Click router configuration
    =io
    Normally none. PACKET scripts: inputs and outputs as connected.
    =processing
    Agnostic; outputs other than a pulled one are push.
    =d
    Runs a small scripting language that sets variables, calls handlers,
    waits for time or for prodding, and stops the router. Each argument is
    one instruction, run in order; text undergoes substitution first (see
    SUBSTITUTIONS). Forms ending in q remove one layer of quotes after
    substitution.

    Handler instructions: "set VAR TEXT" and "setq VAR TEXT" set $VAR;
    "init VAR TEXT" and "initq" set it once, when the element initializes;
    "export VAR [TEXT]" and "exportq" are init that also make a read
    handler named VAR. "print [>FILE | >>FILE] [TEXT | HANDLER]" writes a
    line to standard output (or the FILE): an argument starting with a
    letter, '@' or '_' names a read handler whose value is printed,
    anything else is text with one layer of quotes removed; printq unquotes
    a handler's parameters, printn and printnq add no newline. "save TEXT
    [FILE]" and "append TEXT [FILE]" write TEXT to FILE. "read HANDLER
    [ARGS]" and readq print the handler's name, a colon, a newline, and its
    value to standard error. "write HANDLER [ARGS]" and writeq call a
    write handler; $? is then its status (0 or negative).

    Blocking instructions: "pause [COUNT]" waits for COUNT calls of the
    step handler (default 1); "wait TIME" waits TIME seconds or until a
    step. "wait" alone is pause.

    Control instructions: "label L"; "goto L [CONDITION]" jumps when the
    boolean CONDITION is true or absent (the labels exit, end, stop, error,
    begin and loop are predefined); "loop" jumps to the start; "end" and
    "exit" end the script (a PACKET script emits its packet on output 0 at
    end and drops it at exit); "stop" ends it and asks the driver to stop;
    "return [VALUE]" and returnq end it with VALUE (the run handler's result,
    or a PACKET script's output port); "error [MSG]" and errorq end it with
    an error. A script that runs 1000 gotos without blocking is disabled.

    Types, chosen with the TYPE keyword: ACTIVE (the default) runs at
    initialization; PASSIVE runs when its run handler is called, with the
    handler's argument in $args, its words in $1, $2, ... and their count
    in $#; PACKET runs for each packet, with the input port in $input, and
    is the default for a Script with ports; PROXY runs for any handler
    name the element lacks, with the name in $0 and $write true for
    writes; DRIVER manages the driver's stop events (see DriverManager);
    "SIGNAL SIGNO..." runs when one of the signals (INT, HUP, USR1, ...
    or numbers) arrives and is re-armed each time it reaches its end.

    SUBSTITUTIONS: $VAR and ${VAR} become the variable's text; $(HANDLER
    [ARGS]) becomes the value of a read handler, looked up first on this
    element, then among the global handlers, and may nest. Inside double
    quotes the text is escaped so that it unquotes to itself. The
    expression handlers below make arithmetic possible, as in
    "set x $(add $x 1)".
    =item TYPE
    Keyword. ACTIVE, PASSIVE, PACKET, PROXY, DRIVER or SIGNAL SIGNO....
    Default is ACTIVE, or PACKET when the element has ports.
    =item INSTRUCTIONS
    Instructions, one an argument, as above.
    =n
    Errors print on standard error under "While executing 'NAME :: Class':".
    A "wait" whose TIME holds no variable is checked at configuration
    time, not when reached. "goto stop" stops the router like "stop" (in
    Click it only ends the script). A SIGNAL script takes over INT and
    TERM from clickpy's own handlers while armed; signals that arrive while
    it is not armed get the previous handler. div and rem give inf or nan
    on division by zero; idiv and mod report an error. In sprintf a '*'
    width takes the next argument (broken in Click). The result of
    byte-order handlers follows this host's byte order, as in Click.
    =e
      DriverManager(wait 0.1s, stop);
      s :: Script(TYPE PASSIVE, return $(add $(c1.count) $(c2.count)));
      Script(set x 0, label top, print $x, set x $(add $x 1),
             goto top $(lt $x 5), stop);
    =h step write-only
    Advances past the current pause or wait; a number steps that many times.
    =h goto write-only
    Moves the program counter to the named label and runs from there.
    =h run read/write
    Runs the script from the top with the parameter as $args; returns the
    value of return.
    =h add read-only
    With parameters: the sum of a list of numbers (reals when any is not an
    integer).
    =h sub read-only
    With parameters: the first number minus the others.
    =h min read-only
    With parameters: the smallest number.
    =h max read-only
    With parameters: the largest number.
    =h mul read-only
    With parameters: the product of the numbers.
    =h div read-only
    With parameters: the first number divided by the others, as a real.
    =h idiv read-only
    With parameters: like div, truncated to an integer.
    =h mod read-only
    With parameters: integer remainder of two integers.
    =h rem read-only
    With parameters: real remainder of two numbers.
    =h neg read-only
    With parameters: the negated number.
    =h abs read-only
    With parameters: the absolute value.
    =h eq, ne, lt, gt, le, ge read-only
    With parameters: compares two values (eq: equal; ne, lt, gt, le, ge
    likewise); numbers compare as numbers, other text bytewise after
    unquoting.
    =h not read-only
    With parameters: the negated boolean.
    =h and, or, nand, nor read-only
    With parameters: whether all booleans are true (and); or, nand and
    nor are the other connectives.
    =h if read-only
    With parameters: "if COND A B" gives A when COND is true, else B.
    =h in read-only
    With parameters: whether the first word equals one of the others.
    =h first read-only
    With parameters: the first word.
    =h sprintf read-only
    With parameters: printf of a format and arguments (d i u o x X s %).
    =h random read-only
    With parameters: a random integer, below N, or from N1 to N2.
    =h length read-only
    With parameters: the length of the parameter text.
    =h unquote read-only
    With parameters: the text with one layer of quotes removed.
    =h readable, writable read-only
    With parameters: whether every named handler is readable; writable
    tests for write handlers.
    =h now read-only
    The current time, as SEC.USEC.
    =h htons, htonl, ntohs, ntohl read-only
    With parameters: the 16-bit integer in network byte order (htons);
    htonl, ntohs and ntohl likewise.
    =h cat, catq read-only
    With parameters: the contents of a file; catq quotes them.
    =h kill read-only
    With parameters: sends signal SIGNO to the listed process IDs.
    =h get read-only
    With parameters: the value of a variable.
    =h set write-only
    "set VAR VALUE" sets a variable.
    =h shift read-only
    With parameters: removes and returns the first word of a variable
    (default $args).
    =a DriverManager
    """
    port_count = "-/-"
    processing = "ah/ah"

    cdef object engine              # ScriptEngine: instructions, variables, program counter

    def configure(self, args):
        self.engine = ScriptEngine(self, args, getattr(type(self), "default_type", "ACTIVE"))

    def initialize(self):
        self.engine.initialize()

    def cleanup(self):
        if self.engine is not None:
            self.engine.cleanup()

    def add_handlers(self):
        self.engine.add_handlers()

    # PACKET scripts: one script run per packet, with the GIL (control plane speed)
    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        with gil:
            self._push_packets(port, b)

    cdef void _push_packets(self, int port, Batch *b) noexcept:
        cdef uint32_t i, n = b.n
        cdef Packet *p
        cdef int out
        b.n = 0
        for i in range(n):
            p = b.p[i]
            out = self.engine.run_packet(port)
            if out >= 0 and out < self._noutputs:
                self.output_push_one(out, p)
            else:
                pkt_kill(p)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        if self.input_pull(0, b, max) == 0:
            return 0
        with gil:
            self._pull_packets(b)
        return b.n

    cdef void _pull_packets(self, Batch *b) noexcept:
        cdef uint32_t i, keep = 0, n = b.n
        cdef Packet *p
        cdef int out
        for i in range(n):
            p = b.p[i]
            out = self.engine.run_packet(0)
            if out == 0:
                b.p[keep] = p
                keep += 1
            elif out > 0 and out < self._noutputs:
                self.output_push_one(out, p)
            else:
                pkt_kill(p)
        b.n = keep


cdef class DriverManager(Script):
    """
    =c
    DriverManager(INSTRUCTIONS...)
    =s control
    a Script that manages driver stop events
    =io
    None.
    =d
    A Script whose default TYPE is DRIVER. Elements ask the driver to stop
    (a source with STOP true at its end, a Script's stop, the global stop
    handler); without a DriverManager the first request stops the router.
    With one, each request steps the script instead: the router stops only
    when the script reaches a stop instruction or its end. A DriverManager
    whose first instruction does not block runs at once. At most one
    driver script is allowed per router.
    =item INSTRUCTIONS
    Script instructions; see Script.
    =n
    Writing the global stop handler, SIGINT and SIGTERM stop the router
    regardless of the script.
    =e
      DriverManager(pause, read c.count, wait 0.1s, stop);
      DriverManager(wait 0.1s, stop);
    =h step write-only
    As in Script; "router" steps as a driver stop request does.
    =h goto, set write-only
    As in Script.
    =h run read/write
    As in Script.
    =h add, sub, min, max, mul, div, idiv, mod, rem, neg, abs, eq, ne, lt,
    gt, le, ge, not, and, or, nand, nor, if, in, first, sprintf, random,
    length, unquote, readable, writable, now, htons, htonl, ntohs, ntohl,
    cat, catq, kill, get, shift read-only
    As in Script.
    =a Script
    """
    port_count = "-/-"
    processing = "ah/ah"
    default_type = "DRIVER"
