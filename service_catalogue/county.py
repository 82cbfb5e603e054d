"""The deploying wellbeing county: its name, municipalities, general channels and service hours.

Everything county-specific lives in ``county.yaml`` so another county deploys by editing that file
and the service files, not the code.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, Extra, Field, validator

from service_catalogue.models import LocalizedText, _to_localized

_WEEKDAY_ABBR = ("ma", "ti", "ke", "to", "pe", "la", "su")


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class WebPage(_Strict):
    name: LocalizedText
    url: str
    source_url: str

    _name = validator("name", pre=True, allow_reuse=True)(_to_localized)


class PhoneNumber(_Strict):
    name: LocalizedText
    phone: str
    hours: LocalizedText
    source_url: str
    # Listed in direct_help_text as an always-open option.
    always_open: bool = False

    _texts = validator("name", "hours", pre=True, allow_reuse=True)(_to_localized)


class ServiceHours(_Strict):
    """When the county's workers read handoffs; drives the "when will someone contact me" text."""

    timezone: str = "Europe/Helsinki"
    weekdays: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])  # 0 = Monday
    open: time = time(8, 0)
    close: time = time(16, 0)
    closed_dates: list[date] = []  # public holidays when nobody reads the inbox

    @validator("weekdays", each_item=True)
    def _weekday(cls, value: int) -> int:
        if not 0 <= value <= 6:
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        return value

    @validator("close")
    def _order(cls, value: time, values: dict) -> time:
        if "open" in values and value <= values["open"]:
            raise ValueError("close must be after open")
        return value

    @validator("timezone")
    def _tz(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone
        return value

    def label(self) -> str:
        """E.g. "ma–pe klo 8–16"."""
        days = sorted(self.weekdays)
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
            day_text = f"{_WEEKDAY_ABBR[days[0]]}–{_WEEKDAY_ABBR[days[-1]]}"
        else:
            day_text = ", ".join(_WEEKDAY_ABBR[d] for d in days)
        return f"{day_text} klo {_clock(self.open)}–{_clock(self.close)}"


def _clock(value: time) -> str:
    return f"{value.hour}" if value.minute == 0 else f"{value.hour}.{value.minute:02d}"


class CountyProfile(_Strict):
    name: LocalizedText
    short_name: str
    municipalities: list[str] = Field(..., min_items=1)
    # Optional: official municipality codes (Statistics Finland, as PTV uses them) by municipality name, for
    # the PTV import; without them the import matches PTV's Finnish municipality names.
    municipality_codes: dict[str, str] = {}
    languages: list[str] = ["fi"]
    web_pages: list[WebPage] = Field(..., min_items=1)
    phone_numbers: list[PhoneNumber] = []
    emergency_number: str = "112"
    service_hours: ServiceHours = ServiceHours()
    source_urls: list[str] = Field(..., min_items=1)

    _name = validator("name", pre=True, allow_reuse=True)(_to_localized)

    def municipality_known(self, name: str | None) -> bool:
        return bool(name) and name.strip().casefold() in {m.casefold() for m in self.municipalities}

    def direct_help_text(self) -> str:
        """One or two calm Finnish sentences with the general channels and the always-open numbers."""
        pages = " ja ".join(f"{p.name.fi} {p.url}" for p in self.web_pages)
        text = f"{self.name.fi} verkossa: {pages}."
        always = [f"hätänumero {self.emergency_number}"]
        always += [f"{p.name.fi} {p.phone}" for p in self.phone_numbers if p.always_open]
        head, last = always[:-1], always[-1]
        joined = f"{', '.join(head)} ja {last}" if head else last
        return f"{text} Ympäri vuorokauden: {joined}."

    # --- service time -------------------------------------------------------------------------

    def _local(self, now: datetime | None) -> datetime:
        zone = ZoneInfo(self.service_hours.timezone)
        if now is None:
            return datetime.now(zone)
        # A naive datetime is taken as local time; an aware one is converted.
        return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)

    def _is_service_day(self, day: date) -> bool:
        hours = self.service_hours
        return day.weekday() in hours.weekdays and day not in hours.closed_dates

    def is_service_time(self, now: datetime | None = None) -> bool:
        local = self._local(now)
        hours = self.service_hours
        return self._is_service_day(local.date()) and hours.open <= local.time() < hours.close

    def service_ends_at(self, now: datetime | None = None) -> datetime | None:
        """When today's service time ends, while it is on; ``None`` outside service time."""
        local = self._local(now)
        if not self.is_service_time(local):
            return None
        return datetime.combine(local.date(), self.service_hours.close, tzinfo=local.tzinfo)

    def contact_time_text(self, now: datetime | None = None) -> str:
        local = self._local(now)
        hours = self.service_hours
        label = hours.label()
        if self.is_service_time(local):
            return "tänään virka-aikana"
        if self._is_service_day(local.date()) and local.time() < hours.open:
            return f"tänään virka-aikana ({label})"
        next_day = local.date() + timedelta(days=1)
        for _ in range(14):  # skip weekends and listed holidays
            if self._is_service_day(next_day):
                break
            next_day += timedelta(days=1)
        if next_day == local.date() + timedelta(days=1):
            return f"huomenna virka-aikana ({label})"
        return f"seuraavana arkipäivänä ({label})"


def load_county_profile(path: Path) -> CountyProfile:
    with Path(path).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return CountyProfile.parse_obj(data)
