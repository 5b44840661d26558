"""clickpy -- Click, the modular router, rebuilt for Python: Click language, batch data path."""

__all__ = ["Element", "Packet", "Router"]


def __getattr__(name):
    # the runtime is compiled; import it only when asked, so `clickpy check`
    # and `clickpy flatten` work before a build
    if name == "Element":
        from clickpy.runtime.pyelement import PyElement
        return PyElement
    if name == "Packet":
        from clickpy.runtime.packet import PacketView
        return PacketView
    if name == "Router":
        from clickpy.runtime.router import Router
        return Router
    raise AttributeError(name)
