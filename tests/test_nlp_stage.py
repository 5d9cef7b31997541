"""The NLP stage as a spaCy pipeline: its registered component, attribution from the parse,
reported speech, and the stage's promises (rows depend on the article alone; a changed rule
re-extracts by itself)."""

from __future__ import annotations

import shutil

import pytest

from pipeline.core.nlp import attribution, pipeline as nlp_pipeline
from pipeline.core.nlp.attribution import quote_attribution, reported_speech
from pipeline.core.nlp.extraction import read_text
from pipeline.core.nlp.pipeline import load_pipeline
from pipeline.core.nlp.quotes import extract_quotes, find_quote_spans
from pipeline.resources import DEFAULT_SPACY_MODEL

from .harness import rows, run
from .newsroom import HARBOR_LIGHTS, HARBOR_LIGHTS_INTERVIEW, news_page, text_article, write


@pytest.fixture(scope="module")
def parse():
    nlp = load_pipeline(DEFAULT_SPACY_MODEL, with_ner=False)
    return nlp


def test_a_paragraph_break_always_starts_a_sentence(parse):
    doc = parse("WINNER: Sandra Oh\n\nBodyguard won the drama prize\n\nWATCH BELOW: the speech")
    assert "paragraph_sentences" in parse.pipe_names
    for sentence in doc.sents:
        assert "\n\n" not in sentence.text.strip()


# text, the quoted words, the cue and the words naming the speaker (None: the parse gives no speaker)
ATTRIBUTIONS = [
    ("“We are not moving the date,” said Dana Whitlock, the studio chief.", "We are not moving the date,", "said", "Dana Whitlock"),
    ("“It was a mess,” she told reporters on Tuesday.", "It was a mess,", "told", "she"),
    ("“I love it,” recalls the director.", "I love it,", "recalls", "the director"),
    ("Clinton says Trump “may not have paid a dime” in federal taxes.", "may not have paid a dime", "says", "Clinton"),
    ("Ruiz notes that the sequel “is not a remake” of the first film.", "is not a remake", "notes", "Ruiz"),
    ("“We will fight it,” said the company's chief executive, Ruth Anand.", "We will fight it,", "said", "Ruth Anand"),
    ("The film, according to Jon Landau, is “very much alive.”", "very much alive.", "according to", "Jon Landau"),
    # No verb of saying: the parse attributes nothing, and the patterns decide.
    ("The cast wore “Team Ember” shirts to the premiere.", "Team Ember", None, None),
]


@pytest.mark.parametrize("text,quoted,cue,speaker", ATTRIBUTIONS)
def test_the_cue_and_its_subject_come_from_the_parse(parse, text, quoted, cue, speaker):
    start = text.index(quoted)
    found = quote_attribution(parse(text), start, start + len(quoted), [(start, start + len(quoted))])
    if cue is None:
        assert found is None
        return
    assert found is not None and found.cue == cue
    assert (found.speaker.text if found.speaker else None) == speaker


# text, the reported content (a substring), the speaker phrase; None: no reported speech
REPORTED = [
    ("Park said the studio would not move the date.", "the studio would not move the date", "Park"),
    ("Kevin Sullivan says he instructed staff Monday to check the records.", "he instructed staff Monday to check the records", "Kevin Sullivan"),
    ("The union denied that it had agreed to the new terms.", "it had agreed to the new terms", "The union"),
    ("According to the filing, the studio owes $4 million to the lab.", "the studio owes $4 million to the lab", "the filing"),
    # Quoted words make it direct speech, carried by the quote; "thinks" is no verb of saying.
    ("Park said the plan was “a mess from the start”.", None, None),
    ("Park thinks the studio will move the date.", None, None),
]


@pytest.mark.parametrize("text,content,speaker", REPORTED)
def test_reported_speech_is_the_clause_a_verb_of_saying_governs(parse, text, content, speaker):
    marks = [(q.start - 1, q.end + 1) for q in find_quote_spans(text)]
    found = reported_speech(parse(text), marks)
    if content is None:
        assert found == []
        return
    assert len(found) == 1
    assert content in text[found[0].start:found[0].end]
    assert found[0].attribution.speaker.text == speaker


def test_two_apostrophes_are_quote_marks(parse):
    text = "''We are not going anywhere,'' Mr. Kamin said of the plan."
    quotes = [q for q in extract_quotes(text, [], parse(text)) if q.kind == "direct"]
    assert [q.text for q in quotes] == ["We are not going anywhere,"]


def test_an_articles_rows_do_not_depend_on_its_batch(tmp_path):
    alone, batched = tmp_path / "alone", tmp_path / "batched"
    page = news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS)
    write(alone / "in", "harbor.html", page)
    write(batched / "in", "harbor.html", page)
    write(batched / "in", "brandt.txt", text_article("2026-10-05", HARBOR_LIGHTS_INTERVIEW))
    for folder in (alone, batched):
        assert run(folder / "in", folder / "db.duckdb").success

    def article_rows(folder):
        db = folder / "db.duckdb"
        harbor = "(select article_id from articles where source_path like '%harbor.html')"
        mentions = rows(db, f"select start_char, end_char, text, entity_type, entity_name, method from mentions "
                            f"where article_id = {harbor} order by start_char, end_char")
        quotes = rows(db, f"select quote_id, kind, text, start_char, speaker, cue from quotes "
                          f"where article_id = {harbor} order by start_char, kind")
        return mentions, quotes

    assert article_rows(alone) == article_rows(batched)
    assert article_rows(alone)[1], "the article has quotes to compare"


def test_worker_processes_give_the_rows_one_process_gives(monkeypatch):
    """Both cores read articles (issue: speed); which process reads an article changes nothing."""
    from pipeline.core.nlp import extraction

    articles = [extraction.ArticleText(f"a{i}", text) for i, text in
                enumerate(["\n\n".join(HARBOR_LIGHTS_INTERVIEW), "Director Ines Farrow said the film would open in March.",
                           '"We are done," said Calvin Reyes of Marlow Pictures.'] * 2)]
    here = extraction.read_articles(articles, DEFAULT_SPACY_MODEL)
    monkeypatch.setattr(extraction, "MIN_ARTICLES_FOR_WORKERS", 1)
    with extraction.ArticleReader(DEFAULT_SPACY_MODEL, processes=2, expected_articles=len(articles)) as reader:
        assert reader.uses_workers
        first, second = reader.submit(articles[:4]), reader.submit(articles[4:])
        in_workers = first.result() + second.result()
    assert [e.article_id for e in in_workers] == [a.article_id for a in articles], "results come back in order"
    assert [(e.mentions, [vars(q) for q in e.quotes]) for e in in_workers] == \
        [(e.mentions, [vars(q) for q in e.quotes]) for e in here]
    assert any(e.quotes for e in here) and any(e.mentions for e in here)


def test_the_rows_workers_send_back_are_those_of_the_articles_read_here(monkeypatch):
    """What the stage lands is built where the articles are read and sent back as frames: the same
    rows, in the same order, as the frames of the extractions read in this process."""
    from pipeline.core.nlp import extraction

    articles = [extraction.ArticleText(f"a{i}", text) for i, text in
                enumerate(["\n\n".join(HARBOR_LIGHTS_INTERVIEW), "Director Ines Farrow said the film would open in March.",
                           '"We are done," said Calvin Reyes of Marlow Pictures.'] * 2)]
    here = extraction.stage_frames(extraction.read_articles(articles, DEFAULT_SPACY_MODEL))
    monkeypatch.setattr(extraction, "MIN_ARTICLES_FOR_WORKERS", 1)
    with extraction.ArticleReader(DEFAULT_SPACY_MODEL, processes=2, expected_articles=len(articles)) as reader:
        assert reader.uses_workers
        first, second = reader.submit_frames(articles[:4]), reader.submit_frames(articles[4:])
        in_workers = extraction.StageFrames.concat([first.result(), second.result()])
    for table in ("mentions", "quotes", "quote_titles", "events"):
        assert getattr(in_workers, table).equals(getattr(here, table)), table
    assert here.mentions.height and here.quotes.height
    assert here.mentions["article_id"].unique(maintain_order=True).to_list() == [a.article_id for a in articles]


def test_a_changed_cue_lexicon_re_extracts_on_the_next_run(tmp_path, monkeypatch):
    landing, db = tmp_path / "in", tmp_path / "db.duckdb"
    write(landing, "harbor.html", news_page("Harbor Lights Sets March Start", HARBOR_LIGHTS))
    assert run(landing, db).success
    speakers = rows(db, "select text, speaker from quotes where kind = 'direct' order by start_char")
    assert ("We’ve rewritten this thing eleven times and it finally feels like the movie we pitched,", "Celia Brandt") in speakers
    versions = rows(db, "select distinct rules_version from internal.quote_extraction_state")

    again = run(landing, db)
    quotes_stage = next(e.step_materialization_data.materialization for e in again.get_asset_materialization_events()
                        if e.step_materialization_data.materialization.asset_key.to_user_string() == "quotes")
    assert quotes_stage.metadata["articles_processed"].value == 0, "nothing changed, nothing re-read"

    # A new lexicon without "say": the same article is read again, by the new rules, with no full refresh.
    lexicon = tmp_path / "speech_cues.yml"
    shutil.copy(nlp_pipeline.SPEECH_CUES_FILE, lexicon)
    lexicon.write_text(lexicon.read_text().replace("[say, ", "[", 2))
    monkeypatch.setattr(nlp_pipeline, "SPEECH_CUES_FILE", lexicon)
    monkeypatch.setattr("pipeline.core.nlp.extraction.SPEECH_CUES_FILE", lexicon)
    nlp_pipeline.speech_cues.cache_clear()
    try:
        changed = run(landing, db)
        assert changed.success
        assert rows(db, "select distinct rules_version from internal.quote_extraction_state") != versions
        quotes_stage = next(e.step_materialization_data.materialization for e in changed.get_asset_materialization_events()
                            if e.step_materialization_data.materialization.asset_key.to_user_string() == "quotes")
        assert quotes_stage.metadata["articles_processed"].value == 1
        assert "say" not in attribution.speech_cues()["direct"]
    finally:
        nlp_pipeline.speech_cues.cache_clear()


def entities_in(text: str) -> dict[str, str]:
    # Each case stands for a film article, whose headline says so: in news of other things a name
    # with no work spoken of near it is no title (``entities.about_the_arts``).
    return {m.text: m.entity_type for m in read_text(text, DEFAULT_SPACY_MODEL, headline="Film and television news").mentions}


AWARDS_NIGHT = ("The winners of the night, category by category.\n\n"
                "Best Actress in a Drama Series\n\n"
                "WINNER: Sandra Oh, Killing Eve\n\n"
                "Elisabeth Moss, The Handmaid's Tale\n\n"
                "Best Television Series - Drama\n\n"
                "WINNER: The Americans\n\n"
                "Bodyguard\n\n"
                "WATCH BELOW: Andy Samberg and Sandra Oh open the show.\n\n"
                "Photo: Jane Doe/The Canadian Press")

# text, a surface form, its type (None: it must not be an entity at all)
ENTITY_CASES = [
    # Winner and nominee lists under award categories.
    (AWARDS_NIGHT, "Killing Eve", "TITLE"),
    (AWARDS_NIGHT, "The Handmaid's Tale", "TITLE"),
    (AWARDS_NIGHT, "Bodyguard", "TITLE"),
    (AWARDS_NIGHT, "The Americans", "TITLE"),
    (AWARDS_NIGHT, "Sandra Oh", "PERSON"),
    (AWARDS_NIGHT, "Best Actress in a Drama Series", None),
    (AWARDS_NIGHT, "WINNER: Sandra Oh", None),
    (AWARDS_NIGHT, "Best Television", None),
    (AWARDS_NIGHT, "Jane Doe/The Canadian Press", None),
    # Page furniture never glues to an entity.
    ("MORE ON JAMES BOND:\n\nChristopher Orr reviews the new film.", "MORE ON JAMES BOND", None),
    ("Source: Box Office Mojo\n\nWould the sequel open bigger?", "Source: Box Office Mojo", None),
    ("Share | « Previous Entertainment | Next Entertainment » | Email Print\n\nThe film opens Friday.",
     "Next Entertainment", None),
    # The media list: streamers, networks and papers are organisations, whatever the model says;
    # a common word that only shares a name with an outlet is not.
    ("Comedy Central renewed the show for a fifth season.", "Comedy Central", "ORG"),
    ("The series moves to Netflix in March.", "Netflix", "ORG"),
    ("She told The Sun that the wedding was off.", "The Sun", "ORG"),
    ("People were queuing outside the cinema at dawn.", "People", None),
    # Names: no person opens with an article, tabloid capitals are written as a name.
    ("The Hangover made Bradley Cooper a star.", "The Hangover", None),
    ("LINDA Nolan has vowed to keep singing, Linda Nolan told fans.", "LINDA Nolan", "PERSON"),
    # Titles written plainly in a listing after a kind of work, or in apposition to one.
    ("She stole scenes in films such as Ghost Town and Knocked Up.", "Ghost Town", "TITLE"),
    ("She stole scenes in films such as Ghost Town and Knocked Up.", "Knocked Up", "TITLE"),
    ("It outgrossed his films, including Anchorman, Elf and The 40-Year-Old Virgin.", "The 40-Year-Old Virgin", "TITLE"),
    ("She stars in a new NBC sitcom, Perfect Couples, co-created by a former writer.", "Perfect Couples", "TITLE"),
    ("In the mutant-packed sequel, Professor X, Beast and Mystique travel back in time.", "Professor X", None),
    # Titles written plainly where the words around them make them works (title_contexts.yml).
    ("Olivia Colman won for The Favourite last year.", "The Favourite", "TITLE"),
    ("She earned praise for her role in Broadchurch.", "Broadchurch", "TITLE"),
    ("Night Ferry, directed by Greta Lund, opens Friday.", "Night Ferry", "TITLE"),
    ("The Succession star was spotted in Rome on Monday.", "Succession", "TITLE"),
    ("Glass Harbor topped the box office with $40 million.", "Glass Harbor", "TITLE"),
    # a one-word title the model reads as a person, made a work by its takings wherever it is named
    ("Before Groomsmen, she was known for television. Groomsmen had grossed more than $150m in the US.",
     "Groomsmen", "TITLE"),
    ("Tom Hanks has earned more than $50 million this year.", "Tom Hanks", "PERSON"),
    ("The I Am Sam actor is said to have proposed.", "I Am Sam", "TITLE"),
    # ... but not a person, a place, a nationality or a sentence's opening words.
    ("Tom Hanks starred in Big, then in Splash.", "Tom Hanks", "PERSON"),
    ("She starred in Paris last spring, in a play.", "Paris", "PLACE"),
    # A gazetteer place in a place's position is the place, whatever type the model guessed.
    ("One of the protesters, a lecturer from Nottingham, said the play must stop.", "Nottingham", "PLACE"),
    ("The British actor won for the second time.", "British", None),
    ("When the actor arrived, nobody spoke.", "When the", None),
    # A part played is a character, not a person of the news.
    ("In the film, the actor plays Abel Morales, a heating-oil salesman.", "Abel Morales", None),
    ("Young drummer Andrew Neyman (Miles Teller) meets his match.", "Andrew Neyman", None),
    ("Young drummer Andrew Neyman (Miles Teller) meets his match.", "Miles Teller", "PERSON"),
    ("In May, Munn played the small role of reporter Chess Roberts in a sequel.", "Chess Roberts", None),
    ("Le Chiffre, the film’s primary villain, never wants a fight.", "Le Chiffre", None),
    ("Weaver plays the storm-creating magician Prospero in the new staging.", "Prospero", None),
    ("Weaver plays the storm-creating magician Prospero in the new staging.", "magician Prospero", None),
    ("Tom Hanks played opposite Meg Ryan in the remake.", "Meg Ryan", "PERSON"),
    # A part is named right after its cue; further on, a name is the person's ("a role as X's boss").
    ("She played a small vital role as Tom Hanks’s assistant.", "Tom Hanks", "PERSON"),
    ("Until a former associate named Lestor (Jumayn Hunter) tells Dom his skills are useless.", "Lestor", None),
    # "outfit" names a company only after a trade; on the red carpet it is clothes.
    ("Every outfit Zendaya has worn to promote the film, ranked.", "Zendaya", None),
    ("The production outfit Greyhound Nine bought the rights.", "Greyhound Nine", "ORG"),
    ("Two superspies emerged: Jason Bourne of “The Bourne Identity” and Jack Bauer.", "Jason Bourne", None),
    # Fashion houses where style coverage dresses someone in them (fashion_contexts.yml), though the
    # model reads a founder's name; a designer, a pronoun or an award before a gown is no house.
    ("Wearing Bottega Veneta again, the actor sported a white gown.", "Bottega Veneta", "ORG"),
    ("An ambassador for Louis Vuitton, she wore a custom look from the fashion house.", "Louis Vuitton", "ORG"),
    ("Her outfit included a white Valentino gown with a pink bow.", "Valentino", "ORG"),
    ("The gown, designed by Rick Owens, had a sculpted neckline.", "Rick Owens", "PERSON"),
    ("She kept her gown on for the after-party in Cannes.", "Her", None),
    ("Her Oscars gown was the talk of the night.", "Oscars", None),
    # A city and a plural name is a team; a place's own plural ("Beverly Hills") is not.
    ("Such is the case for the NFL’s Denver Broncos, who hosted the Tampa Bay Buccaneers on Sunday.",
     "Tampa Bay Buccaneers", "ORG"),
    ("Such is the case for the NFL’s Denver Broncos, who hosted the Tampa Bay Buccaneers on Sunday.",
     "Denver Broncos", "ORG"),
    ("She bought a house in Beverly Hills last spring.", "Beverly Hills", "PLACE"),
    ("Why China And Immigrants Matter To Hollywood", "China And Immigrants", None),
    # Named buildings are places; a person whose surname is such a word is a person.
    ("During the game, Denver’s Mile High Stadium was filled with cut-outs.", "Mile High Stadium", "PLACE"),
    ("The gala moved to the Palace Hotel for the weekend.", "Palace Hotel", "PLACE"),
    ("Rebecca Hall joined the cast on Monday.", "Rebecca Hall", "PERSON"),
    # Another story's headline in a bracketed label is furniture; a rank is no title.
    ("Fans cheered. (RELATED: Kentucky Basketball’s Christmas Card Must Be Pretty Intimidating)\n\nThe game went on.",
     "Christmas Card Must Be Pretty Intimidating", None),
    ("Rick Pitino’s 4th ranked Cardinals have had a great start.", "4th", None),
    # Under a heading that is a label alone, the short lines are links to other stories.
    ("Bond is back.\n\nMORE ON JAMES BOND:\n\nChristopher Orr:\n\nThe Movie Review: Quantum of Solace\n\n"
     "Daniel Craig returned as Bond in 2008.", "Christopher Orr", None),
    ("Bond is back.\n\nMORE ON JAMES BOND:\n\nChristopher Orr:\n\nThe Movie Review: Quantum of Solace\n\n"
     "Daniel Craig returned as Bond in 2008.", "Daniel Craig", "PERSON"),
    # A corporate word after a proper noun makes a company; after a nationality, no company.
    ("Even wholesome Archie Comics has been bitten by the zombie bug.", "Archie Comics", "ORG"),
    ("There are three acts, divided by two breaks (in most American TV), with scenes.", "American TV", None),
    # A lone given name the model calls a company is a person.
    ("Coleen’s son Jake flew in from Dublin. Writing in her column, Coleen said the family was close.",
     "Coleen", "PERSON"),
    # A listed outlet the model reads as the start of a longer name is that longer name.
    ("“It was a cool opportunity,” Isaac told Fox News Latino recently.", "Fox News Latino", "ORG"),
    # A first name given to a part does not make the person of the same first name a character.
    ("Jim (Bryce Johnson) wakes up in the woods.\n\nThe scene is scored to Jim Croce’s “Time In A Bottle.”",
     "Jim Croce", "PERSON"),
]


@pytest.mark.parametrize("text,surface,entity_type", ENTITY_CASES)
def test_entity_recognition_on_real_page_shapes(text, surface, entity_type):
    found = entities_in(text)
    if entity_type is None:
        assert surface not in found, found
        assert not any(surface in other and other != surface for other in found if len(other) > len(surface)), found
    else:
        assert found.get(surface) == entity_type, found


def test_a_tabloid_lead_in_is_canonical_as_a_name():
    mentions = read_text("LINDA Nolan has vowed to keep singing.\n\nLinda said so.", DEFAULT_SPACY_MODEL).mentions
    assert {m.name for m in mentions if m.entity_type == "PERSON"} == {"Linda Nolan"}
