"""Near-duplicate operator replies across conversations: the state behind T013 and
``chatlint templates`` (issue 15).

A reply is a set of word shingles (pairs of neighbouring words, lower case, «ё» as «е»,
digits as 0, so that order numbers and sums do not hide a template). Two replies are near
duplicates when the Jaccard similarity of their shingle sets is at least ``threshold``.

Finding candidates is MinHash with locality-sensitive hashing, in its one-permutation form
(Li, Owen, Zhang 2012: one hash per shingle, the minimum kept per bin, empty bins filled from
their neighbour) — one hash per shingle instead of one per shingle and permutation, which
makes it several times faster than a k-permutation MinHash in pure Python, and no numpy is
needed. The shingles are a reply's words and word pairs (words alone would miss word order,
pairs alone are too few in a short reply for a steady estimate). ``BINS`` = 32 bins in
``BANDS`` = 16 bands of 2: a pair at similarity 0.5 becomes a candidate with probability
1 - (1 - 0.5²)¹⁶ ≈ 0.99, at 0.2 ≈ 0.48. Every candidate is then verified: one whose
signature is far off or whose bitmap bound (below) cannot reach the similarity needed is
ruled out, any other is compared on the exact shingle sets, so a group never holds a pair
below ``threshold``.

Memory is bounded by groups, not by messages: a reply that joins a group adds a count and
(up to ``MAX_REFS``) a reference; only a reply unlike every group starts one, holding its shingle
hashes (8 bytes each, a few hundred bytes per reply), a 32-value signature packed into one
256-byte integer (compared bin by bin with a few integer operations), a 512-byte bitmap of
the shingles (an exact upper bound on the shingles two replies share: most candidates are
ruled out without the exact intersection) and 16 bucket entries. At ``max_groups`` the least
recently seen group with a single copy is dropped first (a one-off reply seen long ago is not
a template), then the least recently seen group. So an archive of millions of messages is read
in the memory of ``max_groups`` groups: about 3.5 KB each, the reply's text included
(tracemalloc, 5,000 distinct replies of 300-600 characters), some 70 MB at the default 20,000.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b

from .caches import WORD_FORMS
from .compiled import regex

BINS = 32
BANDS = 16
ROWS = BINS // BANDS
MAX_REFS = 20  # references kept per group (the count goes on)
_MASK = (1 << 64) - 1
_BIN_BITS = BINS.bit_length() - 1  # BINS is a power of two: h % BINS, h // BINS as bit operations
_BIN_MASK = BINS - 1
assert 1 << _BIN_BITS == BINS
_WORD = regex(r"\w+")
_DIGITS = regex(r"\d+")


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a copy of a reply was sent: a conversation (and the client it answered), the
    message's index in it, and the file it came from (for ``chatlint templates``)."""

    conversation: str | None
    client: str | None
    index: int
    path: str | None = None


@dataclass(slots=True)
class Group:
    """One reply and its near duplicates."""

    gid: int
    text: str  # the first copy seen
    shingles: array  # sorted 64-bit shingle hashes of the first copy
    signature: int  # the MinHash values packed 64 bits each (:func:`packed`)
    bits: int  # the shingles as a bitmap (:func:`bitmap`)
    lost: int  # shingles that share their bit with another one of the set
    count: int = 0
    conversations: int = 0  # distinct conversations (their messages come together)
    last_conversation: object = None
    refs: list[Ref] = field(default_factory=list)
    wordings: set[int] = field(default_factory=set)  # hashes of the distinct normalised texts (bounded)
    clients: set[tuple[str | None, str | None]] = field(default_factory=set)  # bounded like refs


def words(text: str) -> list[str]:
    """The words a reply is compared by: lower case, «ё» as «е», every number as 0."""
    # numbers are rare: only a word that is not all letters is looked at for digits
    return [w if w.isalpha() else _DIGITS.sub("0", w) for w in _WORD.findall(text.lower().replace("ё", "е"))]


@lru_cache(maxsize=WORD_FORMS)
def _word_hash(w: str) -> int:
    """A stable 64-bit hash of a word (not Python's hash(), which changes between processes)."""
    return int.from_bytes(blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")


def shingles(text: str, ws: list[str] | None = None) -> array:
    """The sorted, distinct 64-bit hashes of a text's words and word pairs; ``ws``: the text's
    :func:`words`, when the caller has them."""
    return _shingles(ws if ws is not None else words(text))[0]


def _shingles(ws: list[str]) -> tuple[array, set[int]]:
    """:func:`shingles` of the words ``ws``, and the same hashes as a set."""
    hs = list(map(_word_hash, ws))
    # the words and their pairs; a tuple of ints hashes the same in every process (unlike a
    # str): xxHash-style mixing in C
    found = {*hs, *[h & _MASK for h in map(hash, zip(hs, hs[1:], strict=False))]}
    return array("Q", sorted(found)), found


def signature(sh: array) -> tuple[int, ...] | None:
    """One-permutation MinHash of a shingle set: the smallest hash in each of ``BINS`` bins,
    an empty bin taking its right neighbour's value (rotation densification)."""
    if not sh:
        return None
    # the shingles are sorted, and within a bin a smaller hash has a smaller value: walking
    # them from the largest down, the last value written to a bin is its minimum
    low = {h & _BIN_MASK: h >> _BIN_BITS for h in reversed(sh)}
    mins = [low.get(b, _MASK) for b in range(BINS)]
    if len(low) < BINS:
        for b in range(BINS):
            if mins[b] == _MASK:
                k = 1
                while mins[(b + k) % BINS] == _MASK:
                    k += 1
                mins[b] = mins[(b + k) % BINS] + k  # offset: a borrowed value differs from its source bin
    return tuple(mins)


# A signature's values are below 2**60 (a hash shifted right by _BIN_BITS, plus a borrowed bin's
# small offset), so, packed 64 bits apiece into one integer, the bins where two signatures
# differ are counted with a few whole-integer operations instead of a loop over 32 values:
# x = a ^ b has a non-zero lane exactly where they differ, and adding 2**60 - 1 to every lane
# carries into the lane's bit 60 exactly when the lane is non-zero (no carry leaves a lane).
_LANE = 64
_LANE_LOW = sum(((1 << 60) - 1) << (_LANE * b) for b in range(BINS))
_LANE_TOP = sum(1 << (60 + _LANE * b) for b in range(BINS))


def packed(sig: tuple[int, ...]) -> int:
    """A signature as one integer, 64 bits a value, the first value lowest."""
    return int.from_bytes(array("Q", sig).tobytes(), "little")


def unpacked(p: int) -> tuple[int, ...]:
    return tuple(array("Q", p.to_bytes(BINS * _LANE // 8, "little")))


def agreement(a: int, b: int) -> int:
    """In how many bins two packed signatures agree."""
    return BINS - (((a ^ b) + _LANE_LOW) & _LANE_TOP).bit_count()


# An exact bound on how many shingles two sets share, from their bitmaps. Each shingle sets bit
# ``h mod BITMAP`` of its set's bitmap; a shared shingle sets the same bit in both, so the shared
# shingles occupy at least (shared - lost) of the bits the two bitmaps have in common, where
# ``lost`` counts the shingles of one set that fell on a bit already taken in that set. So
# ``popcount(a & b) + min(lost_a, lost_b)`` is never below the true number. With 4,096 bits and
# ~130 shingles a reply, the bound exceeds it by ~6 (bits shared by chance, and collisions): a
# candidate that could not reach the threshold even then needs no exact intersection.
BITMAP = 4096
_BITMAP_MASK = BITMAP - 1
_BYTE_BIT = tuple(1 << i for i in range(8))


def bitmap(shingles) -> int:
    """The shingles as one integer with bit ``h mod BITMAP`` set for each hash ``h``."""
    bits = bytearray(BITMAP // 8)
    byte_bit = _BYTE_BIT
    for h in shingles:
        p = h & _BITMAP_MASK
        bits[p >> 3] |= byte_bit[p & 7]
    return int.from_bytes(bits, "little")


def jaccard(a: array, b: array) -> float:
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


class NearDuplicates:
    """Groups of near-duplicate replies, bounded in memory (see the module's docstring)."""

    def __init__(self, threshold: float = 0.5, max_groups: int = 20_000) -> None:
        self.threshold = threshold
        self.max_groups = max_groups
        self.groups: OrderedDict[int, Group] = OrderedDict()  # least recently seen first
        self._singles: OrderedDict[int, None] = OrderedDict()  # groups of one copy, least recent first
        self._buckets: dict[tuple[int, int], int] = {}
        self._next = 0
        self.dropped = 0  # groups dropped to keep the bound

    def __len__(self) -> int:
        return len(self.groups)

    def _bands(self, sig: tuple[int, ...]) -> list[tuple[int, int]]:
        # (band, hash of its ROWS values): the tuples of a band's values made by zip, in C
        return list(zip(range(BANDS), map(hash, zip(*[iter(sig)] * ROWS, strict=False)), strict=True))

    def find(self, text: str, ws: list[str] | None = None) -> tuple:
        """The group a reply belongs to (the most similar verified candidate), and what
        :meth:`add` needs of the reply (its shingles, signature, wording and bitmap)."""
        if ws is None:
            ws = words(text)
        sh, mine = _shingles(ws)
        sig = signature(sh)
        wording = hash(" ".join(ws))
        if sig is None:
            return None, sh, None, wording, (0, 0)
        best, best_j = None, self.threshold
        n = len(mine)
        bits = bitmap(mine)
        lost = n - bits.bit_count()
        seen: set[int] = set()
        enough = (self.threshold - 0.35) * BINS
        mine_packed = packed(sig)
        for key in self._bands(sig):
            gid = self._buckets.get(key)
            if gid is None or gid in seen:
                continue
            seen.add(gid)
            g = self.groups.get(gid)
            if g is None:
                continue
            # the signatures estimate the similarity: far below the threshold, skip the exact test
            if agreement(mine_packed, g.signature) < enough:
                continue
            # at most this many shingles shared: if even that is less similar than the best
            # so far (or the threshold), the exact count cannot be as similar
            m = len(g.shingles)
            shared = (bits & g.bits).bit_count() + min(lost, g.lost)
            if shared < best_j * (n + m - shared) - 1e-9:
                continue
            inter = len(mine.intersection(g.shingles))
            j = inter / (n + m - inter)
            if j >= best_j:
                best, best_j = gid, j
        return (self.groups[best] if best is not None else None), sh, sig, wording, (bits, lost)

    def add(self, text: str, ref: Ref, found=None) -> Group | None:
        """Count a reply (in its group, or in a new one); ``found`` is :meth:`find`'s answer
        when the caller already asked. None for a reply without words."""
        group, sh, sig, wording, (bits, lost) = found if found is not None else self.find(text)
        if sig is None:
            return None
        if group is None:
            gid = self._next
            self._next += 1
            group = Group(gid, text, sh, packed(sig), bits, lost)
            self.groups[gid] = group
            self._singles[gid] = None
            for key in self._bands(sig):
                self._buckets.setdefault(key, gid)
            self._trim()
        else:
            self.groups.move_to_end(group.gid)
            self._singles.pop(group.gid, None)
        group.count += 1
        key = (ref.path, ref.conversation)
        if group.conversations == 0 or key != group.last_conversation:
            group.conversations += 1
            group.last_conversation = key
        if len(group.refs) < MAX_REFS:
            group.refs.append(ref)
        if len(group.wordings) < MAX_REFS:
            group.wordings.add(wording)
        if len(group.clients) < MAX_REFS:
            group.clients.add((ref.conversation, ref.client))
        return group

    def _trim(self) -> None:
        while len(self.groups) > self.max_groups:
            # the oldest one-off reply first (not the one just added), else the oldest group
            victim = next(iter(self._singles)) if len(self._singles) > 1 else next(iter(self.groups))
            self._singles.pop(victim, None)
            g = self.groups.pop(victim)
            for key in self._bands(unpacked(g.signature)):
                if self._buckets.get(key) == victim:
                    del self._buckets[key]
            self.dropped += 1
