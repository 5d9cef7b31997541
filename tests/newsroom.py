"""Invented film-news articles for the tests, dressed in the boilerplate real sites wrap them in."""

from __future__ import annotations

import gzip
from pathlib import Path

# A trade story about an invented film, written for these tests.
HARBOR_LIGHTS = [
    "Northgate Studios has set a March start date for Harbor Lights, the long-gestating drama from director "
    "Celia Brandt, with Omar Feld and Greta Lund attached to star as estranged siblings who inherit a failing ferry company.",
    "The project has been in development at Northgate since 2021, when the studio won a four-way auction for the "
    "original screenplay by first-time writer Paul Idris. Production will take place in Halifax over ten weeks.",
    "“We’ve rewritten this thing eleven times and it finally feels like the movie we pitched,” Brandt said in a "
    "statement. “Omar and Greta found the rhythm of these two people on day one of the table read.”",
    "Northgate chairman Victor Hale called the film \"the centerpiece of our 2027 slate\" and said the studio planned "
    "a festival premiere before a wide release in the fall.",
    "Brandt’s previous film, the thriller Quiet Water, grossed $64 million worldwide on a modest budget and earned "
    "Lund her first award nomination. Feld most recently appeared in the streaming series Copper Mile.",
    "Casting for the supporting roles is under way, with an announcement expected before the end of the year, "
    "according to a person familiar with the production who was not authorized to speak publicly.",
]

# A different article about the same invented film: shares names, not paragraphs.
HARBOR_LIGHTS_INTERVIEW = [
    "Celia Brandt does not like talking about Harbor Lights before it exists. Sitting in a cafe near her Toronto "
    "office, the director spends most of an hour steering the conversation to ferries, weather and her grandmother.",
    "When she does talk about the film, it is with the caution of someone who has watched projects collapse. “Every "
    "movie is a miracle until the first day of shooting, and then it is a job,” she says.",
    "She describes Omar Feld as the most prepared actor she has worked with, and Greta Lund as the most surprising. "
    "The two spent a week on a working ferry this autumn, learning to tie off lines in bad weather.",
    "Northgate has given her final cut, a rarity for a director on her third feature. Brandt shrugs at the "
    "suggestion that this is a vote of confidence. She says the studio simply ran out of reasons to say no.",
]


def news_page(
    headline: str,
    paragraphs: list[str],
    *,
    site: str = "The Daily Reel",
    author: str = "Morgan Pike",
    published: str = "2026-10-02T10:00:00+00:00",
    canonical: str | None = None,
    variant: int = 0,
) -> str:
    """An article page with the navigation, related links and footer of a real news site."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    canonical_tag = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    if variant == 0:
        return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | {site}</title>{canonical_tag}
<meta property="og:title" content="{headline}"><meta property="og:site_name" content="{site}">
<meta name="author" content="{author}"><meta property="article:published_time" content="{published}">
</head><body>
<div class="cookie-consent">This site uses cookies. <button>Accept</button></div>
<header><a href="/">{site}</a><nav><a href="/film">Film</a> <a href="/tv">TV</a> <a href="/awards">Awards</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>{headline}</h1><p class="byline">By {author}</p>
<div class="article-body">{body}</div>
<aside><h3>Related</h3><ul><li><a href="/a">Five trailers you missed this week</a></li><li><a href="/b">Box office: the weekend in numbers</a></li></ul></aside>
</article></main>
<footer>© 2026 {site}. All rights reserved. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{headline} - {site}</title>{canonical_tag}
<meta property="og:title" content="{headline}"><meta property="og:site_name" content="{site}">
<meta name="author" content="{author}"><meta property="article:published_time" content="{published}">
</head><body>
<div id="masthead">{site} | <a href="/login">Log in</a> | <a href="/newsletters">Newsletters</a></div>
<div class="ad">Advertisement</div>
<div class="post"><h2 class="entry-title">{headline}</h2><div class="meta">{author}</div>
<div class="entry-content">{body}</div>
<div class="share">Share: <a href="#">Facebook</a> <a href="#">Email</a></div>
<div class="more"><h4>More from {site}</h4><a href="/x">Festival diary</a> <a href="/y">Trailer roundup</a></div></div>
<div class="footer">{site} is part of an independent press network.</div>
</body></html>"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith(".gz"):
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(gzip.compress(data, mtime=0))
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def text_article(date: str, paragraphs: list[str]) -> str:
    """The newsroom plain-text export: a leading ``date YYYY-MM-DD`` and the body."""
    return f" date {date} " + "\n\n".join(paragraphs) + "\n"


def newsroom_weeks(landing: Path) -> None:
    """Salt and Ember named in one article the week before and in two this week; a quote with markup in it."""
    write(landing, "a/early.txt", text_article("2026-11-11", [
        "Orbit Films dated its thriller Salt and Ember for the spring.",
        "“We are nearly there,” producer Owen Hale said.",
    ]))
    write(landing, "b/this-week-1.html", news_page(
        "Salt and Ember Sequel Confirmed",
        ["Orbit Films will make a sequel to the thriller Salt and Ember, producer Owen Hale said on Monday.",
         "“We owe the audience a second chapter,” Hale said. “The script is done.”"],
        site="Reel Ledger", published="2026-11-16T10:00:00+00:00", canonical="https://reel-ledger.example/salt-sequel",
    ))
    write(landing, "c/this-week-2.txt", text_article("2026-11-18", [
        "Director Ama Boateng praised the thriller Salt and Ember at a festival panel.",
        "“It changed how I think about the <b>coast</b>,” Boateng said.",
    ]))


POLITICS = ["Senators postponed the budget vote on Tuesday as lawmakers argued over taxes and the governor "
            "threatened to veto the legislation. " * 3,
            "The election campaign has focused on the economy, inflation and interest rates, and voters say "
            "the ballot will turn on tax policy. " * 3]


def nested_inline_page(megabytes: float) -> str:
    """One paragraph of inline tags three deep, repeated: trafilatura's formatting passes once took minutes on it."""
    chunk = "<i><b><span>word </span></b></i>"
    return ("<html><head><title>Nested</title></head><body><article><p>"
            + chunk * int(megabytes * 1024 * 1024 / len(chunk)) + "</p></article></body></html>")
