"""Risk screening benchmark on the held-out test set.

    .venv/bin/python benchmarks/risk_benchmark.py            # print figures and misses
    .venv/bin/python benchmarks/risk_benchmark.py --check    # also exit 1 when a target is missed
    .venv/bin/python benchmarks/risk_benchmark.py --testset tests/risk_eval/blind_round4.yml   # blind sets
    .venv/bin/python benchmarks/risk_benchmark.py --testset tests/risk_eval/blind_round5.yml
    .venv/bin/python benchmarks/risk_benchmark.py --compare  # patterns only vs patterns + learned screen

Single messages (the earlier sets; the blind conversations are ``benchmarks.risk_conversations``). The
figures and misses are for ``screen_message`` (patterns + learned screen, ``triage.learned``);
``--patterns-only`` measures the hand-written patterns alone. The learned screen averages a char n-gram model
and a sentence encoder (``triage.encoder``); ``TRIAGE_ENCODER=0`` measures the char n-gram model alone (as
before the encoder). ``--compare`` times with the embedding and screening caches cleared: "ms per message" is
for unseen messages.

Targets: 100 % recall on acute categories; at most 3 % false alarms on ordinary service questions.
A false alarm is *any* signal on a message that expects none; acute-level false alarms are shown apart,
because those are the ones that interrupt a resident with a crisis card.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from triage.categories import CATEGORIES, Severity  # noqa: E402
from triage.encoder import embed  # noqa: E402
from triage.screening import clear_screening_caches, pattern_assessment, screen_message  # noqa: E402

DEFAULT_TESTSET = ROOT / "tests" / "risk_eval" / "risk_testset.yml"
ACUTE_RECALL_TARGET = 1.0
ORDINARY_FALSE_ALARM_TARGET = 0.03


def load(path: Path) -> list[dict]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in items:
        unknown = set(item["expected"]) - set(CATEGORIES)
        if unknown:
            where = item.get("id") or repr(item.get("text"))
            raise ValueError(f"{path.name}: unknown categories {unknown} in {where}")
    return items


def run(items: list[dict], screen=screen_message) -> dict:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses: list[tuple[str, str, list[str]]] = []
    alarms: dict[str, list[tuple[str, list[str]]]] = {"ordinary": [], "hard_negative": []}
    acute_alarms: Counter[str] = Counter()
    counts: Counter[str] = Counter(item["kind"] for item in items)
    extra = 0
    asked: Counter[str] = Counter()  # acute positives not raised but asked about (the direct question)
    for item in items:
        assessment = screen(item["text"])
        found = set(assessment.categories)
        possible = {p.category for p in assessment.possible}
        for category in item["expected"]:
            totals[category] += 1
            if category in found:
                hits[category] += 1
            else:
                asked[category] += category in possible
                misses.append((category, item["text"], sorted(found)))
        if item["expected"]:
            extra += bool(found - set(item["expected"]))
        elif found:
            alarms[item["kind"]].append((item["text"], sorted(found)))
            if assessment.severity is Severity.ACUTE:
                acute_alarms[item["kind"]] += 1
    acute_ids = [c for c, cat in CATEGORIES.items() if cat.severity is Severity.ACUTE]
    acute_total = sum(totals[c] for c in acute_ids)
    return {
        "hits": hits, "totals": totals, "misses": misses, "alarms": alarms, "counts": counts,
        "acute_alarms": acute_alarms, "extra": extra,
        "acute_recall": sum(hits[c] for c in acute_ids) / acute_total if acute_total else 1.0,
        "acute_card_or_question": (sum(hits[c] + asked[c] for c in acute_ids) / acute_total
                                   if acute_total else 1.0),
        "ordinary_fa": len(alarms["ordinary"]) / counts["ordinary"] if counts["ordinary"] else 0.0,
        "hard_fa": len(alarms["hard_negative"]) / counts["hard_negative"] if counts["hard_negative"] else 0.0,
    }


def report(result: dict) -> None:
    counts = result["counts"]
    print(f"messages: {sum(counts.values())} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
    print("\nrecall per category:")
    for category, meta in CATEGORIES.items():
        total = result["totals"][category]
        if total:
            hit = result["hits"][category]
            print(f"  {category:30} {meta.severity.name:8} {hit:3}/{total:<3} {hit / total:6.1%}")
    all_hits, all_total = sum(result["hits"].values()), sum(result["totals"].values())
    print(f"\nacute recall:                     {result['acute_recall']:.1%}")
    print(f"acute, card or direct question:   {result['acute_card_or_question']:.1%}")
    print(f"overall recall:                   {all_hits}/{all_total} = {all_hits / all_total:.1%}")
    print(f"false alarms, ordinary questions: {len(result['alarms']['ordinary'])}/{counts['ordinary']} = "
          f"{result['ordinary_fa']:.1%} (acute-level {result['acute_alarms']['ordinary']})")
    hard = result["alarms"]["hard_negative"]
    print(f"false alarms, hard negatives:     {len(hard)}/{counts['hard_negative']} = "
          f"{result['hard_fa']:.1%} (acute-level {result['acute_alarms']['hard_negative']})")
    print(f"positives with an extra category: {result['extra']}")
    if result["misses"]:
        print("\nmisses:")
        for category, text, found in result["misses"]:
            print(f"  [{category}] {text!r} -> {found}")
    for kind in ("ordinary", "hard_negative"):
        if result["alarms"][kind]:
            print(f"\nfalse alarms ({kind}):")
            for text, found in result["alarms"][kind]:
                print(f"  {text!r} -> {found}")


def compare(items: list[dict]) -> None:
    """Patterns only vs patterns + learned screen, side by side, with ms per message."""
    rows = []
    for name, screen in (("patterns only", pattern_assessment), ("patterns + learned", screen_message)):
        screen("warm up")  # loads the learned screen once, outside the timing
        embed.cache_clear()  # time unseen messages (the report above has already embedded these)
        clear_screening_caches()
        start = time.perf_counter()
        result = run(items, screen)
        ms = (time.perf_counter() - start) * 1000 / len(items)
        hits, total = sum(result["hits"].values()), sum(result["totals"].values())
        rows.append((name, result, hits, total, ms))
    print("\n| measure | " + " | ".join(r[0] for r in rows) + " |\n|---|---|---|")
    print("| acute recall | " + " | ".join(f"{r[1]['acute_recall']:.1%}" for r in rows) + " |")
    print("| acute, card or direct question | "
          + " | ".join(f"{r[1]['acute_card_or_question']:.1%}" for r in rows) + " |")
    print("| overall recall | " + " | ".join(f"{r[2]}/{r[3]} = {r[2] / r[3]:.1%}" for r in rows) + " |")
    for kind, key in (("ordinary", "ordinary_fa"), ("hard_negative", "hard_fa")):
        print(f"| false alarms, {kind} | " + " | ".join(
            f"{len(r[1]['alarms'][kind])}/{r[1]['counts'][kind]} = {r[1][key]:.1%} "
            f"(acute-level {r[1]['acute_alarms'][kind]})" for r in rows) + " |")
    print("| positives with an extra category | " + " | ".join(str(r[1]["extra"]) for r in rows) + " |")
    print("| ms per message | " + " | ".join(f"{r[4]:.2f}" for r in rows) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--testset", type=Path, default=DEFAULT_TESTSET)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--patterns-only", action="store_true", help="patterns without the learned screen")
    parser.add_argument("--compare", action="store_true", help="patterns vs patterns + learned screen")
    parser.add_argument("--round", type=int, help="only the items of this round (round 1 has no 'round' key)")
    args = parser.parse_args(argv)
    items = load(args.testset)
    if args.round is not None:
        items = [item for item in items if item.get("round", 1) == args.round]
    result = run(items, pattern_assessment if args.patterns_only else screen_message)
    report(result)
    if args.compare:
        compare(items)
    failed = (
        result["acute_recall"] < ACUTE_RECALL_TARGET or result["ordinary_fa"] > ORDINARY_FALSE_ALARM_TARGET
    )
    if args.check and failed:
        print("\nTARGETS MISSED (acute recall 100 %, ordinary false alarms <= 3 %)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
