"""PTV-like data model of one catalogue entry (Suomi.fi Palvelutietovaranto: service + channels).

Pydantic v1. Every model forbids extra fields so that a typo in the YAML fails loudly instead of
silently dropping content an editor meant to publish.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Extra, Field, root_validator, validator

from common.languages import LANGUAGES
from service_catalogue.topics import TOPICS

# Owned by the risk-screening module; repeated here so the catalogue can be validated on its own.
RISK_CATEGORIES: tuple[str, ...] = (
    "suicide_self_harm",
    "overdose_poisoning",
    "medical_emergency",
    "domestic_violence",
    "child_at_risk",
    "threat_to_others",
    "substance_crisis",
    "no_money_food_medicine",
    "eviction_homelessness",
    "not_coping",
    "older_relative_not_managing",
    "exploitation_threats",
    "digital_exclusion",
)

TARGET_GROUPS: tuple[str, ...] = (
    "everyone",
    "adults",
    "families_with_children",
    "young_people",
    "older_people",
    "students",
    "unemployed",
    "caregivers",
    "immigrants",
)

_SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]*[0-9]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class LocalizedText(_Strict):
    fi: str = Field(..., min_length=1)
    sv: str | None = None
    en: str | None = None

    def get(self, lang: str = "fi") -> str:
        """Text in ``lang``; Finnish when that language is missing (Finnish is the one required)."""
        value = getattr(self, lang, None) if lang in LANGUAGES else None
        return value or self.fi


def _to_localized(value: object) -> object:
    # Editors may write a plain string where only Finnish exists yet.
    return {"fi": value} if isinstance(value, str) else value


class LocalizedPhrases(_Strict):
    """What residents write when they need this service, per language (used by catalogue retrieval).

    Finnish is required wherever the field is given; sv and en where an editor has written them.
    """

    fi: list[str] = Field(..., min_items=1)
    sv: list[str] = []
    en: list[str] = []

    @validator("fi", "sv", "en", each_item=True)
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a phrase may not be empty")
        return value

    def all(self) -> list[tuple[str, str]]:
        """(language, phrase) for every phrase."""
        return [(lang, text) for lang in LANGUAGES for text in getattr(self, lang)]


class ProviderType(str, Enum):
    omaolo = "omaolo"
    kela = "kela"
    tyollisyyspalvelut = "tyollisyyspalvelut"
    hyvinvointialue = "hyvinvointialue"
    jarjesto = "jarjesto"
    muu_julkinen = "muu_julkinen"
    hatapalvelu = "hatapalvelu"


class ChannelType(str, Enum):
    web = "web"
    eservice = "eservice"
    phone = "phone"
    location = "location"


class Channel(_Strict):
    type: ChannelType
    name: LocalizedText | None = None
    url: str | None = None
    phone: str | None = None
    hours: LocalizedText | str | None = None
    address: str | None = None
    # Optional, from the PTV import (service_catalogue/ptv): the PTV service channel it came from, its
    # e-mail address, and what a call costs ("pvm/mpm", "maksuton"). Hand-written channels need none.
    ptv_id: str | None = None
    email: str | None = None
    charge: LocalizedText | None = None

    _name = validator("name", "charge", pre=True, allow_reuse=True)(_to_localized)

    @validator("email")
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("email must look like name@example.org")
        return value

    @validator("url")
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("url must start with https:// or http://")
        return value

    @validator("phone")
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value):
            raise ValueError("phone may contain only digits, spaces and a leading +")
        return value

    @root_validator(skip_on_failure=True)
    def _needs_contact(cls, values: dict) -> dict:
        # Only once the fields themselves are valid, so a mistyped phone is reported once, at the phone.
        kind = values.get("type")
        if kind in (ChannelType.web, ChannelType.eservice) and not values.get("url"):
            raise ValueError(f"a {kind.value} channel needs a url")
        if kind is ChannelType.phone and not values.get("phone"):
            raise ValueError("a phone channel needs a phone")
        if kind is ChannelType.location and not values.get("address"):
            raise ValueError("a location channel needs an address")
        return values

    def hours_text(self, lang: str = "fi") -> str | None:
        if self.hours is None:
            return None
        return self.hours if isinstance(self.hours, str) else self.hours.get(lang)


class Service(_Strict):
    id: str
    provider_type: ProviderType
    provider: str = Field(..., min_length=1)
    name: LocalizedText
    summary: LocalizedText
    self_service_steps: list[LocalizedText] = []
    channels: list[Channel] = Field(..., min_items=1)
    topics: list[str] = Field(..., min_items=1)
    risk_categories: list[str] = []
    target_groups: list[str] = Field(default_factory=lambda: ["everyone"])
    area: Literal["national"] | list[str]
    segments: list[int] = Field(..., min_items=1)
    source_urls: list[str] = Field(..., min_items=1)
    last_reviewed: date
    related: list[str] = []
    priority: int = 0
    available_24_7: bool = False
    # Retrieval: the questions residents ask and the everyday words they use for this service. These, not
    # intents, are what makes a new entry findable (``service_catalogue.retrieval``).
    example_questions: LocalizedPhrases | None = None
    everyday_words: LocalizedPhrases | None = None
    # Validity period: a reform that starts on the 1st is prepared in advance. Outside it the entry stays in
    # the files (and the editor) but is not offered to residents. Dates are whole days in the county's zone.
    # datetime first: pydantic v1 tries a union in order, and `date` would cut a datetime to its day.
    valid_from: datetime | date | None = None
    valid_to: datetime | date | None = None
    # Fields whose sv/en text is older than a change of the Finnish text ("summary.sv"): shown to
    # editors and in the content report until a translator has checked them.
    translation_review: list[str] = []
    # The PTV (Palvelutietovaranto) service this entry is imported from; None for hand-written entries.
    ptv_id: str | None = None

    _texts = validator("name", "summary", pre=True, allow_reuse=True)(_to_localized)

    @validator("self_service_steps", pre=True)
    def _steps(cls, value: object) -> object:
        return [_to_localized(item) for item in value] if isinstance(value, list) else value

    @validator("id")
    def _id(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("id must be a slug: lowercase letters, digits and single underscores")
        return value

    @validator("topics", each_item=True)
    def _topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic {value!r}; the topics are listed in service_catalogue/topics.py")
        return value

    @validator("risk_categories", each_item=True)
    def _risk(cls, value: str) -> str:
        if value not in RISK_CATEGORIES:
            raise ValueError(f"unknown risk category {value!r}")
        return value

    @validator("target_groups", each_item=True)
    def _target(cls, value: str) -> str:
        if value not in TARGET_GROUPS:
            raise ValueError(f"unknown target group {value!r}; use one of {', '.join(TARGET_GROUPS)}")
        return value

    @validator("area")
    def _area(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list) and not value:
            raise ValueError('area must be "national" or a non-empty list of municipalities')
        return value

    @validator("segments", each_item=True)
    def _segment(cls, value: int) -> int:
        if value not in (1, 2, 3, 4):
            raise ValueError("segments are 1 to 4")
        return value

    @validator("source_urls", each_item=True)
    def _source(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("source_urls must be web addresses")
        return value

    @validator("available_24_7")
    def _always_open_needs_phone(cls, value: bool, values: dict) -> bool:
        # A 24/7 entry ends up on crisis cards, which are useless without a number to call.
        if value and not any(ch.phone for ch in values.get("channels") or []):
            raise ValueError("a service marked available_24_7 needs a phone channel")
        return value

    @validator("valid_to")
    def _period(cls, value: date | datetime | None, values: dict) -> date | datetime | None:
        start = values.get("valid_from")
        if value is not None and start is not None and _as_moment(value) <= _as_moment(start):
            raise ValueError("valid_to must be after valid_from")
        return value

    @validator("translation_review", each_item=True)
    def _review_field(cls, value: str) -> str:
        # Nested fields too: bot.catalogue_editing.review_marks marks channels.0.hours.sv.
        if not re.match(r"^[a-z_]+(\.[0-9]+)?(\.[a-z_]+)?\.(sv|en)$", value):
            raise ValueError(
                "translation_review lists fields such as summary.sv, self_service_steps.0.en or "
                "channels.0.hours.sv"
            )
        return value

    # --- helpers used by cards and search -------------------------------------------------------

    def valid_at(self, moment: datetime) -> bool:
        """Whether residents are offered this entry at ``moment`` (an aware datetime)."""
        if self.valid_from is not None and moment < _as_moment(self.valid_from):
            return False
        return not (self.valid_to is not None and moment >= _as_moment(self.valid_to))

    def validity_bounds(self) -> list[datetime]:
        return [_as_moment(v) for v in (self.valid_from, self.valid_to) if v is not None]

    def serves(self, municipality: str) -> bool:
        if self.area == "national":
            return True
        return municipality.strip().casefold() in {m.casefold() for m in self.area}

    @property
    def primary_url(self) -> str | None:
        """The e-service first (where the resident can act), then an information page."""
        for kind in (ChannelType.eservice, ChannelType.web):
            for channel in self.channels:
                if channel.type is kind and channel.url:
                    return channel.url
        return None

    @property
    def primary_phone(self) -> str | None:
        for channel in self.channels:
            if channel.phone:
                return channel.phone
        return None

    def hours_text(self, lang: str = "fi") -> str | None:
        """Opening hours of the phone channel when there is one, otherwise of the first channel with hours."""
        phones = [c for c in self.channels if c.phone and c.hours is not None]
        others = [c for c in self.channels if c.hours is not None]
        for channel in phones or others:
            return channel.hours_text(lang)
        return None


try:
    from zoneinfo import ZoneInfo

    _COUNTY_ZONE: timezone | ZoneInfo = ZoneInfo("Europe/Helsinki")
except Exception:  # pragma: no cover - no tz database: UTC is the safe approximation
    _COUNTY_ZONE = timezone.utc
COUNTY_ZONE = _COUNTY_ZONE  # the zone of dates and times editors type


def _as_moment(value: date | datetime) -> datetime:
    """A date means midnight at its start in the county's time zone; a naive datetime is county time."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=_COUNTY_ZONE)
    return datetime(value.year, value.month, value.day, tzinfo=_COUNTY_ZONE)
