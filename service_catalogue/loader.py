"""Loading and validating the catalogue directory, and a store that hot-reloads it.

Layout of ``directory``: ``county.yaml``, ``crisis_contacts.yaml`` and ``services/*.yaml``
(each a list of services). Any problem raises :class:`CatalogueError` naming the file and field.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from service_catalogue.county import CountyProfile
from service_catalogue.models import RISK_CATEGORIES, Service

logger = logging.getLogger(__name__)

COUNTY_FILE = "county.yaml"
CRISIS_FILE = "crisis_contacts.yaml"
SERVICES_DIR = "services"


class CatalogueError(Exception):
    """An invalid catalogue file; the message names the file and the field."""

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        self.path = str(path)
        self.field = field
        detail = message if message.startswith(field) else f"{field}: {message}"
        super().__init__(f"{self.path}: {detail}")


@dataclass
class Catalogue:
    services: dict[str, Service]
    county: CountyProfile
    crisis_contacts: dict[str, list[str]] = field(default_factory=dict)

    def valid_at(self, moment: datetime) -> Catalogue:
        """The catalogue residents are offered at ``moment``: entries outside their validity period left out.
        ``related`` links to a left-out entry simply find nothing; crisis contacts have no validity period."""
        services = {sid: s for sid, s in self.services.items() if s.valid_at(moment)}
        if len(services) == len(self.services):
            return self
        return Catalogue(services=services, county=self.county, crisis_contacts=self.crisis_contacts)

    def next_validity_change(self, moment: datetime) -> datetime | None:
        """The first moment after ``moment`` when an entry's validity period starts or ends."""
        upcoming = [b for s in self.services.values() for b in s.validity_bounds() if b > moment]
        return min(upcoming, default=None)

    def get(self, service_id: str) -> Service:
        try:
            return self.services[service_id]
        except KeyError:
            raise KeyError(f"no service with id {service_id!r} in the catalogue") from None


# libyaml's parser where PyYAML was built with it (the Debian and PyPI wheels are): ten times faster, and the
# editor validates the whole catalogue on every save.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that rejects duplicate mapping keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path, text: str | None = None) -> Any:
    try:
        if text is not None:
            return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_UniqueKeyLoader)
    except FileNotFoundError:
        raise CatalogueError(path, "(file)", "file is missing") from None
    except yaml.YAMLError as exc:
        raise CatalogueError(path, "(yaml)", str(exc).replace("\n", " ")) from None


def _format_errors(exc: ValidationError, prefix: str) -> tuple[str, str]:
    """First failing field (for the exception's ``field``) and a message listing all of them."""
    parts = []
    fields = []
    for error in exc.errors():
        loc = ".".join(str(item) for item in error["loc"])
        full = f"{prefix}.{loc}" if prefix else loc
        fields.append(full)
        parts.append(f"{full}: {error['msg']}")
    return (fields[0] if fields else prefix or "(root)"), "; ".join(parts)


def _load_county(path: Path) -> CountyProfile:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise CatalogueError(path, "(root)", "expected a mapping of county fields")
    try:
        return CountyProfile.parse_obj(data)
    except ValidationError as exc:
        field_name, message = _format_errors(exc, "")
        raise CatalogueError(path, field_name, message) from None


# Parsed service files by (path, mtime, size): an edit re-parses only the file it changed (parsing the
# whole catalogue with the pure-Python YAML loader takes a second or more).
_PARSED: dict[tuple[str, int, int], list[Service]] = {}


def _load_service_file(path: Path, text: str | None = None) -> list[Service]:
    if text is not None:
        return _parse_service_file(path, text)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise CatalogueError(path, "(file)", "file is missing") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        for stale in [k for k in _PARSED if k[0] == key[0]]:
            del _PARSED[stale]
        _PARSED[key] = _parse_service_file(path, None)
    return list(_PARSED[key])


def _parse_service_file(path: Path, text: str | None) -> list[Service]:
    data = _read_yaml(path, text)
    if data is None:
        return []
    if not isinstance(data, list):
        raise CatalogueError(path, "(root)", "expected a list of services")
    services = []
    for index, item in enumerate(data):
        label = f"[{index}]"
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            label = f"[{index}] {item['id']}"
        if not isinstance(item, dict):
            raise CatalogueError(path, label, "each service must be a mapping")
        try:
            services.append(Service.parse_obj(item))
        except ValidationError as exc:
            field_name, message = _format_errors(exc, label)
            raise CatalogueError(path, field_name, message) from None
    return services


def _load_crisis_contacts(path: Path, services: dict[str, Service]) -> dict[str, list[str]]:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise CatalogueError(path, "(root)", "expected a mapping of risk category -> service ids")
    contacts: dict[str, list[str]] = {}
    for category, ids in data.items():
        if category not in RISK_CATEGORIES:
            raise CatalogueError(path, str(category), "unknown risk category")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise CatalogueError(path, str(category), "expected a non-empty list of service ids")
        seen_office_hours = False
        for service_id in ids:
            service = services.get(service_id)
            if service is None:
                raise CatalogueError(path, f"{category}.{service_id}", "no service with this id")
            if category not in service.risk_categories:
                message = f"the service does not list {category} in risk_categories"
                raise CatalogueError(path, f"{category}.{service_id}", message)
            if service.valid_from is not None or service.valid_to is not None:
                # A crisis card must never lose its number because a date passed.
                message = "a crisis contact may not have a validity period (valid_from / valid_to)"
                raise CatalogueError(path, f"{category}.{service_id}", message)
            if service.available_24_7 and seen_office_hours:
                raise CatalogueError(path, category, "list 24/7 services before office-hours services")
            seen_office_hours = seen_office_hours or not service.available_24_7
        contacts[category] = list(ids)
    missing = [c for c in RISK_CATEGORIES if c not in contacts]
    if missing:
        raise CatalogueError(path, missing[0], f"no crisis contacts for: {', '.join(missing)}")
    return contacts


def catalogue_files(directory: Path) -> list[Path]:
    """Every file the catalogue is read from (used for change detection)."""
    directory = Path(directory)
    services = sorted((directory / SERVICES_DIR).glob("*.yaml"))
    return [directory / COUNTY_FILE, directory / CRISIS_FILE, *services]


def load_catalogue(directory: Path, replaced: dict[str, str] | None = None) -> Catalogue:
    """The catalogue in ``directory``. ``replaced``: service file names and the text to read instead of the
    file (or for a new file), so an editor's change is checked as a whole before it is written."""
    directory = Path(directory)
    replaced = replaced or {}
    county = _load_county(directory / COUNTY_FILE)

    service_files = sorted(
        {*(directory / SERVICES_DIR).glob("*.yaml"), *(directory / SERVICES_DIR / name for name in replaced)}
    )
    if not service_files:
        raise CatalogueError(directory / SERVICES_DIR, "(files)", "no service files (*.yaml)")
    services: dict[str, Service] = {}
    origin: dict[str, Path] = {}
    for path in service_files:
        for service in _load_service_file(path, replaced.get(path.name)):
            if service.id in services:
                message = f"duplicate id, already defined in {origin[service.id]}"
                raise CatalogueError(path, f"{service.id}.id", message)
            services[service.id] = service
            origin[service.id] = path

    for service_id, service in services.items():
        for related in service.related:
            if related not in services:
                message = f"unknown service id {related!r}"
                raise CatalogueError(origin[service_id], f"{service_id}.related", message)
        # Local entries may list other cities too (e.g. an NGO in several cities) but must include
        # at least one of the county's municipalities, or the entry could never be shown.
        if isinstance(service.area, list) and not any(county.municipality_known(m) for m in service.area):
            message = "none of the municipalities belongs to the county"
            raise CatalogueError(origin[service_id], f"{service_id}.area", message)

    crisis_contacts = _load_crisis_contacts(directory / CRISIS_FILE, services)
    return Catalogue(services=services, county=county, crisis_contacts=crisis_contacts)


class CatalogueStore:
    """Serves the catalogue and reloads it when an editor changes a file.

    The change check is a cheap ``stat`` of each file, done at most once per ``check_interval``
    seconds. A broken edit is logged and the last good catalogue keeps being served, so a typo never
    takes the assistant down; only a store that has never loaded successfully raises.

    What it serves is the catalogue valid now (``Catalogue.valid_at``): when an entry's validity period
    starts or ends, the next ``get`` hands out a new catalogue object, so the retrieval index follows.
    """

    def __init__(
        self, directory: Path, check_interval: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.directory = Path(directory)
        self.check_interval = check_interval
        self.clock = clock  # what "now" is for validity periods (a test moves it)
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None  # everything in the files
        self._view: Catalogue | None = None  # what is valid now
        self._view_until: datetime | None = None
        self._view_source: Catalogue | None = None
        self._signature: tuple | None = None
        self._last_check = float("-inf")
        self.last_error: CatalogueError | None = None

    def _current_signature(self) -> tuple:
        entries = []
        for path in catalogue_files(self.directory):
            try:
                stat = path.stat()
                entries.append((str(path), stat.st_mtime_ns, stat.st_size))
            except FileNotFoundError:
                entries.append((str(path), None, None))
        return tuple(entries)

    def get(self) -> Catalogue:
        """The catalogue residents are offered now."""
        with self._lock:
            full = self._current()
            moment = self.clock()
            if self._view is None or self._view_source is not full or (
                self._view_until is not None and moment >= self._view_until
            ):
                self._view = full.valid_at(moment)
                self._view_source = full
                self._view_until = full.next_validity_change(moment)
            return self._view

    def get_all(self) -> Catalogue:
        """Every entry in the files, whatever its validity period (for editors and reports)."""
        with self._lock:
            return self._current()

    def _current(self) -> Catalogue:
        """The full catalogue, re-read when a file changed (caller holds the lock)."""
        now = time.monotonic()
        if self._catalogue is not None and now - self._last_check < self.check_interval:
            return self._catalogue
        self._last_check = now
        signature = self._current_signature()
        if signature != self._signature:
            self._signature = signature
            try:
                self._catalogue = load_catalogue(self.directory)
                self.last_error = None
                logger.info("catalogue loaded: %d services", len(self._catalogue.services))
            except CatalogueError as exc:
                self.last_error = exc
                if self._catalogue is None:
                    # Never had a good one: retry on the next call rather than caching the failure.
                    self._signature = None
                    raise
                logger.error("catalogue edit rejected, keeping the previous version: %s", exc)
        if self._catalogue is None:  # pragma: no cover - defensive, load either set it or raised
            raise CatalogueError(self.directory, "(catalogue)", "no catalogue loaded")
        return self._catalogue
