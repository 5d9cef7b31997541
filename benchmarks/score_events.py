"""Score the `events` table of a landed DuckDB against hand-annotated event gold.

    python benchmarks/score_events.py --gold benchmarks/events_gold/film-real-dev [DIR ...] --db landed.duckdb [--json]
    python benchmarks/score_events.py --gold DIR [DIR ...] --check      # validate the gold files only

The gold (written by reading, following docs/events_annotation.md) is one JSON
file per article, ``{"file": "<name>.html", "events": [...]}``; several folders
(one per annotator) are read as one set. An article is found in the database as
the evaluation scorer (../shared/eval/score.py) finds it: by the file name at the
end of ``articles.source_path`` (or ``articles.url``). Only the articles of the
gold are scored; an article with an empty gold list counts every extracted event
as extra.

Matching, per article and one to one: a gold event and an extracted one match
when they have the same kind and every entity the gold event names (title,
person, org) is the extracted event's entity in the same slot, by name: the
same words once case, accents, quote marks, punctuation and a leading article
are set aside, against the entity's name and aliases on either side; a person
may also be written another way as the evaluation's scorer allows (honorifics
and "Jr." dropped, or the first and last word of the gold name with some of its
middle). A surname alone is never a full name, unless the gold has no more.
An optional gold event is neither required nor, when found, counted as extra.
Among the pairs that can match, the one agreeing on amount kind, award,
category, status, amount and date is preferred.

Then, among the matched events: the amount is exact when it is the gold figure
within the rounding of how the figure is written (half a unit of its last
non-zero digit, at most 1%) in the same currency; the date is exact when it
agrees with the gold at the gold's granularity (year, month or day) and the
extracted date is at least that precise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

KINDS = ("box_office", "release_date", "casting", "hiring", "production_status", "deal", "award")
ENTITY_SLOTS = ("title", "person", "org")
# The vocabulary of docs/events_annotation.md, which is the `events` table's.
STATUSES = {
    "release_date": {"set", "moved", "delayed", "moved_up"},
    "production_status": {"greenlit", "renewed", "cancelled", "in_development", "filming_started", "wrapped"},
    "casting": {"joined", "left"},
    "hiring": {"joined", "left"},
    "award": {"won", "nominated"},
    "deal": {"acquired", "distribution", "first_look", "overall", "other"},
    "box_office": {None},
}
AMOUNT_KINDS = {"opening_weekend", "domestic_total", "international_total", "worldwide_total", "budget", "deal_value"}
CERTAINTIES = {"stated", "reported", "rumoured"}
FIELDS = ("kind", *ENTITY_SLOTS, "role", "amount", "currency", "amount_kind", "territory", "event_date",
          "status", "certainty", "award", "category", "optional")
GOLD_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PRECISION_RANK = {"year": 1, "month": 2, "day": 3}

QUOTE_MAP = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                           "\u00ab": '"', "\u00bb": '"', "\u2032": "'", "\u2033": '"'})
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "prof", "rev", "gen", "sir", "dame"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


class GoldError(Exception):
    """A gold file that does not follow the annotation guide."""


# Names are compared as the evaluation's scorer compares them, so the two scores agree on what a
# right name is.
def folded_name(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(QUOTE_MAP).lower()
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]+", "", text)


def person_words(name: str | None) -> list[str]:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(QUOTE_MAP).lower()
    words = [w for w in re.split(r"[^a-z0-9']+", text) if w]
    while words and words[0] in HONORIFICS:
        words = words[1:]
    while words and words[-1] in SUFFIXES:
        words = words[:-1]
    return words


def same_person(a: str, b: str) -> bool:
    """Two ways of writing one person's name: the same words, or the shorter (two words at least)
    keeping the longer's first and last word and some of its middle in order."""
    x, y = person_words(a), person_words(b)
    if not x or not y:
        return False
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) < 2 or short[0] != long_[0] or short[-1] != long_[-1]:
        return False
    rest = iter(long_)
    return all(word in rest for word in short)


def names_match(slot: str, gold_forms: list[str], system_forms: list[str]) -> bool:
    folded_gold = {folded_name(n) for n in gold_forms} - {""}
    if any(folded_name(n) in folded_gold for n in system_forms):
        return True
    return slot == "person" and any(same_person(g, s) for g in gold_forms for s in system_forms)


# ---------------------------------------------------------------- gold

def validate_event(event: dict) -> list[str]:
    problems = []
    unknown = set(event) - set(FIELDS) - {"aliases"}
    if unknown:
        problems.append(f"unknown fields {sorted(unknown)}")
    kind = event.get("kind")
    if kind not in KINDS:
        return problems + [f"kind {kind!r} is none of {', '.join(KINDS)}"]
    if not any(event.get(slot) for slot in ENTITY_SLOTS):
        problems.append("names no title, person or org")
    if event.get("status") not in STATUSES[kind]:
        problems.append(f"status {event.get('status')!r} is not one of {sorted(s for s in STATUSES[kind] if s)} for {kind}")
    if event.get("amount_kind") is not None and event["amount_kind"] not in AMOUNT_KINDS:
        problems.append(f"amount_kind {event['amount_kind']!r} is none of {sorted(AMOUNT_KINDS)}")
    amount = event.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0):
        problems.append(f"amount {amount!r} is not a positive number")
    if amount is not None and not re.fullmatch(r"[A-Z]{3}", str(event.get("currency") or "")):
        problems.append("an amount needs its ISO 4217 currency")
    if event.get("event_date") is not None and not GOLD_DATE.match(str(event["event_date"])):
        problems.append(f"event_date {event['event_date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if event.get("certainty", "stated") not in CERTAINTIES:
        problems.append(f"certainty {event.get('certainty')!r} is none of {sorted(CERTAINTIES)}")
    if not isinstance(event.get("optional", False), bool):
        problems.append("optional is true or false")
    aliases = event.get("aliases") or {}
    if not isinstance(aliases, dict) or not all(k in ENTITY_SLOTS and isinstance(v, list) for k, v in aliases.items()):
        problems.append('aliases is an object such as {"title": ["other name"]}')
    return problems


def load_gold(folders: list[Path]) -> dict[str, list[dict]]:
    """Events of each article (by its file name), from every folder; GoldError lists what is wrong."""
    by_file: dict[str, list[dict]] = {}
    seen_in: dict[str, Path] = {}
    problems = []
    for folder in folders:
        if not folder.is_dir():
            raise GoldError(f"{folder}: no such folder")
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                problems.append(f"{path}: not readable JSON ({error})")
                continue
            if not isinstance(data, dict) or not isinstance(data.get("file"), str) or not isinstance(data.get("events"), list):
                problems.append(f'{path}: expected {{"file": "<name>.html", "events": [...]}}')
                continue
            name = data["file"]
            if name in seen_in:
                problems.append(f"{path}: {name} is annotated twice (also in {seen_in[name]})")
                continue
            seen_in[name] = path
            for number, event in enumerate(data["events"], 1):
                if not isinstance(event, dict):
                    problems.append(f"{path}: event {number} is not an object")
                    continue
                problems += [f"{path}: event {number} ({event.get('kind')}): {p}" for p in validate_event(event)]
            by_file[name] = [e for e in data["events"] if isinstance(e, dict)]
    if problems:
        raise GoldError("\n".join(problems))
    if not by_file:
        raise GoldError(f"no gold files (*.json) in {', '.join(map(str, folders))}")
    return by_file


# ---------------------------------------------------------------- database

def load_landed(db_path: Path) -> tuple[dict[str, dict], dict[str, dict], dict[str, list[dict]]]:
    """Articles by file name, entities by id, and events by article id."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}

        def rows(table: str) -> list[dict]:
            if table not in tables:
                print(f"note: no table {table!r} in {db_path}", file=sys.stderr)
                return []
            cursor = con.execute(f"select * from {table}")
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, r)) for r in cursor.fetchall()]

        articles = {Path(str(a.get("source_path") or a.get("url") or "")).name: a for a in rows("articles")}
        entities = {e["entity_id"]: e for e in rows("entities")}
        events: dict[str, list[dict]] = defaultdict(list)
        for event in rows("events"):
            events[event["article_id"]].append(event)
    finally:
        con.close()
    return articles, entities, events


# ---------------------------------------------------------------- matching

def gold_forms(event: dict, slot: str) -> list[str]:
    return [event[slot], *(event.get("aliases") or {}).get(slot, [])]


def system_forms(event: dict, slot: str, entities: dict[str, dict]) -> list[str]:
    entity = entities.get(event.get(f"{slot}_entity_id"))
    if entity is None:
        return []
    return [entity["name"], *(entity.get("aliases") or [])]


def can_match(gold: dict, extracted: dict, entities: dict[str, dict]) -> bool:
    if gold["kind"] != extracted.get("kind"):
        return False
    return all(names_match(slot, gold_forms(gold, slot), system_forms(extracted, slot, entities))
               for slot in ENTITY_SLOTS if gold.get(slot))


def amount_exact(gold: dict, extracted: dict) -> bool:
    got = extracted.get("amount")
    if got is None:
        return False
    if gold.get("currency") and (extracted.get("currency") or "").upper() != gold["currency"]:
        return False
    want = float(gold["amount"])
    unit = 1.0
    while want >= unit * 10 and (want / (unit * 10)).is_integer():
        unit *= 10
    return abs(float(got) - want) <= max(0.5, min(unit / 2, 0.01 * want))


def date_exact(gold: dict, extracted: dict) -> bool:
    got = extracted.get("event_date")
    if got is None:
        return False
    want = str(gold["event_date"])
    granularity = want.count("-") + 1
    precision = PRECISION_RANK.get(str(extracted.get("date_precision") or "day").lower(), 3)
    iso = got.isoformat() if isinstance(got, (dt.date, dt.datetime)) else str(got)
    return precision >= granularity and iso[:len(want)] == want


def agreement(gold: dict, extracted: dict) -> int:
    """How many of the fields that tell two events of one kind apart agree: the tie-break of matching."""
    score = sum(gold.get(f) is not None and str(gold[f]).lower() == str(extracted.get(f) or "").lower()
                for f in ("amount_kind", "award", "category", "status"))
    if gold.get("amount") is not None:
        score += amount_exact(gold, extracted)
    if gold.get("event_date") is not None:
        score += date_exact(gold, extracted)
    return score


def match_events(golds: list[dict], extracted: list[dict], entities: dict[str, dict]) -> dict[int, int]:
    """One-to-one pairs {gold index: extracted index}: as many required gold events as can be
    matched, then optional ones from what is left; each gold event tries its best-agreeing
    candidates first (augmenting paths, so an earlier choice gives way when that finds more)."""
    candidates = {
        g: sorted((s for s, e in enumerate(extracted) if can_match(gold, e, entities)),
                  key=lambda s: -agreement(gold, extracted[s]))
        for g, gold in enumerate(golds)
    }
    owner: dict[int, int] = {}  # extracted index -> gold index

    def augment(g: int, visited: set[int], allowed: set[int]) -> bool:
        for s in candidates[g]:
            if s in visited or s not in allowed:
                continue
            visited.add(s)
            if s not in owner or augment(owner[s], visited, allowed):
                owner[s] = g
                return True
        return False

    every = set(range(len(extracted)))
    for g, gold in enumerate(golds):
        if not gold.get("optional"):
            augment(g, set(), every)
    left = every - set(owner)
    for g, gold in enumerate(golds):
        if gold.get("optional"):
            augment(g, set(), left)
    return {g: s for s, g in owner.items()}


# ---------------------------------------------------------------- report

def describe_gold(event: dict) -> str:
    parts = [f"{slot}={event[slot]}" for slot in ENTITY_SLOTS if event.get(slot)]
    for field in ("amount_kind", "amount", "event_date", "status", "award", "category"):
        if event.get(field) is not None:
            parts.append(f"{field}={event[field]}")
    return f"{event['kind']} " + " ".join(parts)


def describe_extracted(event: dict, entities: dict[str, dict]) -> str:
    parts = []
    for slot in ENTITY_SLOTS:
        entity = entities.get(event.get(f"{slot}_entity_id"))
        if entity is not None:
            parts.append(f"{slot}={entity['name']}")
    for field in ("amount_kind", "amount", "event_date", "status", "award", "category"):
        if event.get(field) is not None:
            parts.append(f"{field}={event[field]}")
    if event.get("rule"):
        parts.append(f"[{event['rule']}]")
    return f"{event.get('kind')} " + " ".join(parts)


def prf(right_found: int, found: int, right_gold: int, gold: int) -> tuple[float, float, float]:
    p = right_found / found if found else 0.0
    r = right_gold / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def score(gold_by_file: dict[str, list[dict]], articles: dict[str, dict], entities: dict[str, dict],
          events_by_article: dict[str, list[dict]]) -> tuple[dict, list[str]]:
    per_kind = {k: dict(gold=0, found=0, right=0) for k in KINDS}
    totals = defaultdict(int)
    details = []
    for name in sorted(gold_by_file):
        golds = gold_by_file[name]
        required = [g for g in golds if not g.get("optional")]
        for g in required:
            per_kind[g["kind"]]["gold"] += 1
        article = articles.get(name)
        if article is None:
            totals["articles_missing"] += 1
            details.append(f"{name}: NOT IN DATABASE")
            continue
        extracted = events_by_article.get(article["article_id"], [])
        pairs = match_events(golds, extracted, entities)
        gold_of = {s: g for g, s in pairs.items()}
        notes = []
        for g, gold in enumerate(golds):
            if g not in pairs:
                if not gold.get("optional"):
                    notes.append(f"missed event: {describe_gold(gold)}")
                continue
            found = extracted[pairs[g]]
            if gold.get("optional"):
                totals["optional_found"] += 1
                continue
            per_kind[gold["kind"]]["right"] += 1
            wrong = []
            if gold.get("amount") is not None:
                totals["amount_gold"] += 1
                if amount_exact(gold, found):
                    totals["amount_exact"] += 1
                else:
                    wrong.append(f"amount {found.get('amount')} {found.get('currency')}, want {gold['amount']} {gold.get('currency')}")
            if gold.get("event_date") is not None:
                totals["date_gold"] += 1
                if date_exact(gold, found):
                    totals["date_exact"] += 1
                else:
                    wrong.append(f"date {found.get('event_date')} ({found.get('date_precision')}), want {gold['event_date']}")
            if gold.get("amount") is not None or gold.get("event_date") is not None:
                totals["valued"] += 1
                totals["valued_exact"] += not wrong
            if gold.get("status") is not None:
                totals["status_gold"] += 1
                totals["status_right"] += str(found.get("status") or "").lower() == gold["status"]
            if wrong:
                notes.append(f"wrong value: {describe_gold(gold)}: got " + "; ".join(wrong))
        for s, event in enumerate(extracted):
            kind = event.get("kind")
            if s in gold_of and golds[gold_of[s]].get("optional"):
                continue  # an optional event found: neither right nor wrong
            if kind in per_kind:
                per_kind[kind]["found"] += 1
            else:
                totals["unknown_kind"] += 1
            if s not in gold_of:
                notes.append(f"extra event: {describe_extracted(event, entities)}")
        details.append(f"{name}: " + ("ok" if not notes else "\n    " + "\n    ".join(notes)))

    gold_n = sum(v["gold"] for v in per_kind.values())
    found_n = sum(v["found"] for v in per_kind.values()) + totals["unknown_kind"]
    right_n = sum(v["right"] for v in per_kind.values())

    def share(part: str, whole: str):
        return round(totals[part] / totals[whole], 3) if totals[whole] else None

    summary = {
        "kind_entities_p_r_f1": prf(right_n, found_n, right_n, gold_n),
        "by_kind_p_r_f1": {k: prf(v["right"], v["found"], v["right"], v["gold"]) + (f"gold {v['gold']}, found {v['found']}",)
                           for k, v in per_kind.items() if v["gold"] or v["found"]},
        "amount_exact_on_matched": share("amount_exact", "amount_gold"),
        "date_exact_on_matched": share("date_exact", "date_gold"),
        # the target: of the matched events the gold gives an amount or a date, the share with all of them exact
        "amount_and_date_exact_on_matched": share("valued_exact", "valued"),
        "status_right_on_matched": share("status_right", "status_gold"),
        "counts": {"articles": len(gold_by_file), "gold_events": gold_n, "extracted_events": found_n,
                   "matched": right_n, "optional_found": totals["optional_found"],
                   "articles_missing": totals["articles_missing"]},
    }
    return summary, details


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", nargs="+", required=True, type=Path, help="folders of <article>.json event gold")
    parser.add_argument("--db", type=Path, help="the landed DuckDB file")
    parser.add_argument("--json", action="store_true", help="print the summary and details as JSON")
    parser.add_argument("--check", action="store_true", help="only validate the gold files")
    args = parser.parse_args(argv)
    try:
        gold = load_gold(args.gold)
    except GoldError as error:
        print(f"event gold is not valid:\n{error}", file=sys.stderr)
        return 2
    if args.check:
        events = [e for es in gold.values() for e in es]
        print(f"{len(gold)} articles, {len(events)} events "
              f"({sum(bool(e.get('optional')) for e in events)} optional): valid")
        return 0
    if args.db is None or not args.db.is_file():
        print(f"no database at {args.db}: give --db with a landed DuckDB file", file=sys.stderr)
        return 2
    summary, details = score(gold, *load_landed(args.db))
    if args.json:
        print(json.dumps({"summary": summary, "details": details}, indent=1))
        return 0
    print("\n".join(details))
    for key, value in summary.items():
        print(f"{key}: {value}")
    p, r, f = summary["kind_entities_p_r_f1"]
    print(f"SCORE events_f1={f} events_p={p} events_r={r} "
          f"amount_date_exact={summary['amount_and_date_exact_on_matched']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
