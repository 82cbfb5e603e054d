"""NLU benchmark: our Finnish pipeline against Rasa's default pipeline on the held-out test set.

    .venv/bin/python -m benchmarks.nlu_benchmark --seeds 1 2 3

Trains an NLU-only model per pipeline and seed on data/nlu/, parses every message of
tests/nlu_holdout/holdout.yml (written apart from the training data) and prints intent accuracy,
macro-F1, the share of messages under the clarifying-question threshold and parse latency. The
classifier is compared without the FallbackClassifier, so a low-confidence guess still counts as
right or wrong; the fallback share is reported separately. Results go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "nlu_holdout" / "holdout.yml"
RESULTS_DIR = ROOT / "benchmarks" / "results"

# Rasa 3.6's default pipeline (what `rasa init` writes, without ResponseSelector: no retrieval intents).
RASA_DEFAULT_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
]


@dataclass
class RunResult:
    pipeline: str
    seed: int
    accuracy: float
    macro_f1: float
    under_threshold: float
    parse_ms: float
    train_s: float
    errors: list[tuple[str, str, str]]


def load_holdout(path: Path) -> list[tuple[str, str]]:
    examples = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                examples.append((_strip_annotations(text), block["intent"]))
    return examples


def _strip_annotations(text: str) -> str:
    import re

    return re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", lambda m: m.group(1) or m.group(2), text)


def pipelines() -> dict[str, tuple[list[dict[str, Any]], float]]:
    """name -> (pipeline without FallbackClassifier, its fallback threshold)."""
    ours = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    result = {}
    for name, pipeline in (("ours", ours), ("rasa_default", RASA_DEFAULT_PIPELINE)):
        fallback = next((c for c in pipeline if c["name"] == "FallbackClassifier"), {"threshold": 0.0})
        result[name] = (
            [c for c in pipeline if c["name"] != "FallbackClassifier"],
            float(fallback["threshold"]),
        )
    return result


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = sorted({gold for gold, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def run_one(
    name: str,
    pipeline: list[dict[str, Any]],
    threshold: float,
    seed: int,
    holdout: list[tuple[str, str]],
    workdir: Path,
) -> RunResult:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    pipeline = copy.deepcopy(pipeline)
    for component in pipeline:
        if component["name"] == "DIETClassifier":
            component["random_seed"] = seed
    config = {"recipe": "default.v1", "language": "fi", "pipeline": pipeline, "assistant_id": "benchmark"}
    config_path = workdir / f"config_{name}_{seed}.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    started = time.perf_counter()
    model = train_nlu(
        str(config_path),
        str(ROOT / "data" / "nlu"),
        str(workdir),
        fixed_model_name=f"{name}_{seed}",
        domain=str(ROOT / "domain.yml"),
    )
    train_s = time.perf_counter() - started
    agent = Agent.load(model)

    async def parse_all() -> list[dict[str, Any]]:
        await agent.parse_message("lämmittely")  # the first parse builds the TensorFlow graph
        return [await agent.parse_message(text) for text, _ in holdout]

    started = time.perf_counter()
    parsed = asyncio.run(parse_all())
    parse_ms = (time.perf_counter() - started) * 1000 / len(holdout)

    pairs = [
        (gold, (p.get("intent") or {}).get("name") or "")
        for (_, gold), p in zip(holdout, parsed, strict=False)
    ]
    confidences = [(p.get("intent") or {}).get("confidence") or 0.0 for p in parsed]
    errors = [
        (text, gold, pred) for (text, gold), (_, pred) in zip(holdout, pairs, strict=False) if gold != pred
    ]
    return RunResult(
        pipeline=name,
        seed=seed,
        accuracy=sum(g == p for g, p in pairs) / len(pairs),
        macro_f1=macro_f1(pairs),
        under_threshold=sum(c < threshold for c in confidences) / len(confidences),
        parse_ms=parse_ms,
        train_s=train_s,
        errors=errors,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--pipelines", nargs="+", default=["ours", "rasa_default"])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()

    holdout = load_holdout(HOLDOUT)
    print(f"held-out set: {len(holdout)} messages, {len(set(i for _, i in holdout))} intents")
    results: list[RunResult] = []
    available = pipelines()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.pipelines:
            pipeline, threshold = available[name]
            for seed in args.seeds:
                result = run_one(name, pipeline, threshold, seed, holdout, Path(tmp))
                results.append(result)
                print(
                    f"{name:13} seed {seed}: accuracy {result.accuracy:.1%}  macro-F1 {result.macro_f1:.1%}  "
                    f"under threshold {result.under_threshold:.1%}  parse {result.parse_ms:.1f} ms  "
                    f"train {result.train_s:.0f} s",
                    flush=True,
                )

    print("\npipeline       accuracy  macro-F1  under-threshold  parse ms   (mean over seeds)")
    for name in args.pipelines:
        runs = [r for r in results if r.pipeline == name]
        print(
            f"{name:13}  {statistics.mean(r.accuracy for r in runs):8.1%}  "
            f"{statistics.mean(r.macro_f1 for r in runs):8.1%}  "
            f"{statistics.mean(r.under_threshold for r in runs):15.1%}  "
            f"{statistics.mean(r.parse_ms for r in runs):8.1f}"
        )
    for name in args.pipelines:
        confusions = Counter(
            (gold, pred) for r in results if r.pipeline == name for _, gold, pred in r.errors
        )
        print(
            f"\nmost common confusions, {name}: "
            + ", ".join(f"{g}->{p} ×{n}" for (g, p), n in confusions.most_common(8))
        )
        if args.show_errors:
            for r in results:
                if r.pipeline == name:
                    for text, gold, pred in r.errors:
                        print(f"  seed {r.seed}: {text!r} {gold} -> {pred}")

    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"nlu_{date.today().isoformat()}.json"
    out.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
