"""classification -- code shared by Classifier, IPClassifier and IPFilter (Click's Classification)

Cold path: each element parses its own pattern syntax into expressions
(pattern.py: Classifier's OFFSET/VALUE%MASK; ipfilter.py: the tcpdump-like
language of IPFilter and IPClassifier), and compiler.py compiles the rules
into a decision tree of masked word tests (a Program, which the ``program``
handler prints). Data path: tree.pyx copies the Program into C arrays that
tree.pxd's ct_match walks per packet. The elements' common base class,
base.pyx's ClassifierBase, holds the tree, the batch loop and the handler;
ipbase.pyx's IPFilterBase, the base of IPClassifier and IPFilter, reads
the packet from its IP header on.
"""
