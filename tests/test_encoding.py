"""Encodings of the inputs (issue 14): UTF-8 with or without a BOM, UTF-16 with a BOM, cp1251
and koi8-r are detected; ``--encoding`` overrides; the output names an encoding that was not
UTF-8; findings' offsets are in characters of the decoded text."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import encoding
from chatlint.cli import main
from chatlint.readers import FileSource

MESSAGE = "Здравствуйте! Ваш заказ уже передан в службу доставки, ожидайте звонка курьера.\n"
LONG = (
    "Добрый день, меня зовут Ольга. Ваша заявка принята в работу, мастер свяжется с Вами завтра "
    "до полудня и согласует удобное время визита. Если планы изменятся, напишите нам в этот чат.\n"
)


@pytest.mark.parametrize(
    ("data", "codec", "how"),
    [
        (MESSAGE.encode("utf-8"), "utf-8", "utf-8"),
        (b"plain ascii text\n", "utf-8", "utf-8"),
        (b"\xef\xbb\xbf" + MESSAGE.encode("utf-8"), "utf-8-sig", "bom"),
        (MESSAGE.encode("utf-16"), "utf-16", "bom"),
        (b"\xfe\xff" + MESSAGE.encode("utf-16-be"), "utf-16", "bom"),
        (MESSAGE.encode("cp1251"), "cp1251", "detected"),
        (MESSAGE.encode("koi8_r"), "koi8_r", "detected"),
        (LONG.encode("cp1251") * 3, "cp1251", "detected"),
        (LONG.encode("koi8_r") * 3, "koi8_r", "detected"),
        ("Да".encode("koi8_r"), "koi8_r", "detected"),
        ("Да".encode("cp1251"), "cp1251", "detected"),
    ],
)
def test_detect(data, codec, how):
    enc = encoding.detect(data)
    assert (enc.codec, enc.how) == (codec, how)
    text, _ = encoding.decode(data)
    assert text.strip() in (MESSAGE.strip(), (LONG * 3).strip(), "Да", "plain ascii text")


@pytest.mark.parametrize("data", [b"\x00\x01\x02PNG", b"\x98\x01\x02\x03\x04\x05\x06\x07"])
def test_binary_is_an_error_that_says_what_to_do(data):
    with pytest.raises(encoding.EncodingError) as exc:
        encoding.decode(data)
    assert "binary" in str(exc.value) or "--encoding" in str(exc.value)


def test_given_encoding_is_used_strictly():
    text, enc = encoding.decode(MESSAGE.encode("koi8_r"), "koi8-r")
    assert text == MESSAGE and enc.how == "given" and enc.label == "koi8-r"
    with pytest.raises(encoding.EncodingError, match=r"not UTF-8 .*0xc4 at offset 0.*--encoding"):
        encoding.decode("Да".encode("cp1251"), "utf-8")
    with pytest.raises(encoding.EncodingError, match="unknown encoding 'no-such'"):
        encoding.check_name("no-such")


def test_a_stray_byte_past_the_sample_decides_for_the_whole_file():
    """A UTF-8-looking start does not decide alone: the whole file must decode."""
    data = b"ok line\n" * (encoding.SAMPLE_BYTES // 8 + 10) + LONG.encode("cp1251")
    enc = encoding.detect_file(io.BytesIO(data))
    assert enc.codec == "cp1251"


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "cp1251", "koi8_r"])
def test_file_source_lines_are_the_decoded_texts_lines(codec):
    text = "первая строка\r\nвторая\n\nчетвёртая - последняя"
    src = FileSource(io.BytesIO(text.encode(codec)), codec)
    assert list(src.lines()) == text.split("\n")


def test_streamed_lines_across_chunks_match_split():
    text = ("строка номер сколько-то\n" * 60_000) + "хвост"
    assert len(text.encode("utf-16")) > 2 << 20  # several chunks
    assert list(encoding.lines(io.BytesIO(text.encode("utf-16")), "utf-16")) == text.split("\n")


# ------------------------------------------------------------------ through the CLI


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


CSV = (
    "time;author;role;text\n"
    "2026-11-20 10:00:00;Покупатель;client;Добрый день, где мой заказ?\n"
    "2026-11-20 10:00:40;Ольга;operator;привет!!! вы можете проверить статус в личном кабинете)))\n"
)


def test_a_cp1251_csv_saved_from_excel_is_read_without_options(workdir, capsys):
    (workdir / "export.csv").write_bytes(CSV.replace("\n", "\r\n").encode("cp1251"))
    code, out, err = run(capsys, "check", "export.csv", "--format", "json")
    assert code == 1, err
    assert "export.csv: note: read as cp1251 (detected: not UTF-8; give --encoding to override)" in err
    found = json.loads(out)
    a001 = next(f for f in found if f["code"] == "A001")
    text = "привет!!! вы можете проверить статус в личном кабинете)))"
    assert text[a001["start"]:a001["end"]] == "вы"  # characters of the decoded text, not bytes


WHATSAPP = (
    "20.11.2026, 10:00 - Покупатель: Здравствуйте, подскажите, где мой заказ?\n"
    "20.11.2026, 10:01 - Ольга: привет!!! вы можете проверить статус в личном кабинете)))\n"
    "20.11.2026, 10:02 - Покупатель: Спасибо\n"
)


def test_a_utf16_whatsapp_export_is_read_without_options(workdir, capsys):
    (workdir / "chatlint.toml").write_text('operators = ["Ольга"]\n', encoding="utf-8")
    (workdir / "WhatsApp Chat.txt").write_bytes(WHATSAPP.replace("\n", "\r\n").encode("utf-16"))
    code, out, err = run(capsys, "check", "WhatsApp Chat.txt")
    assert code == 1, err
    assert "read as UTF-16 (its byte-order mark" in err
    assert "WhatsApp Chat.txt:2: A001" in out
    assert "conversation" in out or "message 2" in out


def test_encoding_overrides_detection(workdir, capsys):
    (workdir / "msg.txt").write_bytes("вы можете оплатить картой".encode("koi8_r"))
    code, out, err = run(capsys, "check", "msg.txt", "--encoding", "koi8-r", "--format", "json")
    assert "read as koi8-r (--encoding)" in err
    assert [f["code"] for f in json.loads(out)][:1] == ["A001"]
    # the wrong code page, given: it is used (and the text is gibberish, not an A001)
    code, out, err = run(capsys, "check", "msg.txt", "--encoding", "cp1251", "--format", "json")
    assert "A001" not in out


def test_an_unknown_encoding_is_a_usage_error(workdir, capsys):
    (workdir / "msg.txt").write_text("Здравствуйте", encoding="utf-8")
    code, out, err = run(capsys, "check", "msg.txt", "--encoding", "cp9999")
    assert code == 2
    assert err.strip() == (
        "chatlint: error: --encoding: unknown encoding 'cp9999': give a codec name such as utf-8, cp1251, "
        "koi8-r or utf-16"
    )


def test_utf8_input_says_nothing_about_its_encoding(workdir, capsys):
    (workdir / "msg.txt").write_bytes(b"\xef\xbb\xbf" + "вы можете".encode())
    code, out, err = run(capsys, "check", "msg.txt")
    assert "read as" not in err


def test_fix_keeps_the_files_encoding(workdir, capsys):
    (workdir / "msg.txt").write_bytes("Спасибо за ожидание!!!".encode("cp1251"))
    code, out, err = run(capsys, "check", "msg.txt", "--fix")
    assert (workdir / "msg.txt").read_bytes() == "Спасибо за ожидание!".encode("cp1251")


@pytest.mark.parametrize("data", [b"abc", b"\x00", b"a\x00b"])
def test_a_given_utf16_that_does_not_fit_is_a_one_line_error(workdir, capsys, data):
    (workdir / "odd.txt").write_bytes(data)
    code, out, err = run(capsys, "check", "odd.txt", "--encoding", "utf-16")
    assert code == 2, err
    assert "Traceback" not in err and err.startswith("odd.txt: not UTF-16")
    with pytest.raises(encoding.EncodingError):
        encoding.decode(data, "utf-16")

_BOM_PREFIXES = st.sampled_from([b"", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00"])


@settings(max_examples=300, deadline=None)
@given(_BOM_PREFIXES, st.binary(max_size=300),
       st.sampled_from([None, "utf-8", "utf-16", "utf-32", "utf-16-be", "cp1251", "koi8-r", "ascii"]))
def test_any_bytes_decode_or_give_an_encoding_error(prefix, body, given_encoding):
    data = prefix + body
    for call in (lambda: encoding.decode(data, given_encoding),
                 lambda: encoding.detect_file(io.BytesIO(data), given_encoding),
                 lambda: list(encoding.lines(io.BytesIO(data), given_encoding or "utf-8"))):
        try:
            call()
        except encoding.EncodingError:
            pass


def test_sarif_names_the_encoding_assumed(workdir, capsys):
    (workdir / "export.csv").write_bytes(CSV.encode("cp1251"))
    code, out, err = run(capsys, "check", "export.csv", "--format", "sarif")
    assert code == 1, err
    (inv,) = json.loads(out)["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is True  # a note, not a failure
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "note" and note["descriptor"]["id"] == "encoding-assumed"
    assert note["message"]["text"] == "read as cp1251 (detected: not UTF-8; give --encoding to override)"
    assert "export.csv: note: read as cp1251" in err


def test_templates_say_the_encoding_too(workdir, capsys):
    (workdir / "export.csv").write_bytes(CSV.encode("cp1251"))
    code, out, err = run(capsys, "templates", "export.csv")
    assert "export.csv: note: read as cp1251" in err
