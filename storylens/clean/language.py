"""Language identification with lingua (models ship inside the package; loaded once)."""

from __future__ import annotations

from functools import cache

_SAMPLE_CHARS = 400  # enough for a confident guess, cheap on long articles


@cache
def _detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.split()) < 3:
        return None
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None
