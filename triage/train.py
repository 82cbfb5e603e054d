"""Train the learned risk screen once and keep it where every process finds it.

    .venv/bin/python -m triage.train          # trains unless a model of the current data exists (make train)
    .venv/bin/python -m triage.train --force  # trains again

``current_model()`` is what the screening calls: the saved model whose fingerprint matches the current
training data and code, or (when there is none, e.g. a developer changed the corpus and did not run
``make train``) a model trained now and saved for the next process.
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys
import threading
from pathlib import Path

import numpy as np

from triage import encoder, learned
from triage.categories import Severity
from triage.patterns import cue_categories, not_a_person_at_risk, pattern_assessment
from triage.text import normalise
from triage.training_data import load_examples, source_fingerprint

log = logging.getLogger(__name__)
_LOCK = threading.Lock()


def fingerprint(use_encoder: bool) -> str:
    return source_fingerprint([encoder.model_id() if use_encoder else "no-encoder"])


def model_path(use_encoder: bool) -> Path:
    return learned.model_dir() / f"screen-{fingerprint(use_encoder)}.npz"


def pattern_acute(examples: list) -> np.ndarray:
    """Per example, whether the hand-written patterns raise an acute signal in it."""
    return np.array([pattern_assessment(e.text).severity is Severity.ACUTE for e in examples])


def cue_hits(examples: list) -> list[list[str]]:
    """Per example, the categories whose warning-sign cues the screening would ask about in it."""
    hits = []
    for example in examples:
        norm = normalise(example.text)
        hits.append([c for c, _ in cue_categories(norm) if not not_a_person_at_risk(c, norm)])
    return hits


def train_and_save(use_encoder: bool) -> learned.LearnedScreen:
    examples = load_examples()
    model, _ = learned.train(examples, fingerprint(use_encoder), use_encoder, pattern_acute(examples),
                             cue_hits(examples))
    model.save(model_path(use_encoder))
    return model


@functools.lru_cache(maxsize=1)
def _current(use_encoder: bool) -> learned.LearnedScreen:
    path = model_path(use_encoder)
    if path.exists():
        try:
            return learned.LearnedScreen.load(path)
        except (OSError, ValueError, KeyError):
            log.exception("could not read %s; training the learned screen again", path)
    log.warning("no learned screen for the current data at %s: training it now (run `make train`)", path)
    return train_and_save(use_encoder)


def current_model() -> learned.LearnedScreen:
    """The learned screen for the current data and settings; safe to call from several threads."""
    with _LOCK:
        return _current(learned.encoder_wanted())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="train even if a current model exists")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[triage] %(message)s")
    use_encoder = learned.encoder_wanted()
    path = model_path(use_encoder)
    if path.exists() and not args.force:
        print(f"[triage] learned screen is up to date ({path})")
        return 0
    model = train_and_save(use_encoder)
    print(f"[triage] learned screen saved to {path}; thresholds {model.thresholds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
