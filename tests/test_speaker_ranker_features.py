"""What the speaker ranker reads of an invented article: the names it finds again, and the features
that tell the right candidate from a near one."""

from __future__ import annotations

import numpy as np

from pipeline.core.nlp.extraction import ArticleText, article_mentions, load_stage_pipeline
from pipeline.core.nlp.quotes import extract_quotes, speaker_feature_rows, speech_marks
from pipeline.core.nlp.speaker_ranker import FEATURES
from pipeline.core.nlp.speaker_resolution import Mention, with_recurring_names
from pipeline.resources import DEFAULT_SPACY_MODEL


def feature_rows(text: str):
    """(quote text, {candidate name: {feature: value}}) for each direct quote, as the stage computes them."""
    nlp = load_stage_pipeline(DEFAULT_SPACY_MODEL)
    doc = nlp(text)
    _, mentions = article_mentions(ArticleText("article", text, (), None), doc)
    quotes = extract_quotes(text, mentions, doc, rank_speakers=False)
    out = []
    for quote, candidates, rows in speaker_feature_rows(speech_marks(text), quotes, mentions, doc):
        if quote.kind == "direct":
            out.append((text[quote.start:quote.end],
                        {c.name: dict(zip(FEATURES, row.tolist())) for c, row in zip(candidates, rows)}))
    return out


def test_a_name_written_again_where_the_recognizer_marked_nothing_is_a_mention_of_its_entity():
    text = ("Big Harbor Records signed the band in May. Big Harbor denied it. Arcade Publishing will print it; "
            "Big Harbor Records said so. Big Harborside is a town.")
    arcade = text.index("Arcade")
    mentions = [Mention(0, 18, "Big Harbor Records", "ORG", "Big Harbor Records", "org-1"),
                Mention(arcade, arcade + 17, "Arcade Publishing", "ORG", "Arcade Publishing", "org-2")]
    found = with_recurring_names(text, mentions)
    assert [(text[m.start:m.end], m.entity_id) for m in found] == [
        ("Big Harbor Records", "org-1"), ("Big Harbor", "org-1"), ("Arcade Publishing", "org-2"),
        ("Big Harbor Records", "org-1")]
    # Found again, nothing changes: the stage may ask twice.
    assert with_recurring_names(text, found) == found


def test_a_short_form_a_persons_name_holds_is_not_the_companys():
    text = "Dick Clark Productions runs the show. Dick Clark founded it."
    founder = text.index("Dick Clark founded")
    mentions = [Mention(0, 22, "Dick Clark Productions", "ORG", "Dick Clark Productions", "org-1"),
                Mention(founder, founder + 10, "Dick Clark", "PERSON", "Dick Clark", "person-1")]
    assert with_recurring_names(text, mentions) == mentions


def test_a_person_introduced_with_a_description_before_the_quote_is_marked_as_new():
    text = ("Senator Dana Cole accused the moderators of bias on Monday.\n\n"
            "Lee Ortiz, the director of debate at Lakeview University, compared Cole to a coach who is "
            "“working the referees” so that they “go easier” on her.")
    quote, candidates = feature_rows(text)[0]
    assert candidates["Lee Ortiz"]["introduced_recently_with_description"] == 1.0
    assert candidates["Dana Cole"]["introduced_recently_with_description"] == 0.0


def test_she_with_one_woman_named_since_the_paragraph_before_points_to_her():
    text = ("The plan would cost the Treasury $3 trillion, said Lily Marsh, an economist at the Urban Institute.\n\n"
            "It has become a major issue in the campaign, with Dana Cole, who has called for higher taxes on the "
            "rich, attacking Tom Reed's plan.\n\n"
            "“This is trickle-down economics all over again,” she said in the first debate.")
    quote, candidates = feature_rows(text)[-1]
    assert candidates["Dana Cole"]["pronoun_sole_agreeing_nearby"] == 1.0
    assert candidates["Lily Marsh"]["pronoun_sole_agreeing_nearby"] == 0.0


def test_they_after_an_organisation_is_no_unnamed_source_but_after_officials_it_is():
    label = ("Big Harbor Records bought the singer's catalogue last year and has twice denied blocking her film.\n\n"
             "“At no point did we stop her from performing,” they said in a statement.")
    officials = ("Officials met the drivers and their leader, Tom Reed, on Monday.\n\n"
                 "“At no point did we stop anyone from working,” they said.")
    (_, label_rows), = feature_rows(label)
    (_, officials_rows), = feature_rows(officials)
    assert label_rows["Big Harbor Records"]["parse_subject_unresolved"] == 0.0
    assert label_rows["Big Harbor Records"]["org_pronoun_subject_recent"] == 1.0
    assert all(row["parse_subject_unresolved"] == 1.0 for row in officials_rows.values())


def test_a_quote_whose_own_verb_of_saying_names_its_speaker_has_its_own_threshold():
    from pipeline.core.nlp.speaker_ranker import SpeakerModel, threshold_for

    rows = np.zeros((2, len(FEATURES)))
    assert threshold_for(rows, (0.5, 0.1)) == 0.5  # no cue of its own: whether anyone speaks is in question
    rows[1, FEATURES.index("cascade_parse")] = 1.0
    assert threshold_for(rows, (0.5, 0.1)) == 0.1  # "…," Vitter demanded: a speaker is due, who is the question
    assert threshold_for(rows, (0.5, None)) == 0.5
    rows[:, FEATURES.index("is_reported")] = 1.0
    assert threshold_for(rows, (0.5, 0.1)) == 0.0
    # A model written before the second threshold holds every quote to its one threshold.
    data = {"features": list(FEATURES), "intercept": 0.0, "threshold": 0.4, "mean": [0.0] * len(FEATURES),
            "scale": [1.0] * len(FEATURES), "coef": [0.0] * len(FEATURES)}
    assert SpeakerModel.from_json(data).threshold_cued is None
    assert SpeakerModel.from_json({**data, "threshold_cued": 0.1}).threshold_cued == 0.1


def test_the_subject_of_the_quotes_own_sentence_is_marked():
    text = ("Senator Dana Cole accused the moderators of bias on Monday.\n\n"
            "Lee Ortiz, the director of debate at Lakeview University, compared Cole to a coach who is "
            "“working the referees” in the hope of a kinder hearing.")
    quote, candidates = feature_rows(text)[0]
    assert candidates["Lee Ortiz"]["quote_sentence_main_subject"] == 1.0
    assert candidates["Dana Cole"]["quote_sentence_main_subject"] == 0.0


class _OverrulingRanker:
    """A ranker that gives every quote the rules found a cue for to someone other than the rules' choice,
    and leaves a quote whose speaker the rules carried over from another as the rules had it."""

    def choose_each(self, quotes_rows):
        chosen, carried, person = (FEATURES.index(name) for name in ("cascade_choice", "cascade_carried", "is_person"))
        out = []
        for rows in quotes_rows:
            if rows[:, carried].any():
                out.append(int(rows[:, chosen].argmax()))
            else:
                out.append(next(i for i, row in enumerate(rows) if row[person] and not row[chosen]))
        return out


def test_the_second_half_of_a_split_quote_follows_the_speaker_decided_for_the_first(monkeypatch):
    from pipeline.core.nlp import quotes as quote_stage

    text = ("Tom Reed and Ana Cruz met the studio's board on Monday.\n\n"
            "“We knew the film would work from the first day,” Reed said. “The board saw it too.”")
    nlp = load_stage_pipeline(DEFAULT_SPACY_MODEL)
    doc = nlp(text)
    _, mentions = article_mentions(ArticleText("article", text, (), None), doc)
    by_rules = [q for q in extract_quotes(text, mentions, doc, rank_speakers=False) if q.kind == "direct"]
    assert [q.speaker for q in by_rules] == ["Tom Reed", "Tom Reed"]
    assert by_rules[1].attribution == "continues_previous_quote"

    monkeypatch.setattr(quote_stage, "speaker_model", lambda: _OverrulingRanker())
    ranked = [q for q in extract_quotes(text, mentions, doc) if q.kind == "direct"]
    # The ranker moved the first half to Ana Cruz and left the second as carried: it goes with the first.
    assert [q.speaker for q in ranked] == ["Ana Cruz", "Ana Cruz"]


def test_an_organisation_set_beside_the_subject_is_the_subject_they_points_to():
    text = ("Big Harbor Records have twice denied blocking the singer's show.\n\n"
            "Its distributor, Lane Hill Pictures, denies that anything has been agreed.\n\n"
            "“Any final agreement needs to be made with her managers. We have no further comment,” they said.")
    (_, candidates), = feature_rows(text)
    assert candidates["Lane Hill Pictures"]["org_pronoun_subject_recent"] == 1.0
    assert candidates["Big Harbor Records"]["org_pronoun_subject_recent"] == 0.0
