"""The polite fetcher against a local outlet on 127.0.0.1: good pages, polite habits, hostile answers."""

from __future__ import annotations

import time

import pytest

from pipeline.core.discovery import UnsafeOrInvalidXml, parse_links
from pipeline.core.fetching import FetchSettings, PoliteFetcher

from .fake_outlet import FakeOutlet, drip_in_body, drip_in_headers, gzip_bomb, slow_drip

ARTICLE = "<html><body><article><p>" + "Northgate Studios has set a March start for Harbor Lights. " * 20 + "</p></article></body></html>"


@pytest.fixture
def outlet():
    with FakeOutlet() as server:
        server.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
        yield server


def fetcher(**overrides) -> tuple[PoliteFetcher, list[float]]:
    slept: list[float] = []
    options = dict(allow_private_address=True, min_interval=0.0, backoff=0.01, deadline_per_url=2.0, read_timeout=2.0,
                   max_bytes=200_000, max_decoded_bytes=400_000)
    settings = FetchSettings(**{**options, **overrides})
    return PoliteFetcher(["127.0.0.1"], settings, sleep=lambda s: slept.append(s)), slept


def test_a_page_is_fetched_with_our_user_agent(outlet):
    outlet.page("/film/harbor-lights", ARTICLE)
    f, _ = fetcher()
    result = f.fetch(outlet.base + "/film/harbor-lights")
    assert result.status == "fetched" and result.content.decode().startswith("<html>")
    user_agents = {headers.get("User-Agent") for path, headers in outlet.hits}
    assert user_agents == {FetchSettings().user_agent}


def test_robots_txt_is_obeyed(outlet):
    outlet.page("/private/draft", ARTICLE)
    f, _ = fetcher()
    result = f.fetch(outlet.base + "/private/draft")
    assert result.status == "rejected" and "robots.txt" in result.reason
    assert "/private/draft" not in [path for path, _ in outlet.hits]


def test_conditional_requests_use_the_etag(outlet):
    outlet.page("/film/a", ARTICLE, etag='"v1"')
    f, _ = fetcher()
    first = f.fetch(outlet.base + "/film/a")
    assert first.status == "fetched" and first.etag == '"v1"'
    again = f.fetch(outlet.base + "/film/a", etag=first.etag)
    assert again.status == "not_modified"


def test_429_and_500_are_retried_with_backoff_then_given_up(outlet):
    calls = {"n": 0}

    def flaky(handler):
        calls["n"] += 1
        status = 429 if calls["n"] == 1 else 200
        body = ARTICLE.encode() if status == 200 else b""
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html")
        if status == 429:
            handler.send_header("Retry-After", "3")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    outlet.routes["/film/busy"] = flaky
    outlet.routes["/film/broken"] = (500, {"Content-Type": "text/html"}, b"oops")
    f, slept = fetcher(retries=2, deadline_per_url=10.0)
    assert f.fetch(outlet.base + "/film/busy").status == "fetched"
    assert 3.0 in slept, "Retry-After was honoured"
    broken = f.fetch(outlet.base + "/film/broken")
    assert broken.status == "rejected" and "HTTP 500 after 3 attempts" in broken.reason


def test_requests_to_one_host_are_spaced(outlet):
    outlet.page("/film/a", ARTICLE)
    f, slept = fetcher(min_interval=1.5)
    f.fetch(outlet.base + "/film/a")
    f.fetch(outlet.base + "/film/a")
    assert any(s > 1.0 for s in slept)


@pytest.mark.parametrize(
    ("path", "route", "words"),
    [
        ("/film/huge", (200, {"Content-Type": "text/html"}, b"x" * 300_000), "over the 200000-byte limit"),
        ("/film/image", (200, {"Content-Type": "image/png"}, b"\x89PNG"), "unexpected content type image/png"),
        ("/film/gone", (404, {"Content-Type": "text/html"}, b""), "HTTP 404"),
        ("/film/loop", (302, {"Location": "/film/loop"}, b""), "redirect loop"),
        ("/film/away", (302, {"Location": "http://10.0.0.7/film/x"}, b""), "not a configured outlet host"),
        ("/film/bomb", gzip_bomb, "compression bomb"),
        ("/film/drip", slow_drip, "deadline"),
    ],
)
def test_hostile_answers_are_rejected_with_a_reason(outlet, path, route, words):
    outlet.routes[path] = route
    f, _ = fetcher()
    result = f.fetch(outlet.base + path)
    assert result.status == "rejected"
    assert words in result.reason


@pytest.mark.parametrize("drip", [drip_in_headers, drip_in_body], ids=["headers", "body"])
def test_a_server_dripping_a_byte_a_second_is_cut_off_at_the_deadline(outlet, drip):
    # Each byte arrives well within the read timeout, so only a deadline on the whole URL stops it;
    # the server would go on for a minute.
    outlet.routes["/film/drip"] = drip
    f, _ = fetcher(deadline_per_url=2.0, read_timeout=5.0)
    started = time.monotonic()
    result = f.fetch(outlet.base + "/film/drip", check_robots=False)
    waited = time.monotonic() - started
    assert result.status == "rejected" and "2-second deadline" in result.reason
    assert waited < 10, f"gave up after {waited:.1f} s, against a deadline of 2 s"


def test_an_outlet_gets_a_budget_of_requests_per_run(outlet):
    outlet.page("/film/a", ARTICLE)
    f, _ = fetcher(max_requests=3)
    results = [f.fetch(outlet.base + "/film/a") for _ in range(4)]  # robots.txt, then the page three times
    assert [r.status for r in results] == ["fetched", "fetched", "rejected", "rejected"]
    assert "budget of 3 requests" in results[-1].reason
    assert len(outlet.hits) == 3 and f.budget_spent


def test_the_connection_goes_to_the_address_that_was_checked_not_to_a_second_answer():
    # DNS rebinding: the outlet's name resolves to the outlet (127.0.0.2) when checked, then to an
    # internal service (127.0.0.1, same port) when asked again. Both servers are on loopback.
    with FakeOutlet(address="127.0.0.2") as checked, FakeOutlet(address="127.0.0.1", port=checked.port) as internal:
        checked.page("/film/a", ARTICLE)
        internal.page("/film/a", "<html><body><p>internal admin page</p></body></html>")
        answers = []

        def rebinding_resolver(host):
            answers.append(host)
            return ["127.0.0.2"] if len(answers) == 1 else ["127.0.0.1"]

        settings = FetchSettings(allow_private_address=True, min_interval=0.0, deadline_per_url=5.0)
        f = PoliteFetcher(["localhost"], settings, resolve=rebinding_resolver)
        result = f.fetch(f"http://localhost:{checked.port}/film/a", check_robots=False)
        assert result.status == "fetched" and b"Northgate Studios" in result.content
        assert [path for path, _ in checked.hits] == ["/film/a"] and internal.hits == []
        assert answers == ["localhost"], "the name is resolved once, by the guard"
        assert checked.hits[0][1]["Host"] == f"localhost:{checked.port}"


def test_feeds_and_sitemaps_give_article_links():
    rss = b"""<rss version="2.0"><channel><item><link>https://reelledger.example/film/a</link>
              <pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://reelledger.example/tv/b"/>
               <updated>2026-11-23T09:00:00Z</updated></entry></feed>"""
    sitemap = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                   xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://reelledger.example/film/c</loc>
                   <news:news><news:publication_date>2026-11-22</news:publication_date></news:news></url></urlset>"""
    assert [(l.url, str(l.published)) for l in parse_links(rss)] == [("https://reelledger.example/film/a", "2026-11-24")]
    assert [(l.url, str(l.published)) for l in parse_links(atom)] == [("https://reelledger.example/tv/b", "2026-11-23")]
    assert [(l.url, str(l.published)) for l in parse_links(sitemap)] == [("https://reelledger.example/film/c", "2026-11-22")]


def test_xml_entity_tricks_are_refused_not_expanded():
    laughs = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
                 <rss><channel><item><link>&lol2;</link></item></channel></rss>"""
    external = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item>
                   <link>&xxe;</link></item></channel></rss>"""
    for xml in (laughs, external):
        with pytest.raises(UnsafeOrInvalidXml):
            parse_links(xml)
