"""The learned risk screen: a classifier over the corpus of many writers, validated on writers it never saw.

Two views of a text, each with a logistic regression over ``none`` and every category, their probabilities
averaged:

* character n-grams 2–4 within word boundaries of the normalised text (hashed, tf-idf; one-vs-rest):
  stems, compounds, spoken forms and typos share features;
* multilingual-e5-small sentence embeddings of the text as written (``triage.encoder``): paraphrases and
  the same idea in Finnish, Swedish and English lie close together. Without the encoder the char model
  alone is used (``TRIAGE_ENCODER=0``, or the engine cannot load), with thresholds chosen for it
  (multinomial).

Thresholds are chosen at training time on **out-of-fold predictions grouped by writer** (every corpus
writer is one fold; the NLU intents are spread over the folds), i.e. on writers each fold's model never
saw, for target false-alarm rates (``TARGETS``): the same figure that predicts the next blind set.

* ``acute_card``: the summed probability of the acute categories at which the crisis card is shown;
* ``acute_ask``: the lower sum at which the assistant asks the direct question instead;
* ``urgent``: a single urgent category's probability at which it is raised.

The trained model is a few numpy arrays, saved as ``<model dir>/screen-<fingerprint>.npz`` where the
fingerprint hashes the training data and this code (``training_data.source_fingerprint``). ``make train``
(``python -m triage.train``) writes it; every process loads it; a process that finds none trains it once
and saves it (logged), so a missing file costs time, never safety.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression

from triage import encoder
from triage.categories import CATEGORIES, Severity
from triage.text import normalise

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
NONE = "none"
CLASSES: tuple[str, ...] = (NONE, *CATEGORIES)
ACUTE = tuple(c for c, meta in CATEGORIES.items() if meta.severity is Severity.ACUTE)
URGENT = tuple(c for c, meta in CATEGORIES.items() if meta.severity is Severity.URGENT)

N_FEATURES = 2**18
CHAR_C = 20.0
ENCODER_C = 20.0
# A hand-written look-alike weighs this many times an ordinary negative: they are few against the many
# ordinary lines, and they are the ones that sit next to the risk wordings.
HARD_NEGATIVE_WEIGHT = 3.0
# Out-of-fold false-alarm rates the thresholds are chosen for: (ordinary questions, hard negatives).
TARGETS: dict[str, tuple[float, float]] = {
    "acute_card": (0.01, 0.05),
    "acute_ask": (0.03, 0.25),
    "urgent": (0.02, 0.08),
}
THRESHOLD_FLOOR = 0.15  # never lower than this, whatever the data says
# A pattern's acute hit whose text the learned screen scores below ``pattern_confirm`` is asked about instead
# of answered with the crisis card (a psychologist asking where to refer a client, a writer's plot, a past
# that is over). ``pattern_confirm`` demotes at most this share of the acute examples the patterns catch.
PATTERN_DEMOTION_LIMIT = 0.03
# A warning-sign cue (``risk_categories/<id>/category.yaml``) raises the direct question only where the
# learned screen gives its category at least ``cue_confirm``: "vuokranantaja uhkaa häädöllä" carries the
# violence cue "uhkaa" but is plainly about an eviction. ``cue_confirm`` drops at most this share of the
# cue hits on the corpus's own examples of the cue's category.
CUE_DEMOTION_LIMIT = 0.05


def model_dir() -> Path:
    return Path(os.environ.get("TRIAGE_MODEL_DIR") or ROOT / "models" / "triage")


def _vectorizer() -> HashingVectorizer:
    return HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=N_FEATURES,
                             alternate_sign=False, norm=None, lowercase=False)


def char_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    return _vectorizer().transform([normalise(t) for t in texts])


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    matrix = counts.astype(np.float64).tocsr(copy=True)
    matrix.data = 1.0 + np.log(matrix.data)  # sublinear tf
    matrix = matrix.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def _one_vs_rest(scores: np.ndarray) -> np.ndarray:
    """Probabilities of one-vs-rest logistic models, normalised over the classes (as scikit-learn does)."""
    positive = 1.0 / (1.0 + np.exp(-scores))
    return positive / positive.sum(axis=1, keepdims=True)


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Features:
    """A training set's features, computed once (embedding is the slow part) and sliced per fold."""

    counts: sparse.csr_matrix
    embeddings: np.ndarray | None

    def rows(self, index: np.ndarray) -> Features:
        return Features(self.counts[index], None if self.embeddings is None else self.embeddings[index])


def features(texts: Sequence[str], use_encoder: bool) -> Features:
    return Features(char_counts(texts), encoder.embed_many(list(texts)) if use_encoder else None)


@dataclass(frozen=True)
class LearnedScreen:
    classes: tuple[str, ...]
    idf: np.ndarray
    char_coef: np.ndarray
    char_intercept: np.ndarray
    enc_coef: np.ndarray | None
    enc_intercept: np.ndarray | None
    thresholds: dict[str, float]
    fingerprint: str

    @property
    def uses_encoder(self) -> bool:
        return self.enc_coef is not None

    def probabilities_of(self, feats: Features) -> np.ndarray:
        char_scores = np.asarray(_tfidf(feats.counts, self.idf) @ self.char_coef.T) + self.char_intercept
        char = _one_vs_rest(char_scores)
        if self.enc_coef is None or feats.embeddings is None:
            return char
        enc = _softmax(feats.embeddings @ self.enc_coef.T + self.enc_intercept)
        return (char + enc) / 2

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability of ``none`` and of every category for one text (as written)."""
        embedding = encoder.embed(text)[None, :] if self.uses_encoder else None
        row = self.probabilities_of(Features(char_counts([text]), embedding))[0]
        return dict(zip(self.classes, (float(p) for p in row), strict=True))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        arrays = {
            "classes": np.array(self.classes), "idf": self.idf, "char_coef": self.char_coef,
            "char_intercept": self.char_intercept,
            "threshold_names": np.array(list(self.thresholds)),
            "threshold_values": np.array(list(self.thresholds.values())),
            "fingerprint": np.array(self.fingerprint),
        }
        if self.enc_coef is not None and self.enc_intercept is not None:
            arrays |= {"enc_coef": self.enc_coef, "enc_intercept": self.enc_intercept}
        np.savez_compressed(tmp, **arrays)
        os.replace(tmp, path)  # atomic: another process never reads half a file

    @classmethod
    def load(cls, path: Path) -> LearnedScreen:
        with np.load(path, allow_pickle=False) as data:
            has_encoder = "enc_coef" in data
            return cls(
                classes=tuple(str(c) for c in data["classes"]),
                idf=data["idf"], char_coef=data["char_coef"], char_intercept=data["char_intercept"],
                enc_coef=data["enc_coef"] if has_encoder else None,
                enc_intercept=data["enc_intercept"] if has_encoder else None,
                thresholds=dict(zip((str(n) for n in data["threshold_names"]),
                                    (float(v) for v in data["threshold_values"]), strict=True)),
                fingerprint=str(data["fingerprint"]),
            )


def _weights(labels: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    classes, counts = np.unique(labels, return_counts=True)
    balanced = dict(zip(classes, len(labels) / (len(classes) * counts), strict=True))
    return np.array([balanced[label] * (HARD_NEGATIVE_WEIGHT if kind == "hard_negative" else 1.0)
                     for label, kind in zip(labels, kinds, strict=True)])


def fit(feats: Features, labels: np.ndarray, kinds: np.ndarray, thresholds: dict[str, float],
        fingerprint: str = "") -> LearnedScreen:
    """Both models on one training set; every class of ``CLASSES`` gets a row (absent ones never win)."""
    weights = _weights(labels, kinds)
    transformer = TfidfTransformer(sublinear_tf=True).fit(feats.counts)
    idf = transformer.idf_.astype(np.float64)
    # liblinear one-vs-rest: seconds on a quarter of a million sparse features, where lbfgs takes minutes.
    char_model = LogisticRegression(C=CHAR_C, solver="liblinear")
    char_model.fit(_tfidf(feats.counts, idf), labels, weights)
    char_coef, char_intercept = _expand(char_model, feats.counts.shape[1])
    enc_coef = enc_intercept = None
    if feats.embeddings is not None:
        enc_model = LogisticRegression(C=ENCODER_C, max_iter=3000).fit(feats.embeddings, labels, weights)
        enc_coef, enc_intercept = _expand(enc_model, feats.embeddings.shape[1])
    return LearnedScreen(CLASSES, idf, char_coef, char_intercept, enc_coef, enc_intercept, thresholds,
                         fingerprint)


def _expand(model: LogisticRegression, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients in ``CLASSES`` order; a class the fold never saw gets a very low intercept."""
    coef = np.zeros((len(CLASSES), width))
    intercept = np.full(len(CLASSES), -30.0)
    for row, label in enumerate(model.classes_):
        coef[CLASSES.index(label)] = model.coef_[row]
        intercept[CLASSES.index(label)] = model.intercept_[row]
    return coef, intercept


def folds(writers: Sequence[str]) -> list[np.ndarray]:
    """Test indexes per fold: one fold per corpus writer; NLU intents (``nlu:<intent>``) spread over them."""
    corpus_writers = sorted({w for w in writers if not w.startswith("nlu:")})
    intents = sorted({w for w in writers if w.startswith("nlu:")})
    fold_of = {w: i for i, w in enumerate(corpus_writers)}
    fold_of |= {intent: i % len(corpus_writers) for i, intent in enumerate(intents)}
    assignment = np.array([fold_of[w] for w in writers])
    return [np.flatnonzero(assignment == i) for i in range(len(corpus_writers))]


def out_of_fold(feats: Features, labels: np.ndarray, kinds: np.ndarray, writers: Sequence[str]) -> np.ndarray:
    """Probabilities of every example from the model trained without its fold (its writer)."""
    oof = np.zeros((len(labels), len(CLASSES)))
    for number, test in enumerate(folds(writers)):
        started = time.perf_counter()
        train = np.setdiff1d(np.arange(len(labels)), test)
        model = fit(feats.rows(train), labels[train], kinds[train], {})
        oof[test] = model.probabilities_of(feats.rows(test))
        log.info("fold %d: %d held out, %.1f s", number + 1, len(test), time.perf_counter() - started)
    return oof


def acute_sum(probabilities: np.ndarray) -> np.ndarray:
    return probabilities[:, [CLASSES.index(c) for c in ACUTE]].sum(axis=1)


def urgent_max(probabilities: np.ndarray) -> np.ndarray:
    return probabilities[:, [CLASSES.index(c) for c in URGENT]].max(axis=1)


def _lowest_threshold(scores: np.ndarray, kinds: np.ndarray, targets: tuple[float, float]) -> float:
    """The lowest score at which the negatives' alarm rates stay within ``targets`` (ordinary, hard)."""
    for t in np.arange(THRESHOLD_FLOOR, 0.96, 0.01):
        rates = [float(np.mean(scores[kinds == kind] >= t)) if np.any(kinds == kind) else 0.0
                 for kind in ("ordinary", "hard_negative")]
        if rates[0] <= targets[0] and rates[1] <= targets[1]:
            return round(float(t), 2)
    return 0.95


def choose_thresholds(oof: np.ndarray, kinds: np.ndarray, labels: np.ndarray | None = None,
                      pattern_acute: np.ndarray | None = None,
                      cue_hits: Sequence[Sequence[str]] | None = None) -> dict[str, float]:
    """Thresholds for the false-alarm ``TARGETS`` on out-of-fold scores; with ``pattern_acute`` (which
    examples the patterns raise as acute) also ``pattern_confirm`` (``PATTERN_DEMOTION_LIMIT``); with
    ``cue_hits`` (the cue categories found in each example) also ``cue_confirm`` (``CUE_DEMOTION_LIMIT``)."""
    negatives = kinds != "positive"
    acute, urgent = acute_sum(oof)[negatives], urgent_max(oof)[negatives]
    neg_kinds = kinds[negatives]
    card = _lowest_threshold(acute, neg_kinds, TARGETS["acute_card"])
    ask = min(_lowest_threshold(acute, neg_kinds, TARGETS["acute_ask"]), card)
    urgent_limit = _lowest_threshold(urgent, neg_kinds, TARGETS["urgent"])
    limits = {"acute_card": card, "acute_ask": ask, "urgent": urgent_limit}
    if labels is not None and pattern_acute is not None:
        caught = acute_sum(oof)[np.isin(labels, ACUTE) & pattern_acute]
        confirm = float(np.quantile(caught, PATTERN_DEMOTION_LIMIT)) if caught.size else 0.0
        limits["pattern_confirm"] = round(min(confirm, ask), 2)
    if labels is not None and cue_hits is not None:
        limits["cue_confirm"] = cue_confirm(oof, labels, cue_hits)
    return limits


def cue_confirm(oof: np.ndarray, labels: np.ndarray, cue_hits: Sequence[Sequence[str]]) -> float:
    """The learned probability of a cue's category below which the cue is not asked about: the
    ``CUE_DEMOTION_LIMIT`` quantile over the examples of that category in which its cue occurs."""
    own = [oof[i, CLASSES.index(labels[i])] for i, hits in enumerate(cue_hits) if labels[i] in hits]
    if not own:
        return 0.0
    return float(np.floor(np.quantile(own, CUE_DEMOTION_LIMIT) * 1000) / 1000)


def encoder_wanted() -> bool:
    return os.environ.get("TRIAGE_ENCODER", "1") != "0" and encoder.available()


def train(examples: Sequence, fingerprint: str, use_encoder: bool,
          pattern_acute: np.ndarray | None = None,
          cue_hits: Sequence[Sequence[str]] | None = None) -> tuple[LearnedScreen, np.ndarray]:
    """Grouped out-of-fold predictions, thresholds from them, then the final model on everything.
    ``pattern_acute``: per example, whether the patterns raise it as acute (for ``pattern_confirm``);
    ``cue_hits``: per example, the categories whose cues occur in it (for ``cue_confirm``).
    Returns the model and the out-of-fold probabilities (for the cross-validation benchmark)."""
    started = time.perf_counter()
    texts = [e.text for e in examples]
    labels = np.array([e.label for e in examples])
    kinds = np.array([e.kind for e in examples])
    feats = features(texts, use_encoder)
    oof = out_of_fold(feats, labels, kinds, [e.writer for e in examples])
    thresholds = choose_thresholds(oof, kinds, labels, pattern_acute, cue_hits)
    model = fit(feats, labels, kinds, thresholds, fingerprint)
    log.info("learned screen trained on %d examples in %.0f s; thresholds %s", len(examples),
             time.perf_counter() - started, thresholds)
    return model, oof
