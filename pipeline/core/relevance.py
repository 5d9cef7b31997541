"""Is a page about film and television? A transparent score, recorded with its reasons.

Signals, each with a weight set on the labelled set in tests/fixtures/relevance:
the URL's section (/film/, /tv/ versus /politics/, /sport/), the outlet (a
trade configured as film-only), and the vocabulary of the title and text
(film-industry words versus politics, sport and tech words). The decision
and its score are stored for every page, so a wrong call can be audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

FILM_SECTIONS = ("film", "films", "movie", "movies", "tv", "television", "entertainment", "box-office", "boxoffice",
                 "awards", "festivals", "reviews", "streaming", "hollywood", "cinema", "culture/film", "arts")
OTHER_SECTIONS = ("politics", "election", "elections", "sport", "sports", "football", "soccer", "nba", "nfl",
                  "business/markets", "markets", "tech", "technology", "science", "health", "weather", "crime",
                  "world", "opinion", "money", "finance", "gadgets")

# Words whose presence marks film and TV industry news; from trade-press headlines.
FILM_WORDS = frozenset(
    """film films movie movies cinema director directors directed filmmaker screenplay screenwriter producer
    producers studio studios sequel prequel franchise trailer premiere premieres premiered box office theatrical
    theaters theatres release streaming streamer series season episode episodes showrunner cast casting actor
    actress actors star stars starring starred role roles festival cannes venice sundance berlinale oscar oscars
    emmy emmys academy award nominated nomination documentary animation animated thriller drama comedy horror
    blockbuster distributor distribution greenlit greenlight shoot shooting filming production script adaptation
    network netflix hbo disney paramount universal warner sony lionsgate a24 netflix's miniseries sitcom
    critics review reviews screening screenings""".split()
)
OTHER_WORDS = frozenset(
    """election elections senate senator congress parliament minister ministers vote voters voting ballot
    campaign policy legislation governor lawmakers tax taxes budget tariffs inflation economy interest rates
    stocks shares market markets earnings quarterly revenue investors match matches goal goals league playoff
    playoffs championship coach quarterback tournament innings touchdown striker midfielder season's smartphone
    chip chips software hardware startup cybersecurity app iphone android processor ai server servers police
    court trial lawsuit war troops military hospital virus vaccine storm hurricane earthquake""".split()
)


@dataclass(frozen=True)
class RelevanceDecision:
    relevant: bool
    score: float
    reasons: str


def film_relevance(url: str, title: str | None, text: str, outlet_film_only: bool = False,
                   threshold: float = 0.5) -> RelevanceDecision:
    reasons = []
    score = 0.0
    path = urlsplit(url).path.lower()
    segments = [s for s in path.split("/") if s]
    joined = "/".join(segments)
    if any(s in FILM_SECTIONS for s in segments) or any(f"{s}/" in joined for s in FILM_SECTIONS if "/" in s):
        score += 1.5
        reasons.append("film/TV section in URL")
    if any(s in OTHER_SECTIONS for s in segments):
        score -= 1.5
        reasons.append("non-film section in URL")
    if outlet_film_only:
        score += 0.75
        reasons.append("film trade outlet")
    words = re.findall(r"[a-z0-9']+", f"{title or ''} {title or ''} {text[:4000]}".lower())
    if words:
        film = sum(1 for w in words if w in FILM_WORDS)
        other = sum(1 for w in words if w in OTHER_WORDS)
        # Per hundred words, so long and short pages are judged alike.
        vocabulary = (film - 1.2 * other) * 100 / len(words)
        score += max(-2.0, min(2.0, vocabulary / 2.0))
        reasons.append(f"film words {film}, other-topic words {other} in {len(words)}")
    return RelevanceDecision(score >= threshold, round(score, 3), "; ".join(reasons))
