"""Routing benchmark: does a resident's question get the right service card in the first reply?

    .venv/bin/python -m benchmarks.routing_benchmark                 # blind sets, both designs side by side
    .venv/bin/python -m benchmarks.routing_benchmark --calibrate     # thresholds from the catalogue itself
    .venv/bin/python -m benchmarks.routing_benchmark --misses        # also list what went wrong

Designs, on the same questions in one run:

* **intent pipeline** (before catalogue retrieval): Rasa NLU's topic intent, then that topic's best three
  services (``service_catalogue.search.find_services``); ``nlu_fallback`` is a clarifying question with topic
  buttons, any other intent no card.
* **retrieval** (``service_catalogue.routing.route``): the catalogue ranked for the text, answer / clarify /
  nothing by the calibrated thresholds.
* **retrieval + intent hint**: the same with the NLU topic as a small boost (what the assistant runs).

A question is **right** when the service its writer named (or one in ``also_ok``) is among the cards of the
first reply; **wrong** when cards came but none of them is right; **clarify** when the reply is a question.
top-1 / top-3 are of the retrieval ranking. The blind sets (``tests/routing_eval``) were written by writers
who saw only a service list; see its README. ``--calibrate`` never reads them: it holds each of the
catalogue's own example questions out of the index in turn and searches the threshold grid for the most
right answers with at most 2 % wrong cards.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service_catalogue.loader import Catalogue, load_catalogue  # noqa: E402
from service_catalogue.retrieval import index_for  # noqa: E402
from service_catalogue.routing import Decision, Routing, Thresholds, decide, route  # noqa: E402
from service_catalogue.search import find_services  # noqa: E402
from service_catalogue.topics import topic_for_intent  # noqa: E402

BLIND_DIR = ROOT / "tests" / "routing_eval"
MODEL = ROOT / "models" / "assistant.tar.gz"


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    right: frozenset[str]
    writer: str


RETIRED = BLIND_DIR / "retired.yml"


def load_questions(paths: list[Path]) -> list[Question]:
    successor = yaml.safe_load(RETIRED.read_text(encoding="utf-8")) or {}
    questions = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["questions"]:
            named = [item["service"], *(item.get("also_ok") or [])]
            right = frozenset(successor.get(service_id, service_id) for service_id in named)
            questions.append(Question(item["text"], item["lang"], right, data["writer"]))
    return questions


@dataclass
class Outcome:
    decision: Decision
    cards: list[str]
    ranking: list[str]


def _score(question: Question, outcome: Outcome) -> str:
    if outcome.decision is Decision.answer:
        return "right" if question.right.intersection(outcome.cards) else "wrong"
    return outcome.decision.value


def _report(name: str, questions: list[Question], outcomes: list[Outcome], ranked: bool) -> None:
    print(f"\n## {name}")
    print("| lang | n | right card | clarify | wrong card | no card | asked, right button | top-1 | top-3 |")
    print("|---|---|---|---|---|---|---|---|---|")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(questions):
        groups[q.lang].append(i)
        groups["sv+en" if q.lang in ("sv", "en") else "fi only"].append(i)
        groups["all"].append(i)
    for lang in ("fi", "sv", "en", "sv+en", "all"):
        idx = groups.get(lang, [])
        if not idx:
            continue
        counts = Counter(_score(questions[i], outcomes[i]) for i in idx)
        top1 = sum(bool(questions[i].right.intersection(outcomes[i].ranking[:1])) for i in idx)
        top3 = sum(bool(questions[i].right.intersection(outcomes[i].ranking[:3])) for i in idx)
        n = len(idx)
        shares = [_pct(counts[k], n) for k in ("right", "clarify", "wrong", "none")]
        shares.append(_pct(sum(outcomes[i].decision is Decision.clarify
                               and bool(questions[i].right.intersection(outcomes[i].cards)) for i in idx), n))
        ranks = f"{_pct(top1, n)} | {_pct(top3, n)}" if ranked else "– | –"
        print(f"| {lang} | {n} | {' | '.join(shares)} | {ranks} |")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %"


def _outcome(routing: Routing) -> Outcome:
    cards = [s.id for s in routing.services]
    return Outcome(routing.decision, cards, [m.service.id for m in routing.matches])


def _intent_outcome(catalogue: Catalogue, parse: dict) -> Outcome:
    intent = (parse.get("intent") or {}).get("name")
    topic = topic_for_intent(intent)
    if topic:
        cards = [s.id for s in find_services(catalogue, topic, segment=1)]
        return Outcome(Decision.answer, cards, [])
    if intent == "nlu_fallback":
        return Outcome(Decision.clarify, [], [])
    return Outcome(Decision.none, [], [])


def _parse_all(texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))

    async def run() -> list[dict]:
        return [await agent.parse_message(t) for t in texts]

    return asyncio.run(run())


def _topic_hint(parse: dict) -> tuple[str | None, float]:
    intent = parse.get("intent") or {}
    name = intent.get("name")
    if name == "nlu_fallback":  # the fallback hides the classifier's best guess: take it from the ranking
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        intent = ranking[0] if ranking else {}
        name = intent.get("name")
    return topic_for_intent(name), float(intent.get("confidence") or 0.0)


def _risk_flow(texts: list[str]) -> list[str]:
    from triage.categories import Severity
    from triage.screening import screen_conversation

    flows = []
    for text in texts:
        assessment = screen_conversation([text])
        if assessment.severity is Severity.ACUTE:
            flows.append("crisis card")
        elif any(s.severity is Severity.ACUTE for s in assessment.possible):
            flows.append("direct question")
        elif assessment.severity is not None:
            flows.append("offer of a human")
        else:
            flows.append("")
    return flows


def run_blind(paths: list[Path], misses: bool, with_intents: bool) -> None:
    import logging

    logging.getLogger("rasa").setLevel(logging.WARNING)
    catalogue = load_catalogue(ROOT / "service_catalogue")
    questions = load_questions(paths)
    writers = Counter(q.writer for q in questions)
    services = {s for q in questions for s in q.right}
    print(f"{len(questions)} questions over {len(services)} services, writers {dict(writers)}; "
          f"catalogue {len(catalogue.services)} services")
    started = time.perf_counter()
    index_for(catalogue)
    print(f"index built in {time.perf_counter() - started:.1f} s (phrase embeddings from the disk cache "
          "where present)")

    durations = []
    retrieval = []
    for q in questions:
        started = time.perf_counter()
        retrieval.append(_outcome(route(catalogue, q.text)))
        durations.append(1000 * (time.perf_counter() - started))
    _report("retrieval", questions, retrieval, ranked=True)
    print(f"\nretrieval: {statistics.median(durations):.1f} ms per message (median), "
          f"p95 {sorted(durations)[int(0.95 * len(durations))]:.1f} ms, including the message's embedding")

    if with_intents and MODEL.exists():
        parses = _parse_all([q.text for q in questions])
        intents = [_intent_outcome(catalogue, p) for p in parses]
        _report("intent pipeline (before)", questions, intents, ranked=False)
        hinted = []
        for q, parse in zip(questions, parses, strict=True):
            topic, confidence = _topic_hint(parse)
            hinted.append(_outcome(route(catalogue, q.text, topic=topic, topic_confidence=confidence)))
        _report("retrieval + intent hint (what the assistant runs)", questions, hinted, ranked=True)
    elif with_intents:
        print(f"\n(no trained model at {MODEL}: intent pipeline not measured; run `make train`)")

    flows = Counter(f for f in _risk_flow([q.text for q in questions]) if f)
    print(f"\nrisk screening on these ordinary questions: {dict(flows) or 'nothing'}")

    if misses:
        print("\n## retrieval misses")
        for q, outcome in zip(questions, retrieval, strict=True):
            verdict = _score(q, outcome)
            if verdict != "right":
                print(f"- [{verdict}] ({q.lang}) {q.text!r} want {sorted(q.right)} got "
                      f"{outcome.cards or outcome.ranking[:3]}")


def _held_out_rankings(catalogue: Catalogue) -> list[tuple[str, str, list]]:
    index = index_for(catalogue)
    rows = []
    for service in catalogue.services.values():
        if service.example_questions is None:
            continue
        for lang, text in service.example_questions.all():
            rows.append((service.id, lang, index.rank(text, held_out=text, limit=6)))
    return rows


# A wrong card costs more than a clarifying question (the resident may give up on a wrong answer; a question
# costs one click): calibration maximises right answers minus WRONG_COST times wrong ones.
WRONG_COST = 4.0


# Lines of the NLU data that are no service question: a card for any of them is a wrong card.
NEGATIVE_INTENTS = ("out_of_scope", "greet", "goodbye", "thank", "bot_challenge", "affirm", "deny",
                    "feedback")


def _negatives() -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if item.get("intent") in NEGATIVE_INTENTS:
                texts += [line[2:].strip() for line in item["examples"].splitlines() if line.startswith("- ")]
    return texts


def calibrate() -> None:
    catalogue = load_catalogue(ROOT / "service_catalogue")
    rows = _held_out_rankings(catalogue)
    index = index_for(catalogue)
    rows += [("", "neg", index.rank(text, limit=6)) for text in _negatives()]
    n = len(rows)
    print(f"{n} held-out example questions of {len(catalogue.services)} services and lines of no service "
          f"(intents {', '.join(NEGATIVE_INTENTS)} of the NLU data)")
    results = []
    grid = itertools.product([0.1, 0.15, 0.2, 0.25, 0.3], [0.0, 0.03, 0.06, 0.1, 0.15],
                             [0.0, 0.02, 0.04, 0.06, 0.1], [0.4, 0.5, 0.6, 1.1], [0.05, 0.08, 0.12])
    for answer_min, window, margin, sure, clarify_min in grid:
        thresholds = Thresholds(answer_min=answer_min, window=window, margin=margin, sure=sure,
                                clarify_min=min(clarify_min, answer_min))
        counts: Counter[str] = Counter()
        for service_id, _lang, matches in rows:
            routing = decide(matches, thresholds)
            if routing.decision is Decision.answer:
                counts["right" if service_id in {s.id for s in routing.services} else "wrong"] += 1
            elif not service_id:  # a line of no service: "none" is right, a question costs a click
                counts["none right" if routing.decision is Decision.none else "clarify"] += 1
            else:
                counts[routing.decision.value] += 1
        utility = counts["right"] + counts["none right"] - WRONG_COST * counts["wrong"]
        results.append((utility, thresholds, counts))
    results.sort(key=lambda r: -r[0])
    for _, thresholds, counts in results[:3]:
        print(f"{thresholds}: " + ", ".join(f"{k} {_pct(v, n)}" for k, v in sorted(counts.items())))
    positives = [row for row in rows if row[0]]
    top1 = sum(matches[0].service.id == sid for sid, _l, matches in positives)
    top3 = sum(sid in {m.service.id for m in matches[:3]} for sid, _l, matches in positives)
    print(f"held-out top-1 {_pct(top1, len(positives))}, top-3 {_pct(top3, len(positives))}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", type=Path, help="blind sets (default: all in tests/routing_eval)")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--no-intents", action="store_true", help="skip loading the Rasa model")
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return
    sets = args.sets or sorted(BLIND_DIR.glob("blind_*.yml"))
    run_blind(sets, args.misses, not args.no_intents)


if __name__ == "__main__":
    main()
