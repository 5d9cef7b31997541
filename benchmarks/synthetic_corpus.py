"""A synthetic film-news corpus for the speed benchmark: realistic length and shape, no real text.

Usage:  python benchmarks/synthetic_corpus.py OUT_DIR [--articles 1000] [--seed 7] [--first 0]

Writes plain-text articles (``date YYYY-MM-DD`` on the first line, blank lines
between paragraphs) of 500-900 words each: narrative paragraphs naming people,
studios, films and places; direct quotes with "said"/"told" attributions before
and after, split around the attribution and continued across paragraphs;
reported speech; box-office figures; and, for one article in twenty, a
syndicated copy of an earlier one under another outlet's opening line. The
same seed gives the same corpus byte for byte; ``--first`` numbers the files
so a later call adds new articles beside an earlier corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

GIVEN = ("Ines Mara Dana Calvin Ruth Oscar Priya Tomas Lena Marcus Hana Felix Nadia Victor Clara Jonah Amara "
         "Elliot Sofia Rafael Maya Desmond Yuki Gabriel Iris Malik Greta Omar Selma Theo").split()
SURNAMES = ("Farrow Whitlock Reyes Okafor Lindqvist Moreau Castellano Brennan Nakamura Haddad Petrova Quinlan "
            "Abernathy Solberg Delacroix Varga Oyelaran Kowalski Fairbanks Amundsen Carrow Ibarra Tanaka Mercer "
            "Valdez Holloway Sandoval Achebe Rasmussen Thorne").split()
STUDIOS = ("Marlow Pictures", "Orbit Films", "Lantern Road", "Northlight Studios", "Harbor Gate Entertainment",
           "Bluewater Media", "Granite Peak Films", "Silverline Pictures", "Copperfield Studios", "Meridian Features")
OUTLETS = ("Screen Dispatch", "Reel Ledger", "Trade Wire", "Festival Beat", "The Cutting Room", "Frame Daily")
PLACES = ("Toronto", "Berlin", "Vancouver", "Atlanta", "Budapest", "Cape Town", "Melbourne", "Seoul", "Lisbon",
          "New Mexico", "Iceland", "Morocco")
TITLE_WORDS = ("Lighthouse Keepers", "Salt and Ember", "Northern Tide", "Glass Orchard", "Iron Meridian",
               "The Quiet Border", "Paper Moons", "Harbor Lights", "Red Canyon", "The Last Archive",
               "Winter Signal", "Silver Hour", "Drowned Coast", "Open Water", "Hollow Crown Road")
ROLES = ("director", "producer", "screenwriter", "actor", "actress", "showrunner", "head of distribution",
         "casting director", "composer", "editor")
FESTIVALS = ("Cannes", "Venice", "Sundance", "the Berlinale", "Toronto")

NARRATIVE = (
    "{person} has spent the past two years developing {title} at {studio}, where the project moved from a "
    "limited release plan to a wide theatrical rollout after test screenings in {place} went better than expected.",
    "The film, which shot for {n} weeks in {place}, follows a family of fishermen whose town is slowly swallowed "
    "by the sea, and it reunites {person} with the crew behind the director's previous drama.",
    "{studio} acquired the worldwide rights at {festival} last year for a figure reported to be close to ${n} "
    "million, one of the larger deals of the market, and has since scheduled the release for the spring.",
    "Over the weekend {title} took ${n}.{m} million at the domestic box office, finishing second behind a family "
    "animation title and ahead of the studio's own projections, with premium large-format screens providing a "
    "large share of the total.",
    "Critics were divided after the premiere: some praised the performances and the cinematography, while others "
    "found the third act rushed and the running time of {n}0 minutes hard to justify for a story this small.",
    "{person}, who previously worked on two seasons of a streaming series, joined the production late, replacing "
    "another {role} who left over what both sides called creative differences during pre-production in {place}.",
    "The cast also includes {person} and {person2}, who play estranged siblings forced back together by the "
    "death of their father, a role that earned early awards talk when the film screened in {place}.",
    "Industry analysts expect the sequel to open in more than {n},000 theaters, and {studio} has already begun "
    "a marketing campaign built around the trailer released last month, which drew strong numbers online.",
)
QUOTES = (
    '"We always knew this story needed the big screen, and the audience in {place} proved it," said {person}, '
    "the film's {role}.",
    '"I didn\'t want to make a sequel just because the first one worked," {person} told {outlet}. '
    '"I wanted to make it because the book gave me something new to say."',
    "{person} was blunt about the schedule. \"We're going to make it when it's ready, and not a day before,\" "
    "the {role} said.",
    '"Nobody expected the numbers we saw this weekend," {person} said in a statement. "It is a testament to '
    'the cast and to every theater owner who took a chance on an original film."',
    '"It was the hardest shoot of my life," said {person}. "We lost three days to storms in {place}, and '
    'every one of those days shows up on screen."',
)
REPORTED = (
    "{person} said the studio would not move the release date, despite competition from two franchise titles "
    "opening the same weekend.",
    "According to {outlet}, {studio} is already in talks with {person} about a follow-up set in {place}.",
    "{person} told reporters that the budget had stayed under ${n} million and that the reshoots were minor.",
    "A spokesperson for {studio} denied that the film had been shelved, saying post-production was on schedule.",
)
CONTINUED = (
    '"The first cut ran nearly four hours. We had to lose characters we loved, and that hurt.',
    '"But the version that survived is the one I always wanted to make," {pronoun} added.',
)


def _fill(template: str, rng: random.Random, cast: list[str]) -> str:
    return template.format(
        person=rng.choice(cast), person2=rng.choice(cast), title=rng.choice(TITLE_WORDS), studio=rng.choice(STUDIOS),
        place=rng.choice(PLACES), festival=rng.choice(FESTIVALS), outlet=rng.choice(OUTLETS), role=rng.choice(ROLES),
        n=rng.randint(2, 60), m=rng.randint(0, 9), pronoun=rng.choice(("she", "he")),
    )


def article_text(rng: random.Random) -> str:
    """One article of 500-900 words."""
    cast = [f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}" for _ in range(4)]
    target = rng.randint(500, 900)
    paragraphs: list[str] = []
    words = 0
    while words < target:
        pick = rng.random()
        if pick < 0.45:
            paragraph = _fill(rng.choice(NARRATIVE), rng, cast)
        elif pick < 0.75:
            paragraph = _fill(rng.choice(QUOTES), rng, cast)
        elif pick < 0.92:
            paragraph = _fill(rng.choice(REPORTED), rng, cast)
        else:
            paragraphs.append(_fill(CONTINUED[0], rng, cast))
            paragraph = _fill(CONTINUED[1], rng, cast)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(paragraphs)


def write_corpus(out: Path, articles: int, seed: int = 7, first: int = 0) -> list[Path]:
    """Write ``articles`` files numbered from ``first``; one in twenty is a copy of an earlier one."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:{first}")
    day0 = dt.date(2026, 1, 1)
    written: list[Path] = []
    bodies: list[str] = []
    for number in range(first, first + articles):
        day = day0 + dt.timedelta(days=number % 300)
        if bodies and rng.random() < 0.05:
            # Syndicated: the same story under another outlet's opening line.
            body = f"This story first appeared in {rng.choice(OUTLETS)}.\n\n" + rng.choice(bodies)
        else:
            body = article_text(rng)
            bodies.append(body)
        path = out / f"{day.isoformat()}-story-{number:06d}.txt"
        path.write_text(f"date {day.isoformat()}\n{body}\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    paths = write_corpus(args.out, args.articles, args.seed, args.first)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
