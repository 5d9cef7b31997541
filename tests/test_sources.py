"""Gathering news from outlets (a local server on 127.0.0.1) and WARC archives."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from dagster import materialize

from pipeline.defs.gather.assets import archive_pages, fetched_pages
from pipeline.core.sources import gather_days, load_sources_config
from pipeline.definitions import ALL_ASSETS, ALL_CHECKS, build_resources
from pipeline.resources import NewsSources

from .fake_outlet import FakeOutlet, drip_in_body, gzip_bomb
from .harness import rows
from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, POLITICS, news_page
from .warc_writer import http_response, warc_record, write_warc


def resources(db_path: Path, landing: Path, outlets: Path, warc: Path) -> dict:
    res = build_resources(str(db_path), str(landing))
    res["news_sources"] = NewsSources(outlets_path=str(outlets), warc_folder=str(warc))
    return res


def test_gathering_fetches_filters_and_lands_then_skips_what_it_has(tmp_path, landing, db_path):
    # A nightly run takes the links dated the day that just ended (and today).
    day = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    rfc822 = day.strftime("%a, %d %b %Y 10:00:00 GMT")
    week_ago = day - dt.timedelta(days=6)
    with FakeOutlet() as outlet:
        outlet.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
        items = ["/film/harbor-lights", "/film/brandt-interview", "/politics/budget", "/private/draft", "/film/gone",
                 "/film/bomb", "/film/huge", "/film/poster", "/film/loop"]
        feed = "<rss version='2.0'><channel>" + "".join(
            f"<item><link>{outlet.base}{path}?utm_source=rss</link><pubDate>{rfc822}</pubDate></item>" for path in items
        ) + f"<item><link>http://10.0.0.9/film/intranet</link><pubDate>{rfc822}</pubDate></item>" + (
            f"<item><link>{outlet.base}/film/last-week</link><pubDate>{week_ago.strftime('%a, %d %b %Y 09:00:00 GMT')}"
            "</pubDate></item></channel></rss>")
        outlet.conditional("/feed/", feed.encode(), "application/rss+xml", '"feed-v1"')
        outlet.page("/film/last-week", news_page("Harbor Lights Casts Its Lead", HARBOR_LIGHTS, site="Reel Ledger"))
        outlet.page("/film/harbor-lights", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS, site="Reel Ledger"))
        outlet.page("/film/brandt-interview", news_page("Celia Brandt Won't Talk About Harbor Lights", HARBOR_LIGHTS_INTERVIEW))
        outlet.page("/politics/budget", news_page("Senate Delays Budget Vote", POLITICS))
        outlet.page("/private/draft", news_page("Draft", HARBOR_LIGHTS))
        outlet.routes["/film/bomb"] = gzip_bomb
        outlet.routes["/film/huge"] = (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * (6 * 1024 * 1024))
        outlet.routes["/film/poster"] = (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff")
        outlet.routes["/film/loop"] = (302, {"Location": "/film/loop"}, b"")
        outlets = tmp_path / "outlets.yaml"
        outlets.write_text(
            f"min_interval_seconds: 0\noutlets:\n  - name: Reel Ledger\n    hosts: ['127.0.0.1']\n"
            f"    feeds: ['{outlet.base}/feed/']\n    film_only: true\n    allow_private_address: true\n"
        )
        res = resources(db_path, landing, outlets, tmp_path / "warc")
        first = materialize([fetched_pages], resources=res)
        assert first.success
        outcome = dict(rows(db_path, "select regexp_extract(url, '/[a-z-]+/[a-z-]+$'), status from internal.fetched_pages"))
        assert outcome == {
            "/film/harbor-lights": "landed", "/film/brandt-interview": "landed", "/politics/budget": "filtered_out",
            "/private/draft": "rejected", "/film/gone": "rejected", "/film/bomb": "rejected", "/film/huge": "rejected",
            "/film/poster": "rejected", "/film/loop": "rejected", "/film/intranet": "rejected",
        }
        reasons = dict(rows(db_path, "select regexp_extract(url, '/[a-z-]+$'), reason from internal.fetched_pages where status = 'rejected'"))
        assert "robots.txt" in reasons["/draft"] and "compression bomb" in reasons["/bomb"]
        assert "HTTP 404" in reasons["/gone"] and "redirect loop" in reasons["/loop"]
        assert "not a configured outlet host" in reasons["/intranet"]
        score = rows(db_path, "select relevance_score, relevance_reasons from internal.fetched_pages where url like '%/politics/budget'")
        assert score[0][0] < 0.5 and "other-topic words" in score[0][1]
        stored = sorted(p.relative_to(landing).as_posix().split("/")[0] for p in landing.rglob("*.html"))
        assert stored == [day.isoformat(), day.isoformat()]

        hits_before = len(outlet.hits)
        again = materialize([fetched_pages], resources=res)
        assert again.success
        refetched = [path for path, _ in outlet.hits[hits_before:] if path in ("/film/harbor-lights", "/film/brandt-interview")]
        assert refetched == [], "pages already landed are not fetched again"
        feed_requests = [headers for path, headers in outlet.hits[hits_before:] if path == "/feed/"]
        assert [h.get("If-None-Match") for h in feed_requests] == ['"feed-v1"'], "the feed is asked for conditionally"
        metadata = again.get_asset_materialization_events()[0].step_materialization_data.materialization.metadata
        assert metadata["feeds_not_modified"].value == 1

        # A past day is a config value, not a partition: it takes that day's links only.
        assert rows(db_path, "select count(*) from internal.fetched_pages where url like '%/last-week'") == [(0,)]
        outlet.conditional("/feed/", feed.encode(), "application/rss+xml", '"feed-v2"')
        backfill = materialize([fetched_pages], resources=res,
                               run_config={"ops": {"fetched_pages": {"config": {"day": week_ago.isoformat()}}}})
        assert backfill.success
        assert rows(db_path, "select status, day from internal.fetched_pages where url like '%/last-week'") == [
            ("landed", week_ago)]
        assert not materialize([fetched_pages], resources=res, raise_on_error=False,
                               run_config={"ops": {"fetched_pages": {"config": {"day": "last week"}}}}).success

    # The landed pages go through the same ingest as local files, keyed by their URL.
    assert materialize([*ALL_ASSETS, *ALL_CHECKS], resources=res).success
    sources = sorted(r[0] for r in rows(db_path, "select source_path from articles"))
    assert all(s.startswith("http://127.0.0.1:") for s in sources) and len(sources) == 3
    # Each fetched article names its outlet as configured (the pages call themselves "Reel Ledger",
    # "The Daily Reel" or nothing) and the URL it was fetched from, so coverage counts it under the outlet.
    assert rows(db_path, "select distinct site from articles") == [("Reel Ledger",)]
    assert rows(db_path, "select count(*) from articles where url = source_path") == [(3,)]
    assert rows(db_path, "select site, articles, syndicated_copies from outlet_coverage") == [("Reel Ledger", 2, 1)]
    assert rows(db_path, "select count(*) from entities where name = 'Celia Brandt'") == [(1,)]


def test_warc_archives_are_streamed_filtered_and_read_once(tmp_path, landing, db_path):
    warc = tmp_path / "warc"
    warc.mkdir()
    records = []
    for i in range(300):
        if i % 3 == 0:
            body = news_page(f"Harbor Lights Casting Update {i}", [f"Update {i}. " + p for p in HARBOR_LIGHTS])
            records.append(warc_record(f"https://reelledger.example/film/update-{i}", http_response(body.encode())))
        elif i % 3 == 1:
            body = news_page(f"Budget Vote {i}", [f"Item {i}. " + p for p in POLITICS])
            records.append(warc_record(f"https://dailyplanet.example/politics/vote-{i}", http_response(body.encode())))
        else:
            records.append(warc_record(f"https://dailyplanet.example/img/{i}.png", http_response(b"\x89PNG", "image/png")))
    write_warc(warc / "cc-news-test.warc.gz", records)
    res = resources(db_path, landing, tmp_path / "no-outlets.yaml", warc)
    assert materialize([archive_pages], resources=res).success
    kept = rows(db_path, "select status, count(*) from internal.fetched_pages group by 1 order by 1")
    assert kept == [("filtered_out", 100), ("landed", 100)]
    assert len(list(landing.rglob("*.html"))) == 100
    assert rows(db_path, "select pages_kept, pages_seen from internal.processed_archives") == [(100, 200)]

    assert materialize([archive_pages], resources=res).success
    assert rows(db_path, "select count(*) from internal.fetched_pages") == [(200,)]


def test_a_sitemap_index_that_lists_itself_or_a_cycle_of_them_is_read_once(tmp_path):
    with FakeOutlet() as outlet:
        index = "<sitemapindex>" + "".join(f"<sitemap><loc>{outlet.base}{path}</loc></sitemap>"
                                           for path in ("/sitemap.xml", "/sitemap-b.xml")) + "</sitemapindex>"
        outlet.xml("/sitemap.xml", index)  # lists itself, and b
        outlet.xml("/sitemap-b.xml", index.replace("/sitemap-b.xml", "/sitemap-c.xml#again"))  # back to the first
        outlet.xml("/sitemap-c.xml", f"<urlset><url><loc>{outlet.base}/film/a</loc></url></urlset>")
        outlet.page("/film/a", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
        config = load_sources_config(_outlets_file(tmp_path, outlet.base, sitemaps=["/sitemap.xml"]))
        result = gather_days(config, dt.date(2026, 11, 24), dt.date(2026, 11, 24), tmp_path / "landing",
                             already_gathered=lambda urls: set(), take_undated=True)
    paths = [path for path, _ in outlet.hits]
    assert sorted(paths) == ["/film/a", "/robots.txt", "/sitemap-b.xml", "/sitemap-c.xml", "/sitemap.xml"]
    assert [r.status for r in result.records] == ["landed"]


def test_an_outlet_stops_at_its_budget_of_requests_and_says_what_it_left(tmp_path):
    with FakeOutlet() as outlet:
        outlet.xml("/sitemap.xml", "<sitemapindex>" + "".join(
            f"<sitemap><loc>{outlet.base}/sitemap-{n}.xml</loc></sitemap>" for n in range(100)) + "</sitemapindex>")
        for n in range(100):
            outlet.xml(f"/sitemap-{n}.xml", "<urlset>" + "".join(
                f"<url><loc>{outlet.base}/film/{n}-{k}</loc></url>" for k in range(20)) + "</urlset>")
        config = load_sources_config(_outlets_file(tmp_path, outlet.base, sitemaps=["/sitemap.xml"],
                                                   extra="max_requests_per_outlet: 12\n"))
        result = gather_days(config, dt.date(2026, 11, 24), dt.date(2026, 11, 24), tmp_path / "landing",
                             already_gathered=lambda urls: set(), take_undated=True)
    assert len(outlet.hits) == 12 and result.requests == 12
    assert any("budget of 12 requests" in error and "left for the next run" in error for error in result.feed_errors)


def _outlets_file(folder: Path, base: str, feeds=(), sitemaps=(), opt_in: bool = True, extra: str = "") -> Path:
    path = folder / "outlets.yaml"
    path.write_text(
        f"min_interval_seconds: 0\n{extra}outlets:\n  - name: Reel Ledger\n    hosts: ['127.0.0.1']\n"
        f"    feeds: {[base + f for f in feeds]}\n    sitemaps: {[base + s for s in sitemaps]}\n"
        + ("    allow_private_address: true\n" if opt_in else ""))
    return path


def film_news_fetch(tmp_path: Path, outlets: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "FILM_NEWS_OUTLETS": str(outlets), "FILM_NEWS_WARC": str(tmp_path / "no-archives")}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "fetch", "--input", str(tmp_path / "raw"),
                           "--db", str(tmp_path / "fetch.duckdb")], capture_output=True, text=True, timeout=300, env=env)


def test_fetch_fails_and_says_why_when_every_outlet_failed_and_a_local_outlet_needs_its_opt_in(tmp_path):
    today = dt.datetime.now(dt.timezone.utc).strftime("%a, %d %b %Y 10:00:00 GMT")
    with FakeOutlet() as outlet:
        outlet.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\n")
        outlet.xml("/feed/", f"<rss><channel><item><link>{outlet.base}/film/a</link><pubDate>{today}</pubDate>"
                             "</item></channel></rss>")
        outlet.page("/film/a", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))

        refused = film_news_fetch(tmp_path, _outlets_file(tmp_path, outlet.base, feeds=["/feed/"], opt_in=False))
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "Reel Ledger: nothing gathered" in refused.stdout and "non-public address" in refused.stdout
        assert "allow_private_address: true" in refused.stdout, "the message says how to opt in"
        assert "film-news run" not in refused.stdout and "{" not in refused.stdout
        assert outlet.hits == [], "the guard refuses before connecting"

        allowed = film_news_fetch(tmp_path, _outlets_file(tmp_path, outlet.base, feeds=["/feed/"]))
        assert allowed.returncode == 0, allowed.stdout + allowed.stderr
        assert "Reel Ledger: 1 page(s) landed" in allowed.stdout and "run `film-news run`" in allowed.stdout
        assert len(list((tmp_path / "raw").rglob("*.html"))) == 1


def test_fetch_says_when_the_outlets_file_is_missing_or_not_yaml(tmp_path):
    missing = film_news_fetch(tmp_path, tmp_path / "outlet.yml")
    assert missing.returncode == 2 and "outlet.yml does not exist" in missing.stderr
    broken = tmp_path / "outlets.yaml"
    broken.write_text("outlets:\n  - name: Reel Ledger\n    hosts: [127.0.0.1\n")
    unparsable = film_news_fetch(tmp_path, broken)
    assert unparsable.returncode == 2 and "cannot be parsed as YAML at line" in unparsable.stderr
    assert "commented examples" not in missing.stderr + unparsable.stderr


def test_the_warehouse_is_not_locked_while_an_outlet_drips_a_page(tmp_path, landing, db_path):
    # Another process (a `film-news run`) can open the warehouse for writing while gathering waits on a slow server.
    with FakeOutlet() as outlet:
        outlet.xml("/sitemap.xml", f"<urlset><url><loc>{outlet.base}/film/slow</loc></url></urlset>")
        outlet.routes["/film/slow"] = drip_in_body
        outlets = _outlets_file(tmp_path, outlet.base, sitemaps=["/sitemap.xml"], extra="deadline_per_url_seconds: 8\n")
        res = resources(db_path, landing, outlets, tmp_path / "warc")
        outcome = {}
        gathering = threading.Thread(target=lambda: outcome.update(result=materialize([fetched_pages], resources=res)))
        gathering.start()
        while not any(path == "/film/slow" for path, _ in outlet.hits) and gathering.is_alive():
            time.sleep(0.1)
        other_writer = subprocess.run(
            [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db_path)!r}).close()"],
            capture_output=True, text=True, timeout=60)
        gathering.join()
    assert other_writer.returncode == 0, other_writer.stderr
    assert outcome["result"].success
    reason = rows(db_path, "select reason from internal.fetched_pages where url like '%/film/slow'")[0][0]
    assert "8-second deadline" in reason
