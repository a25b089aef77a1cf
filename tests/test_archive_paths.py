"""The quick paths of T013's archive (chatlint.archive) against their plain definitions: the
band keys, the agreement of packed signatures, the bitmaps' bound on shared shingles, and
which group a reply joins (the most similar verified candidate, the later one on a tie)."""

from __future__ import annotations

from operator import eq

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatlint import archive as A

# letters of both alphabets, «ё», digits of several scripts, underscores, punctuation, spaces
_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБЁЯabcXYZ0123456789٣²_-.,!? \n"
texts = st.text(alphabet=_ALPHABET, max_size=120)


def plain_bands(sig):
    return [(b, hash(sig[b * A.ROWS : (b + 1) * A.ROWS])) for b in range(A.BANDS)]


@given(texts)
@settings(max_examples=200, deadline=None)
def test_band_keys_are_the_bands_of_the_signature(text):
    sig = A.signature(A.shingles(text))
    if sig is not None:
        assert A.NearDuplicates()._bands(sig) == plain_bands(sig)


@given(texts, texts)
@settings(max_examples=300, deadline=None)
def test_packed_signatures_agree_where_their_values_do(a, b):
    sa, sb = A.signature(A.shingles(a)), A.signature(A.shingles(b))
    if sa is None or sb is None:
        return
    assert max(sa + sb) < 1 << 60  # the lane arithmetic needs the top bits free
    assert A.unpacked(A.packed(sa)) == sa
    assert A.agreement(A.packed(sa), A.packed(sb)) == sum(map(eq, sa, sb))
    assert A.agreement(A.packed(sa), A.packed(sa)) == A.BINS


def test_agreement_counts_lanes_with_any_bit_different():
    base = tuple(range(A.BINS))
    for k, bit in ((0, 0), (5, 59), (31, 30)):
        other = list(base)
        other[k] ^= 1 << bit
        assert A.agreement(A.packed(base), A.packed(tuple(other))) == A.BINS - 1


def plain_best(index: A.NearDuplicates, text: str):
    """The group ``find`` must answer: over the groups met through the reply's band keys (in
    band order, each once), those whose signature agrees in enough bins and whose exact
    Jaccard similarity is at least the threshold; the most similar, the later one on a tie."""
    sh = A.shingles(text)
    sig = A.signature(sh)
    if sig is None:
        return None
    mine = set(sh)
    best, best_j, seen = None, index.threshold, set()
    for key in plain_bands(sig):
        gid = index._buckets.get(key)
        if gid is None or gid in seen or gid not in index.groups:
            continue
        seen.add(gid)
        g = index.groups[gid]
        if sum(map(eq, sig, A.unpacked(g.signature))) < (index.threshold - 0.35) * A.BINS:
            continue
        theirs = set(g.shingles)
        j = len(mine & theirs) / len(mine | theirs)
        if j >= best_j:
            best, best_j = gid, j
    return best


_PHRASES = [
    "здравствуйте", "спасибо за обращение", "заказ 4471 передан курьеру", "приносим извинения за задержку",
    "ответим в личных сообщениях", "уточните номер заказа", "доставка займёт два дня", "Анна", "Мария",
    "оплата картой доступна", "передали вопрос в отдел логистики", "код придёт в СМС", "до свидания",
]
replies = st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=9).map(", ".join)


@pytest.mark.parametrize("bits", [A.BITMAP, 64])  # 64: shingles collide in the bitmaps all the time
@given(stream=st.lists(replies, min_size=1, max_size=40))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_find_answers_the_most_similar_verified_candidate(monkeypatch, bits, stream):
    monkeypatch.setattr(A, "BITMAP", bits)
    monkeypatch.setattr(A, "_BITMAP_MASK", bits - 1)
    index = A.NearDuplicates(max_groups=12)  # small: groups are dropped too
    for n, text in enumerate(stream):
        found = index.find(text)
        got = found[0].gid if found[0] is not None else None
        assert got == plain_best(index, text)
        index.add(text, A.Ref("c", str(n), n), found)


# shingle hashes whose low bits (the bitmap's bit) often coincide: many collisions on purpose
hashes = st.builds(lambda hi, lo: (hi << 12) | lo, st.integers(0, 2**52 - 1), st.integers(0, 40))


@given(st.sets(hashes, max_size=60), st.sets(hashes, max_size=60), st.sets(hashes, max_size=30))
@settings(max_examples=400, deadline=None)
def test_the_bitmap_bound_is_never_below_the_shared_shingles(a, b, both):
    a, b = a | both, b | both
    bits_a, bits_b = A.bitmap(a), A.bitmap(b)
    lost_a, lost_b = len(a) - bits_a.bit_count(), len(b) - bits_b.bit_count()
    assert (bits_a & bits_b).bit_count() + min(lost_a, lost_b) >= len(a & b)


def test_bitmap_sets_one_bit_per_distinct_position():
    assert A.bitmap([]) == 0
    assert A.bitmap([5, 5 + A.BITMAP, 7]) == (1 << 5) | (1 << 7)
