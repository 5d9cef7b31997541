"""Quotes and their speakers in invented articles, one news shape per test."""

from __future__ import annotations

from pipeline.core.nlp.extraction import read_text
from pipeline.core.nlp.quotes import find_quote_spans
from pipeline.resources import DEFAULT_SPACY_MODEL


def quotes_of(text: str) -> list[tuple[str, str | None]]:
    """(quoted words, speaker) in reading order, with offsets checked against the text."""
    # The stage's own path: one pass of the NLP pipeline gives the mentions the speakers resolve to.
    quotes = read_text(text, DEFAULT_SPACY_MODEL).quotes
    for q in quotes:
        assert text[q.start:q.end] == q.text
    return [(q.text, q.speaker) for q in quotes if q.kind == "direct"]


def test_speaker_after_the_quote_with_a_role_apposition():
    text = ('"We saw it coming in the tracking," said Dana Whitlock, head of distribution at Orbit Films. '
            "The film opened to $12 million.")
    assert quotes_of(text) == [("We saw it coming in the tracking,", "Dana Whitlock")]


def test_speaker_before_the_quote_with_a_colon():
    text = 'Orbit Films confirmed the date on Monday. In a statement, producer Owen Hale said: "The film is finished and we love it."'
    assert quotes_of(text) == [("The film is finished and we love it.", "Owen Hale")]


def test_quote_split_around_its_attribution_keeps_one_speaker():
    text = ('Director Ama Boateng has finished the edit. "It\'s the hardest thing we\'ve made," she said. '
            '"But it\'s also the best thing we\'ve made."')
    assert quotes_of(text) == [("It's the hardest thing we've made,", "Ama Boateng"),
                               ("But it's also the best thing we've made.", "Ama Boateng")]


def test_a_quote_continued_into_the_next_paragraph():
    text = ("Producer Owen Hale told the story at the premiere.\n\n"
            "“We shot the storm scene four times. Every time the tank flooded, somebody laughed.\n\n"
            "“By the fourth time, nobody was laughing,” Hale said.")
    assert quotes_of(text) == [
        ("We shot the storm scene four times. Every time the tank flooded, somebody laughed.", "Owen Hale"),
        ("By the fourth time, nobody was laughing,", "Owen Hale"),
    ]


def test_quote_only_paragraph_after_a_sentence_naming_the_speaker():
    text = ("Director Ama Boateng first pitched the film in 2019. At a festival panel, the director recalled how it began.\n\n"
            "“I saw a fox under a streetlight, and it looked at me like it owned the street.”")
    assert quotes_of(text) == [("I saw a fox under a streetlight, and it looked at me like it owned the street.", "Ama Boateng")]


def test_pronoun_goes_to_the_subject_not_to_a_name_in_a_prepositional_phrase():
    text = ("Producer Mara Quint remains upbeat about a sequel. In an interview with Reel Ledger's own Tom Avery, "
            "she said, “We want to do it, and we will do it right.”")
    assert quotes_of(text) == [("We want to do it, and we will do it right.", "Mara Quint")]


def test_role_noun_resolves_to_the_person_introduced_with_it():
    text = ('Producer Jonas Reeve has been in talks for a year. "We are close, closer than ever," the producer said.')
    assert quotes_of(text) == [("We are close, closer than ever,", "Jonas Reeve")]


def test_spokesperson_and_statement_go_to_the_organisation():
    text = ('Brightwater Pictures moved the release to March. A Brightwater spokesperson said the delay was creative. '
            '"Our slate is fully funded through 2029," the spokesperson said.')
    assert quotes_of(text) == [("Our slate is fully funded through 2029,", "Brightwater Pictures")]


def test_cues_beyond_said():
    text = ("Director Paolo Brandt has started shooting. Brandt told reporters the schedule was tight. "
            "“We have forty days and not one more,” Brandt added.\n\n"
            "Actor Greta Lund, writing on Instagram: “Day one. Cold, wet and wonderful.”\n\n"
            "Lund’s co-star Omar Feld echoed her, saying, “I have never been this cold in my life.”")
    assert quotes_of(text) == [
        ("We have forty days and not one more,", "Paolo Brandt"),
        ("Day one. Cold, wet and wonderful.", "Greta Lund"),
        ("I have never been this cold in my life.", "Omar Feld"),
    ]


def test_nested_quote_has_its_own_speaker_and_parent():
    text = ('Producer Jonas Reeve smiled at the memory. "Celia watched the cut and called me. She said, '
            '"Jonas, this is the one." And it was," Reeve said.')
    spans = find_quote_spans(text)
    outer = next(q for q in spans if q.level == 0)
    inner = next(q for q in spans if q.level == 1)
    assert outer.start < inner.start and inner.end < outer.end
    found = quotes_of(text)
    assert ("Jonas, this is the one.", "Celia") in found or ("Jonas, this is the one.", None) in found
    assert found[0][1] == "Jonas Reeve"


def test_titles_scare_quotes_and_single_words_are_not_quotes():
    text = ('Orbit Films released "Salt and Ember" in September. Critics called it "raw." '
            'Producer Owen Hale said the studio is "in no hurry" to make a sequel.')
    found = quotes_of(text)
    assert [q for q, _ in found] == ["in no hurry"]
    assert found[0][1] == "Owen Hale"


def test_straight_and_curly_marks_mixed_in_one_article():
    text = ('"It works," said producer Owen Hale. Director Ama Boateng agreed. “It really does,” Boateng said.')
    assert quotes_of(text) == [("It works,", "Owen Hale"), ("It really does,", "Ama Boateng")]


def test_no_speaker_rather_than_a_wrong_one():
    text = 'The poster carries one line: "Nothing stays buried in this town forever." It arrives in theaters in May.'
    assert quotes_of(text) == [("Nothing stays buried in this town forever.", None)]


def test_the_person_at_the_head_of_a_title_speaks_not_the_party_before_it():
    text = ('Asked whether the government would step in, Labour Minister Keiko Tanabe told reporters: '
            '"It is my job to get them back in a room."')
    assert quotes_of(text) == [("It is my job to get them back in a room.", "Keiko Tanabe")]


def test_she_goes_to_the_woman_named_last_not_the_man():
    text = ("Marisol Ortega leads the union. Port chief Graham Whitby rejected the offer on Tuesday.\n\n"
            "Ortega was unmoved.\n\n"
            "Asked about Whitby, she said: \"We will be out here as long as it takes.\"")
    assert quotes_of(text) == [("We will be out here as long as it takes.", "Marisol Ortega")]


def test_the_name_after_a_job_description_speaks():
    text = ('"It was a hard year, and we will not pretend otherwise," said the company\'s chief financial officer, '
            "Ruth Amberley, on a call with analysts.")
    assert quotes_of(text) == [("It was a hard year, and we will not pretend otherwise,", "Ruth Amberley")]


def test_lower_case_job_words_before_the_name_after_the_quote():
    text = ('The union called the strike on Thursday. "Our members are exhausted," federation president '
            "Orla Keane told a news conference.")
    assert quotes_of(text) == [("Our members are exhausted,", "Orla Keane")]


def test_a_short_second_half_of_a_split_quote_is_kept():
    text = ('Director Ama Boateng was blunt. "We asked for more time, twice," she said. "Nothing changed."')
    assert quotes_of(text) == [("We asked for more time, twice,", "Ama Boateng"), ("Nothing changed.", "Ama Boateng")]


def test_a_quote_after_a_sentence_about_someone_in_the_same_paragraph_is_theirs():
    text = ("Finance chief Ruth Amberley said two plants would close this year. "
            "“We have more capacity than we need, and we have to act on it.”")
    assert quotes_of(text) == [("We have more capacity than we need, and we have to act on it.", "Ruth Amberley")]


def test_a_public_body_speaks_by_its_noun_and_an_age_by_the_person_before():
    text = ("The Ministry of Transport said in a statement that the bridge would reopen in May. "
            '"Repairs are on schedule," the ministry said.\n\n'
            "Newcomer Felix Arden, who joins the cast as a pirate captain, grew up on the books.\n\n"
            '"I read them under the covers with a torch," the 23-year-old said.')
    assert quotes_of(text) == [("Repairs are on schedule,", "Ministry of Transport"),
                               ("I read them under the covers with a torch,", "Felix Arden")]


def test_a_job_word_matches_the_part_the_person_was_introduced_with():
    # Introduced as the "star", spoken of as "the actress": the same part, and a woman.
    text = ("Star Imogen Talbot, who plays the exiled queen Seraphine, learned to fence for the part.\n\n"
            "Asked whether Seraphine dies in the finale, the actress smiled. “I can't tell you that.”")
    assert quotes_of(text) == [("I can't tell you that.", "Imogen Talbot")]


def test_the_person_after_an_employer_and_a_job_speaks_not_the_employer():
    text = ("Halden Pictures opened the film on Friday. "
            "“Nobody had this number,” said Halden distribution chief Renata Solvik.")
    assert quotes_of(text) == [("Nobody had this number,", "Renata Solvik")]


def test_a_long_title_before_the_name():
    text = ('The treasurer pleaded not guilty. "This was a plan, carried out over years," '
            "Assistant District Attorney Yvonne Castellano told the judge.")
    assert quotes_of(text) == [("This was a plan, carried out over years,", "Yvonne Castellano")]


def test_british_single_marks_with_double_marks_inside():
    text = ("Director Nia Pryce heard the news on Thursday.\n\n"
            "‘I keep checking my phone to make sure it’s real,’ Pryce said. ‘My mother said \"frame it\", so I will.’\n\n"
            "Her producer, Owain Hale, said the team had remortgaged his flat. ‘Worth every penny,’ he said.")
    quotes = quotes_of(text)
    assert ("I keep checking my phone to make sure it’s real,", "Nia Pryce") in quotes
    assert ("My mother said \"frame it\", so I will.", "Nia Pryce") in quotes
    assert ("Worth every penny,", "Owain Hale") in quotes


def test_two_people_who_share_a_surname_are_told_apart():
    text = ("The film was written by the late Alan Crosse in 2019.\n\n"
            "Crosse's widow, Marian Crosse, sided with the producer. \"Alan trusted her,\" she said.")
    assert quotes_of(text) == [("Alan trusted her,", "Marian Crosse")]


def test_an_employer_and_job_words_before_the_name_that_speaks():
    text = ("Lumaflix signed the deal on Wednesday. \"We want to be the home for it,\" Lumaflix chief content "
            "officer Diane Mercier said at a press event.")
    assert quotes_of(text) == [("We want to be the home for it,", "Diane Mercier")]


def test_more_speech_verbs_and_a_split_quote_after_one():
    text = ('Council leader Brian Oakes toured the damage. "We\'ll rebuild," vowed Oakes. "We always do."')
    assert quotes_of(text) == [("We'll rebuild,", "Brian Oakes"), ("We always do.", "Brian Oakes")]


def test_quotes_inside_a_quote_go_to_the_clause_subject_and_to_i():
    text = ("Director Lorna Kask has read the sequel script by Kenji Arato.\n\n"
            "She added, \"Kenji calls me every month and says, 'Lorna, have you fixed the budget yet?' "
            "And I say, 'Kenji, I'm working on it.'\"")
    quotes = dict(quotes_of(text))
    assert quotes["Lorna, have you fixed the budget yet?"] == "Kenji Arato"
    assert quotes["Kenji, I'm working on it."] == "Lorna Kask"


def test_they_is_a_group_unless_the_sentence_before_opens_with_a_person():
    group = ("Port director Graham Whitby left early. Officials at the port met the union on Monday. "
             '"We are disappointed," they said.')
    assert quotes_of(group) == [("We are disappointed,", None)]
    person = ("Robin Ashe, who uses they/them pronouns, plays the lead. "
              '"I wanted the part the moment I read it," they said.')
    assert quotes_of(person) == [("I wanted the part the moment I read it,", "Robin Ashe")]


def test_a_job_introducing_a_quote_paragraph_an_inverted_said_and_a_statement_that_reads():
    text = ("Education Minister Farah Qadir announced the closures on Wednesday.\n\n"
            "The minister was unrepentant when she was asked about the closures:\n\n"
            "\"I was not elected to protect buildings.\"\n\n"
            "Said Colm Brady, head teacher at one of the schools: \"She has never set foot in this school.\"\n\n"
            "The National Teachers' Union said in a statement that the plan was wrong. "
            "\"This is a budget decision dressed up as an education policy,\" the statement read.")
    found = [(quote, (speaker or "").removeprefix("The ")) for quote, speaker in quotes_of(text)]
    assert found == [
        ("I was not elected to protect buildings.", "Farah Qadir"),
        ("She has never set foot in this school.", "Colm Brady"),
        ("This is a budget decision dressed up as an education policy,", "National Teachers' Union"),
    ]


def test_a_sentence_about_someone_that_hands_over_with_a_colon():
    text = ("Local favorite Tomás Ibarrola finished second. Ibarrola was gracious: "
            "“He was better today. I’ll see him next year.”")
    assert quotes_of(text) == [("He was better today. I’ll see him next year.", "Tomás Ibarrola")]


def test_a_later_quote_in_a_paragraph_without_a_cue_keeps_the_paragraphs_speaker():
    text = ("Producer Ama Boateng faced the board on Tuesday.\n\n"
            "“This just isn’t right,” Boateng said. “You cut the budget in half” to lift the share price, she said, "
            "pointing to the studio’s push to “streamline” the slate. “You went on television to blame the crew.”\n\n"
            "Chairman Owen Hale said little. “We will look again,” he said.")
    speakers = dict(quotes_of(text))
    assert speakers["You went on television to blame the crew."] == "Ama Boateng"
    assert speakers["We will look again,"] == "Owen Hale"


def test_a_later_quote_is_not_given_to_the_paragraphs_speaker_when_someone_else_is_named_between():
    text = ("“We are done,” said Ama Boateng. Her co-producer Owen Hale disagreed at the same meeting. "
            "“We have two more weeks.”")
    speakers = dict(quotes_of(text))
    assert speakers["We have two more weeks."] != "Ama Boateng"


def test_marks_in_a_bar_of_links_are_no_quotation():
    text = "Share | « Previous Entertainment | Next Entertainment » | Email Print\n\n“We loved it,” said Owen Hale."
    assert quotes_of(text) == [("We loved it,", "Owen Hale")]


def reported_of(text: str) -> list[tuple[str, str | None, str | None]]:
    """(reported words, speaker, cue) of the reported-speech rows (kind 'indirect')."""
    return [(q.text, q.speaker, q.cue) for q in read_text(text, DEFAULT_SPACY_MODEL).quotes if q.kind == "indirect"]


def test_narration_about_someones_work_is_not_reported_speech():
    # "co-wrote" in a relative clause: the parser can hang the main clause off "wrote" as if it were said.
    text = ("Director Lena Varga, who also co-wrote the original with Tom Field, has been developing a story "
            "that would bring back the twins.")
    assert reported_of(text) == []


def test_a_verb_of_saying_with_a_clause_of_its_own_is_reported_speech():
    text = "Kenji Ito, who wrote the screenplay, said the film would open in May."
    assert reported_of(text) == [("the film would open in May", "Kenji Ito", "said")]


def test_a_reported_statement_ends_before_the_writers_comment_and_the_next_verb_of_saying():
    # What follows a comma at the end ("although …", ", which …", ", arguing …") is the writer's, and a second
    # verb of saying joined to the statement opens the next one.
    assert reported_of("Dana Cole said paying no income taxes was smart, although she again refused to release "
                       "her returns.") == [("paying no income taxes was smart", "Dana Cole", "said")]
    assert reported_of("Tom Reed said he expects the senator to fully recover from her pneumonia, which forced her "
                       "to leave a memorial event early.") == [
        ("he expects the senator to fully recover from her pneumonia", "Tom Reed", "said")]
    assert reported_of("Lee Ortiz said he would order a thorough review of the nation's computer defenses and "
                       "warned against hackers from abroad.") == [
        ("he would order a thorough review of the nation's computer defenses", "Lee Ortiz", "said")]


def test_a_verb_of_saying_set_into_the_statement_reports_the_sentence():
    # News style sets the attribution inside the statement: "The museum, Mr. Okafor said, honours …".
    text = ("The new wing, Mayor Ruth Okafor said, will honour the city's first teachers.\n\n"
            "That is why, Okafor argued, the council should fund it this year.")
    assert reported_of(text) == [
        ("The new wing, Mayor Ruth Okafor said, will honour the city's first teachers", "Ruth Okafor", "said"),
        ("That is why, Okafor argued, the council should fund it this year", "Ruth Okafor", "argued"),
    ]
    # Set into a relative clause, the cue reports that clause, not the sentence around it.
    assert reported_of("The park, where marchers have gathered, is near the stadium, which, Ruth Okafor said, "
                       "is usually full of activities on game days.") == [
        ("which, Ruth Okafor said, is usually full of activities on game days", "Ruth Okafor", "said")]


def test_a_verb_of_saying_with_no_subject_reports_nobody():
    # A statement is someone's: "it was announced that …" names no speaker, and is not reported speech.
    text = "It was announced on Monday that the festival would move to June."
    assert reported_of(text) == []


def test_a_transcript_turn_names_its_speaker():
    # Transcripts label each turn with the speaker's surname and a colon, inside the quote marks.
    text = ("Governor Dana Holt spoke to host Sam Keller on Sunday about the debate.\n\n"
            "Partial transcript as follows:\n\n"
            "“KELLER: Do you really see those two guests as equivalent?\n\n"
            "“HOLT: Well, look, the two cases have nothing in common, and the voters know it.\n\n"
            "“KELLER: Governor, I want to move on to the economy.")
    assert [speaker for _, speaker in quotes_of(text)] == ["Sam Keller", "Dana Holt", "Sam Keller"]


def test_he_is_not_a_name_joined_to_the_object_of_a_preposition():
    # "loyalists to Joe Biden and Sam Ortiz": both names are objects of "to", not who the passage is about.
    text = ("Paul Hale has been at the party since 1972. Replacing the nominee would lead to intense lobbying "
            "by loyalists to Joe Biden and Sam Ortiz.\n\n“This is a different time, with a lot more people,” he said.")
    assert quotes_of(text) == [("This is a different time, with a lot more people,", "Paul Hale")]


def test_the_subject_before_a_pronoun_skips_objects_of_any_preposition_but_not_a_source():
    from pipeline.core.nlp.speaker_resolution import Mention, SpeakerResolver

    def person(text, name):
        start = text.index(name)
        return Mention(start, start + len(name), name, "PERSON", name, name)

    served = "While he served under Tom Baker, Paul Hale noted a change. He said so."
    resolver = SpeakerResolver(served, [person(served, "Tom Baker"), person(served, "Paul Hale")])
    assert resolver.subject_before(served.index("He said")).name == "Paul Hale"
    source = "According to Ana Ruiz, the board lost members. She said so."
    resolver = SpeakerResolver(source, [person(source, "Ana Ruiz")])
    assert resolver.subject_before(source.index("She said")).name == "Ana Ruiz"


def test_she_may_be_a_person_whose_given_name_is_only_mostly_a_mans():
    # "Taylor" is mostly a man's name in the US lists and either in the British: "she" may be Taylor.
    text = ("Scooter Bram has worked with many artists over the years.\n\n"
            "Then, last week, Taylor Reyes posted a long message accusing the label of blocking her.\n\n"
            "“I just want to be able to perform my own music,” she said.")
    assert quotes_of(text) == [("I just want to be able to perform my own music,", "Taylor Reyes")]


def test_a_transcript_turn_runs_on_to_the_next_label():
    # A long answer runs over several paragraphs, each opening with a quote mark; only the first has the label.
    text = ("Governor Dana Holt spoke to host Sam Keller on Sunday about the debate.\n\n"
            "Partial transcript as follows:\n\n"
            "“KELLER: Do you really see those two guests as equivalent?\n\n"
            "“HOLT: Well, look, the two cases have nothing in common.\n\n"
            "“But the truth is that the voters know it, and Sam Keller knows it too.\n\n"
            "“Keller's viewers will make up their own minds in November.\n\n"
            "“KELLER: Governor, I want to move on to the economy.")
    assert [speaker for _, speaker in quotes_of(text)] == ["Sam Keller", "Dana Holt", "Dana Holt", "Dana Holt",
                                                          "Sam Keller"]
    # A turn whose label names nobody of the article is not the previous speaker's.
    unnamed_host = text.replace("host Sam Keller", "the host").replace("Sam Keller knows", "the host knows") \
        .replace("Keller's viewers", "The viewers")
    assert [speaker for _, speaker in quotes_of(unnamed_host)][1:] == ["Dana Holt", "Dana Holt", "Dana Holt", None]


def test_a_company_statement_in_we_is_the_companys():
    # "it said" after a sentence about a label, and the quote-only paragraph that continues it, are the label's,
    # not the person named later in the article.
    text = ("Northgate Records has denied blocking the singer's performance. The label issued a statement to "
            "the organisers on Friday.\n\n"
            "“We have agreed to grant all licences for the broadcast,” it said.\n\n"
            "“We do not have the right to keep any artist from performing live.”\n\n"
            "The singer's manager, Tom Ellis, said she would perform.")
    assert [speaker for _, speaker in quotes_of(text)] == ["Northgate Records", "Northgate Records"]


def test_an_interview_write_up_gives_the_uncued_quotes_to_the_interviewee():
    # The shape of interview write-ups: the subject is introduced once, then paragraphs of quotes with no cue.
    text = ("Amara Reyes has had a strange year. The actress, 41, spoke to us from her home in Lagos, where she has "
            "lived since the shoot ended.\n\n"
            "Her manager Tom Ellis sat in on the call.\n\n"
            "“I never planned any of this. I wanted to teach, and then a friend dragged me to an audition.”\n\n"
            "“The first week on set I hid in the bathroom between takes. Nobody knew.”\n\n"
            "Reyes laughs about it now. The film made $40 million in its first month.\n\n"
            "“My mother still asks when I will get a real job.”")
    quotes = read_text(text, DEFAULT_SPACY_MODEL, headline="Amara Reyes on fame, Lagos and her new film").quotes
    speakers = {q.text: q.speaker for q in quotes if q.kind == "direct"}
    assert speakers["The first week on set I hid in the bathroom between takes. Nobody knew."] == "Amara Reyes"
    assert speakers["My mother still asks when I will get a real job."] == "Amara Reyes"


def test_the_speaker_model_is_part_of_the_stage_version(tmp_path, monkeypatch):
    # A retrained model must re-extract landed articles, as a changed rule does.
    from pipeline.core.nlp import extraction, speaker_ranker

    before = extraction.stage_version(DEFAULT_SPACY_MODEL)
    retrained = tmp_path / "speaker_model.json"
    retrained.write_text(speaker_ranker.MODEL_FILE.read_text().replace('"threshold": ', '"threshold": 0.0 + '))
    monkeypatch.setattr(speaker_ranker, "MODEL_FILE", retrained)
    assert extraction.stage_version(DEFAULT_SPACY_MODEL) != before


def test_a_speaker_model_trained_on_other_features_is_refused_with_a_reason():
    import json

    import pytest

    from pipeline.core.nlp import speaker_ranker

    data = json.loads(speaker_ranker.MODEL_FILE.read_text())
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        speaker_ranker.SpeakerModel.from_json(data)


def test_a_company_named_again_without_its_corporate_word_speaks():
    # "Arcade announced" after "Arcade Publishing": the recognizer marks nothing at "Arcade", the speaker is the company.
    text = ("Woody Allen's memoir has found a new home, the Associated Press has learned.\n\n"
            "The book was released on Monday by Arcade Publishing.\n\n"
            "“The book is a candid and comprehensive account by Woody Allen of his life,” Arcade announced.")
    assert [speaker for _, speaker in quotes_of(text)] == ["Arcade Publishing"]


def test_the_attribution_after_a_question_mark_that_ends_the_parsers_sentence():
    text = ("Senators Jon Tester and David Vitter questioned the bank's chief on Tuesday.\n\n"
            "“Why isn’t this clear proof that a bank this big is too big to manage?” Vitter demanded.")
    assert quotes_of(text) == [("Why isn’t this clear proof that a bank this big is too big to manage?", "David Vitter")]


def test_the_subject_beside_the_verb_speaks_not_a_fragment_of_the_quote():
    text = ("The state's delegation lined up behind him.\n\n"
            "\"He would be a great senator. Not good, great. One of the brightest members of the entire Congress,\" "
            "Rep. Elijah E. Cummings (D-Md.) said in a phone interview.")
    assert [speaker for _, speaker in quotes_of(text)] == ["Elijah E. Cummings"]


def test_a_thing_that_suggests_words_inside_a_persons_statement_speaks_for_the_person():
    text = ("City Attorney Brad Holm said in the letter that the advertisement “unmistakably and wrongfully” "
            "suggests that the city supports the campaign.")
    assert quotes_of(text) == [("unmistakably and wrongfully", "Brad Holm")]


def test_each_signed_quote_of_a_readers_roundup_is_its_signers():
    # Reader roundups sign each quote after a dash; the name before a quote is the previous signer's.
    text = ("We asked readers what they thought of the debate.\n\n"
            "“He never answered a single question about the plan.” ― Pamela Ruiz “I am ashamed of how low this "
            "campaign has sunk, and I do not know how we got here.” ― Jackie Ames “He should stop calling people "
            "like us dangerous when most of us work hard.” ― Carla Soto.")
    assert [speaker for _, speaker in quotes_of(text)] == ["Pamela Ruiz", "Jackie Ames", "Carla Soto"]


def test_a_pronoun_after_a_newcomer_introduced_with_a_description_goes_to_the_newcomer():
    from pipeline.core.nlp.speaker_resolution import Mention, SpeakerResolver

    def mentions(text, *names):
        found = []
        for name in names:
            at = -1
            while (at := text.find(name.split()[-1], at + 1)) >= 0:
                start = at - len(name) + len(name.split()[-1]) if text[:at + len(name.split()[-1])].endswith(name) else at
                found.append(Mention(start, at + len(name.split()[-1]), text[start:at + len(name.split()[-1])],
                                     "PERSON", name, name))
        return found

    text = ("Councillor Paul Dreyer has backed the stadium plan for years. Dreyer toured the site on Monday with "
            "Tomas Okonjo, the head of the residents' association. “We were never asked,” he said.")
    resolver = SpeakerResolver(text, mentions(text, "Paul Dreyer", "Tomas Okonjo"))
    at = text.index("he said")
    assert resolver.resolve("he", at, at).name == "Tomas Okonjo"
    # The same when the quote holds sentences of its own before "he said".
    text = ("Councillor Paul Dreyer has backed the stadium plan for years. Dreyer toured the site on Monday with "
            "Tomas Okonjo, the head of the residents' association.\n\n“Nobody asked us. Nobody came,” he said.")
    from pipeline.core.nlp.quote_marks import Quote
    words = text[text.index("“") + 1:text.index("”")]
    quote = Quote(text.index(words), text.index(words) + len(words), words, 1, True)
    resolver = SpeakerResolver(text, mentions(text, "Paul Dreyer", "Tomas Okonjo"), [quote])
    at = text.index("he said")
    assert resolver.resolve("he", at, at).name == "Tomas Okonjo"
    # A newcomer named after a subject who speaks the sentence does not take the pronoun.
    text = ("Councillor Paul Dreyer has backed the plan for years. Dreyer said he had met Tomas Okonjo, the head "
            "of the residents' association. “We were never asked,” he said.")
    resolver = SpeakerResolver(text, mentions(text, "Paul Dreyer", "Tomas Okonjo"))
    at = text.index("he said")
    assert resolver.resolve("he", at, at).name == "Paul Dreyer"


def test_she_skips_names_listed_with_or_set_beside_the_object_of_a_preposition():
    text = ("Singer Dasha Reyes released her first country album this spring.\n\n"
            "The songs came from the same heartache that marks the music of Carly Stone, Kelly Marsh and the "
            "artists that shaped Reyes as a teenager. “I wanted to write my scorned woman song,” she says.\n\n"
            "She called a friend of her producer's sister, Nina Cole, for advice. “I didn't know who to turn to,” "
            "she said.")
    assert quotes_of(text) == [("I wanted to write my scorned woman song,", "Dasha Reyes"),
                               ("I didn't know who to turn to,", "Dasha Reyes")]
