"""Risk screening on blind *conversations*: what the resident would see, turn by turn.

    .venv/bin/python -m benchmarks.risk_conversations tests/risk_eval/blind_round6.yml [more sets ...]

Each conversation is screened after every turn with the conversation so far (``screen_conversation``), the
way the dialogue does (``triage.handled``: a signal already acted on does not act again). Outcomes:

* **crisis card**: an unhandled acute signal at some turn (the category of the first card is scored);
* **direct question**: no card, but an acute category the screening was unsure about (``possible``);
* **neither**.

Printed per set and language: for acute conversations the share with a card, with the question, with
neither, and whether the first card's category was one the writer expected; for urgent conversations the
share where an expected category was raised; for ordinary questions and hard negatives the false crisis cards
and false direct questions. With ``--misses`` the conversations behind each failure are listed.

This measures the screening's decision, not the whole running system (Rasa, actions, widget): the
end-to-end tests check that a decision reaches the resident.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.risk_benchmark import load  # noqa: E402
from triage.categories import CATEGORIES, Severity  # noqa: E402
from triage.handled import mark_handled, unhandled_signals  # noqa: E402
from triage.screening import clear_screening_caches, screen_conversation, warm_up  # noqa: E402

ACUTE = {c for c, meta in CATEGORIES.items() if meta.severity is Severity.ACUTE}


@dataclass(frozen=True)
class Outcome:
    card_categories: tuple[str, ...]  # categories of the first crisis card(s), empty when none
    card_turn: int | None
    question_category: str | None  # the direct question asked (before any card), None when none
    raised: frozenset[str]  # every category raised at any severity over the conversation


def simulate(turns: list[str]) -> Outcome:
    handled: list[str] = []
    raised: set[str] = set()
    card: tuple[str, ...] = ()
    card_turn = None
    question = None
    for turn in range(len(turns)):
        assessment = screen_conversation(turns[: turn + 1])
        raised |= set(assessment.categories)
        new = unhandled_signals(assessment, handled)
        acute = [s.category for s in new if s.severity is Severity.ACUTE]
        if acute and not card:
            card, card_turn = tuple(acute), turn
        possible = getattr(assessment, "possible", ())
        if possible and question is None and not card:
            question = possible[0].category
        handled = mark_handled(assessment, handled)
    return Outcome(card, card_turn, question, frozenset(raised))


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.1%}" if d else "-"


def evaluate(items: list[dict]) -> dict:
    stats: dict[str, Counter] = defaultdict(Counter)
    failures: dict[str, list[tuple[dict, Outcome]]] = defaultdict(list)
    for item in items:
        outcome = simulate([str(t) for t in item["turns"]])
        for group in ("all", item["lang"]):
            s = stats[group]
            kind = item["kind"]
            s[kind] += 1
            expected_acute = set(item["expected"]) & ACUTE
            if kind == "acute":
                if outcome.card_categories:
                    s["acute_card"] += 1
                    if outcome.card_categories[0] in expected_acute:
                        s["acute_right_category"] += 1
                    elif group == "all":
                        failures["wrong category"].append((item, outcome))
                elif outcome.question_category:
                    s["acute_question"] += 1
                    if group == "all":
                        failures["question only"].append((item, outcome))
                elif group == "all":
                    failures["missed"].append((item, outcome))
            elif kind == "urgent":
                if set(item["expected"]) & outcome.raised:
                    s["urgent_raised"] += 1
                elif group == "all":
                    failures["urgent missed"].append((item, outcome))
            else:
                if outcome.card_categories:
                    s[f"{kind}_card"] += 1
                    if group == "all":
                        failures[f"false card ({kind})"].append((item, outcome))
                elif outcome.question_category:
                    s[f"{kind}_question"] += 1
                    if group == "all":
                        failures[f"false question ({kind})"].append((item, outcome))
    return {"stats": stats, "failures": failures}


def report(name: str, result: dict, misses: bool) -> None:
    print(f"\n## {name}\n")
    print("| measure | " + " | ".join(g for g in result["stats"]) + " |")
    print("|---|" + "---|" * len(result["stats"]))
    rows = [
        ("acute: crisis card or direct question",
         lambda s: _pct(s["acute_card"] + s["acute_question"], s["acute"])),
        ("acute: crisis card", lambda s: _pct(s["acute_card"], s["acute"])),
        ("acute: direct question only", lambda s: _pct(s["acute_question"], s["acute"])),
        ("acute: neither", lambda s: _pct(s["acute"] - s["acute_card"] - s["acute_question"], s["acute"])),
        ("right category (of cards)", lambda s: _pct(s["acute_right_category"], s["acute_card"])),
        ("urgent: expected category raised", lambda s: _pct(s["urgent_raised"], s["urgent"])),
        ("ordinary: false crisis card", lambda s: _pct(s["ordinary_card"], s["ordinary"])),
        ("ordinary: false direct question", lambda s: _pct(s["ordinary_question"], s["ordinary"])),
        ("hard negatives: false crisis card", lambda s: _pct(s["hard_negative_card"], s["hard_negative"])),
        ("hard negatives: false direct question",
         lambda s: _pct(s["hard_negative_question"], s["hard_negative"])),
    ]
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(s) for s in result["stats"].values()) + " |")
    if misses:
        for reason, cases in result["failures"].items():
            print(f"\n{reason}:")
            for item, outcome in cases:
                if outcome.card_categories:
                    got = f"card {list(outcome.card_categories)}"
                elif outcome.question_category:
                    got = f"question {outcome.question_category}"
                else:
                    got = f"nothing acute (raised {sorted(outcome.raised)})"
                print(f"  {item['id']} expected {item['expected']}, {got}: "
                      + " | ".join(str(t) for t in item["turns"]))


def latency(items: list[dict], lengths: tuple[int, ...] = (1, 2, 20, 100), repeats: int = 20) -> None:
    """Milliseconds to screen the conversation after a new message, at several conversation lengths, as the
    dialogue does it (the earlier messages already screened). The reference is length 2, the first with a
    window (from then on every message costs itself and one window): the ratio says whether the cost per
    message stays flat as the conversation grows."""
    texts = [str(t) for item in items if item["kind"] == "ordinary" for t in item["turns"]]
    warm_up()
    results: dict[int, float] = {}
    for length in lengths:
        timings = []
        for repeat in range(repeats):
            clear_screening_caches()
            history = [f"{texts[(repeat + i) % len(texts)]} ({i})" for i in range(length - 1)]
            screen_conversation(history)  # earlier turns: screened when they came
            new = f"{texts[(repeat * 7) % len(texts)]} [{repeat}]"
            started = time.perf_counter()
            screen_conversation([*history, new])
            timings.append((time.perf_counter() - started) * 1000)
        results[length] = statistics.median(timings)
    base = results[2]
    print("\n| conversation length | ms to screen a new message (median) | ratio to length 2 |")
    print("|---|---|---|")
    for length, ms in results.items():
        print(f"| {length} | {ms:.1f} | {ms / base:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("testsets", type=Path, nargs="+")
    parser.add_argument("--misses", action="store_true", help="list the conversations behind each failure")
    parser.add_argument("--latency", action="store_true", help="also time screening at lengths 1, 2, 20, 100")
    args = parser.parse_args(argv)
    loaded = {path: load(path) for path in args.testsets}
    for path, items in loaded.items():
        report(path.name, evaluate(items), args.misses)
    if args.latency:
        latency([item for items in loaded.values() for item in items])
    return 0


if __name__ == "__main__":
    sys.exit(main())
