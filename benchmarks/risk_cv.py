"""Grouped-by-writer cross-validation of the learned risk screen: the figure that predicts the next blind set.

    .venv/bin/python -m benchmarks.risk_cv            # with the sentence encoder
    TRIAGE_ENCODER=0 .venv/bin/python -m benchmarks.risk_cv   # char n-grams alone

Every corpus writer is one fold (the NLU intents are spread over the folds): each fold's model never saw a
sentence of the writer it is scored on. Printed per writer, at the thresholds chosen on these same
out-of-fold predictions (``triage.learned.choose_thresholds``): acute recall of the crisis card, of the card
or the direct question, and the right category among cards; then false crisis cards and direct questions on
ordinary questions and hard negatives. The learned screen alone, without patterns and vetoes: what it adds
to them is measured on the blind conversations (``benchmarks.risk_conversations``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from triage import learned  # noqa: E402
from triage.train import pattern_acute  # noqa: E402
from triage.training_data import load_examples  # noqa: E402


def _pct(mask: np.ndarray) -> str:
    return f"{int(mask.sum())}/{mask.size} = {mask.mean():.1%}" if mask.size else "-"


def main() -> int:
    examples = load_examples()
    use_encoder = learned.encoder_wanted()
    started = time.perf_counter()
    model, oof = learned.train(examples, "cv", use_encoder, pattern_acute(examples))
    seconds = time.perf_counter() - started
    labels = np.array([e.label for e in examples])
    kinds = np.array([e.kind for e in examples])
    writers = np.array([e.writer.split(":")[0] for e in examples])
    clarity = np.array([e.clarity for e in examples])
    limits = model.thresholds
    acute = learned.acute_sum(oof)
    acute_columns = [learned.CLASSES.index(c) for c in learned.ACUTE]
    predicted = np.array(learned.ACUTE)[oof[:, acute_columns].argmax(axis=1)]
    is_acute = np.isin(labels, learned.ACUTE)
    card, ask = acute >= limits["acute_card"], acute >= limits["acute_ask"]

    print(f"examples: {len(examples)}, writers: {len(set(writers))}, encoder: {use_encoder}, "
          f"trained with cross-validation in {seconds:.0f} s")
    print(f"thresholds (chosen on these out-of-fold predictions): {limits}\n")
    print("| writer | acute | crisis card | card or question | right category (cards) |")
    print("|---|---|---|---|---|")
    for writer in [*sorted(set(writers[is_acute])), "all"]:
        rows = is_acute & ((writers == writer) if writer != "all" else True)
        print(f"| {writer} | {int(rows.sum())} | {_pct(card[rows])} | {_pct(ask[rows])} | "
              f"{_pct(predicted[rows & card] == labels[rows & card])} |")
    for level in ("clear", "unclear"):
        rows = is_acute & (clarity == level)
        print(f"| acute, {level} to a careful worker | {int(rows.sum())} | {_pct(card[rows])} | "
              f"{_pct(ask[rows])} | {_pct(predicted[rows & card] == labels[rows & card])} |")
    urgent = np.isin(labels, learned.URGENT)
    urgent_hit = np.array([oof[i, learned.CLASSES.index(labels[i])] >= limits["urgent"]
                           for i in np.flatnonzero(urgent)])
    print(f"\nurgent categories raised (own category at the urgent threshold): {_pct(urgent_hit)}")
    print("\n| negatives | n | false crisis card | false direct question |\n|---|---|---|---|")
    for kind in ("ordinary", "hard_negative"):
        rows = kinds == kind
        print(f"| {kind} | {int(rows.sum())} | {_pct(card[rows])} | {_pct(ask[rows] & ~card[rows])} |")
    caught = pattern_acute(examples)
    confirm = limits.get("pattern_confirm", 0.0)
    print(f"\npattern_confirm {confirm}: acute pattern hits the learned screen would ask about instead")
    groups = (("acute examples", is_acute & caught), ("hard negatives", (kinds == "hard_negative") & caught),
              ("ordinary", (kinds == "ordinary") & caught))
    for name, rows in groups:
        print(f"  {name} the patterns raise as acute: {int(rows.sum())}, demoted to the question: "
              f"{_pct(acute[rows] < confirm)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
