"""Carrying out an import plan through the catalogue's editing service layer.

Every write goes through :class:`bot.catalogue_editing.CatalogueEditing` (``add``, ``publish`` with the
version the plan was made from, ``get``), so an import gets the same validation of the whole catalogue,
atomic file writes, history rows and audit entries as an edit in the editor UI; an entry edited between the
plan and the apply is an :class:`~bot.catalogue_editing.EditConflict`, reported and left alone.

What is written: adds, ``change`` fields, and ``conflict`` fields only when accepted. A conflict that is
neither accepted nor kept keeps its earlier last-imported value, so it is reported again by the next
import instead of disappearing; ``keep`` records the editor's decision to keep the local value (PTV's
value becomes the last imported one, so the conflict ends until PTV changes the field again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.catalogue_editing import CatalogueEditing, EditConflict, EntryInvalid, UnknownEntry
from service_catalogue.ptv import snapshots
from service_catalogue.ptv.fields import apply_leaves
from service_catalogue.ptv.plan import EntryPlan, ImportPlan

DEFAULT_AUTHOR = "ptv-import"


@dataclass
class ApplyResult:
    written: list[str] = field(default_factory=list)  # "added x", "updated y: 3 fields"
    failed: list[str] = field(default_factory=list)
    kept_conflicts: list[str] = field(default_factory=list)  # <entry id>.<field>, not overwritten

    @property
    def ok(self) -> bool:
        return not self.failed


def matches(name: str, entry_id: str, path: str) -> bool:
    """``--accept vake_x.name.fi`` names one field; ``vake_x.name`` or ``vake_x.channels.<id>`` all under
    it; ``vake_x`` all of the entry's conflicts."""
    full = f"{entry_id}.{path}"
    return name == entry_id or full == name or full.startswith(f"{name}.")


def unknown_names(plan: ImportPlan, names: list[str]) -> list[str]:
    """The ``--accept``/``--keep`` names that match no conflict of the plan."""
    conflicts = [(e.entry_id, f.path) for e in plan.entries for f in e.of_kind("conflict")]
    return [n for n in names if not any(matches(n, entry_id, path) for entry_id, path in conflicts)]


def _note(entry: EntryPlan) -> str:
    return f"PTV import of service {entry.ptv_id}" + (
        f" (modified {entry.modified} in PTV)" if entry.modified else ""
    )


def _snapshot(editing: CatalogueEditing, entry: EntryPlan, fields: dict[str, Any]) -> None:
    snapshots.save(
        editing.directory,
        snapshots.Snapshot(
            ptv_id=entry.ptv_id,
            entry_id=entry.entry_id,
            fields=fields,
            ptv_modified=entry.modified,
        ),
    )


def _apply_entry(
    editing: CatalogueEditing,
    session: Session,
    entry: EntryPlan,
    author: str,
    accept: list[str],
    keep: list[str],
    result: ApplyResult,
) -> None:
    if entry.action == "add":
        assert entry.entry is not None
        editing.add(session, entry.entry, author=author, note=_note(entry))
        _snapshot(editing, entry, entry.incoming)
        result.written.append(f"added {entry.entry_id}")
        return
    if entry.action not in ("update", "unchanged"):
        return
    old = snapshots.load(editing.directory, entry.ptv_id)
    base = dict(old.fields) if old else {}
    leaves: dict[str, Any] = {}
    for item in entry.fields:
        accepted = item.kind == "conflict" and any(matches(n, entry.entry_id, item.path) for n in accept)
        kept = item.kind == "conflict" and any(matches(n, entry.entry_id, item.path) for n in keep)
        if item.kind == "change" or accepted:
            leaves[item.path] = item.incoming
        if item.kind == "conflict" and not accepted and not kept:
            result.kept_conflicts.append(f"{entry.entry_id}.{item.path}")
            continue  # the earlier last-imported value stays, so the conflict is reported again
        if item.path != "source_urls":
            base[item.path] = item.incoming
    if leaves:
        assert entry.live is not None
        editing.publish(
            session,
            entry.entry_id,
            apply_leaves(entry.live, leaves),
            version=entry.live_version,
            author=author,
            note=_note(entry),
        )
        result.written.append(f"updated {entry.entry_id}: {', '.join(sorted(leaves))}")
    if old is None or base != old.fields or entry.modified != old.ptv_modified:
        _snapshot(editing, entry, base)


def apply_plan(
    plan: ImportPlan,
    editing: CatalogueEditing,
    session: Session,
    *,
    author: str = DEFAULT_AUTHOR,
    accept: list[str] | None = None,
    keep: list[str] | None = None,
) -> ApplyResult:
    """Write the plan's confirmed changes; one entry failing does not stop the others."""
    result = ApplyResult()
    for entry in plan.entries:
        try:
            _apply_entry(editing, session, entry, author, accept or [], keep or [], result)
        except EditConflict:
            session.rollback()
            result.failed.append(
                f"{entry.entry_id}: changed in the catalogue since the plan was made; run again"
            )
        except EntryInvalid as error:
            session.rollback()
            result.failed.append(f"{entry.entry_id}: the catalogue would not accept it: {error}")
        except UnknownEntry:
            session.rollback()
            result.failed.append(f"{entry.entry_id}: no longer in the catalogue")
    return result
