"""What a PTV import would do: a three-way comparison of each imported service with the live entry and with
what was last imported for it.

Per field (see :mod:`service_catalogue.ptv.fields`):

* ``add``: the entry is new;
* ``change``: PTV changed the field and the editors did not (or the entry lacks it): the import takes it;
* ``conflict``: PTV changed a field that an editor also changed; the local value stays unless the editor
  accepts PTV's (``--accept <entry id>.<field>``). On a first import onto an existing hand-written entry
  there is no earlier import to tell who changed what, so every differing field is a conflict;
* ``unchanged``: PTV and the live entry agree, or only the editor changed it (``local_edit``).

The last imported PTV content is kept per PTV service in ``<catalogue>/ptv_imports/<PTV id>.json`` (see
:mod:`service_catalogue.ptv.snapshots`). Nothing here writes; :mod:`service_catalogue.ptv.apply` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.catalogue_editing import DEFAULT_FILE_BY_PROVIDER
from service_catalogue.entry_files import EntryFiles, StoredEntry
from service_catalogue.loader import load_catalogue
from service_catalogue.models import Service
from service_catalogue.ptv import snapshots
from service_catalogue.ptv.fields import flatten
from service_catalogue.ptv.mapping import MappedService, map_service, record_url, slug
from service_catalogue.ptv.reading import PtvBatch, read_payloads

_SAFE_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")


@dataclass
class AddDefaults:
    """What a new entry needs and PTV does not say: chosen by the editor for the entries this import adds."""

    provider_type: str | None = None
    topics: list[str] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)
    provider: str | None = None  # when PTV names no organisation


@dataclass
class FieldPlan:
    path: str
    kind: str  # add | change | conflict | unchanged
    live: Any = None
    incoming: Any = None
    base: Any = None  # as last imported (None: never imported, or the field was empty)
    local_edit: bool = False  # unchanged only: an editor changed it and PTV did not


@dataclass
class EntryPlan:
    ptv_id: str
    entry_id: str
    action: str  # add | update | unchanged | blocked | skipped
    matched_by: str | None = None  # ptv_id | id | None (new)
    file: str | None = None
    live_version: str | None = None
    modified: str | None = None  # PTV's modified time of the service
    fields: list[FieldPlan] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    live: dict[str, Any] | None = None  # the live entry the plan was made from
    entry: dict[str, Any] | None = None  # add: the new entry
    incoming: dict[str, Any] = field(default_factory=dict)  # the PTV-owned leaves now
    had_record: bool = False

    def of_kind(self, kind: str) -> list[FieldPlan]:
        return [f for f in self.fields if f.kind == kind]


@dataclass
class ImportPlan:
    catalogue_dir: str
    entries: list[EntryPlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in ("add", "update", "unchanged", "blocked", "skipped")}
        for entry in self.entries:
            counts[entry.action] += 1
        counts["changes"] = sum(len(e.of_kind("change")) for e in self.entries)
        counts["conflicts"] = sum(len(e.of_kind("conflict")) for e in self.entries)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-able data (for the editor UI); ``json.dumps`` works on it as it is."""
        data = asdict(self)
        data["counts"] = self.counts()
        return json.loads(json.dumps(data, default=str))

    def conflict_names(self) -> list[str]:
        return [f"{e.entry_id}.{f.path}" for e in self.entries for f in e.of_kind("conflict")]

    def render(self, show_unchanged: bool = False) -> str:
        return render(self, show_unchanged)


def _value(value: Any, limit: int = 110) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if value is not None else "(none)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(plan: ImportPlan, show_unchanged: bool = False) -> str:
    counts = plan.counts()
    lines = [
        f"PTV import plan for {plan.catalogue_dir}",
        f"  {counts['add']} to add, {counts['update']} to update, {counts['unchanged']} unchanged, "
        f"{counts['blocked']} blocked, {counts['skipped']} skipped; "
        f"{counts['changes']} field changes, {counts['conflicts']} conflicts",
    ]
    lines += [f"  warning: {w}" for w in plan.warnings]
    marks = {
        "add": "+ ADD",
        "update": "~ UPDATE",
        "unchanged": "= UNCHANGED",
        "blocked": "! BLOCKED",
        "skipped": "- SKIPPED",
    }
    for entry in plan.entries:
        how = f", matched by {entry.matched_by}" if entry.matched_by else ""
        lines += [
            "",
            f"{marks[entry.action]} {entry.entry_id}  [PTV {entry.ptv_id}{how}]"
            + (f" -> services/{entry.file}" if entry.file else ""),
        ]
        lines += [f"    problem: {p}" for p in entry.problems]
        lines += [f"    note: {n}" for n in entry.notes]
        for item in entry.fields:
            if item.kind == "add":
                lines.append(f"    add       {item.path}: {_value(item.incoming)}")
            elif item.kind == "change":
                lines.append(f"    change    {item.path}: {_value(item.live)} -> {_value(item.incoming)}")
            elif item.kind == "conflict":
                lines.append(f"    CONFLICT  {item.path}: local {_value(item.live)}")
                was = _value(item.base) if entry.had_record else "(never imported)"
                lines.append(f"              PTV was {was} -> now {_value(item.incoming)}")
                lines.append(
                    "              keeps the local value; take PTV's with "
                    f"--accept {entry.entry_id}.{item.path}"
                )
            elif show_unchanged or item.local_edit:
                note = "  (local edit kept; PTV unchanged)" if item.local_edit else ""
                lines.append(f"    unchanged {item.path}: {_value(item.live)}{note}")
        lines += [f"    dropped: {d}" for d in entry.dropped]
    return "\n".join(lines)


def classify(had_record: bool, base: Any, live: Any, incoming: Any) -> tuple[str, bool]:
    """(kind, local_edit) of one field; see the module docstring."""
    if live == incoming:
        return "unchanged", False
    if not had_record:
        return ("change", False) if live is None else ("conflict", False)
    if base == live:
        return "change", False
    if base == incoming:
        return "unchanged", True
    return "conflict", False


def _match(mapped: MappedService, live: dict[str, StoredEntry], taken: set[str]) -> tuple[str, str | None]:
    """The entry id and how it was matched: by ``ptv_id``, else by the id the import would give it."""
    for entry in live.values():
        if entry.data.get("ptv_id") == mapped.ptv_id:
            return entry.service_id, "ptv_id"
    candidate = mapped.entry_id
    existing = live.get(candidate)
    if existing is not None and not existing.data.get("ptv_id") and candidate not in taken:
        return candidate, "id"
    suffix = mapped.ptv_id.replace("-", "").lower()
    for length in (8, 12, 32):
        if candidate not in live and candidate not in taken:
            break
        candidate = f"{mapped.entry_id[:48]}_{suffix[:length]}"
    return candidate, None


def _new_entry(
    entry_id: str, mapped: MappedService, defaults: AddDefaults, today: date
) -> tuple[dict[str, Any], list[str]]:
    content = mapped.content
    problems = []
    provider = content.get("provider") or defaults.provider
    if not defaults.provider_type:
        problems.append("a new entry needs a provider type (--provider-type)")
    if not defaults.topics:
        problems.append("a new entry needs topics (--topic, ids from service_catalogue/topics.py)")
    if not defaults.segments:
        problems.append("a new entry needs segments (--segment 1..4)")
    if not provider:
        problems.append("PTV names no organisation: give --provider")
    if "area" not in content and not any("area" in p for p in mapped.problems):
        problems.append("PTV gives no area for the service")
    modified = (mapped.modified or "")[:10]
    entry: dict[str, Any] = {
        "id": entry_id,
        "provider_type": defaults.provider_type,
        "provider": provider,
        "name": content.get("name"),
        "summary": content.get("summary"),
        "channels": content.get("channels"),
        "topics": list(defaults.topics),
        "target_groups": content.get("target_groups"),
        "area": content.get("area"),
        "segments": list(defaults.segments),
        "source_urls": content.get("source_urls"),
        # Nobody has reviewed it yet: the date the facts were last changed in PTV, so the content report
        # shows an old record as due for review.
        "last_reviewed": modified if re.match(r"^\d{4}-\d{2}-\d{2}$", modified) else today.isoformat(),
        "ptv_id": mapped.ptv_id,
    }
    entry = {k: v for k, v in entry.items() if v is not None}
    if not problems:
        try:
            Service.parse_obj(entry)
        except ValidationError as error:
            problems += [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
    return entry, problems


def _plan_entry(
    mapped: MappedService,
    live: dict[str, StoredEntry],
    taken: set[str],
    directory: Path,
    defaults: AddDefaults,
    today: date,
) -> EntryPlan:
    entry_id, matched_by = _match(mapped, live, taken)
    taken.add(entry_id)
    plan = EntryPlan(
        ptv_id=mapped.ptv_id,
        entry_id=entry_id,
        action="update",
        matched_by=matched_by,
        modified=mapped.modified,
        dropped=list(mapped.dropped),
        problems=list(mapped.problems),
        incoming=flatten(mapped.content),
    )
    if not _SAFE_ID.match(mapped.ptv_id):
        plan.action, plan.problems = "blocked", [f"unusual PTV id {mapped.ptv_id!r}"]
        return plan
    if mapped.skipped:
        plan.action, plan.notes, plan.problems = "skipped", [mapped.skipped], []
        return plan
    record = snapshots.load(directory, mapped.ptv_id)
    plan.had_record = record is not None
    base: dict[str, Any] = record.fields if record else {}
    stored = live.get(entry_id) if matched_by else None
    if stored is None and record is not None:
        plan.action = "skipped"
        plan.notes.append(
            f"imported before as {record.entry_id}, which is no longer in the catalogue (retired by an "
            "editor?): not added again; bring it back with undo in the editor"
        )
        return plan
    if stored is None:
        plan.action = "add"
        plan.entry, problems = _new_entry(entry_id, mapped, defaults, today)
        plan.problems += problems
        plan.file = DEFAULT_FILE_BY_PROVIDER.get(str(defaults.provider_type), "lisapalvelut.yaml")
        plan.fields = [
            FieldPlan(path, "add", incoming=value)
            for path, value in plan.incoming.items()
            if value is not None
        ]
        if plan.problems:
            plan.action = "blocked"
        return plan
    plan.live, plan.live_version, plan.file = stored.data, stored.version, stored.file
    live_leaves = flatten(stored.data, owned=mapped.content)
    paths = list(plan.incoming) + [
        p for p in base if p not in plan.incoming and p.split(".")[0] in mapped.content
    ]
    for path in paths:
        kind, local_edit = classify(
            plan.had_record, base.get(path), live_leaves.get(path), plan.incoming.get(path)
        )
        plan.fields.append(
            FieldPlan(path, kind, live_leaves.get(path), plan.incoming.get(path), base.get(path), local_edit)
        )
    _whole_channels(plan.fields)
    sources = list(stored.data.get("source_urls") or [])
    if record_url(mapped.ptv_id) not in sources:
        plan.fields.append(FieldPlan("source_urls", "change", sources, [*sources, record_url(mapped.ptv_id)]))
    if plan.problems:
        plan.action = "blocked"
    elif not plan.of_kind("change") and not plan.of_kind("conflict"):
        plan.action = "unchanged"
    return plan


def _whole_channels(fields: list[FieldPlan]) -> None:
    """A channel removed on one side (in PTV, or by an editor) and changed on the other is one conflict
    over the whole channel: taking half of it would leave a channel without a type or a contact."""
    groups: dict[str, list[FieldPlan]] = {}
    for item in fields:
        if item.path.startswith("channels."):
            groups.setdefault(item.path.split(".")[1], []).append(item)
    for group in groups.values():
        removed = all(f.incoming is None for f in group) or all(f.live is None for f in group)
        if removed and any(f.kind == "conflict" for f in group):
            for item in group:
                if item.live != item.incoming:
                    item.kind, item.local_edit = "conflict", False


def _as_batch(payloads: PtvBatch | Mapping[str, Any] | Sequence[Any]) -> PtvBatch:
    if isinstance(payloads, PtvBatch):
        return payloads
    if isinstance(payloads, Mapping):
        return read_payloads(payloads.items())
    return read_payloads((f"payload {i + 1}", p) for i, p in enumerate(payloads))


def plan_import(
    catalogue_dir: Path | str,
    payloads: PtvBatch | Mapping[str, Any] | Sequence[Any],
    *,
    defaults: AddDefaults | None = None,
    today: date | None = None,
) -> ImportPlan:
    """The plan for importing ``payloads`` (decoded PTV JSON: by name, as a list, or already read) into the
    catalogue in ``catalogue_dir``. Raises :class:`~service_catalogue.ptv.reading.PtvFormatError` for a
    payload that is not PTV v11 JSON. Reads only; see the module docstring for the rules."""
    directory = Path(catalogue_dir)
    batch = _as_batch(payloads)
    today = today or date.today()
    county = load_catalogue(directory).county
    live = EntryFiles(directory).all()
    plan = ImportPlan(catalogue_dir=str(directory))
    taken: set[str] = set()
    for service in sorted(batch.services.values(), key=lambda s: s.id):
        mapped = map_service(service, batch.channels, county, today)
        plan.entries.append(_plan_entry(mapped, live, taken, directory, defaults or AddDefaults(), today))
    linked = {
        link.serviceChannel.id
        for s in batch.services.values()
        for link in s.serviceChannels
        if link.serviceChannel
    }
    for channel in sorted(batch.channels.values(), key=lambda c: c.id):
        if channel.id not in linked and not any(
            c.service and c.service.id in batch.services for c in channel.services
        ):
            plan.warnings.append(
                f"channel {channel.id} is connected to no service in the imported files: not imported"
            )
    if not batch.services:
        plan.warnings.append("no services in the imported files (only services become entries)")
    return plan


__all__ = ["AddDefaults", "EntryPlan", "FieldPlan", "ImportPlan", "classify", "plan_import", "slug"]
