"""Spoken Finnish to standard Finnish, word by word, before morphological analysis.

Voikko knows standard Finnish only (it leaves "mä", "oon", "tarviin" unanalysed), and residents write
the way they speak. This small map plus a few regular rewrites (the "-ks" question clitic, the
lengthened partitive "tukee" -> "tukea") closes most of that gap; what remains is left to the
character n-grams of the NLU pipeline.
"""

from __future__ import annotations

import re

# Frequent spoken forms -> standard form. Kept short on purpose: only forms that are unambiguous.
SPOKEN_FORMS: dict[str, str] = {
    "mä": "minä",
    "mää": "minä",
    "mie": "minä",
    "mun": "minun",
    "mul": "minulla",
    "mulla": "minulla",
    "mulle": "minulle",
    "multa": "minulta",
    "musta": "minusta",
    "mua": "minua",
    "mus": "minussa",
    "sä": "sinä",
    "sää": "sinä",
    "sun": "sinun",
    "sul": "sinulla",
    "sulla": "sinulla",
    "sulle": "sinulle",
    "sua": "sinua",
    "meil": "meillä",
    "teil": "teillä",
    "hänel": "hänellä",
    "sil": "sillä",
    "sillon": "silloin",
    "niil": "niillä",
    "oon": "olen",
    "oot": "olet",
    "oo": "ole",
    "ollu": "ollut",
    "olis": "olisi",
    "ois": "olisi",
    "onks": "onko",
    "ooks": "oletko",
    "oisko": "olisiko",
    "tarviin": "tarvitsen",
    "tarvii": "tarvitsee",
    "tarttisin": "tarvitsisin",
    "tarttis": "tarvitsisi",
    "tarvis": "tarvitsisi",
    "tarvisin": "tarvitsisin",
    "haluun": "haluan",
    "haluisin": "haluaisin",
    "haluis": "haluaisi",
    "pitäis": "pitäisi",
    "pitäs": "pitäisi",
    "vois": "voisi",
    "pääsis": "pääsisi",
    "sais": "saisi",
    "kävis": "kävisi",
    "tietäis": "tietäisi",
    "mist": "mistä",
    "mis": "missä",
    "mihi": "mihin",
    "mitäs": "mitä",
    "mite": "miten",
    "miks": "miksi",
    "ku": "kun",
    "et": "että",
    "ite": "itse",
    "itte": "itse",
    "itelle": "itselle",
    "itelleni": "itselleni",
    "ittelle": "itselle",
    "nytte": "nyt",
    "sit": "sitten",
    "sitte": "sitten",
    "tänää": "tänään",
    "huomen": "huomenna",
    "kans": "kanssa",
    "kaa": "kanssa",
    "vaa": "vain",
    "vaan": "vain",
    "vähä": "vähän",
    "paljo": "paljon",
    "tosi": "todella",
    "ihan": "aivan",
    "joo": "kyllä",
    "juu": "kyllä",
    "jep": "kyllä",
    "ok": "okei",
    "emmä": "en",
    "enkä": "en",
    "kiitti": "kiitos",
    "kiitoksia": "kiitos",
    "terkkari": "terveysasema",
    "terkkarii": "terveysasema",
    "terkkarille": "terveysasemalle",
    "terkkarissa": "terveysasemalla",
    "labra": "laboratorio",
    "labraan": "laboratorioon",
    "labrassa": "laboratoriossa",
    "hammaslekuri": "hammaslääkäri",
    "lekuri": "lääkäri",
    "lekurille": "lääkärille",
    "kipee": "kipeä",
    "kipeet": "kipeät",
    "kaveri": "ystävä",
    "kavereita": "ystäviä",
    "frendi": "ystävä",
    "mummu": "mummo",
    "faija": "isä",
    "mutsi": "äiti",
    "äiskä": "äiti",
    "iskä": "isä",
    "skidi": "lapsi",
    "kakara": "lapsi",
    "duuni": "työ",
    "duunia": "työtä",
    "duunii": "työtä",
    "duunit": "työt",
    "himaa": "kotiin",
    "himassa": "kotona",
    "kämppä": "asunto",
    "kämpän": "asunnon",
    "kämppää": "asuntoa",
    "rahee": "rahaa",
    "massii": "rahaa",
    "fyffee": "rahaa",
    "lääkkeit": "lääkkeitä",
}

_QUESTION_CLITIC = re.compile(r"^(?P<stem>\w+?)ks$")
# A lengthened final vowel stands for the standard partitive or -ea/-eä ending: "tukee" (tukea),
# "kipee" (kipeä), "apuu" (apua), "hakee" (hakea).
_LENGTHENED_ENDINGS = (
    ("ee", ("ea", "eä")),
    ("uu", ("ua",)),
    ("yy", ("yä",)),
    ("oo", ("oa",)),
    ("ii", ("ia", "iä")),
    ("ää", ("eä",)),
)
_BACK_VOWELS = set("aou")


def _harmony_suffix(stem: str, back: str, front: str) -> str:
    return back if any(ch in _BACK_VOWELS for ch in stem) else front


def standard_candidates(word: str) -> list[str]:
    """Standard-Finnish spellings to try for ``word`` (lower case), the most likely first.

    An explicit spoken form comes first, then the word as written, then regular rewrites; a caller stops
    at the first candidate its analyser knows.
    """
    lower = word.lower()
    candidates: list[str] = []
    if lower in SPOKEN_FORMS:
        candidates.append(SPOKEN_FORMS[lower])
    # The word as written comes before the rewrites: "hakee" and "särkee" are standard verb forms too.
    candidates.append(lower)
    clitic = _QUESTION_CLITIC.match(lower)
    if clitic and len(lower) > 3:
        stem = clitic.group("stem")
        candidates.append(stem + _harmony_suffix(stem, "ko", "kö"))
    for ending, replacements in _LENGTHENED_ENDINGS:
        if lower.endswith(ending) and len(lower) > 4:
            candidates.extend(lower[: -len(ending)] + r for r in replacements)
    return list(dict.fromkeys(candidates))
