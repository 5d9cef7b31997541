"""The NLP stage as a spaCy pipeline: the model's components plus ours, registered.

``pipeline.load_pipeline`` builds it; ``attribution`` reads who said what from
its dependency parse. Cue words are data (``speech_cues.yml``, lemmas).
"""
