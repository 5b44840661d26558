# base.pyx -- ClassifierBase: the compiled tree, its data path and the program handler
from clickpy.runtime.element cimport pull_actions, push_actions
from clickpy.elements.standard.classification.tree cimport ct_match_data


# the action as an inline function, so that the C compiler inlines it into
# the batch loops; one layout a module (ipbase.pyx has the other): with two
# actions in one module, the compiler calls both through a pointer
cdef inline int classify_data(Element e, Packet *p) noexcept nogil:
    return ct_match_data((<ClassifierBase>e).prog, p)


cdef class ClassifierBase(Element):
    """Runs a compiled classification program whose offsets count from the
    packet data: each packet goes to the output its tree gives, or is
    dropped.

    A subclass parses its own pattern syntax in ``configure`` and hands the
    resulting compiler.Program to ``load``.
    """

    cdef bint ip_offsets(self):
        """Whether program offsets count from the IP and transport headers."""
        return False

    cdef list one_per_output(self, args):
        """The arguments, checked to be one per output."""
        patterns = list(args)
        if len(patterns) != self.noutputs:
            raise ValueError(f"need {self.noutputs} arguments, one per output port")
        return patterns

    cdef load(self, program):
        """Installs ``program`` (a compiler.Program)."""
        self.program = program
        self.tree = ClassTree(program, self.ip_offsets())
        self.prog = &self.tree.prog

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, classify_data)    # classify_data inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, classify_data)

    cdef int action(self, Packet *p) noexcept nogil:
        return ct_match_data(self.prog, p)

    def add_handlers(self):
        self.add_read_handler("program", lambda: self.program.unparse())
