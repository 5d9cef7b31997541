"""Given names and the gender they usually carry, from the gender-guesser package.

Two uses: a capitalized pair that NER typed as a place or company but opens
with a given name ("June Okafor", "Carla Mendes") is a person, and a pronoun
("she said") goes to the nearest person it can refer to. A name the list does
not know, or gives to both sexes alike, decides nothing.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def name_detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=65536)
def given_name_gender(word: str) -> str | None:
    """"male", "female", "either" (a known given name used for both), or None (not a known given name)."""
    if not word[:1].isupper() or not word.isalpha():
        return None
    # English-language news: the name's use in the US and Britain first ("Marian" is a woman there,
    # a man in Poland), the whole list only for names those two do not know.
    detector = name_detector()
    # (a country lookup answers "andy" for a name that country's list lacks: that decides nothing)
    local = {detector.get_gender(word, country) for country in ("usa", "great_britain")} - {"unknown", "andy"}
    local = {g.removeprefix("mostly_") for g in local}
    if local:
        guess = local.pop() if len(local) == 1 else "andy"
    else:
        guess = detector.get_gender(word)
    if guess in ("male", "mostly_male"):
        return "male"
    if guess in ("female", "mostly_female"):
        return "female"
    if guess == "andy":
        return "either"
    return None


# Pronouns and the few job words that say the person's sex ("the actress said").
PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female", "hers": "female",
                  "actress": "female", "spokeswoman": "female", "chairwoman": "female", "congresswoman": "female",
                  "councilwoman": "female", "spokesman": "male", "congressman": "male", "councilman": "male"}


@lru_cache(maxsize=65536)
def pronoun_gender(word: str) -> str | None:
    """The gender a pronoun for someone of this given name has, where the lists are sure of it: a name only
    mostly given to one sex in one country and to both in the other ("Taylor": mostly male in the US, either
    in Britain) decides nothing, whereas ``given_name_gender`` calls it male."""
    gender = given_name_gender(word)
    if gender in ("male", "female"):
        detector = name_detector()
        local = {detector.get_gender(word, country) for country in ("usa", "great_britain")}
        if "andy" in local and f"mostly_{gender}" in local:
            return "either"
    return gender


def may_refer_to(pronoun: str, full_name: str) -> bool:
    """Whether "he"/"she" can point at this person: only a given name of the other gender rules it out."""
    wanted = PRONOUN_GENDER.get(pronoun.casefold())
    if wanted is None:
        return True
    gender = pronoun_gender(full_name.split()[0]) if full_name.split() else None
    return gender in (None, "either", wanted)
