"""Domain knowledge as data: the words film news is written with.

Each list says where it comes from. The recognizers in ``entities`` (and
the quote stage after it) read these; nothing here names a real film or person.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ENTITY_WORDS_FILE = Path(__file__).resolve().parent / "entity_words.yml"
_ENTITY_WORDS = yaml.safe_load(ENTITY_WORDS_FILE.read_text(encoding="utf-8"))


def _words(name: str) -> frozenset[str]:
    return frozenset(str(word) for word in _ENTITY_WORDS[name]["words"])


def word_list(name: str) -> frozenset[str]:
    """The word list of ``entity_words.yml`` so named (token patterns name lists so: ``{IN: royal_styles}``)."""
    return _words(name)


def _phrases(name: str) -> tuple[str, ...]:
    return tuple(str(phrase) for phrase in _ENTITY_WORDS[name]["words"])


# The entity stage's word lists, each with its source, are data (``entity_words.yml``); the
# lists below them here are the quote stage's.
TITLE_MINOR_WORDS = _words("title_minor_words")
SECTION_LABELS = frozenset(label.casefold() for label in _words("section_labels"))
NOT_A_TITLE = frozenset(word.casefold() for word in _words("not_a_title"))
ORG_SUFFIXES = _words("org_suffixes")
# Matched with str.startswith / str.endswith: a phrase after an organisation keeps its leading space.
OUTLET_CUES_BEFORE = _phrases("outlet_cues_before")
OUTLET_CUES_AFTER = _phrases("outlet_cues_after")
ORG_CUES_AFTER = _phrases("org_cues_after")
TITLE_CUE_NOUNS = _words("title_cue_nouns")
WORK_CONTEXT_WORDS = _words("work_context_words")
AWARD_NAMES = frozenset(name.casefold() for name in _words("award_names"))
HONORIFIC_WORDS = _words("honorific_words")
OFFICE_WORDS = _words("office_words")
ORG_KIND_NOUNS = _words("org_kind_nouns")
CALENDAR_WORDS = _words("calendar_words")
NOT_A_TEAM_WORDS = _words("not_a_team_word")
BODY_WORDS = _phrases("body_words")
PRIZE_WORDS = _words("prize_words")
FORMAT_WORDS = _words("formats")
PLACE_HEADS = _words("place_heads")
NAME_PARTICLES = _words("name_particles")
NAME_SUFFIXES = _words("name_suffixes")
GENERATIONAL_SUFFIXES = _words("generational_suffixes")
ROYAL_STYLES = _words("royal_styles")
PEERAGE_TITLES = _words("peerage_titles")
# A short form to the formal given names it stands for ("kate": katherine, catherine, kathryn).
NICKNAMES = {str(short): frozenset(str(f) for f in (full if isinstance(full, list) else [full]))
             for short, full in _ENTITY_WORDS["nicknames"]["forms"].items()}

# Reporting verbs that attribute speech ("…," she said): a quoted span next
# to one is speech, not a title. From news style guides' attribution lists.
SPEECH_VERBS = frozenset(
    """said says say told tells tell added adds explained explains noted notes recalled recalls remarked remarks
    continued continues insisted insists admitted admits asked asks replied replies answered answers joked jokes
    laughed laughs wrote writes writing stated states declared declares echoed echoes shared shares revealed reveals
    teased teases confirmed confirms acknowledged acknowledges argued argues claimed claims conceded concedes
    explained observed observes offered offers quipped quips stressed stresses suggested suggests warned warns
    described describes called calls put puts saying adding explaining noting telling recalling
    shouted shouts yelled yells whispered whispers cried cries exclaimed exclaims wondered wonders pleaded pleads
    urged urges predicted predicts boasted boasts cautioned cautions countered counters responded responds
    recounted recounts mused muses sighed sighs protested protests vowed vows announced announces agreed agrees
    promised promises insisting warning asking""".split()
)

# Jobs that stand before a person's name in film news ("producer Jon Landau"), and that later stand
# for that person ("the producer said"): ``entity_words.yml`` (token patterns read it too).
ROLE_NOUNS = _words("role_nouns")

# Job words that name the same part: someone introduced as the "star" is "the actress" later.
_ROLE_FAMILIES = (
    "actor actors actress actresses star stars co-star costar lead",
    "director directors filmmaker filmmakers helmer",
    "writer writers screenwriter screenwriters author authors novelist scribe",
    "producer producers exec executive executives chief ceo chairman chairwoman chair president head topper",
    "spokesperson spokeswoman spokesman representative rep",
)
_FAMILY_OF = {word: i for i, family in enumerate(_ROLE_FAMILIES) for word in family.split()}


def role_family(role: str) -> str:
    """The part a job word names, so "star" and "actress" match and "director" and "producer" do not."""
    role = role.casefold()
    return f"family{_FAMILY_OF[role]}" if role in _FAMILY_OF else role


# Nouns that stand for an organisation already named ("the studio said").
ORG_ROLE_NOUNS = frozenset(
    """studio company streamer network distributor broadcaster platform label agency firm chain exhibitor
    festival organisers organizers producers
    group fund organization organisation newspaper paper publication outlet magazine institute
    center centre foundation nonprofit charity bank""".split()
)

# Public bodies a story names in full once and then by their noun ("the Ministry of
# Health" ... "the ministry said"): only the body whose name holds the noun speaks.
PUBLIC_BODY_NOUNS = frozenset(
    """ministry department government council commission authority police union federation board university
    hospital school museum court committee party office bureau agency regulator league club team""".split()
)

# Words for the people who speak for an organisation ("a Streamline spokesperson").
SPOKESPERSON_NOUNS = frozenset("spokesperson spokeswoman spokesman representative rep spokespeople statement".split())