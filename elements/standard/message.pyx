# message.pyx -- Message: prints a message, warning or error when the router is configured
import sys

from clickpy.runtime.element cimport Element
from clickpy.runtime.args import POSITIONAL, MANDATORY, Keyword, String, Arg


cdef class Message(Element):
    """
    =c
    Message(MESSAGE [, TYPE])
    =s control
    prints a message on configuration
    =io
    None.
    =processing
    None.
    =d
    Prints MESSAGE to standard error when the router configures its
    elements, under a "While configuring" line naming the element, as
    documentation for whoever runs the configuration. TYPE WARNING prints
    it as a warning; TYPE ERROR reports it as an error, so the router fails
    to initialize.
    =item MESSAGE
    String. The text. Mandatory.
    =item TYPE
    Keyword. MESSAGE, WARNING or ERROR. Default is MESSAGE.
    =n
    Messages and warnings are written directly to standard error, not
    through the router's error collection.
    =e
      Message("This configuration is deprecated; use test-tun.click instead.", WARNING)
    =a Error
    """
    port_count = "0/0"
    processing = "a/a"
    ARGS = (Arg("MESSAGE", String, MANDATORY | POSITIONAL),
            Arg("TYPE", Keyword, POSITIONAL, default="MESSAGE"))

    def configure(self, args):
        kind = args.TYPE
        if kind not in ("MESSAGE", "WARNING", "ERROR"):
            raise ValueError("unrecognized message type")
        if kind == "ERROR":
            raise ValueError(args.MESSAGE)
        prefix = "warning: " if kind == "WARNING" else ""
        lines = "".join(f"  {prefix}{line}\n" for line in args.MESSAGE.split("\n"))
        sys.stderr.write(f"{self.landmark}: While configuring "
                         f"'{self.name} :: {self.class_name}':\n{lines}")
