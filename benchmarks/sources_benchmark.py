"""Throughput of gathering: fetching from a local outlet, and streaming a WARC archive, with memory.

Usage:  python benchmarks/sources_benchmark.py [--pages 200] [--records 3000]
        python benchmarks/sources_benchmark.py --hostile

--hostile measures, with the default settings, how long gathering takes to give up on
a hostile outlet on 127.0.0.1: a sitemap index that lists itself (and a cycle), a server
dripping a byte a second in its headers or its body, a name that resolves elsewhere the
second time (DNS rebinding); then a whole fetched_pages run on such an outlet, how long it
held the warehouse's write lock, and how long another process waited to open the warehouse.

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
    parser.add_argument("--hostile", action="store_true", help="time to give up on hostile outlets (about 3 minutes)")
    args = parser.parse_args()
    if args.hostile:
        return hostile_outlets()
    page = news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS)

    with FakeOutlet() as outlet:
        for i in range(args.pages):
            outlet.page(f"/film/story-{i}", page)
        fetcher = PoliteFetcher(["127.0.0.1"], FetchSettings(allow_private_address=True, min_interval=0.0))
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


def hostile_outlets() -> int:
    import datetime as dt
    import subprocess
    import threading

    from dagster import materialize

    from pipeline.core.sources import gather_days, load_sources_config
    from pipeline.defs.gather.assets import fetched_pages
    from pipeline.definitions import build_resources
    from pipeline.resources import NewsSources
    from tests.fake_outlet import drip_in_body, drip_in_headers

    defaults = FetchSettings()
    print(f"defaults: deadline {defaults.deadline_per_url:.0f} s per URL, {defaults.max_requests} requests and "
          f"{defaults.max_seconds:.0f} s per outlet and run, {defaults.min_interval:.0f} s between requests to a host")
    opted_in = replace_settings(defaults, allow_private_address=True)  # the servers are on 127.0.0.1

    with tempfile.TemporaryDirectory() as tmp, FakeOutlet() as outlet:
        tmp = Path(tmp)
        index = "<sitemapindex>" + "".join(f"<sitemap><loc>{outlet.base}{p}</loc></sitemap>"
                                           for p in ("/sitemap.xml", "/sitemap-b.xml")) + "</sitemapindex>"
        outlet.xml("/sitemap.xml", index)
        outlet.xml("/sitemap-b.xml", index)
        outlets = tmp / "outlets.yaml"
        outlets.write_text(f"outlets:\n  - name: Loop\n    hosts: ['127.0.0.1']\n    sitemaps: ['{outlet.base}/sitemap.xml']\n"
                           "    allow_private_address: true\n")
        started = time.perf_counter()
        result = gather_days(load_sources_config(outlets), dt.date.today(), dt.date.today(), tmp / "landing",
                             already_gathered=lambda urls: set(), take_undated=True)
        print(f"self-listing sitemap index and a cycle: ended after {time.perf_counter() - started:.1f} s, "
              f"{result.requests} requests (robots.txt and each sitemap once; the 2 s spacing is most of it)")

        for drip in (drip_in_headers, drip_in_body):
            outlet.routes["/drip"] = drip
            started = time.perf_counter()
            fetched = PoliteFetcher(["127.0.0.1"], opted_in).fetch(outlet.base + "/drip", check_robots=False)
            print(f"{drip.__name__.replace('_', ' ')}, a byte a second: gave up after "
                  f"{time.perf_counter() - started:.1f} s ({fetched.reason})")

        answers = []

        def rebinding(host):
            answers.append(host)
            return ["127.0.0.1"] if len(answers) == 1 else ["127.0.0.2"]

        outlet.page("/film/a", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
        started = time.perf_counter()
        fetched = PoliteFetcher(["localhost"], opted_in, resolve=rebinding).fetch(
            f"http://localhost:{outlet.port}/film/a", check_robots=False)
        print(f"rebinding (127.0.0.1 when checked, 127.0.0.2 after), outlet opted in to loopback: {fetched.status} "
              f"from the checked address in {time.perf_counter() - started:.2f} s, the name resolved {len(answers)} time(s)")
        started = time.perf_counter()
        refused = PoliteFetcher(["localhost"], defaults, resolve=lambda host: ["127.0.0.1"]).fetch(
            f"http://localhost:{outlet.port}/film/a", check_robots=False)
        print(f"the same name without the opt-in: {refused.status} in {time.perf_counter() - started:.3f} s ({refused.reason})")

        # A whole run on a hostile outlet: the looping index, and two dripping pages listed by it.
        outlet.xml("/sitemap-b.xml", index.replace("</sitemapindex>", f"<sitemap><loc>{outlet.base}/pages.xml</loc></sitemap></sitemapindex>"))
        outlet.xml("/pages.xml", f"<urlset><url><loc>{outlet.base}/film/drip-headers</loc></url>"
                                 f"<url><loc>{outlet.base}/film/drip-body</loc></url></urlset>")
        outlet.routes["/film/drip-headers"] = drip_in_headers
        outlet.routes["/film/drip-body"] = drip_in_body
        database = tmp / "warehouse.duckdb"
        resources = build_resources(str(database), str(tmp / "landing"))
        resources["news_sources"] = NewsSources(outlets_path=str(outlets), warc_folder=str(tmp / "warc"))
        run = {}
        gathering = threading.Thread(target=lambda: run.update(result=materialize([fetched_pages], resources=resources)))
        started = time.perf_counter()
        gathering.start()
        while not any(path.startswith("/film/drip") for path, _ in outlet.hits):
            time.sleep(0.1)
        waited = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(database)!r}).close()"], check=True)
        waited = time.perf_counter() - waited
        gathering.join()
        step = time.perf_counter() - started
        metadata = run["result"].get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
        print(f"a fetched_pages run on that outlet: {step:.1f} s in all (gathering {metadata['gathering_seconds'].value} s), "
              f"the warehouse's write lock held {metadata['warehouse_lock_seconds'].value} s in all; another process "
              f"opened the warehouse for writing during the drip in {waited:.2f} s (its Python start included)")
        print(metadata["outcome"].value)
    return 0


def replace_settings(settings: FetchSettings, **changes) -> FetchSettings:
    from dataclasses import replace

    return replace(settings, **changes)


if __name__ == "__main__":
    sys.exit(main())
