"""Lemmas for spoken and written Finnish: spoken-form map, then Voikko, then simplemma.

Measured in ../shared/research/finnish_nlu.md: Voikko is the most precise on standard Finnish and on
compounds, simplemma knows more spoken forms; the spoken map in ``finnish_nlu.spoken`` covers what
neither knows.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

from finnish_nlu.spoken import standard_candidates
from finnish_nlu.voikko_analyser import analyse


def _compound_parts(analysis: dict[str, str]) -> int:
    return analysis.get("WORDBASES", "").count("+")


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    """Base form of one word, lower case; the word itself when nothing knows it."""
    if not any(ch.isalpha() for ch in word):
        return word.lower()
    for candidate in standard_candidates(word):
        analyses = analyse(candidate) or (analyse(candidate.capitalize()) if candidate.islower() else ())
        if analyses:
            # The reading with the fewest compound parts is usually the intended one
            # ("neuvolasta" is neuvola, not neuvo+lapsi).
            best = min(analyses, key=_compound_parts)
            return best.get("BASEFORM", candidate).lower()
    guess = simplemma.lemmatize(word.lower(), lang="fi")
    return guess.lower() if guess else word.lower()
