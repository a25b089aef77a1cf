"""A whole input that is UTF-8 by its bytes is decoded once (:func:`chatlint.encoding.plain_utf8`):
the same text and encoding as detection and decoding give, and None for every input they
decide otherwise (a BOM, NUL bytes, bytes that are not UTF-8)."""

from __future__ import annotations

import codecs
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatlint import encoding as E

_PIECES = [b"", b"\x00", b"\xff", b"\xfe", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff",
           "Добрый день".encode(), "Добрый день".encode("cp1251"), "заказ".encode("koi8_r"),
           "Привет".encode("utf-16"), "\ufeff".encode(), "😀".encode(), "😀".encode()[:2], b"\n", b"\r\n", b"abc"]
data = st.one_of(st.binary(max_size=64), st.lists(st.sampled_from(_PIECES), max_size=8).map(b"".join))


def _plain(data: bytes):
    """What chatlint check did for a whole small file: detect_file, then decode in its codec."""
    try:
        enc = E.detect_file(io.BytesIO(data))
    except E.EncodingError:
        return None
    if enc.how != "utf-8":
        return None
    text, _ = E.decode(data, enc.codec)
    return text, enc


@settings(max_examples=2000, deadline=None)
@given(data)
def test_the_one_decode_is_detection_and_decoding(b):
    text = E.plain_utf8(b)
    plain = _plain(b)
    if text is None:
        assert plain is None
        # only a BOM, a NUL or a bad byte sends an input to the plain path
        assert b.startswith(codecs.BOM_UTF8) or b"\x00" in b[:8192] or E._utf8_error(b) is not None
    else:
        assert plain == (text, E.UTF8)
        assert E.note("m.txt", E.UTF8) is None


@pytest.mark.parametrize("b", [b"\xef\xbb\xbf\xd0\x94\xd0\xb0", b"ab\x00cd", "Привет".encode("utf-16"),
                               "Привет".encode("cp1251"), b"\xff\xfeA\x00", b"a" * 8191 + b"\x00"])
def test_boms_nuls_and_other_encodings_take_the_plain_path(b):
    assert E.plain_utf8(b) is None


def test_a_nul_past_the_first_8_kb_is_text_as_detection_says():
    b = b"a" * 8192 + b"\x00"
    assert E.plain_utf8(b) == b.decode() and _plain(b) == (b.decode(), E.UTF8)
