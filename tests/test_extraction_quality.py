"""Our extraction against plain trafilatura defaults on the real gold pages in ../shared.

The full table (and timings) comes from benchmarks/extraction_benchmark.py;
this test holds the line the README promises: never worse than the defaults.
"""

from __future__ import annotations

import pytest

from .harness import SHARED

PAGES = SHARED / "data" / "film-pages"
pytestmark = pytest.mark.skipif(not (PAGES / "scrapinghub-aeb").is_dir(), reason="../shared/data/film-pages is not beside the project")


def test_body_and_metadata_at_least_as_good_as_trafilatura_defaults():
    from benchmarks import extraction_benchmark as bench

    pages = bench.load_pages(PAGES)
    body_pages = [p for p in pages if p.body is not None]
    ours = bench.run_ours(bench.ExtractionSettings())
    scores = {}
    for label, extract in (("defaults", bench.run_defaults), ("ours", ours)):
        results = {p.path: extract(bench.read_html(p.path)) for p in pages}
        _, _, f1 = bench.body_scores([results[p.path].get("body") for p in body_pages], [p.body for p in body_pages])
        metadata_hits = sum(
            bench.fold(results[p.path].get(field)) == bench.fold(getattr(p, field))
            for p in pages for field in ("title", "author", "date") if getattr(p, field)
        )
        scores[label] = (f1, metadata_hits)
    assert scores["ours"][0] >= scores["defaults"][0]
    assert scores["ours"][1] >= scores["defaults"][1]
    assert scores["ours"][0] >= 0.95
