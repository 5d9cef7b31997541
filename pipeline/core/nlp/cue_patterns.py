"""Text patterns of attribution around quote marks: the cue words and the words naming who speaks.

These read the characters beside a quotation ("…," said Dana Whitlock; "…," she told …), for
the pages and quotes the dependency parse (``attribution``) leaves unsettled.
"""

from __future__ import annotations

import re

from .lexicon import SPEECH_VERBS

# Cues that attribute speech; "according to" is handled on its own.
CUE_WORDS = SPEECH_VERBS | {"writing", "wrote", "tweeted", "posted", "according", "read", "reads"}
CUE_RE = "|".join(sorted((re.escape(c) for c in CUE_WORDS), key=len, reverse=True))
WHO = (
    r"(?P<who>(?:he|she|they|He|She|They|I|we|We)\b"
    r"|(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+"
    r"|[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|da|del|la|le)){0,5})"
)
# "said Dana Whitlock", "said producer Owen Hale", "said the studio's longtime producer, Owen Hale"
AFTER_CUE_FIRST = re.compile(rf"^[\s,—–-]*(?P<cue>{CUE_RE})\s+(?:[a-z][\w’'-]*,?\s+){{0,3}}?{WHO}")
# "…," federation president Orla Dunne told …; "…," Lumaflix chief content officer Diane Mercer said
AFTER_WHO_FIRST = re.compile(rf"^[\s,—–-]*(?:[A-Z][\w’'.+-]*\s+(?=[a-z]))?(?:(?!(?:he|she|they|it|we|i|and|but|or|then|said|says|told)\b)[a-z][\w’'-]*\s+){{0,4}}?{WHO}(?:,[^,]{{1,80}},)?\s+(?:\w+ly\s+|also\s+|later\s+|then\s+|has\s+|had\s+)?(?P<cue>{CUE_RE})\b")
AFTER_ACCORDING = re.compile(rf"^[\s,—–-]*according\s+to\s+{WHO}")
# "he said", "Hale, the producer, said": the words right before a cue.
PRONOUN_BEFORE_CUE = re.compile(r"\b(?P<who>he|she|they|He|She|They)\s+(?:\w+ly\s+|also\s+|then\s+)?$")
WHO_BEFORE_CUE = re.compile(rf"{WHO}\s*(?:,[^,]{{1,80}},)?\s*(?:\w+ly\s+|also\s+|then\s+)?$")


def who_before_cue(left: str):
    """The words naming the speaker right before a cue: a pronoun there wins ("Her voice broke as she added")."""
    return PRONOUN_BEFORE_CUE.search(left) or WHO_BEFORE_CUE.search(left)
