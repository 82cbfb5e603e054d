"""Editing the service catalogue: the service layer behind the editor pages, the editor API and PTV import.

The YAML files under ``service_catalogue/services/`` are the live catalogue (the gateway and the action server
hot-reload them, so a published change reaches residents within seconds, with no retraining). The database
holds what the files cannot: drafts, the history of every published change (who, when, before and after),
and the audit trail.

Every save names the version it was made from (``EntrySnapshot.version``); under the catalogue's file lock the
live entry is re-read and a different version raises :class:`EditConflict`, so nothing is silently
overwritten. A change is validated as the loader would validate the whole catalogue with it (schema, related
ids, municipalities, crisis contacts) before anything is written.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import CatalogueChange, CatalogueDraft, as_utc
from bot.repositories import audit
from service_catalogue.entry_files import (
    EntryExists,
    EntryFiles,
    EntryNotFound,
    StoredEntry,
    to_plain,
    version_of,
)
from service_catalogue.loader import CatalogueError, load_catalogue
from service_catalogue.models import COUNTY_ZONE, LANGUAGES, Service

# Fields whose value is a text in fi/sv/en (LocalizedText), as paths with ``*`` for a list index.
TRANSLATED_FIELDS = ("name", "summary", "self_service_steps.*", "channels.*.name", "channels.*.hours")
DEFAULT_FILE_BY_PROVIDER = {
    "omaolo": "omaolo.yaml",
    "kela": "kela.yaml",
    "tyollisyyspalvelut": "tyollisyys.yaml",
    "hyvinvointialue": "hyvinvointialue_lisapalvelut.yaml",
    "jarjesto": "jarjestot_lisapalvelut.yaml",
    "muu_julkinen": "muu_julkinen_lisapalvelut.yaml",
    "hatapalvelu": "hatapalvelut.yaml",
}


@dataclass(frozen=True)
class FieldError:
    field: str  # a path in the entry ("channels.0.phone"), or "(entry)"
    message: str


class EntryInvalid(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


class EditConflict(Exception):
    """Someone else changed the entry since ``expected`` was read; ``current`` is what is live now."""

    def __init__(self, expected: str | None, current: EntrySnapshot | None) -> None:
        self.expected = expected
        self.current = current
        super().__init__("the entry was changed by someone else since you opened it")


class UnknownEntry(LookupError):
    pass


@dataclass
class DraftView:
    data: dict[str, Any]
    base_version: str | None
    author: str
    updated_at: datetime
    minor: bool
    note: str | None
    publish_at: datetime | None
    file: str

    @property
    def version(self) -> str:
        return version_of(self.data)


@dataclass
class EntrySnapshot:
    service_id: str
    data: dict[str, Any] | None  # None: only a draft exists (a new entry not yet published)
    version: str | None
    file: str
    draft: DraftView | None = None
    last_change: CatalogueChange | None = field(default=None, repr=False)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _pydantic_errors(exc: ValidationError) -> list[FieldError]:
    return [
        FieldError(".".join(str(part) for part in error["loc"]) or "(entry)", error["msg"])
        for error in exc.errors()
    ]


def _expand(path: str, data: dict[str, Any]) -> list[str]:
    """Concrete paths (``self_service_steps.0``) for a pattern with ``*`` that exist in ``data``."""
    parts = path.split(".")
    results = [("", data)]
    for part in parts:
        step = []
        for prefix, node in results:
            if part == "*":
                if isinstance(node, list):
                    step += [(f"{prefix}{i}.", item) for i, item in enumerate(node)]
            elif isinstance(node, dict) and part in node:
                step.append((f"{prefix}{part}.", node[part]))
        results = step
    return [prefix.rstrip(".") for prefix, _ in results]


def _lookup(data: dict[str, Any] | None, path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _language_text(value: Any, lang: str) -> str | None:
    if isinstance(value, str):
        return value if lang == "fi" else None
    if isinstance(value, dict):
        return value.get(lang)
    return None


def review_marks(before: dict[str, Any] | None, after: dict[str, Any], minor: bool) -> list[str]:
    """``translation_review`` for ``after``: a changed Finnish text marks that field's sv/en texts (when
    present and not changed in the same save) unless the change is minor; a changed sv/en text clears its
    mark; marks of fields that no longer exist go."""
    marks = set(after.get("translation_review") or [])
    for pattern in TRANSLATED_FIELDS:
        for path in _expand(pattern, after):
            new, old = _lookup(after, path), _lookup(before, path)
            fi_changed = before is not None and _language_text(new, "fi") != _language_text(old, "fi")
            for lang in LANGUAGES[1:]:
                mark = f"{path}.{lang}"
                translation = _language_text(new, lang)
                if not translation:
                    marks.discard(mark)
                elif before is not None and translation != _language_text(old, lang):
                    marks.discard(mark)  # the translation was edited with (or after) the Finnish text
                elif fi_changed and not minor:
                    marks.add(mark)
    existing = {
        f"{p}.{lang}"
        for pattern in TRANSLATED_FIELDS
        for p in _expand(pattern, after)
        for lang in LANGUAGES[1:]
    }
    return sorted(marks & existing)


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """The entry as stored: validated by the schema, in plain types, keys in the editor's order."""
    plain = to_plain(data)
    for key in ("valid_from", "valid_to", "last_reviewed"):
        value = plain.get(key)
        if isinstance(value, str) and value:
            with contextlib.suppress(ValueError):  # the schema reports a bad value with the field's name
                plain[key] = (
                    date.fromisoformat(value) if len(value) == 10
                    else datetime.fromisoformat(value.replace("Z", "+00:00"))
                )
        if isinstance(plain.get(key), datetime):
            plain[key] = plain[key].replace(microsecond=0)  # to the second: what an editor means and reads
        elif value in ("", None) and key != "last_reviewed":
            plain.pop(key, None)
    if not plain.get("translation_review"):
        plain.pop("translation_review", None)
    return plain


class CatalogueEditing:
    """The catalogue in ``directory`` as editors change it. One instance per process is enough."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.files = EntryFiles(self.directory)

    # --- reading ----------------------------------------------------------------------------------

    def entries(self) -> dict[str, StoredEntry]:
        return self.files.all()

    def drafts(self, session: Session) -> dict[str, CatalogueDraft]:
        return {d.service_id: d for d in session.scalars(select(CatalogueDraft))}

    def get(self, session: Session, service_id: str) -> EntrySnapshot:
        draft = session.get(CatalogueDraft, service_id)
        try:
            stored = self.files.get(service_id)
        except EntryNotFound:
            if draft is None:
                raise UnknownEntry(service_id) from None
            return EntrySnapshot(service_id, None, None, draft.file, self._draft_view(draft))
        return EntrySnapshot(
            service_id,
            stored.data,
            stored.version,
            stored.file,
            self._draft_view(draft) if draft else None,
            self._last_change(session, service_id),
        )

    @staticmethod
    def _draft_view(draft: CatalogueDraft) -> DraftView:
        return DraftView(
            data=dict(draft.data),
            base_version=draft.base_version,
            author=draft.author,
            updated_at=as_utc(draft.updated_at),
            minor=draft.minor,
            note=draft.note,
            publish_at=as_utc(draft.publish_at),
            file=draft.file,
        )

    @staticmethod
    def _last_change(session: Session, service_id: str) -> CatalogueChange | None:
        query = select(CatalogueChange).where(CatalogueChange.service_id == service_id)
        return session.scalars(query.order_by(CatalogueChange.id.desc()).limit(1)).first()

    def history(
        self, session: Session, service_id: str | None = None, limit: int = 200
    ) -> list[CatalogueChange]:
        query = select(CatalogueChange)
        if service_id is not None:
            query = query.where(CatalogueChange.service_id == service_id)
        return list(session.scalars(query.order_by(CatalogueChange.id.desc()).limit(limit)))

    def change(self, session: Session, change_id: int) -> CatalogueChange:
        change = session.get(CatalogueChange, change_id)
        if change is None:
            raise UnknownEntry(f"change {change_id}")
        return change

    # --- validation -------------------------------------------------------------------------------

    def validate(
        self, data: dict[str, Any], *, replacing: str | None, file: str | None = None
    ) -> dict[str, Any]:
        """The normalised entry, or :class:`EntryInvalid` listing every wrong field."""
        plain = _normalise(data)
        try:
            Service.parse_obj(plain)
        except ValidationError as exc:
            raise EntryInvalid(_pydantic_errors(exc)) from None
        if replacing is not None and plain.get("id") != replacing:
            raise EntryInvalid([FieldError("id", "the id of a published entry cannot change")])
        if replacing is None and plain["id"] in self.files.all():
            raise EntryInvalid([FieldError("id", "an entry with this id already exists")])
        if replacing is not None:
            path, text = self.files.render_replaced(replacing, plain)
        else:
            path, text = self.files.render_added(plain, file or self.default_file(plain))
        self._check_whole_catalogue(path, text, plain["id"])
        return plain

    def _check_whole_catalogue(self, changed: Path, text: str, service_id: str) -> None:
        """Load the catalogue as it would be with ``changed`` holding ``text``: every cross-reference check of
        the loader runs, so the editor cannot publish what would make the assistant refuse the catalogue."""
        try:
            load_catalogue(self.directory, replaced={changed.name: text})
        except CatalogueError as error:
            message = str(error)[len(error.path) + 2 :]
            message = message[len(error.field) + 2 :] if message.startswith(f"{error.field}: ") else message
            raise EntryInvalid([FieldError(_entry_field(error.field, service_id), message)]) from None

    def default_file(self, data: dict[str, Any]) -> str:
        return DEFAULT_FILE_BY_PROVIDER.get(str(data.get("provider_type")), "lisapalvelut.yaml")

    # --- publishing -------------------------------------------------------------------------------

    def publish(
        self,
        session: Session,
        service_id: str,
        data: dict[str, Any],
        *,
        version: str | None,
        author: str,
        minor: bool = False,
        note: str = "",
        action: str = "update",
        undo_of: int | None = None,
    ) -> EntrySnapshot:
        """Make ``data`` the live entry ``service_id``; ``version`` is the one the editor started from."""
        with self.files.locked():
            try:
                current = self.files.get(service_id)
            except EntryNotFound:
                raise UnknownEntry(service_id) from None
            if version != current.version:
                raise EditConflict(version, self.get(session, service_id))
            plain = dict(self.validate(data, replacing=service_id))
            marks = review_marks(current.data, plain, minor)
            if marks:
                plain["translation_review"] = marks
            else:
                plain.pop("translation_review", None)
            if to_plain(plain) == current.data:
                return self.get(session, service_id)  # nothing changed: no history row, no write
            path, text = self.files.render_replaced(service_id, plain)
            self._record_and_write(
                session, path, text, service_id, current.data, plain, author, action, minor, note, undo_of
            )
        return self.get(session, service_id)

    def add(
        self,
        session: Session,
        data: dict[str, Any],
        *,
        author: str,
        file: str | None = None,
        note: str = "",
        action: str = "create",
        undo_of: int | None = None,
    ) -> EntrySnapshot:
        with self.files.locked():
            plain = self.validate(data, replacing=None, file=file)
            try:
                path, text = self.files.render_added(plain, file or self.default_file(plain))
            except EntryExists:
                raise EntryInvalid([FieldError("id", "an entry with this id already exists")]) from None
            self._record_and_write(
                session, path, text, plain["id"], None, plain, author, action, False, note, undo_of
            )
        return self.get(session, plain["id"])

    def retire(
        self,
        session: Session,
        service_id: str,
        *,
        version: str | None,
        author: str,
        note: str = "",
        undo_of: int | None = None,
    ) -> CatalogueChange:
        """Stop offering the entry: it leaves the live files, its content stays in the history (undo brings it
        back). Refused for an entry that a crisis card or another entry still refers to."""
        with self.files.locked():
            try:
                current = self.files.get(service_id)
            except EntryNotFound:
                raise UnknownEntry(service_id) from None
            if version != current.version:
                raise EditConflict(version, self.get(session, service_id))
            path, text = self.files.render_replaced(service_id, None)
            self._check_whole_catalogue(path, text, service_id)
            change = self._record_and_write(
                session,
                path,
                text,
                service_id,
                current.data,
                None,
                author,
                "retire" if undo_of is None else "undo",
                False,
                note,
                undo_of,
            )
        return change

    def _record_and_write(
        self,
        session: Session,
        path: Path,
        text: str,
        service_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        author: str,
        action: str,
        minor: bool,
        note: str,
        undo_of: int | None,
    ) -> CatalogueChange:
        """History row and audit first (flushed, not committed), then the file, then the commit; a failed
        commit puts the old file back, so the files and the history never disagree."""
        change = CatalogueChange(
            service_id=service_id,
            action=action,
            author=author,
            at=_now(),
            before=_jsonable(before),
            after=_jsonable(after),
            file=path.name,
            minor=minor,
            note=note or None,
            undo_of=undo_of,
        )
        session.add(change)
        session.flush()
        audit.record(
            session, author, f"catalogue_{action}", detail={"service_id": service_id, "change": change.id}
        )
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
        self.files.write(path, text)
        try:
            session.commit()
        except Exception:
            if old_text is None:
                path.unlink(missing_ok=True)
            else:
                self.files.write(path, old_text)
            raise
        return change

    # --- undo -------------------------------------------------------------------------------------

    def undo(self, session: Session, change_id: int, *, version: str | None, author: str) -> CatalogueChange:
        """A new change that restores the content before ``change_id``. ``version`` is the live version the
        editor sees now (None: the entry is not live), so an undo cannot overwrite a newer edit unseen."""
        change = self.change(session, change_id)
        note = f"undo of change {change.id}"
        live = self.files.all().get(change.service_id)
        if (live.version if live else None) != version:
            raise EditConflict(version, self.get(session, change.service_id) if live else None)
        if change.before is None:  # undo a creation: retire it
            return self.retire(
                session, change.service_id, version=version, author=author, note=note, undo_of=change.id
            )
        if live is None:  # undo a retirement: bring it back to the file it was in
            self.add(
                session,
                change.before,
                author=author,
                file=change.file,
                note=note,
                action="undo",
                undo_of=change.id,
            )
        else:
            self.publish(
                session,
                change.service_id,
                change.before,
                version=version,
                author=author,
                minor=True,
                note=note,
                action="undo",
                undo_of=change.id,
            )
        return self._last_change(session, change.service_id)  # type: ignore[return-value]

    # --- drafts -----------------------------------------------------------------------------------

    def save_draft(
        self,
        session: Session,
        service_id: str | None,
        data: dict[str, Any],
        *,
        version: str | None,
        author: str,
        minor: bool = False,
        note: str = "",
        publish_at: datetime | None = None,
        file: str | None = None,
    ) -> EntrySnapshot:
        """Keep a change as a draft; the live entry is unchanged. ``service_id`` None: a new entry.
        The draft is validated as a whole entry (a draft that could never be published is refused now)."""
        replacing = service_id if service_id is not None and service_id in self.files.all() else None
        if replacing is not None:
            current = self.files.get(replacing)
            if version != current.version:
                raise EditConflict(version, self.get(session, replacing))
        plain = self.validate(data, replacing=replacing, file=file)
        key = plain["id"]
        draft = session.get(CatalogueDraft, key)
        if draft is None:
            draft = CatalogueDraft(service_id=key)
            session.add(draft)
        draft.data = _jsonable(plain)
        draft.base_version = version if replacing else None
        draft.file = file or (self.files.get(replacing).file if replacing else self.default_file(plain))
        draft.author = author
        draft.updated_at = _now()
        draft.minor = minor
        draft.note = note or None
        if publish_at is not None and publish_at.tzinfo is None:
            publish_at = publish_at.replace(tzinfo=COUNTY_ZONE)  # a time typed without an offset is Finnish
        # Stored in UTC: SQLite keeps no offset, and every other moment in the database is UTC.
        draft.publish_at = publish_at.astimezone(timezone.utc) if publish_at else None
        audit.record(
            session,
            author,
            "catalogue_draft_saved",
            detail={"service_id": key, "publish_at": str(publish_at or "")},
        )
        session.commit()
        return self.get(session, key)

    def discard_draft(self, session: Session, service_id: str, *, author: str) -> None:
        draft = session.get(CatalogueDraft, service_id)
        if draft is None:
            raise UnknownEntry(service_id)
        session.delete(draft)
        audit.record(session, author, "catalogue_draft_discarded", detail={"service_id": service_id})
        session.commit()

    def publish_draft(self, session: Session, service_id: str, *, author: str) -> EntrySnapshot:
        """Swap the draft in. A draft made from a version that is no longer live is a conflict."""
        session.expire_all()  # read the draft as it is now: another worker may have published it
        draft = session.get(CatalogueDraft, service_id)
        if draft is None:
            raise UnknownEntry(service_id)
        data, base, minor, note, file = (
            dict(draft.data),
            draft.base_version,
            draft.minor,
            draft.note or "",
            draft.file,
        )
        if base is None:
            if service_id in self.files.all():
                raise EditConflict(None, self.get(session, service_id))
            snapshot = self.add(session, data, author=author, file=file, note=note)
        else:
            if service_id not in self.files.all():  # retired since the draft was made
                raise EditConflict(base, None)
            snapshot = self.publish(
                session, service_id, data, version=base, author=author, minor=minor, note=note
            )
        session.delete(session.get(CatalogueDraft, service_id))
        session.commit()
        return self.get(session, snapshot.service_id)

    def publish_due(self, session: Session, now: datetime | None = None) -> list[str]:
        """Publish the drafts whose ``publish_at`` has come (the gateway runs this every few seconds). A draft
        that conflicts or no longer validates stays a draft, unscheduled, and the failure is audited."""
        moment = now or _now()
        published = []
        due = session.scalars(select(CatalogueDraft).where(CatalogueDraft.publish_at.is_not(None)))
        for draft in list(due):
            if as_utc(draft.publish_at) > moment:
                continue
            service_id, author = draft.service_id, draft.author
            try:
                self.publish_draft(session, service_id, author=author)
                published.append(service_id)
            except UnknownEntry:
                session.rollback()  # another gateway worker published it first
            except (EditConflict, EntryInvalid) as error:
                session.rollback()
                stuck = session.get(CatalogueDraft, service_id)
                if stuck is not None:
                    stuck.publish_at = None
                audit.record(
                    session,
                    "scheduler",
                    "catalogue_scheduled_publish_failed",
                    detail={"service_id": service_id, "reason": str(error)[:300]},
                )
                session.commit()
        return published


def _entry_field(field_path: str, service_id: str) -> str:
    """The loader names fields ``[index] id.field`` or ``id.field``; the form wants ``field``."""
    text = field_path.split("] ", 1)[-1]
    if text.startswith(f"{service_id}."):
        return text[len(service_id) + 1 :]
    return "(entry)" if text in ("(root)", service_id) else text


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Dates as ISO strings for the JSON columns (and back to dates by the schema when restored)."""
    if data is None:
        return None

    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return value

    return convert(to_plain(data))
