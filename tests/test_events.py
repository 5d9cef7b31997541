"""Industry events from invented sentences: what a reader of the trades expects each to yield.

Each row is an article (one or two sentences, its publication date) and the events an analyst
expects from it, as (kind, status, title, person, org) plus the values that kind carries. Titles are
written as film news writes them, in quote marks.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.core.nlp.event_dates import parse_money, resolve_date
from pipeline.core.nlp.events import event_patterns, events_frame
from pipeline.core.nlp.extraction import read_text
from pipeline.resources import DEFAULT_SPACY_MODEL
from pipeline.schemas import EventsSchema

SUNDAY = dt.date(2030, 5, 12)
WEDNESDAY = dt.date(2030, 5, 15)
# Each sentence stands for an article of the trades, whose headline says what it is about: in news
# of other things a name in quote marks with no work spoken of near it is no title
# (``entities.about_the_arts``).
TRADE_HEADLINE = "Film and television news"


def events_of(text: str, published: dt.date = SUNDAY, headline: str | None = TRADE_HEADLINE) -> list[dict]:
    extraction = read_text(text, DEFAULT_SPACY_MODEL, headline=headline, published_date=published)
    names = {m.entity_id: m.name for m in extraction.quote_mentions}
    found = []
    for event in extraction.events:
        found.append({
            "kind": event.kind, "status": event.status, "title": names.get(event.title_entity_id),
            "person": names.get(event.person_entity_id), "org": names.get(event.org_entity_id), "role": event.role,
            "amount": event.amount, "currency": event.currency, "amount_kind": event.amount_kind,
            "territory": event.territory, "date": event.event_date and event.event_date.isoformat(),
            "precision": event.date_precision, "certainty": event.certainty, "award": event.award,
            "category": event.category, "evidence": text[event.evidence_start:event.evidence_end] == event.evidence,
        })
    return found


def one(text: str, published: dt.date = SUNDAY) -> dict:
    found = events_of(text, published)
    assert len(found) == 1, found
    return found[0]


EXPECTED = [
    # --- box office: the figure in units, its currency and kind, an opening weekend dated by its Friday
    ("“Starlight Harbor,” the Pinewood Pictures release, opened to $41.5 million this weekend.", SUNDAY,
     dict(kind="box_office", title="Starlight Harbor", org="Pinewood Pictures", amount=41_500_000.0, currency="USD",
          amount_kind="opening_weekend", date="2030-05-10", precision="day")),
    ("“Copper Sky” has grossed £12.4m in the UK so far.", SUNDAY,
     dict(kind="box_office", title="Copper Sky", amount=12_400_000.0, currency="GBP", amount_kind="international_total",
          territory="UK")),
    ("“Copper Sky” has now earned $310 million worldwide.", SUNDAY,
     dict(kind="box_office", title="Copper Sky", amount=310_000_000.0, amount_kind="worldwide_total")),
    # --- release dates: set, moved (the new date counts), delayed, moved up; dates resolved against the article's day
    ("Halcyon Pictures will release “The Quiet Valley” in theaters on Friday.", WEDNESDAY,
     dict(kind="release_date", status="set", title="The Quiet Valley", org="Halcyon Pictures", date="2030-05-17",
          precision="day")),
    ("Paramount has moved “The Quiet Valley” from March 6 to May 22, 2031.", SUNDAY,
     dict(kind="release_date", status="moved", title="The Quiet Valley", date="2031-05-22", precision="day")),
    ("The release of “Night Orchard” has been pushed back to next March.", SUNDAY,
     dict(kind="release_date", status="delayed", title="Night Orchard", date="2031-03-01", precision="month")),
    ("The studio moved up the release of “Night Orchard” to this summer.", dt.date(2030, 1, 10),
     dict(kind="release_date", status="moved_up", title="Night Orchard", date="2030-01-01", precision="year")),
    # --- casting: who joins or leaves, with the part when given; a cast list is one event per actor
    ("Maya Okafor will play the ship's captain in “Starlight Harbor 2,” sources say.", SUNDAY,
     dict(kind="casting", status="joined", title="Starlight Harbor 2", person="Maya Okafor", role="the ship's captain",
          certainty="reported")),
    ("Lena Marsh has exited “The Long Road” over scheduling conflicts.", SUNDAY,
     dict(kind="casting", status="left", title="The Long Road", person="Lena Marsh")),
    # --- hiring: the job, from the verb or the job noun
    ("Dana Whitlock has been tapped to direct “Salt and Ember” for Orion Pictures.", SUNDAY,
     dict(kind="hiring", status="joined", title="Salt and Ember", person="Dana Whitlock", role="director")),
    ("Orion Pictures has hired Priya Nair as showrunner of “Harbor Lights.”", SUNDAY,
     dict(kind="hiring", status="joined", title="Harbor Lights", person="Priya Nair", role="showrunner")),
    # --- production status: who decided, when the sentence names them
    ("Netflix has renewed “Harbor Lights” for a third season.", SUNDAY,
     dict(kind="production_status", status="renewed", title="Harbor Lights", org="Netflix")),
    ("HBO has cancelled “Night Shift” after two seasons.", SUNDAY,
     dict(kind="production_status", status="cancelled", title="Night Shift", org="HBO")),
    ("Universal Pictures has greenlit “Copper Sky 2.”", SUNDAY,
     dict(kind="production_status", status="greenlit", title="Copper Sky 2", org="Universal Pictures")),
    ("Filming on “The Long Road” began in Belfast this week.", SUNDAY,
     dict(kind="production_status", status="filming_started", title="The Long Road")),
    ("“The Long Road” wrapped production in March.", SUNDAY,
     dict(kind="production_status", status="wrapped", title="The Long Road")),
    # --- deals: the buyer, what it bought, the price
    ("Lionsgate acquired the North American distribution rights to “Copper Sky” for $12 million.", SUNDAY,
     dict(kind="deal", status="distribution", title="Copper Sky", org="Lionsgate", amount=12_000_000.0,
          amount_kind="deal_value")),
    ("Lionsgate has acquired “Quiet Hours” after its Sundance premiere.", SUNDAY,
     dict(kind="deal", status="acquired", title="Quiet Hours", org="Lionsgate")),
    # --- awards: won or nominated, the award and the category
    ("Maya Okafor won the Golden Globe for best actress for “Lanterns” on Sunday.", dt.date(2030, 1, 7),
     dict(kind="award", status="won", title="Lanterns", person="Maya Okafor", award="Golden Globe",
          category="best actress", date="2030-01-06")),
    ("Tom Reyes was nominated for an Emmy for “Harbor Lights.”", SUNDAY,
     dict(kind="award", status="nominated", title="Harbor Lights", person="Tom Reyes", award="Emmy")),
]


@pytest.mark.parametrize("text, published, expected", EXPECTED, ids=[row[2]["kind"] + "-" + str(i) for i, row in enumerate(EXPECTED)])
def test_an_event_sentence_gives_its_event(text, published, expected):
    found = one(text, published)
    assert {key: found[key] for key in expected} == expected
    assert found["evidence"], "the evidence offsets slice the text to the sentence"


def test_a_cast_list_is_one_event_per_actor():
    found = events_of("Tom Reyes and Ana Silva have joined the cast of “The Long Road.”")
    assert sorted((e["kind"], e["person"], e["title"]) for e in found) == [
        ("casting", "Ana Silva", "The Long Road"), ("casting", "Tom Reyes", "The Long Road")]


NOT_EVENTS = [
    "Netflix did not renew “Harbor Lights.”",                                    # negated
    "The Oscar-winning “Lanterns” returns to cinemas in a new print.",           # an epithet, no date
    "If Maya Okafor were to play the captain in “Starlight Harbor 2,” fans would cheer.",  # hypothetical
    "Dana Whitlock directed “Salt and Ember” in 2003.",                          # a past credit
    "Keith wants to play jazz in “The Long Road.”",                              # a wish, no joining
    "In 2006, Maya Okafor joined the cast of “Harbor Lights.”",                  # history to an article of 2030
    "The president has ordered a review of “Harbor Lights” funding.",            # an order that is no series order
    "Maya Okafor stars in “Harbor Lights” as a ferry pilot.",                    # a cast list's fact, no joining
    "Every month, Maya Okafor writes a new column for “Harbor Lights.”",         # a job in the present: no hiring
]


@pytest.mark.parametrize("text", NOT_EVENTS)
def test_what_states_no_event_gives_none(text):
    assert events_of(text) == []


def test_a_part_still_to_come_in_the_present_tense_is_a_casting():
    found = one("Maya Okafor co-produced the pilot.\n\nThis fall she plays a ferry pilot in the upcoming “Harbor Lights.”")
    assert (found["kind"], found["person"], found["title"], found["role"]) == ("casting", "Maya Okafor", "Harbor Lights", "a ferry pilot")
    # "this fall" is a season, given as its year, even when the model does not call it a date
    assert (found["date"], found["precision"]) == ("2030-01-01", "year")


def test_she_is_the_person_the_paragraphs_around_name_most():
    found = one("Maya Okafor grew up in Leeds. Okafor met Tom Reyes at drama school.\n\n"
                "She will play the ship's captain in “Starlight Harbor 2.”")
    assert (found["person"], found["title"]) == ("Maya Okafor", "Starlight Harbor 2")


def test_hedges_mark_certainty():
    assert one("Maya Okafor is in talks to join “Starlight Harbor 2.”")["certainty"] == "rumoured"
    assert one("Netflix has reportedly renewed “Harbor Lights.”")["certainty"] == "reported"
    assert one("Netflix has renewed “Harbor Lights.”")["certainty"] == "stated"


def test_an_event_restated_is_one_row_from_its_fullest_statement():
    found = events_of("“Copper Sky” opened to $20 million.\n\nThe Halcyon Pictures film “Copper Sky” opened to "
                      "$20.4 million this weekend, above expectations.")
    assert [(e["kind"], e["amount_kind"], e["amount"], e["date"]) for e in found] == [
        ("box_office", "opening_weekend", 20_400_000.0, "2030-05-10")]


def test_event_rows_pass_the_schema_and_keep_their_ids():
    extraction = read_text("Netflix has renewed “Harbor Lights” for a third season. HBO has cancelled “Night Shift.”",
                           DEFAULT_SPACY_MODEL, published_date=SUNDAY)
    frame = events_frame({"0123456789abcdef": extraction.events})
    EventsSchema.validate(frame)
    again = events_frame({"0123456789abcdef": read_text(
        "Netflix has renewed “Harbor Lights” for a third season. HBO has cancelled “Night Shift.”",
        DEFAULT_SPACY_MODEL, published_date=SUNDAY).events})
    assert frame["event_id"].to_list() == again["event_id"].to_list() and frame.height == 2


@pytest.mark.parametrize("written, published, future, expected", [
    ("this weekend", dt.date(2030, 5, 12), False, ("2030-05-10", "day")),   # Sunday: the weekend just gone
    ("this weekend", dt.date(2030, 5, 15), True, ("2030-05-17", "day")),    # Wednesday: the coming one
    ("last weekend", dt.date(2030, 5, 15), False, ("2030-05-10", "day")),
    ("on Friday", dt.date(2014, 12, 10), True, ("2014-12-12", "day")),
    ("Friday", dt.date(2014, 12, 10), False, ("2014-12-05", "day")),
    ("Monday", dt.date(2020, 3, 23), False, ("2020-03-23", "day")),          # the paper's own day
    ("next March", dt.date(2014, 12, 10), True, ("2015-03-01", "month")),
    ("this summer", dt.date(2014, 12, 10), True, ("2015-01-01", "year")),   # a season is its year
    ("Dec. 31", dt.date(2014, 12, 29), False, ("2014-12-31", "day")),        # the month-day nearest the paper's day
    ("April 7", dt.date(2020, 3, 23), False, ("2020-04-07", "day")),
    ("May 22, 2031", dt.date(2030, 5, 12), True, ("2031-05-22", "day")),
    ("March 2027", dt.date(2026, 11, 1), True, ("2027-03-01", "month")),
    ("2027", dt.date(2026, 11, 1), True, ("2027-01-01", "year")),
    ("Christmas Day", dt.date(2026, 11, 1), True, ("2026-12-25", "day")),
    ("in a scant six weeks", dt.date(2019, 11, 11), True, ("2019-12-01", "month")),  # a time to come, to its month
    ("in two years", dt.date(2019, 11, 11), True, ("2021-01-01", "year")),
])
def test_dates_resolve_against_the_publication_date(written, published, future, expected):
    day, precision = resolve_date(written, published, future)
    assert (day.isoformat(), precision) == expected


@pytest.mark.parametrize("written", ["three weeks", "the 1990s", "decades", "its opening weekend", "to date",
                                     "in six weeks"])  # in a past statement: "sold out in six weeks"
def test_durations_and_vague_spans_are_no_date(written):
    assert resolve_date(written, dt.date(2030, 5, 12), False) is None


@pytest.mark.parametrize("written, expected", [
    ("$50.2 million", (50_200_000.0, "USD")), ("£1.2bn", (1_200_000_000.0, "GBP")), ("€800,000", (800_000.0, "EUR")),
    ("300 million yuan", (300_000_000.0, "CNY")), ("A$15m", (15_000_000.0, "AUD")), ("$40-45 million", (40_000_000.0, "USD")),
])
def test_money_is_units_and_iso_currency(written, expected):
    assert parse_money(written, event_patterns()["currencies"]) == expected


def test_a_change_of_the_events_rules_re_extracts_landed_articles(tmp_path, monkeypatch):
    from pipeline.core.nlp import events as event_rules
    from pipeline.core.nlp.extraction import stage_version

    before = stage_version(DEFAULT_SPACY_MODEL)
    changed = tmp_path / "event_patterns.yml"
    changed.write_text(event_rules.EVENT_PATTERNS_FILE.read_text(encoding="utf-8") + "\n# one more rule\n", encoding="utf-8")
    monkeypatch.setattr(event_rules, "EVENT_PATTERNS_FILE", changed)
    assert stage_version(DEFAULT_SPACY_MODEL) != before


def test_a_date_typed_as_a_title_is_no_party_to_an_event():
    from pipeline.core.nlp.events import extract_events
    from pipeline.core.nlp.extraction import load_stage_pipeline
    from pipeline.core.nlp.quotes import Mention

    text = "Grand Central Publishing will release the memoir on April 7."
    doc = load_stage_pipeline(DEFAULT_SPACY_MODEL)(text)
    at = text.index("April 7")
    mentions = [Mention(0, 24, "Grand Central Publishing", "ORG", "Grand Central Publishing", "0" * 16),
                Mention(at, at + 7, "April 7", "TITLE", "April 7", "1" * 16)]
    assert extract_events(text, doc, mentions, dt.date(2020, 3, 23)) == []


# --- who and what an event is about, through the parse (issue 25, recall)

def people_and_titles(text: str, kind: str = "casting") -> list[tuple]:
    return sorted((e["person"], e["title"]) for e in events_of(text) if e["kind"] == kind)


def test_a_clause_without_its_own_subject_takes_the_subject_of_the_clause_it_hangs_from():
    # "while also starring in …" has no subject: she, the subject of "plays", stars.
    found = people_and_titles("Maya Okafor grew up in Leeds.\n\nThis fall she plays a ferry pilot on the drama "
                              "“Harbor Lights,” while also starring in a new ABC comedy, “Copper Sky.”")
    assert found == [("Maya Okafor", "Copper Sky"), ("Maya Okafor", "Harbor Lights")]


def test_co_stars_are_both_in_the_cast():
    found = people_and_titles("Maya Okafor grew up in Leeds.\n\nOn the subject of Tom Reyes, with whom she co-stars in "
                              "the upcoming “Night Orchard,” she said little.")
    assert found == [("Maya Okafor", "Night Orchard"), ("Tom Reyes", "Night Orchard")]


def test_she_who_joins_is_not_another_person_the_sentence_names():
    found = people_and_titles("Maya Okafor grew up in Leeds.\n\nShe admired Tom Reyes long before she joined the cast "
                              "of “Harbor Lights” this month.")
    assert found == [("Maya Okafor", "Harbor Lights")]


def test_the_part_someone_is_cast_as_is_not_the_person_cast():
    assert people_and_titles("The remake of “Harbor Lights” cast a newcomer as Maya Okafor.") == []


def test_a_person_joined_is_no_production():
    assert people_and_titles("Maya Okafor grew up in Leeds.\n\nTom Reyes urged her to join him at “Harbor Lights,” "
                             "the bar on Main Street, this week.") == []


def test_another_film_of_the_same_person_is_not_the_film_named_before():
    # "his third film" is not "Harbor Lights": no release date for it.
    found = events_of("“Harbor Lights” was Tom Reyes’s second hit.\n\nReyes will return for his third film, "
                      "scheduled for release on May 5, 2031.")
    assert [e for e in found if e["kind"] == "release_date"] == []


def test_joining_a_release_as_star_and_producer_is_a_casting_and_a_hiring():
    found = events_of("“Harbor Lights” opens on Christmas Day.\n\nMaya Okafor, 41, joined the holiday release about a "
                      "lighthouse keeper as a star and producer.")
    people = sorted((e["kind"], e["person"], e["title"], e["role"]) for e in found if e["kind"] in ("casting", "hiring"))
    assert people == [("casting", "Maya Okafor", "Harbor Lights", None),
                      ("hiring", "Maya Okafor", "Harbor Lights", "producer")]


def test_a_release_cancelled_is_a_release_pulled_not_a_production_cancelled():
    found = events_of("Halcyon Press will publish “Night Orchard” in June.\n\nHalcyon Press cancelled the release "
                      "a week later.")
    assert [(e["kind"], e["status"], e["title"], e["org"]) for e in found if e["status"] in ("delayed", "cancelled")] \
        == [("release_date", "delayed", "Night Orchard", "Halcyon Press")]


def test_a_company_bought_by_another_through_its_owner():
    bought_by_owner = one("Copperline Records, which was bought out by a company owned by investor Tom Reyes "
                          "earlier this year, will release the album.", dt.date(2030, 11, 19))
    assert (bought_by_owner["kind"], bought_by_owner["status"], bought_by_owner["org"], bought_by_owner["person"],
            bought_by_owner["date"]) == ("deal", "acquired", "Copperline Records", "Tom Reyes", "2030-01-01")
    bought = one("Copperline Records was acquired by Halcyon Pictures in March.")
    assert (bought["kind"], bought["org"]) == ("deal", "Halcyon Pictures")


def test_an_award_is_for_the_work_its_for_phrase_names_however_deep():
    found = one("Tom Reyes grew up in Leeds.\n\nIt began with a Golden Globe nomination for his portrayal of the "
                "title role in “Harbor Lights.”")
    assert (found["kind"], found["status"], found["person"], found["title"], found["award"]) == \
        ("award", "nominated", "Tom Reyes", "Harbor Lights", "Golden Globe")


def test_an_award_for_the_former_is_for_the_first_work_named_before():
    found = one("Tom Reyes has lately made “Harbor Lights” and “Night Orchard.” Reyes earned a Golden Globe "
                "nomination for the former.")
    assert (found["person"], found["title"]) == ("Tom Reyes", "Harbor Lights")


def test_a_person_released_is_no_release_date():
    assert events_of("Maya Okafor, the star of “Harbor Lights,” was released from prison on Tuesday.") == []
    assert events_of("Maya Okafor was in “Harbor Lights.”\n\nShe was released from prison on Tuesday.") == []


def test_it_as_an_object_is_no_work():
    found = events_of("Tom Reyes praised “Harbor Lights.”\n\nAt the party, he left it to his niece to greet the guests.")
    assert found == []


def test_a_verb_the_trigger_hangs_from_gives_it_no_job():
    assert events_of("Maya Okafor ran Halcyon Pictures.\n\nShe wrote about it after she left Halcyon Pictures.") == []


@pytest.mark.parametrize("text, expected", [
    # the subject joins, and whoever the trigger names as a partner
    ("Maya Okafor is set to star opposite Tom Reyes in “Night Orchard.”",
     [("casting", "joined", "Night Orchard", "Maya Okafor", None), ("casting", "joined", "Night Orchard", "Tom Reyes", None)]),
    ("Maya Okafor will co-star with Tom Reyes and Ana Silva in “Night Orchard.”",
     [("casting", "joined", "Night Orchard", "Ana Silva", None), ("casting", "joined", "Night Orchard", "Maya Okafor", None),
      ("casting", "joined", "Night Orchard", "Tom Reyes", None)]),
    # the trades' verbs of joining a crew, a project going to a studio, a show picked up again
    ("Tom Reyes has boarded “Night Orchard” as a producer.", [("hiring", "joined", "Night Orchard", "Tom Reyes", None)]),
    ("“Night Orchard” has landed at Halcyon Pictures.", [("deal", "acquired", "Night Orchard", None, "Halcyon Pictures")]),
    ("Netflix has picked up “Night Orchard” for a second season.",
     [("production_status", "renewed", "Night Orchard", None, "Netflix")]),
    # a work that opens is released, with no other word of releases in the sentence
    ("“Night Orchard” will now open on May 5.", [("release_date", "set", "Night Orchard", None, None)]),
])
def test_trade_press_constructions(text, expected):
    assert sorted((e["kind"], e["status"], e["title"], e["person"], e["org"]) for e in events_of(text)) == expected


# --- box-office tables written as lines (issue 25, recall): no sentence states the figures

def figures(text: str, published: dt.date = SUNDAY) -> list[tuple]:
    return sorted((e["title"], e["amount"], e["amount_kind"], e["date"], e["certainty"])
                  for e in events_of(text, published) if e["kind"] == "box_office")


def test_a_block_per_title_gives_the_actual_figure_not_the_guesses():
    text = ("Every week we guess what the new wide releases will make on their opening weekend.\n\n"
            "Last week:\n\n“Copper Sky”\n\nOur guess: $25,000,000\n\nActual: $28,500,000\n\n"
            "Verdict: close enough.\n\n“Night Orchard”\n\nOur guess: $9,000,000\n\nActual: $6,600,000")
    # A Sunday's report: the opening weekend is the one just over, dated by its Friday.
    assert figures(text) == [("Copper Sky", 28_500_000.0, "opening_weekend", "2030-05-10", "stated"),
                             ("Night Orchard", 6_600_000.0, "opening_weekend", "2030-05-10", "stated")]


def test_a_chart_cut_by_bars_takes_its_figures_kind_from_its_column_before_the_lead():
    # (three cells or more the entity stage reads as a bar of links: paragraphs.is_navigation)
    text = ("Last weekend's openings were soft; the holdovers crossed milestones.\n\n"
            "Film | Worldwide to date\n\n"
            "“Copper Sky” | $120 million\n\n"
            "“Night Orchard” | $30 million")
    assert figures(text, WEDNESDAY) == [("Copper Sky", 120_000_000.0, "worldwide_total", None, "stated"),
                                        ("Night Orchard", 30_000_000.0, "worldwide_total", None, "stated")]


def test_a_chart_row_of_three_cells_is_read_and_each_figure_takes_its_own_columns_kind():
    # A row of three cells with sums of money is no bar of links (paragraphs.is_navigation), and
    # the header line's other cells ("Opening") say nothing of the figure under "Total".
    text = ("Weekend box office, in dollars.\n\n"
            "Film | Opening | Total\n\n"
            "“Copper Sky” | $41.5 million | $120 million\n\n"
            "“Night Orchard” | $9 million | $30 million")
    assert [(title, amount, kind) for title, amount, kind, *_ in figures(text, WEDNESDAY)] == [
        ("Copper Sky", 41_500_000.0, "opening_weekend"), ("Copper Sky", 120_000_000.0, "domestic_total"),
        ("Night Orchard", 9_000_000.0, "opening_weekend"), ("Night Orchard", 30_000_000.0, "domestic_total")]


def test_a_ranked_list_under_a_box_office_heading_is_read():
    text = ("Holdovers had a quiet few days.\n\nTop of the box office\n\n"
            "1. “Copper Sky” — $41.5 million\n2. “Night Orchard” — $12.2 million")
    assert [(title, amount) for title, amount, *_ in figures(text)] == [
        ("Copper Sky", 41_500_000.0), ("Night Orchard", 12_200_000.0)]


def test_lines_of_sums_under_a_lead_that_says_nothing_of_takings_are_no_box_office():
    text = ("What the stars of the season were paid, by the trade's count.\n\n"
            "“Copper Sky” — $20 million\n\n“Night Orchard” — $12 million")
    assert figures(text) == []


# --- what the parse and the sentence say about whether an event is stated

def test_a_not_in_the_clause_after_a_semicolon_does_not_negate_the_figure_before_it():
    found = one("“Copper Sky” has earned in the region of $286m worldwide; it doesn't need the label of a "
                "women's comedy.")
    assert (found["kind"], found["title"], found["amount"], found["amount_kind"]) == \
        ("box_office", "Copper Sky", 286_000_000.0, "worldwide_total")


def test_a_question_states_no_event():
    assert events_of("Maya Okafor grew up in Leeds. She loved “Harbor Lights” as a child.\n\n"
                     "Was she a fan of the cast before she joined the show?") == []


def test_a_title_ending_in_a_question_mark_is_no_question():
    found = one("On May 5, Halcyon Records will release “What Now?”", WEDNESDAY)
    assert (found["kind"], found["title"].rstrip("?"), found["date"]) == ("release_date", "What Now", "2030-05-05")


def test_midsummer_is_a_season_given_as_its_year():
    found = one("That “Copper Sky”, by midsummer, had grossed more than $150m in the US surprised everyone.",
                dt.date(2030, 11, 18))
    assert (found["amount"], found["date"], found["precision"]) == (150_000_000.0, "2030-01-01", "year")


def test_a_season_in_a_list_articles_section_is_the_work_its_heading_names():
    text = ("The best television of the year, in no order.\n\n“Night Orchard” with Tom Reyes\n\n"
            "Netflix made the most of a bad year. Its prestige dramas dominated awards talk.\n\n"
            "“Harbor Lights” with Maya Okafor\n\nThis gentle comedy about a ferry pilot spoke to the moment.\n\n"
            "I did not love Season 1. But then came a long wait in March and the debut of Season 2 in April.")
    found = one(text, dt.date(2030, 12, 20))
    # the date is the one of the debut's own phrase, not the nearer "March"
    assert (found["kind"], found["status"], found["title"], found["date"], found["precision"]) == \
        ("release_date", "set", "Harbor Lights", "2030-04-01", "month")


@pytest.mark.parametrize("text, category", [
    ("Maya Okafor won the Golden Globe for best actress for “Lanterns” on Sunday.", "best actress"),
    ("Maya Okafor won Favorite Album – Pop/Rock at the American Music Awards on Sunday.", "Favorite Album – Pop/Rock"),
    ("Tom Reyes won the Golden Globe for best actor - drama for “Lanterns” on Sunday.", "best actor"),
    # "best-selling" is a description, no category
    ("The best-selling author Tom Reyes won an Emmy for “Lanterns” on Sunday.", None),
])
def test_an_awards_category_is_read_from_the_words_after_best(text, category):
    found = one(text, dt.date(2030, 1, 7))
    assert (found["kind"], found["category"]) == ("award", category)


def test_a_work_said_to_come_on_a_date_is_a_release_and_a_franchise_beside_it_is_not_the_work():
    found = one("In a scant six weeks, there will be a new “Harbor Lights” film, “Night Orchard.” Fans still argue "
                "about the last one.", dt.date(2019, 11, 11))
    assert (found["kind"], found["status"], found["title"], found["date"], found["precision"]) == \
        ("release_date", "set", "Night Orchard", "2019-12-01", "month")


def test_there_will_be_something_that_is_no_work_is_no_release():
    assert [e for e in events_of("There will be a screening of “Night Orchard” on Friday.", WEDNESDAY)
            if e["kind"] == "release_date"] == []


# News of politics, business and sport says the verbs of film news of other things: these name no
# event of the industry (each gave one before). Those with a word of the industry in them have their
# own reason to state none.
OTHER_NEWS = [
    # an award's name inside a person's name
    "The 26-year-old, who joined Harbor City for 15 million pounds sterling ($23.4 million), takes over from "
    "Tony Marsh, who led the side during the championship in June, and former captain Dave Pratt.",
    "Emmy Ross takes over from Oscar Tallis as head of the studio.",
    # the clause's subject is a thing: no person from the clause around it
    "“This is good news for Marlow's film slate, and I expect that it will produce strong results,” said analyst "
    "Paula Reyes.",
    # a word of a title is no verb of the sentence
    "Critics of the studio said “Nobody Left Behind” was a misfire, said Tom Reyes.",
    # a title of the clause that reports the trigger's: the show where it was said is not what is released
    "Friday on NBC’s “Morning Hour,” Senator Ana Silva told host Tom Reyes she believed that the governor would "
    "release a transcript of the speech on Monday.",
    # a verb of buying in another sense
    "Dana Whitlock's double snapped a fifth-inning tie and lifted the Harbor City Herons past the Reds on TV.",
    # a job in no production and no company named: a party's chair
    "Because chairwoman Debbie Vance resigned in July, her deputy has that authority over the film fund.",
    # no word of the industry around it, no title written as one
    "Dana Whitlock, who joined the Harbor Party in 2029, will direct her fire at the governor by March 1.",
    "Martin Keller stepped down as chairman of Helix Capital last week.",
]


@pytest.mark.parametrize("text", OTHER_NEWS)
def test_the_verbs_of_film_news_in_other_news_state_no_event(text):
    assert events_of(text) == []


def test_a_job_left_is_at_the_company_its_as_phrase_names_and_in_the_past():
    found = one("Debbie Vance resigned as chairwoman of Orion Pictures in July.")
    assert (found["kind"], found["status"], found["person"], found["org"], found["role"]) == (
        "hiring", "left", "Debbie Vance", "Orion Pictures", "chairwoman")
    # "resigned in July" in an article of May 2030 is the July before it
    assert (found["date"], found["precision"]) == ("2029-07-01", "month")
