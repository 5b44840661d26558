# sourcebase.pyx -- PacketSource: what InfiniteSource, RatedSource and TimedSource share
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from clickpy.lang import confstring

# Click's sources send these 69 bytes when given no DATA, so counts and
# bandwidths come out as Click's do
DEFAULT_DATA = b"Random bullshit in a packet, at least 64 bytes long. Well, now it is."


cdef class PacketSource(Element):
    """An element that sends copies of one packet: its contents, kept in C
    memory for the data path and as bytes for handlers."""

    def __cinit__(self):
        self.data = NULL

    def __dealloc__(self):
        free(self.data)

    def _set_contents(self, bytes contents):
        cdef uint8_t *buf = <uint8_t *>malloc(max(1, len(contents)))
        if buf == NULL:
            raise MemoryError()
        memcpy(buf, <char *>contents, len(contents))
        free(self.data)
        self.data = buf
        self.length = len(contents)
        self._contents = contents

    @staticmethod
    def _data_value(value):
        """A data handler's value as bytes: text is read as a configuration string."""
        return confstring.to_bytes(value) if isinstance(value, str) else bytes(value)
