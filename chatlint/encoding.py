"""Which encoding an input file is in, and its text or lines decoded.

Russian QA leads get exports in UTF-8 (with or without a BOM), in UTF-16 (Windows tools,
some WhatsApp exports: always with a BOM) and in the Cyrillic single-byte code pages: cp1251
(Excel's «CSV (разделители — запятые)» on a Russian Windows) and koi8-r (old mail and Unix
tools). The order of the decision:

1. ``--encoding`` (``encoding=``): that codec, strictly (an undecodable byte is an error that
   names its offset);
2. a byte-order mark: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE;
3. valid UTF-8: UTF-8 (ASCII is UTF-8);
4. a NUL byte without a BOM: binary, not text;
5. else ``charset-normalizer``, asked to choose between the Cyrillic code pages only
   (:data:`SINGLE_BYTE`); on a short sample, where its statistics have little to go on, the
   code page whose reading is cased most like Russian (mostly lower case, no capital inside
   a word: cp1251 read as koi8-r, or the reverse, swaps the cases);
6. nothing fits: :class:`EncodingError` saying what to do.

The decoded text is what findings' offsets count in (characters, never bytes). A file
that is not UTF-8 gets a note naming the encoding assumed (:func:`note`).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from .errors import InputError

#: The code pages chosen among when a file is neither UTF-8 nor marked by a BOM.
SINGLE_BYTE = ("cp1251", "koi8_r")
#: Bytes of the file detection looks at (its beginning); the rest is then checked to decode.
SAMPLE_BYTES = 256 * 1024
#: Below this many non-ASCII bytes the lower-case heuristic decides, not the statistics.
SHORT_SAMPLE = 64

_BOMS = (
    # longest first: UTF-32 LE's BOM begins with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LABELS = {"utf_8": "UTF-8", "utf_8_sig": "UTF-8 (BOM)", "utf_16": "UTF-16", "utf_32": "UTF-32",
           "utf_16_le": "UTF-16LE", "utf_16_be": "UTF-16BE", "cp1251": "cp1251", "koi8_r": "koi8-r"}


class EncodingError(InputError):
    """The bytes are not text in any encoding chatlint reads (or not in the one given)."""


@dataclass(frozen=True, slots=True)
class Encoding:
    """An input's encoding: ``codec`` for Python, ``how`` it was decided (``"given"``:
    ``--encoding``; ``"bom"``; ``"utf-8"``: the bytes are valid UTF-8; ``"detected"``)."""

    codec: str
    how: str

    @property
    def label(self) -> str:
        """The name shown to users: ``cp1251``, ``koi8-r``, ``UTF-16``…"""
        return label(self.codec)

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.codec).name in ("utf-8", "utf-8-sig")


def label(codec: str) -> str:
    name = codecs.lookup(codec).name.replace("-", "_")
    return _LABELS.get(name, codecs.lookup(codec).name)


def check_name(name: str) -> str:
    """The Python codec of a user's ``--encoding`` value (``cp1251``, ``windows-1251``,
    ``koi8-r``, ``utf-16``…), or :class:`EncodingError` naming the value."""
    try:
        info = codecs.lookup(name.strip())
    except LookupError:
        raise EncodingError(
            f"unknown encoding {name!r}: give a codec name such as utf-8, cp1251, koi8-r or utf-16"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise EncodingError(f"{name!r} is not a text encoding: give one such as utf-8, cp1251, koi8-r or utf-16")
    return info.name


def note(display: str, enc: Encoding) -> str | None:
    """The line that tells the user which encoding was assumed, when it was not UTF-8."""
    if enc.is_utf8:
        return None
    if enc.how == "given":
        return f"{display}: note: read as {enc.label} (--encoding)"
    why = "its byte-order mark" if enc.how == "bom" else "detected: not UTF-8"
    return f"{display}: note: read as {enc.label} ({why}; give --encoding to override)"


# ------------------------------------------------------------------ detection


def _bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _utf8_error(data: bytes, final: bool = True) -> int | None:
    """The offset of the first byte that is not UTF-8, or None (a character cut at the end of
    a sample that is not ``final`` is not an error)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not final and exc.reason == "unexpected end of data":
            return None
        return exc.start
    return None


def _russian_case_score(text: str) -> int:
    """How much ``text`` is cased like Russian: a lower-case Cyrillic letter counts one, a
    capital right after a letter («дБ», what cp1251 makes of koi8-r's «Да») minus two."""
    score = 0
    prev_letter = False
    for c in text:
        if "\u0400" <= c <= "\u04ff":
            if c.islower():
                score += 1
            elif prev_letter:
                score -= 2
        prev_letter = c.isalpha()
    return score


def guess_single_byte(data: bytes, candidates: tuple[str, ...] = SINGLE_BYTE) -> str | None:
    """The Cyrillic code page ``data`` is most likely in (``cp1251`` or ``koi8_r``), or None
    when it reads as text in none of them (binary). For e-mail bodies whose declared charset
    is wrong or missing, too."""
    sample = data[:SAMPLE_BYTES]
    readable = []
    for codec in candidates:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if sum(ch < " " and ch not in "\t\r\n\f" for ch in text) > max(2, len(text) // 100):
            continue  # control characters: not text
        readable.append((codec, text))
    if not readable:
        return None
    if len(readable) == 1:
        return readable[0][0]
    if sum(b >= 0x80 for b in sample) < SHORT_SAMPLE:
        return max(readable, key=lambda ct: _russian_case_score(ct[1]))[0]
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=[c for c, _ in readable]).best()
    if best is None:
        return None
    return codecs.lookup(best.encoding).name.replace("-", "_")


def detect(data: bytes, complete: bool = True) -> Encoding:
    """The encoding of ``data`` (the whole input, or its beginning with ``complete=False``)."""
    bom = _bom(data)
    if bom is not None:
        return Encoding(bom, "bom")
    if b"\x00" in data[:8192]:
        raise EncodingError("binary file (NUL bytes): not text")
    bad = _utf8_error(data, final=complete)
    if bad is None:
        return Encoding("utf-8", "utf-8")
    codec = guess_single_byte(data)
    if codec is None:
        raise EncodingError(
            f"not text: not UTF-8 (invalid byte 0x{data[bad]:02x} at offset {bad}), nor UTF-16, cp1251 or koi8-r; "
            "give its encoding with --encoding, or save it as UTF-8"
        )
    return Encoding(codec, "detected")


#: What :func:`detect` decides for bytes that are UTF-8 by themselves.
UTF8 = Encoding("utf-8", "utf-8")


def plain_utf8(data: bytes) -> str | None:
    """The text of ``data`` (a whole input) when :func:`detect` decides UTF-8 by its bytes (no
    BOM, no NUL in its first 8 KB, valid UTF-8: :data:`UTF8`, no note) and :func:`decode` gives
    this text; else None (ask :func:`detect_file`). One decode, for the message files of a run:
    pinned against detect and decode by tests/test_encoding_fast.py."""
    if b"\x00" in data[:8192]:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if text.startswith("\ufeff") else text  # a UTF-8 BOM (no other BOM is UTF-8)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, Encoding]:
    """The text of ``data`` (a BOM removed) and its encoding: ``encoding`` if given, else
    detected. Raises :class:`EncodingError` with the offset of a byte that does not decode."""
    if encoding is not None:
        enc = Encoding(check_name(encoding), "given")
    else:
        enc = detect(data)
    codec = enc.codec
    if enc.is_utf8:
        codec = "utf-8-sig"  # a BOM is never text
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _undecodable(enc, exc.start, data[exc.start]) from None
    except UnicodeError:  # UTF-16/32 cut short
        raise _undecodable(enc, 0, data[0] if data else 0) from None
    if enc.how != "bom" and codecs.lookup(codec).name in ("utf-16", "utf-32") and text.startswith("\ufeff"):
        text = text[1:]
    return text, enc


def _undecodable(enc: Encoding, offset: int, byte: int) -> EncodingError:
    if enc.how == "given":
        return EncodingError(f"not {enc.label} (invalid byte 0x{byte:02x} at offset {offset}): check --encoding")
    return EncodingError(
        f"not {enc.label} (invalid byte 0x{byte:02x} at offset {offset}): give its encoding with --encoding"
    )


# ------------------------------------------------------------------ files, streamed


def detect_file(fh: IO[bytes], encoding: str | None = None) -> Encoding:
    """The encoding of a seekable binary file, read once in chunks (memory: one chunk): its
    beginning decides (as :func:`detect`), then the whole file must decode in it (a UTF-8
    file with one stray cp1251 byte after the sample is then read as cp1251). Raises
    :class:`EncodingError`. The file is left at its start."""
    fh.seek(0)
    head = fh.read(SAMPLE_BYTES)
    if encoding is not None:
        enc = Encoding(check_name(encoding), "given")
        if b"\x00" in head[:8192] and not enc.codec.startswith(("utf-16", "utf-32")):
            raise EncodingError("binary file (NUL bytes): not text")
        if enc.codec in ("utf-16", "utf-32") and _bom(head) != enc.codec:
            enc = Encoding(enc.codec + "-le", "given")  # no BOM: little-endian, as bytes.decode reads it
    else:
        enc = detect(head, complete=len(head) < SAMPLE_BYTES)
        if enc.how == "utf-8" and len(head) < SAMPLE_BYTES:
            fh.seek(0)
            return enc  # the sample is the whole file, and detect decoded all of it
    bad = _first_undecodable(fh, enc.codec)
    if bad is not None and enc.how == "utf-8":
        # valid UTF-8 at the start only: decide again on the whole file's sample around the fault
        offset, _ = bad
        fh.seek(max(0, offset - SAMPLE_BYTES // 2))
        around = fh.read(SAMPLE_BYTES)
        codec = guess_single_byte(head[:SAMPLE_BYTES // 2] + around)
        if codec is not None:
            enc = Encoding(codec, "detected")
            bad = _first_undecodable(fh, codec)
    fh.seek(0)
    if bad is not None:
        offset, byte = bad
        if enc.how == "utf-8":
            raise EncodingError(
                f"not UTF-8 (invalid byte 0x{byte:02x} at offset {offset}): give its encoding with --encoding"
            )
        raise _undecodable(enc, offset, byte)
    return enc


def _first_undecodable(fh: IO[bytes], codec: str) -> tuple[int, int] | None:
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    while True:
        chunk = fh.read(1 << 20)
        pending = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            start = offset - pending + exc.start
            return start, exc.object[exc.start]
        except UnicodeError:  # UTF-16/32 without a BOM, cut short: no character to name
            return offset, chunk[0] if chunk else 0
        if not chunk:
            return None
        offset += len(chunk)


def lines(fh: IO[bytes], codec: str) -> Iterator[str]:
    """The lines of a seekable binary file in ``codec``, split on ``\\n`` with the ``\\n``
    dropped (a ``\\r`` before it kept) as ``text.split("\\n")`` gives them, a BOM removed:
    memory is one chunk and one line, whatever the size of the file."""
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    pending = ""
    first = True
    while True:
        chunk = fh.read(1 << 20)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeError as exc:  # UTF-16/32 without its BOM (detect_file avoids it)
            raise EncodingError(f"not {label(codec)}: {exc}") from None
        if first and text:
            first = False
            if text.startswith("\ufeff"):
                text = text[1:]
        pending += text
        *done, pending = pending.split("\n")
        yield from done
        if not chunk:
            yield pending
            return
