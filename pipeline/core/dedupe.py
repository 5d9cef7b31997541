"""Finding syndicated copies: the same story re-published under other boilerplate.

Wire stories and trade exclusives are re-posted with a new headline, a
paragraph cut or an added "Related:" line. Exact hashing misses those, so each
body gets a MinHash signature over word 5-gram shingles (datasketch); the
signature is cut into LSH bands whose hashes are stored, so candidate copies
are found by an indexed lookup instead of comparing against every article.
Candidates are then confirmed on the real shingles by containment (the share
of the shorter text found in the longer), which tolerates cut paragraphs but
keeps apart two different articles about the same film, which share names and
a phrase or two but not whole paragraphs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from murmurhash.mrmr import hash_unicode

SHINGLE_WORDS = 5
NUM_PERMUTATIONS = 128
# 32 bands of 4 rows: pairs with Jaccard above ~0.42 share a band with high
# probability, low enough to catch a copy with a paragraph or two cut.
LSH_BANDS = 32
# Share of the shorter article's shingles that must appear in the other.
CONTAINMENT_THRESHOLD = 0.8
# Below this many shingles a body is too short to call a copy by overlap alone.
MIN_SHINGLES = 8


# Landed articles compared exactly with each new one, those sharing the most LSH bands first:
# a copy shares far more bands than articles that merely share boilerplate, so it ranks among them.
MAX_CANDIDATES = 50


Rank = tuple  # (undated, published_date, sequence, article_id): smaller is earlier


def precedence(published: dt.date | None, sequence: int, article_id: str) -> Rank:
    """Earliest publication wins; undated articles come after dated ones; then first landed."""
    return (published is None, published or dt.date.min, sequence, article_id)


@dataclass(frozen=True)
class DedupeCandidate:
    """A landed article sharing an LSH band with a new one, with its cluster root's rank."""

    article_id: str
    text: str
    root_id: str
    root_rank: Rank


@dataclass(frozen=True)
class DedupeResult:
    duplicate_of: dict[str, str | None]  # for each new article
    # Landed cluster roots that a new article predates: old root -> new root.
    repointed_roots: dict[str, str]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def lsh_band_hashes(body_shingles: set[str]) -> list[int]:
    """One signed 64-bit hash per LSH band of the MinHash signature of a body's shingles."""
    # Imported here: datasketch loads scipy (0.4 s), which a run with no new article need not pay.
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERMUTATIONS, seed=1)
    minhash.update_batch([s.encode("utf-8") for s in body_shingles])
    rows = NUM_PERMUTATIONS // LSH_BANDS
    values = np.asarray(minhash.hashvalues, dtype=np.uint64)
    return [
        int.from_bytes(hashlib.blake2b(values[band * rows:(band + 1) * rows].tobytes(), digest_size=8).digest(), "big", signed=True)
        for band in range(LSH_BANDS)
    ]


def fingerprints(body_shingles: set[str]) -> np.ndarray:
    """A body's shingles as a sorted array of 64-bit hashes (two seeds of MurmurHash3, stable across
    runs and machines): 4 KB an article where the set of strings takes 70 KB, so the cache of landed
    articles' shingles stays small however big the corpus. Two shingles of 5 words sharing a hash are
    ~10^-14 likely in a comparison: the share of shared shingles is, in effect, exact."""
    values = np.fromiter(
        ((hash_unicode(s, 0) << 32) | (hash_unicode(s, 1) & 0xFFFFFFFF) for s in body_shingles),
        dtype=np.int64, count=len(body_shingles),
    )
    return np.unique(values)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """The share of the shorter body's shingles found in the other, from their fingerprints."""
    if not len(a) or not len(b):
        return 0.0
    return np.intersect1d(a, b, assume_unique=True).size / min(len(a), len(b))


def is_same_story(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two bodies, given as ``fingerprints``, tell the same story."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return np.array_equal(a, b)
    return containment(a, b) >= CONTAINMENT_THRESHOLD


class ShingleCache:
    """Shingle fingerprints of landed articles, kept across the batches of one run, the least recently
    used dropped beyond ``capacity``: an article shares LSH bands with many new ones when they
    share boilerplate, and shingling it again for every batch made ingest grow with the corpus.
    Bounded, and compact (``fingerprints``), so memory does not."""

    def __init__(self, capacity: int = 2000):
        self.capacity = capacity
        self._sets: "OrderedDict[str, np.ndarray]" = OrderedDict()

    def get(self, article_id: str, text: str) -> np.ndarray:
        found = self._sets.get(article_id)
        if found is None:
            found = self._sets[article_id] = fingerprints(shingles(text))
            if len(self._sets) > self.capacity:
                self._sets.popitem(last=False)
        else:
            self._sets.move_to_end(article_id)
        return found


@dataclass
class _Seen:
    article_id: str
    shingles: np.ndarray  # fingerprints
    bands: set[int]
    root_id: str


def assign_duplicates(
    articles: Sequence[tuple[str, dt.date | None, str]],
    find_landed_candidates: Callable[[list[int]], Iterable[DedupeCandidate]],
    band_hashes: dict[str, list[int]] | None = None,
    landed_shingles: ShingleCache | None = None,
    new_shingles: dict[str, set[str]] | None = None,
) -> DedupeResult:
    """Decide ``duplicate_of`` for new articles given as ``(article_id, published_date, text)``.

    ``find_landed_candidates(band_hashes)`` returns landed articles sharing at
    least one band (the warehouse answers it from its band index). Articles
    are taken in precedence order, so ``duplicate_of`` always names the
    earliest version (a cluster root), never a copy of a copy. When a new
    article predates a landed root, it becomes the root and the result says
    which landed root to re-point. ``band_hashes`` are the articles' bands when the caller
    has computed them already, ``new_shingles`` likewise the new articles' shingle sets;
    ``landed_shingles`` keeps landed articles' shingles across batches.
    """
    ranks: dict[str, Rank] = {}
    for sequence, (article_id, published, _text) in enumerate(articles, start=1):
        ranks[article_id] = precedence(published, sequence, article_id)
    superseded: dict[str, str] = {}  # root -> the root that now leads its cluster

    def current_root(root: str) -> str:
        while root in superseded:
            root = superseded[root]
        return root

    seen: list[_Seen] = []
    landed_roots: set[str] = set()
    landed_shingles = landed_shingles if landed_shingles is not None else ShingleCache()
    for article_id, _published, text in sorted(articles, key=lambda a: ranks[a[0]]):
        own_shingles = (new_shingles or {}).get(article_id) or shingles(text)
        bands = (band_hashes or {}).get(article_id) or lsh_band_hashes(own_shingles)
        own = fingerprints(own_shingles)
        matched_roots: set[str] = set()
        for candidate in find_landed_candidates(bands):
            if candidate.article_id == article_id:
                continue
            if is_same_story(own, landed_shingles.get(candidate.article_id, candidate.text)):
                ranks.setdefault(candidate.root_id, candidate.root_rank)
                landed_roots.add(candidate.root_id)
                matched_roots.add(current_root(candidate.root_id))
        band_set = set(bands)
        for earlier in seen:
            if band_set & earlier.bands and is_same_story(own, earlier.shingles):
                matched_roots.add(current_root(earlier.root_id))
        leader = min(matched_roots | {article_id}, key=ranks.__getitem__)
        for root in matched_roots - {leader}:
            superseded[root] = leader
        seen.append(_Seen(article_id, own, band_set, leader))

    duplicate_of = {}
    for entry in seen:
        root = current_root(entry.root_id)
        duplicate_of[entry.article_id] = None if root == entry.article_id else root
    repointed = {root: current_root(root) for root in landed_roots if current_root(root) != root}
    return DedupeResult(duplicate_of=duplicate_of, repointed_roots=repointed)
