# classifier.pyx -- Classifier: sorts packets by the first OFFSET/VALUE pattern they match
from clickpy.elements.standard.classification.base cimport ClassifierBase
from clickpy.elements.standard.classification import pattern


cdef class Classifier(ClassifierBase):
    """
    =c
    Classifier(PATTERN_1, ..., PATTERN_N)
    =s classification
    classifies packets by contents
    =io
    One input, N outputs: one per pattern.
    =processing
    Push.
    =d
    Compares packet data with the patterns in order and sends each packet
    to the output of the first pattern it matches; a packet that matches
    none is dropped. There must be exactly as many patterns as outputs.

    A pattern is a list of space-separated tests, all of which must hold.
    A test is OFFSET/VALUE or OFFSET/VALUE%MASK: OFFSET is a decimal byte
    offset into the packet, VALUE an even number of hex digits compared
    with the bytes there, and MASK (as many hex digits) says which bits of
    each byte count. A '?' in VALUE or MASK stands for a nibble that is not
    compared. A test preceded by '!' holds when the bytes differ. The
    pattern '-' matches every packet. A test of bytes past the end of the
    packet fails (so its '!' form holds).

    The patterns are compiled into a decision tree whose steps each compare
    four bytes of packet data, under a mask, with a value; tests settled by
    earlier steps are skipped.
    =n
    Click aligns its tests to the packet's alignment (AlignmentInfo);
    clickpy reads bytes one by one and always reports alignment offset 0.
    Runs of steps that compare one word with different values become a
    single binary search; the program listing spells them out as Click's
    listing of its compressed programs does. Unused-output warnings are
    not printed.
    =e
    For example,

      Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);

    sends ARP requests to output 0, ARP replies to output 1, IP packets
    to output 2 and everything else to output 3.
    =h program read-only
    The decision tree, one step per line: the offset, the value and the
    mask in hex, where a match (yes) and a mismatch (no) go; [N] is output
    N, [X] a drop. "short->yes" marks steps that take the yes branch when
    the packet is too short to test.
    =a IPClassifier, IPFilter, CheckIPHeader, MarkIPHeader
    """
    port_count = "1/-"
    processing = "h/h"

    def configure(self, args):
        self.load(pattern.parse_classifier(self.one_per_output(args)))
