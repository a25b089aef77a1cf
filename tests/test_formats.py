"""The SARIF, GitHub Actions and statistics renderers, on real findings of lint_message."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import chatlint
from chatlint import apply_fixes, lint_message
from chatlint.catalog import all_rules
from chatlint.formats import Report, github, sarif, statistics, utf16_offset

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-2.1.0.schema.json"

ONE_LINE = "привет!!! вы можете оплатить картой))) 😀 вы"
CRLF = "Здравствуйте.\r\nвы можете оплатить!!! картой 😀 вы"


def _report(path: str, text: str, **kw) -> Report:
    return Report(path, text, lint_message(text, **kw))


def _only(findings, code):
    found = [f for f in findings if f.code == code]
    assert found, f"expected a {code} finding, got {[f.code for f in findings]}"
    return found


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    return [_report("messages/one.txt", ONE_LINE), _report("messages/two.txt", CRLF)]


@pytest.fixture(scope="module")
def log(reports) -> dict:
    return json.loads(sarif.render(reports))


def _validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _results_for(log: dict, uri: str) -> list[dict]:
    return [
        r
        for r in log["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
    ]


# ------------------------------------------------------------------ the inputs themselves


def test_sample_texts_give_the_findings_the_tests_rely_on():
    codes = [f.code for f in lint_message(ONE_LINE)]
    assert codes.count("A001") == 2 and "A006" in codes and "E003" in codes
    two = lint_message(CRLF)
    assert any(f.code == "A001" and f.line == 2 for f in two)
    assert any(f.code == "S002" for f in two)


# ------------------------------------------------------------------ SARIF


def test_shipped_schema_is_the_oasis_sarif_2_1_0_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    assert schema["definitions"]["run"]["properties"]["columnKind"]["enum"] == [
        "utf16CodeUnits",
        "unicodeCodePoints",
    ]
    assert len(schema["definitions"]) == 52


def test_sarif_validates_against_the_schema(reports, log):
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize(
    "why, mutate",
    [
        (
            "level info is not a SARIF level",
            lambda d: d["runs"][0]["results"][0].__setitem__("level", "info"),
        ),
        (
            "columns are 1-based",
            lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].__setitem__(
                "startColumn", 0
            ),
        ),
        ("no unknown result keys", lambda d: d["runs"][0]["results"][0].__setitem__("severity", "warning")),
        ("a rule needs an id", lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("id")),
    ],
)
def test_the_schema_check_can_fail(log, why, mutate):
    broken = copy.deepcopy(log)
    mutate(broken)
    assert list(_validator().iter_errors(broken)), why


def test_sarif_log_header_and_driver(log):
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["newlineSequences"] == ["\r\n", "\r", "\n"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "chatlint"
    assert driver["version"] == chatlint.__version__
    assert driver["informationUri"].startswith("https://")


def test_sarif_rules_are_every_registered_rule(log):
    rules = all_rules()
    descriptors = log["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == list(rules)
    level = {"error": "error", "warning": "warning", "info": "note"}
    for d in descriptors:
        r = rules[d["id"]]
        assert d["name"] == r.name
        assert d["shortDescription"]["text"] == r.summary
        assert d["defaultConfiguration"]["level"] == level[r.severity]
        why = " ".join(r.section("Why").split())
        assert why and " ".join(d["fullDescription"]["text"].split()) == why
        assert d["help"]["text"] == d["fullDescription"]["text"]
    a006 = next(d for d in descriptors if d["id"] == "A006")
    assert a006["fullDescription"]["text"].startswith("Repeated marks add emotion")


def test_sarif_results_point_at_their_rules(reports, log):
    run = log["runs"][0]
    results = run["results"]
    findings = [f for rep in reports for f in rep.findings]
    assert [r["ruleId"] for r in results] == [f.code for f in findings]
    for r, f in zip(results, findings, strict=True):
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"] == f.message
        assert r["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (f.line, f.column)
        assert (region["charOffset"], region["charLength"]) == (f.start, f.end - f.start)


def test_sarif_region_after_an_emoji_counts_code_points(log):
    results = _results_for(log, "messages/one.txt")
    last_vy = [r for r in results if r["ruleId"] == "A001"][-1]
    region = last_vy["locations"][0]["physicalLocation"]["region"]
    start = ONE_LINE.rindex("вы")
    assert start == 41
    assert region == {
        "startLine": 1,
        "startColumn": 42,
        "endLine": 1,
        "endColumn": 44,
        "charOffset": 41,
        "charLength": 2,
    }
    assert utf16_offset(ONE_LINE, start) + 1 == 43  # what utf16CodeUnits would have said
    assert ONE_LINE[region["charOffset"] : region["charOffset"] + region["charLength"]] == "вы"


def test_sarif_regions_on_line_two_after_crlf(log):
    results = _results_for(log, "messages/two.txt")
    a001 = [r["locations"][0]["physicalLocation"]["region"] for r in results if r["ruleId"] == "A001"]
    assert a001[0] == {
        "startLine": 2,
        "startColumn": 1,
        "endLine": 2,
        "endColumn": 3,
        "charOffset": 15,
        "charLength": 2,
    }
    # the last «вы», after the emoji on line 2: offset 46, line 2 starts at 15
    assert a001[-1]["startLine"] == 2 and a001[-1]["startColumn"] == 32 and a001[-1]["endColumn"] == 34
    a006 = next(r for r in results if r["ruleId"] == "A006")["locations"][0]["physicalLocation"]["region"]
    assert (a006["startLine"], a006["startColumn"], a006["endLine"], a006["endColumn"]) == (2, 19, 2, 22)
    # a span that is the line break itself ends on the line it breaks (its last character)
    s002 = next(r for r in results if r["ruleId"] == "S002")["locations"][0]["physicalLocation"]["region"]
    assert (s002["startLine"], s002["startColumn"], s002["endLine"], s002["endColumn"]) == (1, 14, 1, 16)


@pytest.mark.parametrize(
    "text, offset, expected",
    [
        ("a\r\nb\rc\nd", 0, (1, 1)),
        ("a\r\nb\rc\nd", 1, (1, 2)),  # the \r of \r\n is still line 1
        ("a\r\nb\rc\nd", 2, (1, 3)),  # so is its \n
        ("a\r\nb\rc\nd", 3, (2, 1)),
        ("a\r\nb\rc\nd", 5, (3, 1)),  # a lone \r breaks the line
        ("a\r\nb\rc\nd", 7, (4, 1)),
        ("a\r\nb\rc\nd", 99, (4, 2)),  # clamped to the end of the text
        ("😀😀x", 2, (1, 3)),
        ("", 0, (1, 1)),
    ],
)
def test_line_index_positions(text, offset, expected):
    assert sarif.LineIndex(text).position(offset) == expected


def test_line_index_multiline_region():
    text = "один\nдва три\r\nчетыре"
    start, end = text.index("два"), text.index("четыре") + 3
    assert sarif.LineIndex(text).region(start, end) == {
        "startLine": 2,
        "startColumn": 1,
        "endLine": 3,
        "endColumn": 4,
        "charOffset": 5,
        "charLength": end - start,
    }
    empty = sarif.LineIndex(text).region(5, 5)
    assert (empty["endLine"], empty["endColumn"], empty["charLength"]) == (2, 1, 0)


def test_sarif_fixes(log, reports):
    results = _results_for(log, "messages/one.txt")
    a006 = next(r for r in results if r["ruleId"] == "A006")
    (fix,) = a006["fixes"]
    assert fix["description"]["text"] == "Заменить на «!»"
    assert fix["properties"] == {"applicability": "safe"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "messages/one.txt"
    assert change["replacements"] == [
        {"deletedRegion": {"charOffset": 6, "charLength": 3}, "insertedContent": {"text": "!"}}
    ]

    e003 = next(r for r in results if r["ruleId"] == "E003")
    assert e003["fixes"][0]["properties"]["applicability"] == "unsafe"
    # the emoji fix deletes (the space and the emoji): no inserted content
    assert e003["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"charOffset": 38, "charLength": 2}}
    ]

    # every fix, applied from its SARIF form, gives what apply_fixes gives for that finding
    findings = reports[0].findings
    for r, f in zip(results, findings, strict=True):
        assert ("fixes" in r) == (f.fix is not None)
        if f.fix is None:
            continue
        text = ONE_LINE
        for rep in sorted(
            r["fixes"][0]["artifactChanges"][0]["replacements"],
            key=lambda x: -x["deletedRegion"]["charOffset"],
        ):
            o, n = rep["deletedRegion"]["charOffset"], rep["deletedRegion"]["charLength"]
            text = text[:o] + rep.get("insertedContent", {}).get("text", "") + text[o + n :]
        assert text == apply_fixes(ONE_LINE, [f], unsafe=True)


def test_sarif_insertion_fix_on_crlf_text(log):
    s002 = next(r for r in _results_for(log, "messages/two.txt") if r["ruleId"] == "S002")
    assert s002["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"charOffset": 13, "charLength": 0}, "insertedContent": {"text": "\r\n"}}
    ]


@pytest.mark.parametrize(
    "path, uri",
    [
        ("-", "stdin"),
        ("msgs/a.txt", "msgs/a.txt"),
        ("./msgs/a.txt", "msgs/a.txt"),
        ("msgs\\sub\\a.txt", "msgs/sub/a.txt"),
        ("чаты/отзыв 1.txt", "%D1%87%D0%B0%D1%82%D1%8B/%D0%BE%D1%82%D0%B7%D1%8B%D0%B2%201.txt"),
        ("a#b?.txt", "a%23b%3F.txt"),
    ],
)
def test_sarif_artifact_uri(path, uri):
    assert sarif.artifact_uri(path) == uri


def test_sarif_absolute_path_under_cwd_becomes_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    assert sarif.artifact_uri(str(tmp_path / "sub" / "m.txt")) == "sub/m.txt"


def test_sarif_stdin_report_validates():
    log = json.loads(sarif.render([_report("-", ONE_LINE)]))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
    }
    assert uris == {"stdin"}
    assert not list(_validator().iter_errors(log))


def test_sarif_transcript_findings_carry_message_properties():
    base = lint_message(ONE_LINE)[2]
    f = base.model_copy(update={"message_index": 3, "speaker": "Анна", "conversation_id": "c-17"})
    log = json.loads(sarif.render([Report("chats/export.jsonl", "{...}", [f])]))
    assert not list(_validator().iter_errors(log))
    (r,) = log["runs"][0]["results"]
    assert r["properties"]["message_index"] == 3
    assert r["properties"]["speaker"] == "Анна"
    assert r["properties"]["conversation_id"] == "c-17"
    assert (r["properties"]["start"], r["properties"]["end"]) == (f.start, f.end)
    loc = r["locations"][0]
    assert loc["physicalLocation"] == {"artifactLocation": {"uri": "chats/export.jsonl"}}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "c-17/message 4"
    assert "fixes" not in r  # message offsets are not file offsets


def test_sarif_message_findings_have_no_transcript_properties(log):
    assert all("properties" not in r for r in log["runs"][0]["results"])


def test_sarif_unknown_rule_gets_a_descriptor():
    f = lint_message(ONE_LINE)[0].model_copy(
        update={"code": "X999", "name": "custom-pack-rule", "severity": "info"}
    )
    log = json.loads(sarif.render([Report("m.txt", ONE_LINE, [f])]))
    assert not list(_validator().iter_errors(log))
    (r,) = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[r["ruleIndex"]]["id"] == "X999"
    assert r["level"] == "note"


def test_sarif_is_deterministic_and_readable(reports):
    out = sarif.render(reports)
    assert out == sarif.render(reports)
    assert "«вы»" in out and "\\u00ab" not in out
    assert out.startswith('{\n  "$schema"') and out.endswith("}\n")


def test_sarif_no_findings():
    log = json.loads(sarif.render([Report("ok.txt", "Здравствуйте!", [])]))
    assert log["runs"][0]["results"] == []
    assert not list(_validator().iter_errors(log))


# ------------------------------------------------------------------ GitHub Actions


def test_github_one_annotation_per_finding(reports):
    out = github.render(reports)
    lines = out.splitlines()
    assert len(lines) == sum(len(r.findings) for r in reports)
    assert out.endswith("\n")
    assert lines[0] == (
        "::warning file=messages/one.txt,line=1,col=1,endLine=1,endColumn=7,"
        "title=G002 greeting-informal::" + reports[0].findings[0].message
    )


def test_github_positions_on_line_two(reports):
    lines = github.render([reports[1]]).splitlines()
    a001 = [ln for ln in lines if "title=A001" in ln]
    assert a001[0].startswith(
        "::warning file=messages/two.txt,line=2,col=1,endLine=2,endColumn=3,title=A001 formal-you-lowercase::"
    )
    assert ",line=2,col=32,endLine=2,endColumn=34," in a001[-1]


def test_github_severity_commands():
    base = lint_message(ONE_LINE)[1]
    rep = Report(
        "m.txt",
        ONE_LINE,
        [base.model_copy(update={"severity": s}) for s in ("error", "warning", "info")],
    )
    assert [ln.split(" ", 1)[0] for ln in github.render([rep]).splitlines()] == [
        "::error",
        "::warning",
        "::notice",
    ]


def test_github_escaping():
    base = lint_message(ONE_LINE)[1]  # A006 at 1:7-1:10
    f = base.model_copy(update={"message": "скидка 50%: да, нет\r\nпотом"})
    line = github.render([Report("dir,1/a:b%.txt", ONE_LINE, [f])])
    assert line == (
        "::warning file=dir%2C1/a%3Ab%25.txt,line=1,col=7,endLine=1,endColumn=10,"
        "title=A006 excessive-punctuation::скидка 50%25: да, нет%0D%0Aпотом\n"
    )
    assert len(line.splitlines()) == 1


@pytest.mark.parametrize(
    "raw, data, prop",
    [
        ("100%", "100%25", "100%25"),
        ("%0A", "%250A", "%250A"),  # an escape-looking text is escaped, not kept
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("1\n2\r3", "1%0A2%0D3", "1%0A2%0D3"),
    ],
)
def test_github_escape_functions(raw, data, prop):
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_github_title_is_escaped_as_a_property():
    f = lint_message(ONE_LINE)[1].model_copy(update={"code": "X1", "name": "a,b:c"})
    line = github.render([Report("m.txt", ONE_LINE, [f])])
    assert ",title=X1 a%2Cb%3Ac::" in line


def test_github_stdin_and_transcripts():
    f = lint_message(ONE_LINE)[1]
    stdin = github.render([Report("-", ONE_LINE, [f])])
    assert stdin.startswith("::warning title=A006 excessive-punctuation::")
    t = f.model_copy(update={"message_index": 4, "speaker": "Олег", "conversation_id": "c9"})
    line = github.render([Report("chats/log.csv", "…", [t])])
    assert line.startswith("::warning file=chats/log.csv,title=A006 excessive-punctuation::[c9 #5 Олег] ")
    assert "line=" not in line


def test_github_no_findings_prints_nothing():
    assert github.render([Report("ok.txt", "Здравствуйте!", [])]) == ""


# ------------------------------------------------------------------ statistics


def test_statistics_counts_and_order(reports):
    rows = json.loads(statistics.render(reports, fmt="json"))
    assert rows == [
        {"code": "A001", "name": "formal-you-lowercase", "count": 4, "fixable": True},
        {"code": "A006", "name": "excessive-punctuation", "count": 2, "fixable": True},
        {"code": "E003", "name": "emoji-not-allowed", "count": 2, "fixable": False},
        {"code": "E002", "name": "bracket-smiley", "count": 1, "fixable": False},
        {"code": "G002", "name": "greeting-informal", "count": 1, "fixable": False},
        {"code": "S002", "name": "paragraphs-not-separated", "count": 1, "fixable": True},
    ]
    total = sum(len(r.findings) for r in reports)
    assert sum(r["count"] for r in rows) == total


def test_statistics_text(reports):
    out = statistics.render(reports)
    assert out.splitlines() == [
        "4  A001  [*] formal-you-lowercase",
        "2  A006  [*] excessive-punctuation",
        "2  E003      emoji-not-allowed",
        "1  E002      bracket-smiley",
        "1  G002      greeting-informal",
        "1  S002  [*] paragraphs-not-separated",
        "Found 11 findings (7 fixable with `--fix`).",
    ]
    assert statistics.render(reports, "text") == out


def test_statistics_column_widths_and_ties():
    f = lint_message(ONE_LINE)[1]  # A006
    many = [f] * 12 + [f.model_copy(update={"code": "A001", "name": "formal-you-lowercase"})] * 3
    many += [f.model_copy(update={"code": "E001", "name": "smiley-not-allowed", "fix": None})] * 3
    lines = statistics.render([Report("m.txt", ONE_LINE, many)]).splitlines()
    assert lines[:3] == [
        "12  A006  [*] excessive-punctuation",
        " 3  A001  [*] formal-you-lowercase",
        " 3  E001      smiley-not-allowed",
    ]
    assert lines[-1] == "Found 18 findings (15 fixable with `--fix`)."


def test_statistics_unsafe_fixes_are_not_marked():
    f = lint_message(ONE_LINE)[1]
    unsafe = f.model_copy(update={"fix": f.fix.model_copy(update={"applicability": "unsafe"})})
    out = statistics.render([Report("m.txt", ONE_LINE, [unsafe])])
    assert out.splitlines() == ["1  A006      excessive-punctuation", "Found 1 finding."]


def test_statistics_empty():
    assert statistics.render([Report("ok.txt", "Здравствуйте!", [])]) == "All checked: no findings.\n"
    assert json.loads(statistics.render([], fmt="json")) == []


def test_statistics_unknown_format():
    with pytest.raises(ValueError):
        statistics.render([], fmt="xml")
