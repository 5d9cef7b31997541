"""Throughput of gathering: fetching from a local outlet, and streaming a WARC archive, with memory.

Usage:  python benchmarks/sources_benchmark.py [--pages 200] [--records 3000]

Everything runs on 127.0.0.1 and in a temporary folder: a local HTTP server
serves --pages article pages (no per-host spacing, to measure the fetcher,
not the politeness delay); a WARC of --records response records (a third film
pages, a third politics pages, a third images) is written and streamed. Prints
pages/s, records/s and the peak resident memory after each thousand records,
which should stay flat.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.core.fetching import FetchSettings, PoliteFetcher  # noqa: E402
from pipeline.core.sources import keep_if_relevant  # noqa: E402
from pipeline.core.warc import archived_html_pages  # noqa: E402
from tests.fake_outlet import FakeOutlet  # noqa: E402
from tests.newsroom import HARBOR_LIGHTS, news_page  # noqa: E402
from tests.warc_writer import http_response, warc_record, write_warc  # noqa: E402

POLITICS = ["Senators postponed the budget vote as lawmakers argued over taxes and the governor threatened a veto. " * 4]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--records", type=int, default=3000)
    args = parser.parse_args()
    page = news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS)

    with FakeOutlet() as outlet:
        for i in range(args.pages):
            outlet.page(f"/film/story-{i}", page)
        fetcher = PoliteFetcher(["127.0.0.1"], FetchSettings(allow_loopback=True, min_interval=0.0))
        started = time.perf_counter()
        fetched = sum(fetcher.fetch(f"{outlet.base}/film/story-{i}").status == "fetched" for i in range(args.pages))
        fetch_seconds = time.perf_counter() - started
    print(f"fetch: {fetched}/{args.pages} pages in {fetch_seconds:.2f} s = {fetched / fetch_seconds:.0f} pages/s "
          f"(robots.txt read once; with the default 2 s spacing one host gives 0.5 pages/s)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        records = []
        for i in range(args.records):
            if i % 3 == 0:
                body = news_page(f"Harbor Lights Update {i}", [f"Update {i}. " + p for p in HARBOR_LIGHTS]).encode()
                records.append(warc_record(f"https://reelledger.example/film/u-{i}", http_response(body)))
            elif i % 3 == 1:
                body = news_page(f"Budget Vote {i}", [f"Item {i}. " + p for p in POLITICS]).encode()
                records.append(warc_record(f"https://dailyplanet.example/politics/v-{i}", http_response(body)))
            else:
                records.append(warc_record(f"https://dailyplanet.example/img/{i}.png", http_response(b"\x89PNG", "image/png")))
        archive = write_warc(tmp / "bench.warc.gz", records)
        del records
        size_mb = archive.stat().st_size / 1e6
        started = time.perf_counter()
        pages = kept = 0
        memory = []
        for page_ in archived_html_pages(archive):
            pages += 1
            kept += keep_if_relevant(tmp / "landing", page_.fetched.date(), page_.url, page_.html, "bench", False).status == "landed"
            if pages % 1000 == 0:
                memory.append(rss_mb())
        warc_seconds = time.perf_counter() - started
    print(f"warc:  {args.records} records ({size_mb:.1f} MB gzipped), {pages} HTML pages scored, {kept} kept, "
          f"in {warc_seconds:.2f} s = {args.records / warc_seconds:.0f} records/s, {pages / warc_seconds:.0f} pages/s "
          "(extraction and relevance included)")
    print(f"peak RSS every 1000 pages (MB): {', '.join(f'{m:.0f}' for m in memory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
