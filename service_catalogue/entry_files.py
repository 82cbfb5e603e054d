"""Reading and writing single catalogue entries in the YAML files, keeping the files readable.

The catalogue keeps its current layout (a few files per provider, each a list of entries with comments):
editors' and developers' changes both land there, and an edit through the editor must leave the rest of a
file as it was. ruamel.yaml's round-trip mode keeps comments, key order and flow style; a changed value is
merged into the existing nodes (:func:`_merge`) so that only what changed moves in the diff.

Writes are atomic (a temporary file in the same directory, fsync, ``os.replace``) under an exclusive lock
on the file, so two gateway processes saving entries of the same file do not interleave and a reader (the
hot-reloading store) never sees half a file. Each entry has a version token, a hash of its content: two
editors who load the same content get the same token, and any change to the entry changes it.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from service_catalogue.loader import SERVICES_DIR

_LOCK_NAME = ".catalogue.lock"


class EntryNotFound(KeyError):
    pass


class EntryExists(ValueError):
    pass


@dataclass(frozen=True)
class StoredEntry:
    """One entry as stored: plain data (dicts, lists, str, int, bool, date), its file and version token."""

    service_id: str
    data: dict[str, Any]
    file: str  # file name under services/
    version: str


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 110
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def to_plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists (what pydantic and JSON see)."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)  # drops ruamel's scalar-string subclasses
    return value


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(to_plain(data), sort_keys=True, ensure_ascii=False, default=_json_default)


def version_of(data: dict[str, Any]) -> str:
    """The entry's version token: the same content gives the same token, whoever loads it."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()[:20]


_PARSED: dict[Path, tuple[tuple[int, int, int], CommentedSeq]] = {}


class EntryFiles:
    """The entries of ``<directory>/services/*.yaml``."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.services_dir = self.directory / SERVICES_DIR

    # --- reading ----------------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        return sorted(self.services_dir.glob("*.yaml"))

    def _load(self, path: Path) -> CommentedSeq:
        """The file's entries (read-only: callers never change them). A round-trip parse of a large file takes
        a third of a second, and a save reads every file several times, so parses are kept until the file
        changes (a write is a rename: a new inode, mtime and size)."""
        stat = path.stat()
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = _PARSED.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        with path.open(encoding="utf-8") as handle:
            data = _yaml().load(handle)
        if data is None:
            data = CommentedSeq()
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list of services")
        _PARSED[path] = (key, data)
        return data

    def all(self) -> dict[str, StoredEntry]:
        entries: dict[str, StoredEntry] = {}
        for path in self._files():
            for item in self._load(path):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    plain = to_plain(item)
                    entries[plain["id"]] = StoredEntry(plain["id"], plain, path.name, version_of(plain))
        return entries

    def get(self, service_id: str) -> StoredEntry:
        entry = self.all().get(service_id)
        if entry is None:
            raise EntryNotFound(service_id)
        return entry

    def file_names(self) -> list[str]:
        return [path.name for path in self._files()]

    # --- writing ----------------------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive across processes for the whole read-check-write of a save."""
        self.services_dir.mkdir(parents=True, exist_ok=True)
        with (self.directory / _LOCK_NAME).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _find(self, service_id: str) -> tuple[Path, str, tuple[int, int]]:
        """The file holding the entry, its text, and the entry's line range in it."""
        for path in self._files():
            text = path.read_text(encoding="utf-8")
            items = self._load(path)
            for index, item in enumerate(items):
                if isinstance(item, dict) and item.get("id") == service_id:
                    return path, text, _block(text, items, index)
        raise EntryNotFound(service_id)

    def render_replaced(self, service_id: str, data: dict[str, Any] | None) -> tuple[Path, str]:
        """The text the entry's file would have with the entry replaced (``None``: removed).

        Only the entry's own lines change: the other entries, and the comments between entries, stay
        byte for byte as they were."""
        path, text, (start, end) = self._find(service_id)
        lines = text.splitlines(keepends=True)
        block = "".join(lines[start:end])
        if data is None:
            replacement = ""
            if end < len(lines) and not lines[end].strip() and (start == 0 or not lines[start - 1].strip()):
                end += 1  # no double blank line where the entry was
        else:
            node = _yaml().load(block)[0]
            holder = [node]
            _merge(holder, 0, data)
            replacement = _dump_entry(holder[0])
        return path, "".join(lines[:start]) + replacement + "".join(lines[end:])

    def render_added(self, data: dict[str, Any], file_name: str) -> tuple[Path, str]:
        """The text ``file_name`` would have with the entry appended (the file is created if new)."""
        path = self.services_dir / _safe_file_name(file_name)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        items = self._load(path) if path.exists() else CommentedSeq()
        if any(isinstance(i, dict) and i.get("id") == data.get("id") for i in items):
            raise EntryExists(str(data.get("id")))
        separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
        return path, text + separator + _dump_entry(_to_commented(data))

    @staticmethod
    def write(path: Path, text: str) -> None:
        write_atomically(path, text)


def _safe_file_name(file_name: str) -> str:
    name = Path(file_name).name
    if name != file_name or not name.endswith(".yaml") or name.startswith("."):
        raise ValueError(f"not a catalogue file name: {file_name!r}")
    return name


def _block(text: str, items: CommentedSeq, index: int) -> tuple[int, int]:
    """Line range [start, end) of item ``index``: from its ``- `` line to the last line of content before
    the next item (comments and blank lines above the next item belong to that item)."""
    lines = text.splitlines()
    start = items.lc.item(index)[0]
    end = items.lc.item(index + 1)[0] if index + 1 < len(items) else len(lines)
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return start, end


def _dump_entry(node: Any) -> str:
    """One entry in the files' style: ``- `` at column 0, keys at 2, nested lists indented by 4 with the dash
    at 2 (ruamel applies one sequence indent to every level, so the entry is dumped as a mapping and
    indented here)."""
    buffer = StringIO()
    _yaml().dump(node, buffer)
    lines = buffer.getvalue().splitlines()
    return "".join(
        ("- " if number == 0 else ("  " if line else "")) + line + "\n" for number, line in enumerate(lines)
    )


def _to_commented(value: Any) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _to_commented(item)
        return node
    if isinstance(value, list):
        return CommentedSeq([_to_commented(item) for item in value])
    return value


def _merge(container: Any, key: Any, new: Any) -> None:
    """Put ``new`` at ``container[key]`` changing as little of the existing node as possible, so that
    comments, flow style and key order of untouched parts survive."""
    old = container[key]
    if isinstance(old, dict) and isinstance(new, dict):
        for stale in [k for k in old if k not in new]:
            del old[stale]
        for sub_key, value in new.items():
            if sub_key in old:
                if to_plain(old[sub_key]) != value:
                    _merge(old, sub_key, value)
            else:
                old[sub_key] = _to_commented(value)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, value in enumerate(new):
            if to_plain(old[index]) != value:
                _merge(old, index, value)
        return
    if isinstance(old, list) and isinstance(new, list):
        # Keep the sequence node (and its style) but replace its items.
        flow = old.fa.flow_style()
        del old[:]
        old.extend(_to_commented(copy.deepcopy(new)))
        if flow:
            old.fa.set_flow_style()
        return
    container[key] = _to_commented(new)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see either the old or the new file, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
