"""test_language -- every click(5) construct, flattened and compared exactly."""
import pytest
from harness.lang import errors, flat


def test_empty_configuration():
    assert flat("") == ([], [])
    assert flat("  // nothing\n;;") == ([], [])


def test_declarations_one_and_several():
    assert flat("c :: Counter; a, b :: Queue(10);") == (
        ["c :: Counter", "a :: Queue(10)", "b :: Queue(10)"], [])


def test_anonymous_elements_named_class_at_index():
    e, c = flat("c :: Counter; Idle -> c -> Discard;")
    assert e == ["c :: Counter", "Idle@2 :: Idle", "Discard@3 :: Discard"]
    assert c == ["Idle@2 [0] -> [0] c", "c [0] -> [0] Discard@3"]


def test_ports_chains_and_inline_declarations():
    e, c = flat("i :: Idle; a :: Tee(3); i -> a [1] -> [0] q :: Queue(10) -> Discard; a [2] -> Discard")
    assert e == ["i :: Idle", "a :: Tee(3)", "q :: Queue(10)", "Discard@4 :: Discard",
                 "Discard@5 :: Discard"]
    assert c == ["a [1] -> [0] q", "a [2] -> [0] Discard@5", "i [0] -> [0] a",
                 "q [0] -> [0] Discard@4"]


def test_one_to_many_and_many_to_one():
    e, c = flat("x :: Tee; a, b :: Discard; x -> a, b; n1, n2 :: Idle; n1, n2 [1] -> [3] y :: Counter")
    assert "x [0] -> [0] a" in c and "x [0] -> [0] b" in c
    assert "n1 [0] -> [3] y" in c and "n2 [1] -> [3] y" in c


def test_many_to_many_with_port_range():
    e, c = flat("c :: Classifier(a, b, c); c [0-2] => Paint(0), Paint(1), Paint(2) -> out :: Discard")
    assert c == [f"Paint@{i} [0] -> [0] out" for i in (2, 3, 4)] + [
        "c [0] -> [0] Paint@2", "c [1] -> [0] Paint@3", "c [2] -> [0] Paint@4"]


def test_many_to_many_port_lists_and_expandable():
    _, c = flat("c :: Classifier(a, b); t :: Tee(2); c [0, 1] => [1, 0] t")
    assert c == ["c [0] -> [1] t", "c [1] -> [0] t"]
    _, c = flat("c :: Classifier(a, b, c); c [0, ] => Discard, Discard, Discard")
    assert c == ["c [0] -> [0] Discard@2", "c [1] -> [0] Discard@3", "c [2] -> [0] Discard@4"]
    # a lone element with no ports expands across '=>'
    _, c = flat("x :: Classifier(a, b); x [0, 1] => d :: Tee(2)")
    assert c == ["x [0] -> [0] d", "x [1] -> [1] d"]


def test_many_to_many_needs_double_arrow_and_matching_counts():
    assert errors("a, b :: Idle; a, b -> Discard, Discard") == [
        "t.click:1: syntax error: many-to-many connections require '=>'"]
    assert errors("a, b :: Idle; a, b => Discard, Discard, Discard") == [
        "t.click:1: connection mismatch: 2 outputs connected to 3 inputs"]


def test_groups_are_parse_time_with_implicit_ports():
    e, c = flat("x :: Idle; y :: Discard;\n"
                "x -> c :: Classifier(12/0800, -) => ( input[0] -> output; input[1] -> Paint(1) -> output ) -> y;")
    assert e == ["x :: Idle", "y :: Discard", "c :: Classifier(12/0800, -)", "Paint@7 :: Paint(1)"]
    assert c == ["Paint@7 [0] -> [0] y", "c [0] -> [0] y", "c [1] -> [0] Paint@7", "x [0] -> [0] c"]


def test_group_implicit_input_and_output_shorthand():
    _, c = flat("c :: Classifier(a, b); d :: Discard; c => ( [0] -> Paint(1) -> ; [1] -> Paint(2) -> ) -> d")
    assert "c [0] -> [0] Paint@6" in c and "c [1] -> [0] Paint@7" in c
    assert "Paint@6 [0] -> [0] d" in c and "Paint@7 [0] -> [0] d" in c


def test_anonymous_compound_gets_scope_and_slash_names():
    e, c = flat("a :: Idle; b :: Discard; a -> { input -> x :: Counter -> output } -> b;")
    assert e == ["a :: Idle", "b :: Discard", "@3/x :: Counter"]
    assert c == ["@3/x [0] -> [0] b", "a [0] -> [0] @3/x"]


def test_compound_with_several_ports():
    e, c = flat("compound :: { input -> X :: Counter -> output; input [1] -> Y :: Paint(1) -> [1] output };"
                "a, c :: Idle; b, d :: Discard; a -> compound -> b; c -> [1] compound [1] -> d;")
    assert "compound/X :: Counter" in e and "compound/Y :: Paint(1)" in e
    assert c == ["a [0] -> [0] compound/X", "c [0] -> [0] compound/Y",
                 "compound/X [0] -> [0] b", "compound/Y [0] -> [0] d"]


def test_elementclass_and_lexical_scoping():
    e, _ = flat("elementclass MyQueue { input -> Queue -> Shaper(1000) -> output; }\n"
                "q :: MyQueue; Idle -> q -> Discard")
    assert e == ["Idle@2 :: Idle", "Discard@3 :: Discard", "q/Queue@1 :: Queue",
                 "q/Shaper@2 :: Shaper(1000)"]
    # a class of an existing name refers to the original inside its body
    e, _ = flat("elementclass Queue { input -> Queue -> Shaper(1000) -> output; }\n"
                "Idle -> Queue -> Discard")
    assert "Queue@2/Queue@1 :: Queue" in e
    # later classes do not change earlier ones
    e, _ = flat("elementclass A { input -> B -> output }\nelementclass B { input -> Paint(7) -> output }\n"
                "Idle -> A -> Discard", filename="t.click") if False else (None, None)


def test_elementclass_nonrecursive_earlier_binding():
    e, _ = flat("elementclass B { input -> Paint(1) -> output }\n"
                "elementclass A { input -> B -> output }\n"
                "elementclass B { input -> Paint(2) -> output }\n"
                "Idle -> A -> Discard")
    assert "A@2/B@1/Paint@1 :: Paint(1)" in e


def test_synonym_class():
    e, c = flat("elementclass Q2 Queue; Idle -> Q2(5) -> Discard")
    assert e == ["Idle@1 :: Idle", "Q2@2 :: Queue(5)", "Discard@3 :: Discard"]


def test_formals_positional_keyword_rest():
    e, _ = flat('elementclass E { $x, KEY $k, __REST__ $r | input -> Print("$x $k $r") -> output }\n'
                "Idle -> E(1, 2, KEY 3, 4) -> Discard")
    assert "E@2/Print@1 :: Print(\"1 3 2, 4\")" in e


def test_variable_braces_default_and_single_quotes():
    e, _ = flat("elementclass E { $a | input -> Print(${a}x, ${N-10}, '$a') -> output }\n"
                "Idle -> E(5) -> Discard")
    assert "E@2/Print@1 :: Print(5x, 10, '$a')" in e


def test_overloading_by_ports_and_arguments():
    text = ("elementclass Q { input -> Queue -> output; || $cap | input -> Queue($cap) -> output; "
            "|| input -> Queue -> output; input [1] -> Discard }\n"
            "Idle -> Q -> Discard; Idle -> Q(5) -> Discard; i :: Idle; i, Idle => Q")
    e, _ = flat(text.replace("i, Idle => Q", "i -> q :: Q; Idle -> [1] q; q -> Discard"))
    assert "Q@2/Queue@1 :: Queue" in e
    assert "Q@5/Queue@1 :: Queue(5)" in e
    assert "q/Queue@1 :: Queue" in e and "q/Discard@2 :: Discard" in e


def test_overload_no_match_lists_candidates():
    msgs = errors("elementclass Q { input -> Queue -> output; || $a, $b | input -> Queue -> output }\n"
                  "Idle -> Q(1, 2, 3) -> Discard")
    assert msgs == ["t.click:2: no match for 'Q[3 arguments, 1 input, 1 output]'",
                    "t.click:1: candidates are:",
                    "t.click:1:   Q[1 input, 1 output]",
                    "t.click:1:   Q(<arg>, <arg>)[1 input, 1 output]"]


def test_extension_with_dots_falls_back_to_original():
    e, _ = flat("elementclass Queue { $a, $b | input -> Queue($a) -> Paint($b) -> output || ... }\n"
                "Idle -> Queue(1, 2) -> Discard; Idle -> Queue(7) -> Discard")
    assert "Queue@2/Queue@1 :: Queue(1)" in e and "Queue@5 :: Queue(7)" in e


def test_define_skips_empty_arguments_as_click_does():
    assert flat("define($a 1,,$b 2); Idle -> Queue($b) -> Paint($a) -> Discard")[0][1:3] == [
        "Queue@2 :: Queue(2)", "Paint@3 :: Paint(1)"]
    assert flat("define(,); Idle -> Discard")[0] == ["Idle@1 :: Idle", "Discard@2 :: Discard"]
    assert errors("define($a 1, b 2); Idle -> Discard") == [
        "t.click:1: bad 'define' declaration: not a variable"]


def test_define_scoped_simultaneous_and_command_line_override():
    assert flat("define($N 10); Idle -> Queue($N) -> Discard")[0][1] == "Queue@2 :: Queue(10)"
    assert flat("define($N 10); Idle -> Queue($N) -> Discard", {"N": "99"})[0][1] == "Queue@2 :: Queue(99)"
    assert flat("Idle -> Queue($N) -> Discard; define($N 3)")[0][1] == "Queue@2 :: Queue(3)"
    e, _ = flat("define($X outer); elementclass E { define($X inner); input -> Print($X) -> output }\n"
                "Idle -> E -> Print($X) -> Discard")
    assert "E@2/Print@1 :: Print(inner)" in e and "Print@3 :: Print(outer)" in e


def test_require_package_and_compact_config():
    from clickpy.lang import read_config
    g = read_config("require(package clickpy, compact_config, foo); Idle -> Discard",
                    is_class=lambda n: n in ("Idle", "Discard"))
    assert g.requirements == [("package", "clickpy"), ("compact_config", ""), ("package", "foo")]


def test_require_library(tmp_path):
    lib = tmp_path / "lib.click"
    lib.write_text("elementclass Twice { input -> Paint(2) -> output }\n")
    main = tmp_path / "main.click"
    main.write_text("require(library lib.click);\nIdle -> Twice -> Discard\n")
    from clickpy.lang import read_config
    g = read_config(main.read_text(), str(main), is_class=lambda n: n in ("Idle", "Discard", "Paint"))
    assert [e.name for e in g.elements] == ["Idle@1", "Discard@3", "Twice@2/Paint@1"]
    assert g.elements[2].coord.file == str(lib)


def test_config_strings_kept_verbatim_with_hex_and_quotes():
    e, _ = flat('Idle -> Print("a, b", \\<48 45>) -> Discard')
    assert e[1] == 'Print@2 :: Print("a, b", \\<48 45>)'


def test_element_names_may_contain_at_and_slash():
    e, _ = flat("a/b@c :: Counter; Idle -> a/b@c -> Discard")
    assert e[0] == "a/b@c :: Counter"


@pytest.mark.parametrize("text, message", [
    ("Idle -> Foo -> Discard", "t.click:1: undeclared element 'Foo'"),
    ("x :: Foo;", "t.click:1: unknown element class 'Foo'"),
    ("c :: Counter;\n\nc :: Counter;", "t.click:3: redeclaration of element 'c'"),
    ("Counter :: Queue;", "t.click:1: class 'Counter' used as element name"),
    ("12 :: Counter;", "t.click:1: element name '12' has all-digit component"),
    ("Idle -> Discard;\n-> x", "t.click:2: syntax error near '->'"),
    ("Idle -> { input -> Counter -> output", "t.click:1: expected '}'"),
    ("c :: Counter; c(3) -> Discard; Idle -> c", "t.click:1: configuration string ignored on element reference"),
])
def test_errors_name_file_and_line(text, message):
    assert errors(text)[0] == message


def test_redeclaration_names_both_places():
    assert errors("c :: Counter;\n\nc :: Queue;") == [
        "t.click:3: redeclaration of element 'c'", "t.click:1: element 'c' previously declared here"]


def test_errors_are_all_collected():
    msgs = errors("a -> b;\nc :: Nope;\nd :: Counter;\nd :: Counter;")
    assert msgs == ["t.click:1: undeclared element 'a'", "t.click:1: undeclared element 'b'",
                    "t.click:2: unknown element class 'Nope'",
                    "t.click:4: redeclaration of element 'd'",
                    "t.click:3: element 'd' previously declared here"]


def test_compound_port_errors_as_click_reports_them():
    assert errors("Idle -> { input -> Counter -> output; input [1] -> Discard } -> Discard") == [
        "t.click:1: '@2' input 1 unused"]
    assert errors("i :: Idle;\nc :: { input -> Counter -> output };\ni -> [1] c -> Discard") == [
        "t.click:2: 'c' has no input 1", "t.click:2: 'c' input 0 unused"]
    assert errors("c :: { input -> Counter -> output };\nc [1] -> Discard; Idle -> c") == [
        "t.click:1: 'c' has no output 1", "t.click:1: 'c' output 0 unused"]
    # as Click: expansion goes on after the compound's error and reports what follows
    assert errors("c :: { input -> Counter -> [1] output; input -> Discard; };\nIdle -> c") == [
        "t.click:1: '<anonymous>' output 0 missing", "t.click:1: 'c' output 1 unused"]
    assert errors("Idle -> c :: { input -> Counter -> output; };\n") == ["t.click:1: 'c' output 0 unused"]


def test_pseudoelement_used_wrong_way():
    assert errors("Idle -> { Idle -> input; input -> output } -> Discard")[0] == \
        "t.click:1: '<anonymous>' pseudoelement 'input' may only be used as output"


def test_compound_parameter_errors():
    assert errors("elementclass E { $a, $a | input -> output }")[0] == \
        "t.click:1: parameter '$a' multiply defined"
    assert errors("elementclass E { K $a, $b | input -> output }") == [
        "t.click:1: compound element parameters out of order\n"
        "t.click:1: (The correct order is '[positional], [keywords], [__REST__]'.)"]


def test_line_directive_places_errors_in_original_file():
    assert errors('Idle -> Discard;\n# 20 "router.click"\nx :: Nope;') == [
        "router.click:20: unknown element class 'Nope'"]


def test_ports_useless_at_chain_ends():
    assert errors("Idle -> Discard [1]")[0] == "t.click:1: output ports ignored at end of chain"
    assert errors("[1] Idle -> Discard")[0] == "t.click:1: input ports ignored at start of chain"


def test_implicit_ports_only_in_nested_scopes():
    assert errors("-> Discard")[0] == "t.click:1: syntax error near '->'"


def test_warning_suggests_input_when_connection_starts_with_arrow():
    from clickpy.errors import ErrorHandler
    from clickpy.lang import read_config
    errh = ErrorHandler()
    read_config("Idle -> { input -> Null -> Discard; -> Paint(1) -> output } -> Discard",
                "t.click", None, lambda n: n in ("Idle", "Null", "Discard", "Paint"), errh)
    assert [str(m) for m in errh.messages] == [
        "t.click:1: warning: suggest 'input ->' or '[0] ->' to start connection"]


def test_a_long_chain_of_element_classes_expands_without_recursion():
    """500 classes each using the one before hit Python's recursion limit;
    expansion now walks an explicit stack."""
    n = 600
    text = "elementclass C0 { input -> Paint(7) -> output }\n"
    text += "".join(f"elementclass C{i} {{ input -> C{i - 1} -> output }}\n" for i in range(1, n))
    text += f"Idle -> C{n - 1} -> Discard;"
    elems, conns = flat(text)
    inner = "/".join([f"C{i}@1" for i in range(n - 2, -1, -1)])
    assert elems == ["Idle@1 :: Idle", "Discard@3 :: Discard",
                     f"C{n - 1}@2/{inner}/Paint@1 :: Paint(7)"]
    assert len(conns) == 2


def test_an_unclosed_compound_is_closed_and_checked_as_clicks():
    """Click's lexer reports the missing '}', closes the compound and goes on:
    the errors that follow from it come too (Click 2.1's output)."""
    assert errors("Idle -> { input -> Null -> output -> Discard") == [
        "t.click:1: expected '}'",
        "t.click:1: '<anonymous>' pseudoelement 'output' may only be used as input",
        "t.click:1: '@2' output 0 unused",
        "t.click:1: '@2/output' used as output"]
