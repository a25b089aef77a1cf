"""SARIF is written by chatlint's own indented JSON writer (the standard library's falls back
to its slow pure-Python encoder with ``indent``): the same text as ``json.dumps(indent=2)``
for every JSON value, at every depth."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint.formats import sarif

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
                            st.dictionaries(st.text(max_size=6), inner, max_size=4),
                            st.dictionaries(st.integers(), inner, min_size=1, max_size=2)),
    max_leaves=20,
)


@settings(max_examples=1500, deadline=None)
@given(values, st.integers(0, 4))
def test_the_writer_is_json_dumps_with_indent(value, depth):
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)
    assert sarif._indented(value, depth) == expected


def test_a_result_with_a_fix_and_control_characters_is_written_as_json_dumps():
    result = {"ruleId": "A006", "ruleIndex": 3, "level": "warning", "message": {"text": "«!!!»\x07\u2028 \"x\"\\"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": "m%201.txt"},
                                                  "region": {"startLine": 1, "charLength": 0}}}],
              "fixes": [], "properties": {}, "flags": [True, False, None, 1.5]}
    assert sarif._indented(result, 4) == json.dumps(result, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * 4)
