"""Text normalisation and negation vocabulary shared by the patterns and the learned screen.

One module so that both layers see the same text: lower case with Nordic letters folded (ä→a, ö→o, å→a),
every character kept at its position (quotes are cut from the original by offsets), and one list of
negation and bridging words for "is this denied?".
"""

from __future__ import annotations

import re

_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u", "’": "'", "`": "'", "´": "'"})

CLAUSE_BREAK = re.compile(r"[.!?;:\n]+|,|\s(?:mutta|but|men)\s")
SENTENCE_BREAK = re.compile(r"[.!?\n]+")
TOKEN = re.compile(r"[\w']+")


def normalise(text: str) -> str:
    """Lower case and fold Nordic letters, keeping every character's position (quotes come from offsets)."""
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return lowered.translate(_FOLD)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "alkaa" (älkää) and "no" are left out on purpose: "alkaa" means "begins", and "no" is the Finnish
# filler ("no mä haluun kuolla"), so reading them as negations would hide real signals.
NEGATORS = words(
    """en et ei emme ette eivat enka etka eika emmeka ettei etten jottei ala not never dont doesnt isnt
    aint wont inte aldrig ingen inga inget"""
)
# Words that may stand between a negation and the matched phrase without ending its scope.
_BRIDGE_WORDS = words(
    """ole oo olla ollut olleet aio aijo aikonut halua haluu haluakaan ajattele ajatellut mieti miettinyt
    suunnittele suunnitellut tee tehnyt koskaan ikina enaa mitaan mitaa sellaisia sellaista yhtaan
    todellakaan kuitenkaan tietenkaan ollenkaan lainkaan mulla minulla ma mina nyt siis oikeasti tunne koe
    kyllakaan kai vakavasti kayta kayttanyt juo juonut ota ottanut polta tarvitse tarvi tarvii
    minkaanlaisia am i m do does have had be going to ever really at all feel want ar jag har nagra nagot
    kanna kanner ens tunnu"""
)
# Spoken Finnish drops the final -t of past participles ("en oo koskaan ajatellu", "ei oo tehny"): every
# bridging participle in -nut/-nyt/-lut/-lyt/-rut/-sut also bridges in its spoken form.
_SPOKEN_PARTICIPLES = frozenset(w[:-1] for w in _BRIDGE_WORDS if re.search(r"(?:nu|ny|lu|ly|ru|su)t$", w))
BRIDGES = _BRIDGE_WORDS | _SPOKEN_PARTICIPLES | words("koskaa ikinaa ollu olluu")


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The non-blank pieces of ``text`` between the matches of ``pattern`` (clauses, sentences)."""
    found: list[tuple[int, int]] = []
    start = 0
    for match in pattern.finditer(text):
        found.append((start, match.start()))
        start = match.end()
    found.append((start, len(text)))
    return [(a, b) for a, b in found if text[a:b].strip()]


def negated(prefix: str) -> bool:
    """True when the words right before a match are a negation, possibly followed by bridging words."""
    tokens = [t.replace("'", "") for t in TOKEN.findall(prefix)]
    for token in reversed(tokens[-5:]):
        if token in NEGATORS:
            return True
        if token not in BRIDGES:
            return False
    return False
