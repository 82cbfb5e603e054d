import pytest

from finnish_nlu.lemmatizer import lemma
from finnish_nlu.spoken import SPOKEN_FORMS, standard_candidates
from finnish_nlu.voikko_analyser import voikko_available

needs_voikko = pytest.mark.skipif(
    not voikko_available(), reason="Voikko (Debian libvoikko1 + voikko-fi) missing"
)


def test_spoken_map_has_no_identity_entries():
    assert [k for k, v in SPOKEN_FORMS.items() if k == v] == []


def test_question_clitic_and_lengthened_vowel_rewrites():
    assert "saanko" in standard_candidates("saanks")
    assert "asumistukea" in standard_candidates("asumistukee")
    # The word as written is tried before rewrites, so standard verb forms survive.
    candidates = standard_candidates("hakee")
    assert candidates.index("hakee") < candidates.index("hakea")


@needs_voikko
@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("asumistukee", "asumistuki"),
        ("toimeentulotukea", "toimeentulotuki"),
        ("neuvolasta", "neuvola"),
        ("hammaslääkärille", "hammaslääkäri"),
        ("tarviin", "tarvita"),
        ("onks", "olla"),
        ("mä", "minä"),
        ("terkkari", "terveysasema"),
        ("kipee", "kipeä"),
        ("Vantaalla", "vantaa"),
    ],
)
def test_lemma_of_spoken_and_inflected_forms(word, expected):
    assert lemma(word) == expected


def test_lemma_of_non_words_is_unchanged():
    assert lemma("112") == "112"
    assert lemma("?") == "?"
