"""The NLP stage: mentions, entities, quotes and quote titles from one spaCy pass, and their checks."""
