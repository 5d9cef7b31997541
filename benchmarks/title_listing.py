"""List the TITLE entities a run landed, each with the sentence it first stands in, to judge by reading.

    python benchmarks/title_listing.py --db landed.duckdb [--sample N] [--seed S]

One line per (article, title): the article's file, the title's name, the recognizer that found its
first mention and the text around it. ``--sample N`` lists N of them drawn at random (``--seed``,
default 20261203), sorted by article, for sets too large to read whole. What is a work (a film,
show, book, song, album, game, play or publication) is for the reader to say: the point is to
measure title precision on news nobody tuned the rules for.
"""

from __future__ import annotations

import argparse
import random

import duckdb


def title_rows(db: str) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        rows = con.execute("""
            select a.source_path, e.name, m.start_char, m.end_char, m.method, a.text
            from mentions m join entities e using (entity_id) join articles a using (article_id)
            where e.entity_type = 'TITLE' order by a.source_path, m.start_char""").fetchall()
    finally:
        con.close()
    first: dict[tuple[str, str], tuple] = {}
    for row in rows:
        first.setdefault((row[0], row[1]), row)
    return list(first.values())


def context(text: str, start: int, end: int, width: int = 160) -> str:
    opens = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start), 0)
    closes = text.find("\n", end)
    closes = len(text) if closes < 0 else closes
    return text[max(opens, start - width):min(closes, end + width)].replace("\n", " ").strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    rows = title_rows(args.db)
    if args.sample and args.sample < len(rows):
        rows = sorted(random.Random(args.seed).sample(rows, args.sample), key=lambda r: (r[0], r[2]))
    for i, (path, name, start, end, method, text) in enumerate(rows):
        print(f"[{i}] {path} | {name!r} ({method})\n    {context(text, start, end)}")
    print(f"{len(rows)} titles listed")


if __name__ == "__main__":
    main()
