"""What an editor should fix in the catalogue: ``.venv/bin/python -m service_catalogue.content_report``.

One read of the whole catalogue, in sections: entries not reviewed in 12 months, entries whose sources are
not web pages, entries missing Swedish or English texts, topics with no self-service entry, entries with too
few resident phrasings for retrieval, and every phone number with the source it was checked on. Broken
references are not a section: the loader refuses a catalogue with one (``service_catalogue.validate`` names
it), so a catalogue that can be reported on has none. Plain text, so it works in a terminal, a cron mail or
a CI log; the editor's web view (issue #11) can render the same ``ContentReport``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from service_catalogue.loader import Catalogue
from service_catalogue.models import LANGUAGES, Service
from service_catalogue.search import topics_without_self_service
from service_catalogue.validate import catalogue_from_args

REVIEW_INTERVAL = timedelta(days=365)
PHONE_SOURCES = "phone_sources.yaml"  # numbers checked outside the research notes
MIN_EXAMPLES_FI = 2  # below this, retrieval can hardly find the entry (tests require it too)


@dataclass
class ContentReport:
    stale: list[tuple[str, date]] = field(default_factory=list)
    unsourced: list[str] = field(default_factory=list)
    missing_translations: list[tuple[str, list[str]]] = field(default_factory=list)
    topics_without_service: list[str] = field(default_factory=list)
    few_phrasings: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # number, service id, where checked

    @property
    def problems(self) -> int:
        return sum(len(part) for part in (self.stale, self.unsourced, self.missing_translations,
                                          self.topics_without_service, self.few_phrasings))


def _missing_languages(service: Service) -> list[str]:
    missing = []
    for lang in LANGUAGES[1:]:
        if not getattr(service.name, lang) or not getattr(service.summary, lang):
            missing.append(lang)
    return missing


def _phrasing_gap(service: Service) -> str | None:
    questions = service.example_questions
    if questions is None or len(questions.fi) < MIN_EXAMPLES_FI:
        return f"fewer than {MIN_EXAMPLES_FI} Finnish example questions"
    missing = [lang for lang in LANGUAGES[1:] if not getattr(questions, lang)]
    return f"no {'/'.join(missing)} example questions" if missing else None


def build_report(catalogue: Catalogue, directory: Path, today: date) -> ContentReport:
    report = ContentReport()
    services = sorted(catalogue.services.values(), key=lambda s: s.id)
    sources_file = directory / PHONE_SOURCES
    phone_sources = {}
    if sources_file.exists():
        phone_sources = yaml.safe_load(sources_file.read_text(encoding="utf-8")) or {}
    for service in services:
        if today - service.last_reviewed > REVIEW_INTERVAL:
            report.stale.append((service.id, service.last_reviewed))
        if not any(url.startswith(("https://", "http://")) for url in service.source_urls):
            report.unsourced.append(service.id)
        missing = _missing_languages(service)
        if missing:
            report.missing_translations.append((service.id, missing))
        gap = _phrasing_gap(service)
        if gap:
            report.few_phrasings.append((service.id, gap))
        for channel in service.channels:
            if channel.phone:
                where = phone_sources.get(channel.phone) or "research notes (service_facts.md)"
                report.phones.append((channel.phone, service.id, str(where)))
    report.topics_without_service = topics_without_self_service(catalogue)
    return report


def render(report: ContentReport, services: int) -> str:
    lines = [f"Content report: {services} services, {report.problems} things to look at"]

    def section(title: str, rows: list[str]) -> None:
        lines.append(f"\n## {title} ({len(rows)})")
        lines.extend(f"- {row}" for row in rows or ["none"])

    section("Not reviewed in 12 months",
            [f"{sid}: last reviewed {day.isoformat()}" for sid, day in report.stale])
    section("Without a web source", report.unsourced)
    section("Missing Swedish or English name/summary",
            [f"{sid}: {', '.join(langs)}" for sid, langs in report.missing_translations])
    section("Topics with no self-service entry", report.topics_without_service)
    section("Too few resident phrasings for retrieval",
            [f"{sid}: {gap}" for sid, gap in report.few_phrasings])
    section("Phone numbers and where they were checked",
            [f"{number} ({sid}): {where}" for number, sid, where in sorted(report.phones)])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    directory, catalogue = catalogue_from_args(argv)
    if catalogue is None:
        return 1
    print(render(build_report(catalogue, directory, date.today()), len(catalogue.services)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
