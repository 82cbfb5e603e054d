"""Sentence-encoder part of the learned backstop (triage.encoder, triage.backstop._encoder_model).

Sentences here were written for this test; they are in neither the training YAML nor tests/risk_eval/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pytest

from triage import backstop, encoder
from triage.lexicon import normalise
from triage.screening import screen_conversation, screen_message


@pytest.fixture
def char_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The backstop as it was before the encoder (char n-grams alone, their thresholds)."""
    monkeypatch.setenv("TRIAGE_ENCODER", "0")
    backstop._encoder_model.cache_clear()
    yield
    monkeypatch.delenv("TRIAGE_ENCODER")
    backstop._encoder_model.cache_clear()


# A paraphrase with no risk word the char n-grams know: only the encoder places it near the exemplars.
ENCODER_ONLY = ("vaimo painoi tyynyn kasvoilleni kun riitelimme eilen", "domestic_violence")


def test_encoder_is_used_by_default() -> None:
    assert backstop._encoder_model() is not None
    assert backstop.thresholds() == backstop.THRESHOLDS


def test_paraphrase_caught_only_with_the_encoder(char_only: None) -> None:
    text, category = ENCODER_ONLY
    assert backstop.thresholds() == backstop.CHAR_THRESHOLDS
    assert category not in screen_message(text).categories


def test_paraphrase_caught_with_the_encoder() -> None:
    text, category = ENCODER_ONLY
    assert category in screen_message(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "en ole koskaan ajatellut satuttaa itseäni, kysyn unilääkkeistä",  # denial (char-only flagged this)
        "en jaksa odottaa kesälomaa ja mökkireissua",  # "can't wait": the encoder reads "en jaksa" as despair
        "tapan aikaa lukemalla lehtiä kun odotan bussia",
        "mun tietokone kuoli kesken etälääkärin ajan",
        "mies ei ole koskaan lyönyt minua, kysyn vain pariterapiasta",
        "tämä lomake tappaa minut, en löydä kohtaa kolme",
    ],
)
def test_vetoes_still_hold_with_the_encoder(text: str) -> None:
    assert not screen_message(text).signals


def test_embeddings_are_normalised_cached_and_deterministic() -> None:
    first = encoder.embed("en näe mitään syytä jatkaa")
    assert first.shape == (encoder.DIM,)
    assert abs(float(np.linalg.norm(first)) - 1.0) < 1e-3
    assert encoder.embed("en näe mitään syytä jatkaa") is first  # lru_cache: re-screening is free
    encoder.embed.cache_clear()
    assert np.array_equal(encoder.embed("en näe mitään syytä jatkaa"), first)
    batch = encoder.embed_many(["en näe mitään syytä jatkaa", "milloin neuvola aukeaa"])
    assert np.allclose(batch[0], first, atol=1e-5)


def test_thread_settings_do_not_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    with encoder._omp_env():
        assert os.environ["OMP_NUM_THREADS"] == "1" and os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    assert os.environ["OMP_NUM_THREADS"] == "7" and "OMP_WAIT_POLICY" not in os.environ


def test_masked_words_stay_masked_for_the_encoder() -> None:
    original = "En ole itsetuhoinen, kysyn terapiasta"
    masked = "   " + normalise(original)[3:]  # the negator blanked, as screening._harmless_mask does
    written = backstop._as_written(masked, original)
    assert written.startswith("   ") and "itsetuhoinen" in written  # "ä" and capitals kept elsewhere
    assert backstop._without_denials(normalise(original), original) == " kysyn terapiasta"


def test_a_conversation_embeds_each_message_once() -> None:
    """``screen_conversation`` re-screens the whole conversation every turn; earlier messages must come from
    the cache, not the engine (speed itself is measured by benchmarks/risk_benchmark.py --compare)."""
    backstop.warm_up()
    conversation = [f"viesti numero {i}: en tiedä mitä tehdä kun kaikki tuntuu raskaalta" for i in range(4)]
    screen_conversation(conversation)
    misses = encoder.embed.cache_info().misses
    for _ in range(5):
        screen_conversation(conversation)
    assert encoder.embed.cache_info().misses == misses
