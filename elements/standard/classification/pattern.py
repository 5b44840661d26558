"""pattern -- Classifier's OFFSET/VALUE%MASK patterns as expressions (Click's classifier.cc)"""
from __future__ import annotations

from clickpy.elements.standard.classification.compiler import (
    TRUE,
    ClassifierError,
    Program,
    atom,
    compile_rules,
    e_and,
    e_not,
    output_target,
)

__all__ = ["parse_classifier", "parse_classifier_pattern"]

_HEX = "0123456789abcdefABCDEF"


def parse_classifier_pattern(text: str, slot: int):
    """One ``OFFSET/VALUE[%MASK]`` pattern (several ANDed, ``!`` negates,
    ``-`` matches all) as an expression."""
    s = text
    n = len(s)
    i = 0
    if s == "-":
        return TRUE
    tests = []
    while i < n:
        while i < n and s[i].isspace():
            i += 1
        if i >= n:
            break
        negated = False
        if s[i] == "!":
            negated = True
            i += 1
            while i < n and s[i].isspace():
                i += 1
        if i >= n or not s[i].isdigit():
            raise ClassifierError(f"pattern {slot}: expected a digit")
        j = i
        while i < n and s[i].isdigit():
            i += 1
        offset = int(s[j:i])
        if i >= n or s[i] != "/":
            raise ClassifierError(f"pattern {slot}: expected '/'")
        i += 1
        j = i
        while i < n and (s[i] in _HEX or s[i] == "?"):
            i += 1
        value = s[j:i]
        mask = None
        if i < n and s[i] == "%":
            i += 1
            j = i
            while i < n and (s[i] in _HEX or s[i] == "?"):
                i += 1
            mask = s[j:i]
        if len(value) < 2:
            raise ClassifierError(f"pattern {slot}: value has less than 2 hex digits")
        if len(value) % 2:
            raise ClassifierError(f"pattern {slot}: value has odd number of hex digits")
        if mask is not None and len(mask) != len(value):
            many = "many" if len(mask) > len(value) else "few"
            raise ClassifierError(f"pattern {slot}: mask has too {many} hex digits")
        words: dict[int, list[int]] = {}
        for k in range(len(value)):
            byte = offset + k // 2
            shift = 4 if k % 2 == 0 else 0
            vc = value[k]
            vn, mn = (0, 0) if vc == "?" else (int(vc, 16), 0xF)
            if mask is not None:
                mc = mask[k]
                mn &= 0 if mc == "?" else int(mc, 16)
            w = words.setdefault(byte // 4 * 4, [0, 0])
            pos = 8 * (3 - byte % 4) + shift
            w[0] |= (vn & mn) << pos
            w[1] |= mn << pos
        test = e_and(*(atom(off, m, val) for off, (val, m) in sorted(words.items())))
        tests.append(e_not(test) if negated else test)
    return e_and(*tests)


def parse_classifier(patterns: list[str]) -> Program:
    """Classifier's arguments compiled: pattern i sends packets to output i."""
    rules = [(parse_classifier_pattern(p, i), output_target(i)) for i, p in enumerate(patterns)]
    return compile_rules(rules)
