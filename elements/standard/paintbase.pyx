# paintbase.pyx -- PaintBase: what Paint, CheckPaint and PaintTee share
from clickpy.runtime.args import U8


cdef class PaintBase(Element):
    """COLOR and ANNO, and the color handler, of the elements that paint
    packets or test their paint. A subclass declares its ARGS (COLOR, then
    ANNO) and its action."""

    def configure(self, args):
        self.color = args.COLOR
        self.anno = args.ANNO

    def add_handlers(self):
        self.add_read_handler("color", lambda: self.color)
        self.add_write_handler("color", self._write_color)

    def _write_color(self, value):
        self.color = U8.parse(value.strip())
