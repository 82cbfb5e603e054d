"""The learned risk screen: its data kept apart from every evaluation set, grouped folds, a model that
saves and loads to the same numbers, and thresholds chosen for the false-alarm targets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from triage import learned
from triage.categories import CATEGORIES
from triage.text import normalise
from triage.training_data import NONE, conversation_text, corpus_files, load_examples

EVAL_DIR = Path(__file__).resolve().parents[1] / "risk_eval"


def _eval_texts() -> set[str]:
    texts: set[str] = set()
    for path in EVAL_DIR.glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            turns = [str(t) for t in item.get("turns") or [item["text"]]]
            texts |= {" ".join(normalise(t).split()) for t in turns}
            texts.add(" ".join(normalise(conversation_text(turns)).split()))
    return texts


@pytest.fixture(scope="module")
def examples() -> list:
    return load_examples()


def test_no_evaluation_sentence_is_training_data(examples: list) -> None:
    held_out = _eval_texts()
    leaked = [e.text for e in examples if " ".join(normalise(e.text).split()) in held_out]
    # The assistant's own NLU examples are ordinary negatives; a handful of greetings and service questions
    # ("hei", "miten haen asumistukea") also stand in the evaluation sets, as a message or an opening turn.
    # Everything written for the screen (the corpus) must be apart from all of them.
    corpus_leaks = [e.text for e in examples
                    if not e.writer.startswith("nlu:") and " ".join(normalise(e.text).split()) in held_out]
    assert corpus_leaks == []
    assert len(leaked) <= 10


def test_every_corpus_file_is_a_writer_covering_every_category(examples: list) -> None:
    writers = {path.stem for path in corpus_files() if not path.stem.startswith("legacy_")}
    assert len(writers) >= 10
    for writer in writers:
        labels = {e.label for e in examples if e.writer == writer}
        assert labels == {*CATEGORIES, NONE}, writer
        kinds = {e.kind for e in examples if e.writer == writer}
        assert {"positive", "ordinary", "hard_negative"} <= kinds, writer


def test_folds_keep_each_writer_in_one_fold(examples: list) -> None:
    writers = [e.writer for e in examples]
    folds = learned.folds(writers)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(writers)))
    fold_of: dict[str, set[int]] = {}
    for number, indexes in enumerate(folds):
        for index in indexes:
            fold_of.setdefault(writers[index], set()).add(number)
    assert all(len(numbers) == 1 for numbers in fold_of.values())


def test_saved_model_loads_to_the_same_probabilities(tmp_path: Path) -> None:
    texts = ["haluan kuolla tänä yönä", "mihin aikaan neuvola aukeaa", "mies löi minua taas",
             "miten haen asumistukea", "lapsi joi pesuainetta", "kiitos avusta"]
    labels = np.array(["suicide_self_harm", NONE, "domestic_violence", NONE, "overdose_poisoning", NONE])
    kinds = np.array(["positive", "ordinary", "positive", "ordinary", "positive", "hard_negative"])
    feats = learned.features(texts, use_encoder=False)
    model = learned.fit(feats, labels, kinds, {"acute_card": 0.5}, "test")
    path = tmp_path / "screen-test.npz"
    model.save(path)
    loaded = learned.LearnedScreen.load(path)
    assert loaded.thresholds == {"acute_card": 0.5} and loaded.fingerprint == "test"
    for text in ("haluan kuolla", "neuvola", "pesuainetta joi"):
        assert loaded.probabilities(text) == pytest.approx(model.probabilities(text))
    assert set(model.probabilities("x")) == set(learned.CLASSES)


def test_thresholds_are_the_lowest_that_keep_the_false_alarm_targets() -> None:
    rng = np.random.default_rng(1)
    negatives = rng.uniform(0, 0.8, 1000)  # acute sum of ordinary negatives, spread evenly
    oof = np.zeros((1000, len(learned.CLASSES)))
    oof[:, learned.CLASSES.index("suicide_self_harm")] = negatives
    kinds = np.array(["ordinary"] * 1000)
    limits = learned.choose_thresholds(oof, kinds)
    assert np.mean(negatives >= limits["acute_card"]) <= learned.TARGETS["acute_card"][0]
    assert np.mean(negatives >= limits["acute_card"] - 0.02) > learned.TARGETS["acute_card"][0]
    assert limits["acute_ask"] <= limits["acute_card"]


def test_cue_confirm_drops_at_most_the_demotion_limit_of_the_cues_own_category() -> None:
    classes = learned.CLASSES
    violence = classes.index("domestic_violence")
    rows = 100
    oof = np.full((rows, len(classes)), 0.01)
    oof[:, violence] = np.linspace(0.0, 0.99, rows)  # the violence score of 100 violence examples
    labels = np.array(["domestic_violence"] * rows)
    hits = [["domestic_violence"]] * rows
    floor = learned.cue_confirm(oof, labels, hits)
    kept = np.mean(oof[:, violence] >= floor)
    assert 1 - learned.CUE_DEMOTION_LIMIT <= kept < 1.0
    # A cue of another category in these examples says nothing about the violence cue's floor.
    assert learned.cue_confirm(oof, labels, [["suicide_self_harm"]] * rows) == 0.0


def test_a_cue_the_learned_screen_finds_implausible_raises_no_question() -> None:
    from triage.screening import screen_message

    # "uhkaa" (threatens) is a violence cue; this message is about an eviction.
    eviction = screen_message("vuokranantaja uhkaa häädöllä ensi kuussa enkä tiedä mihin mennä")
    assert "domestic_violence" not in {p.category for p in eviction.possible}
    assert "eviction_homelessness" in eviction.categories
    threat = screen_message("mies uhkaa mua taas ja pelkään mennä kotiin")
    assert "domestic_violence" in {*threat.categories, *(p.category for p in threat.possible)}
