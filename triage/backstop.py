"""Learned backstop for risk screening: catches acute/urgent wordings the hand-written patterns miss.

A small, reproducible classifier, trained on first use from YAML (no pickled model, nothing downloaded):

* text: ``triage.lexicon.normalise`` (lower case, ä→a, ö→o ...), character n-grams 2–4 within word
  boundaries (``TfidfVectorizer(analyzer="char_wb")``), so stems, compounds, spoken forms and typos share
  features;
* model: one-vs-rest ``LogisticRegression`` (liblinear, ``class_weight="balanced"``, C=30) over the 11 acute
  and urgent categories plus ``none``;
* second model: logistic regression on multilingual-e5-small sentence embeddings of the text as written
  (``triage.encoder``), which places unseen paraphrases near the exemplars; the score is the mean of both
  models' probabilities (``_scores``). Without the encoder the char model alone is used with its thresholds;
* data: exemplar sentences per category and hard look-alikes in ``triage/backstop_data/*.yml``, plus the
  project's NLU examples (``data/nlu/*.yml``) as ordinary negatives, minus any line the patterns flag (those
  are risk wordings that happen to sit in an intent) and minus any line of the evaluation sets in
  ``tests/risk_eval/`` (never trained on).

A category is raised when its probability reaches the threshold for its severity (``THRESHOLDS``). The
thresholds were chosen on out-of-fold predictions of the training data (5-fold), never on the test or blind
sets; see ``docs/benchmarks.md`` ("Learned backstop").

Negation: a clause that *denies* ("en ole itsetuhoinen", "mies ei ole koskaan lyönyt") is dropped before
scoring for the acute categories, using the negation words of ``triage.screening``. Only denial verbs count
(``_DENIAL``): "en näe syytä jatkaa", "en jaksa elää", "ei hengitä" are not denials.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from triage import encoder
from triage.categories import CATEGORIES, Severity
from triage.lexicon import normalise

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "backstop_data"
NLU_DIR = ROOT / "data" / "nlu"
EVAL_DIR = ROOT / "tests" / "risk_eval"

NONE = "none"
BACKSTOP_CATEGORIES = tuple(c for c, meta in CATEGORIES.items() if meta.severity >= Severity.URGENT)
# Probability a category needs to be raised, per default severity of the category (chosen on out-of-fold
# predictions of the training data; see the module docstring).
# Out-of-fold (5-fold) on the training data, these give ~2 % (acute) and ~1.5 % (urgent) of the ordinary NLU
# negatives a signal, at an out-of-fold exemplar recall of ~39 % (acute) and ~35-45 % (urgent).
# Raised afterwards to 0.30 / 0.25 so that the dev split (backstop_data/dev_examples.yml, test_screening.py)
# stays quiet on its negatives.
CHAR_THRESHOLDS: dict[Severity, float] = {Severity.ACUTE: 0.30, Severity.URGENT: 0.25}
# Char and encoder probabilities averaged (see ``_scores``); chosen like the above, see docs/benchmarks.md.
THRESHOLDS: dict[Severity, float] = {Severity.ACUTE: 0.35, Severity.URGENT: 0.30}
ENCODER_C = 64.0
HARD_NEGATIVE_WEIGHT = 20.0
# Char n-grams are unreliable on very short messages ("tapan aikaa", "en halua kuolla"): the patterns alone
# screen messages of fewer words than this.
MIN_WORDS = 5

# Words after a negator that make the clause a denial ("en ole", "ei oo koskaan", "en aio", "i am not").
_DENIAL = frozenset(
    ["ole", "oo", "olla", "ollut", "olleet", "aio", "aijo", "aikonut", "koskaan", "ikina",
    "ajattele", "ajatellut", "mieti", "miettinyt", "suunnittele", "suunnitellut", "tee", "tehnyt",
    "kayta", "kayttanyt", "juo", "juonut", "ota", "ottanut", "am", "is", "ar", "har"]
)
_CLAUSE = re.compile(r"[.!?;:\n,]+|\s(?:mutta|but|men|vaan)\s")
_TOKEN = re.compile(r"[\w']+")
_NLU_LINE = re.compile(r"^\s*-\s+(.+?)\s*$")
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def _negators() -> frozenset[str]:
    from triage.screening import _NEGATORS  # late import: screening imports this module

    return _NEGATORS


def _denied(clause: str) -> bool:
    """True when a negator is followed (directly, or after 'mulla'/'minulla') by a denial verb."""
    tokens = [t.replace("'", "") for t in _TOKEN.findall(clause)]
    negators = _negators()
    for i, token in enumerate(tokens):
        if token in negators:
            rest = [t for t in tokens[i + 1:i + 3] if t not in ("mulla", "minulla", "ma", "mina", "i")]
            if (rest and rest[0] in _DENIAL) or (i and tokens[i - 1] in _DENIAL):  # "jag ar inte ..."
                return True
    return False


def _without_denials(norm: str, original: str | None = None) -> str:
    """``norm`` without its denied clauses; with ``original`` (same length), the same clauses as written."""
    source = original if original is not None and len(original) == len(norm) else norm
    spans, start = [], 0
    for match in _CLAUSE.finditer(norm):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(norm)))
    return " , ".join(source[a:b] for a, b in spans if norm[a:b].strip() and not _denied(norm[a:b]))


def _eval_texts() -> set[str]:
    texts: set[str] = set()
    for path in sorted(EVAL_DIR.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            texts.add(normalise(item["text"]).strip())
    return texts


def _nlu_negatives() -> list[str]:
    lines: list[str] = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            match = _NLU_LINE.match(raw)
            if match and not raw.lstrip().startswith("- intent") and ":" not in match.group(1)[:12]:
                lines.append(_ENTITY.sub(r"\1", match.group(1)))
    return lines


def _training_items() -> list[tuple[str, str, bool]]:
    """(original text, label, written for the backstop) triples; deterministic order. The char model sees the
    texts normalised, the encoder as written (its tokenizer knows "ä"; "a" for "ä" changes the word). The
    flag is False only for the NLU lines (ordinary negatives)."""
    from triage.screening import pattern_assessment  # late import: screening imports this module

    items: list[tuple[str, str, bool]] = []
    held_out = _eval_texts()
    for path in sorted(DATA_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for category, sentences in (data.get("positives") or {}).items():
            if category not in CATEGORIES:
                raise ValueError(f"{path.name}: {category} is not a category")
            if category not in BACKSTOP_CATEGORIES:
                continue  # concern-level dev examples (not_coping, digital_exclusion): patterns only
            items += [(t, category, True) for t in sentences if normalise(t).strip() not in held_out]
        negatives = data.get("negatives") or []
        items += [(t, NONE, True) for t in negatives if normalise(t).strip() not in held_out]
    for line in _nlu_negatives():
        if normalise(line).strip() in held_out or pattern_assessment(line).signals:
            continue
        items.append((line, NONE, False))
    return items


def training_data() -> tuple[list[str], list[str]]:
    """(normalised texts, labels); deterministic order."""
    items = _training_items()
    return [normalise(t) for t, _, _ in items], [label for _, label, _ in items]


def make_model() -> tuple[TfidfVectorizer, LogisticRegression]:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    model = LogisticRegression(C=30.0, class_weight="balanced", solver="liblinear")
    return vectorizer, model


@functools.lru_cache(maxsize=1)
def _model() -> tuple[TfidfVectorizer, LogisticRegression]:
    texts, labels = training_data()
    vectorizer, model = make_model()
    model.fit(vectorizer.fit_transform(texts), labels)
    return vectorizer, model


@functools.lru_cache(maxsize=1)
def _encoder_model() -> LogisticRegression | None:
    """Logistic regression on sentence embeddings (``triage.encoder``), same data and labels as the char
    model; None when the encoder cannot be loaded or ``TRIAGE_ENCODER=0`` (then char n-grams alone, with
    their own thresholds)."""
    if os.environ.get("TRIAGE_ENCODER", "1") == "0" or not encoder.available():
        return None
    items = _training_items()
    labels = [label for _, label, _ in items]
    counts = {label: labels.count(label) for label in set(labels)}
    # "balanced" weights, except that a hand-written hard negative ("lapsi on nälkäinen ennen ruokaa") weighs
    # HARD_NEGATIVE_WEIGHT times an ordinary NLU line: with ~1,800 negatives against ~20-60 positives per
    # category, balanced weights drown the few look-alikes, and the encoder's smooth space then puts them
    # on the side of their risky neighbours.
    balanced = {label: len(labels) / (len(counts) * count) for label, count in counts.items()}
    weights = [  # per training item
        balanced[label] * (HARD_NEGATIVE_WEIGHT if hard and label == NONE else 1.0)
        for _, label, hard in items
    ]
    model = LogisticRegression(C=ENCODER_C, max_iter=5000)
    model.fit(encoder.embed_many([t for t, _, _ in items]), labels, sample_weight=weights)
    return model


def thresholds() -> dict[Severity, float]:
    """The thresholds in force: combined char + encoder scores, or the char model's alone."""
    return THRESHOLDS if _encoder_model() is not None else CHAR_THRESHOLDS


def _as_written(norm: str, original: str | None) -> str:
    """``original`` with the characters blanked in ``norm`` (masked or dropped spans) blanked too; the encoder
    wants the text as written ("ä", capitals), ``normalise`` keeps every character's position."""
    if original is None or len(original) != len(norm):
        return norm
    return "".join(" " if n == " " and o != " " else o for n, o in zip(norm, original, strict=True))


def _scores(norm: str, original: str | None = None) -> np.ndarray:
    """Per class of the char model (``classes_`` order): char probability, averaged with the encoder's."""
    vectorizer, model = _model()
    char = model.predict_proba(vectorizer.transform([norm]))[0]
    enc_model = _encoder_model()
    if enc_model is None:
        return char
    enc = enc_model.predict_proba(encoder.embed(_as_written(norm, original))[None, :])[0]
    return (char + enc) / 2  # same labels, so both models' classes_ are in the same (sorted) order


def probabilities(text: str) -> dict[str, float]:
    """Score per backstop category for one message (denied clauses removed for acute categories)."""
    _, model = _model()
    norm = normalise(text)
    kept = _without_denials(norm)
    full = _scores(norm, text)
    if kept == norm:
        denied = full
    elif kept.strip():
        denied = _scores(kept, _without_denials(norm, text))
    else:
        denied = np.zeros_like(full)
    classes = list(model.classes_)
    out: dict[str, float] = {}
    for category in BACKSTOP_CATEGORIES:
        row = denied if CATEGORIES[category].severity is Severity.ACUTE else full
        out[category] = float(row[classes.index(category)])
    return out


def reaches_threshold(norm: str, category: str, original: str | None = None) -> bool:
    """Whether already-normalised text (e.g. with harmless words blanked) still reaches the category's
    threshold. Used by ``triage.screening`` to veto a signal whose evidence lies only in harmless words.
    ``original``: the message as written, same length, so the encoder sees the unmasked words with "ä"."""
    if not norm.strip():
        return False
    _, model = _model()
    probability = _scores(norm, original)[list(model.classes_).index(category)]
    return bool(probability >= thresholds()[CATEGORIES[category].severity])


def backstop_signals(text: str, index: int) -> tuple:
    """``RiskSignal``s for the categories whose probability reaches the threshold of their severity.

    Severity is the category's default; the quote is the message (cut to ``MAX_QUOTE``), since a classifier
    has no matched span.
    """
    from triage.screening import MAX_QUOTE, RiskSignal  # late import: screening imports this module

    if not text or len(_TOKEN.findall(text)) < MIN_WORDS:
        return ()
    probs = probabilities(text)
    limits = thresholds()
    signals = []
    for category in sorted(probs, key=lambda c: (-probs[c], c)):
        severity = CATEGORIES[category].severity
        if probs[category] >= limits[severity]:
            signals.append(RiskSignal(category, severity, text.strip()[:MAX_QUOTE], index))
    return tuple(signals)


_WARM_UP_LOCK = threading.Lock()


def warm_up() -> None:
    """Train now (otherwise the first screened message pays the training time): char model, encoder load and
    its training embeddings (cached on disk after the first start). Safe to call from several threads."""
    with _WARM_UP_LOCK:
        _model()
        _encoder_model()


__all__ = [
    "BACKSTOP_CATEGORIES", "THRESHOLDS", "backstop_signals", "probabilities", "reaches_threshold", "warm_up",
]
