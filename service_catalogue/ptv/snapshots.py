"""What was last imported from PTV, per PTV service: ``<catalogue>/ptv_imports/<PTV id>.json``.

Why a file per service next to the catalogue, not a field in the entry or a database table: the entry files
are what editors read and the version token hashes them, so a copy of the PTV content there would double
every entry and change its version on each import; the change history in the database records the merged
entry, not which part came from PTV. Kept beside the YAML files, the last import travels with the catalogue
(``--catalogue DIR``, copies in tests, git) and shows in a diff. The loader reads only ``services/*.yaml``,
so these files never reach residents.

A snapshot is written after the entry (not in the same transaction): if that write is lost, the next
import finds the live entry already equal to PTV's value and calls the field unchanged, so nothing is
reported wrongly as an editor's change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from service_catalogue.entry_files import write_atomically

FOLDER = "ptv_imports"


class SnapshotError(ValueError):
    pass


@dataclass
class Snapshot:
    ptv_id: str
    entry_id: str
    fields: dict[str, Any]  # field path -> value as last imported (see service_catalogue.ptv.fields)
    ptv_modified: str | None = None
    imported_at: str | None = None


def path_for(directory: Path, ptv_id: str) -> Path:
    return Path(directory) / FOLDER / f"{ptv_id}.json"


def load(directory: Path, ptv_id: str) -> Snapshot | None:
    path = path_for(directory, ptv_id)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Snapshot(
            ptv_id=data["ptv_id"],
            entry_id=data["entry_id"],
            fields=dict(data.get("fields") or {}),
            ptv_modified=data.get("ptv_modified"),
            imported_at=data.get("imported_at"),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SnapshotError(
            f"{path}: not a last-import record ({error}); restore it from git or delete it"
        ) from None


def save(directory: Path, snapshot: Snapshot) -> Path:
    path = path_for(directory, snapshot.ptv_id)
    data = {
        "ptv_id": snapshot.ptv_id,
        "entry_id": snapshot.entry_id,
        "ptv_modified": snapshot.ptv_modified,
        "imported_at": snapshot.imported_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "fields": {k: v for k, v in sorted(snapshot.fields.items()) if v is not None},
    }
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path
