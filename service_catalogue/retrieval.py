"""Catalogue retrieval: rank the services for what a resident wrote, in Finnish, Swedish or English.

The catalogue is the model. Each entry's name, summary, example questions and everyday words are indexed;
a new or edited entry is findable as soon as the catalogue reloads, without training anything.

Two views of the text, fused into one score per service:

* **lexical**: TF-IDF over word features (Voikko lemmas and compound parts, the spoken-form map, folded
  surface forms) and character n-grams (typos, compounds Voikko does not know: "omakelsasa"), one document
  per service. TF-IDF with sublinear term frequency behaves like BM25 on documents this short and is a
  maintained implementation (scikit-learn, already a Rasa dependency).
* **dense**: the multilingual sentence encoder the risk screen ships (``triage.encoder``), as the best
  cosine between the message and any of the service's phrases; it carries paraphrases and the other
  languages ("my mother can't cope at home" near "äiti ei pärjää kotona").

Phrase embeddings are cached by text (in memory, and on disk by ``triage.encoder.embed_many``), so a reload
embeds only new or changed phrases. Where the encoder cannot load, ranking is lexical alone.

How the scores become an answer, a clarifying question or nothing is ``service_catalogue.routing``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from service_catalogue.loader import Catalogue
from service_catalogue.models import Service

# One normalisation for the whole project (lower case, Nordic letters folded: residents type "paivystys").
from triage.text import normalise

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+", re.UNICODE)
# Weights of the fused score: word features, character n-grams, sentence encoder. Chosen on the catalogue's
# own example questions held out one at a time (benchmarks/routing_benchmark.py --calibrate), never on a
# blind set; differences between nearby weights were within a point or two.
WORD_WEIGHT = 0.25
CHAR_WEIGHT = 0.45
DENSE_WEIGHT = 0.30
# The dense score of a service is the mean of its DENSE_TOP_K best phrase cosines: one lucky phrase counts
# less than several that agree.
DENSE_TOP_K = 3
# e5 cosines of unrelated short texts are high: chit-chat and out-of-scope lines of the NLU data reach a
# median of 0.87 against their best service, and 0.85 at the 5th percentile. Below the floor is no evidence.
DENSE_FLOOR = 0.85


def _name_key(text: str) -> str:
    return " ".join(normalise(text).split())


@lru_cache(maxsize=50_000)
def _word_features(word: str) -> tuple[str, ...]:
    """A word's lexical features: its folded form, its lemma and the lemmas of its compound parts."""
    from finnish_nlu.lemmatizer import lemma
    from finnish_nlu.voikko_analyser import analyse

    features = {normalise(word)}
    base = lemma(word)
    features.add(normalise(base))
    for analysis in analyse(word)[:1]:
        # WORDBASES "+lesken(leski)+eläke(eläke)": the parts' base forms; "+u(+u)" is a suffix, not a part.
        for base_form in re.findall(r"\+[^+(]+\(([^)]*)\)", analysis.get("WORDBASES", "")):
            if not base_form.startswith("+") and len(base_form) > 2:
                features.add(normalise(base_form))
    return tuple(sorted(features))


def word_features(text: str) -> list[str]:
    return [feature for word in _WORD.findall(text) for feature in _word_features(word.lower())]


def service_phrases(service: Service) -> list[str]:
    """Every text of an entry that says what it is for, in all languages (duplicates removed)."""
    texts = [service.name.fi, service.name.sv, service.name.en,
             service.summary.fi, service.summary.sv, service.summary.en]
    for phrases in (service.example_questions, service.everyday_words):
        if phrases is not None:
            texts.extend(text for _lang, text in phrases.all())
    return list(dict.fromkeys(" ".join(t.split()) for t in texts if t and t.strip()))


@dataclass(frozen=True)
class Match:
    service: Service
    score: float  # fused: lexical + dense
    lexical: float  # weighted share of the word and character views
    dense: float  # weighted share of the sentence encoder


class _PhraseEmbeddings:
    """Embeddings of catalogue phrases, kept across reloads so an edit embeds only what changed."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._failed = False

    def get(self, phrases: Sequence[str]) -> np.ndarray | None:
        if self._failed:
            return None
        with self._lock:
            missing = [p for p in dict.fromkeys(phrases) if p not in self._vectors]
            if missing:
                try:
                    from triage.encoder import embed_many

                    for phrase, vector in zip(missing, embed_many(missing), strict=True):
                        self._vectors[phrase] = vector
                except Exception:  # the encoder is optional: lexical retrieval still works
                    log.exception("catalogue retrieval runs lexical only: the sentence encoder failed")
                    self._failed = True
                    return None
            return np.vstack([self._vectors[p] for p in phrases]) if phrases else None


_EMBEDDINGS = _PhraseEmbeddings()


def _embed_query(text: str) -> np.ndarray | None:
    try:
        from triage.encoder import embed

        return embed(text)
    except Exception:
        log.exception("could not embed the message; lexical retrieval only")
        return None


class ServiceIndex:
    """The ranking over one version of the catalogue's services. Immutable; build a new one on reload."""

    def __init__(self, services: Iterable[Service], *, dense: bool = True) -> None:
        self.services: list[Service] = sorted(services, key=lambda s: s.id)
        self._phrases = [service_phrases(s) for s in self.services]
        self._by_name = {_name_key(name): service for service in self.services
                         for name in (service.name.fi, service.name.sv, service.name.en) if name}
        self._words = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, norm="l2")
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=normalise,
                                      sublinear_tf=True, norm="l2")
        documents = [" ".join(phrases) for phrases in self._phrases]
        self._word_matrix = self._words.fit_transform(documents)
        self._char_matrix = self._chars.fit_transform(documents)
        # dense: one row per phrase, and which service each row belongs to
        flat = [phrase for phrases in self._phrases for phrase in phrases]
        self._phrase_texts = np.asarray(flat, dtype=object)
        owner = np.asarray([i for i, phrases in enumerate(self._phrases) for _ in phrases])
        self._rows_of_service = [np.flatnonzero(owner == i) for i in range(len(self.services))]
        self._phrase_matrix = _EMBEDDINGS.get(flat) if dense and flat else None

    def named(self, text: str) -> Service | None:
        """The service whose name in some language is ``text`` (what a clarifying button sends)."""
        return self._by_name.get(_name_key(text))

    @property
    def dense(self) -> bool:
        return self._phrase_matrix is not None

    def _lexical(self, text: str, held_out: str | None) -> np.ndarray:
        word_query = self._words.transform([text])
        char_query = self._chars.transform([text])
        words = (self._word_matrix @ word_query.T).toarray().ravel()
        chars = (self._char_matrix @ char_query.T).toarray().ravel()
        if not self.dense:  # lexical alone: the two views share the dense view's weight
            total = WORD_WEIGHT + CHAR_WEIGHT
            return (WORD_WEIGHT * words + CHAR_WEIGHT * chars) / total
        if held_out is not None:
            # Calibration: score the held-out example against its service's document without it.
            for position, phrases in enumerate(self._phrases):
                if held_out in phrases:
                    document = " ".join(p for p in phrases if p != held_out)
                    words[position] = (self._words.transform([document]) @ word_query.T).toarray()[0, 0]
                    chars[position] = (self._chars.transform([document]) @ char_query.T).toarray()[0, 0]
        return WORD_WEIGHT * words + CHAR_WEIGHT * chars

    def _dense(self, text: str, held_out: str | None) -> np.ndarray:
        query = _embed_query(text) if self._phrase_matrix is not None else None
        if query is None or self._phrase_matrix is None:
            return np.zeros(len(self.services), np.float32)
        cosines = self._phrase_matrix @ query
        if held_out is not None:
            cosines = np.where(self._phrase_texts == held_out, -1.0, cosines)
        best = np.array([np.sort(cosines[rows])[-DENSE_TOP_K:].mean() for rows in self._rows_of_service])
        return DENSE_WEIGHT * np.clip((best - DENSE_FLOOR) / (1.0 - DENSE_FLOOR), 0.0, 1.0)

    def rank(
        self,
        text: str,
        *,
        allowed: set[str] | None = None,
        boost: dict[str, float] | None = None,
        limit: int = 5,
        held_out: str | None = None,
    ) -> list[Match]:
        """Services for ``text``, best first. ``allowed`` restricts to those ids (area filter); ``boost``
        adds to some ids' fused score (target group, topic hint); ``held_out`` (calibration only) is a
        catalogue phrase that must not count as evidence, normally ``text`` itself."""
        if not text or not text.strip():
            return []
        held = " ".join(held_out.split()) if held_out else None
        lexical = self._lexical(text, held)
        dense = self._dense(text, held)
        fused = lexical + dense  # both already weighted
        matches = []
        for position, service in enumerate(self.services):
            if allowed is not None and service.id not in allowed:
                continue
            score = float(fused[position]) + (boost or {}).get(service.id, 0.0)
            matches.append(Match(service, score, float(lexical[position]), float(dense[position])))
        matches.sort(key=lambda m: (-m.score, m.service.id))
        return matches[:limit]


def catalogue_fingerprint(services: Iterable[Service]) -> str:
    """Hash of the services' content: the same content gives the same index."""
    digest = hashlib.sha256()
    for service in sorted(services, key=lambda s: s.id):
        digest.update(json.dumps(service.dict(), sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


class _IndexCache:
    """One index per process, for the catalogue object the store hands out; a reloaded catalogue with the
    same services (only the county profile changed, say) keeps its index."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._catalogue: object | None = None
        self._key: str | None = None
        self._index: ServiceIndex | None = None

    def get(self, catalogue: Catalogue) -> ServiceIndex:
        with self._lock:
            if self._index is not None and self._catalogue is catalogue:
                return self._index
            services = list(catalogue.services.values())
            key = catalogue_fingerprint(services)
            if self._index is None or key != self._key:
                self._index = ServiceIndex(services)
                self._key = key
            self._catalogue = catalogue
            return self._index


_INDEXES = _IndexCache()


def index_for(catalogue: Catalogue) -> ServiceIndex:
    """The retrieval index of this catalogue version (built on first use after a reload)."""
    return _INDEXES.get(catalogue)
