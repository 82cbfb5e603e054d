"""PTV service hours as the catalogue's opening-hours text ("ma–pe klo 8–16"), in fi, sv and en.

The catalogue keeps hours as text (``Channel.hours``), so weekly and exceptional hours are written out in
the style of the hand-written entries. Exceptional hours that ended before ``today`` are left out, so the
text does not carry last Christmas; an import after the date reports that change like any other.
"""

from __future__ import annotations

from datetime import date, datetime

from service_catalogue.ptv.shapes import OpeningHour, ServiceHour

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_NAMES = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
WORDS = {
    "fi": {
        "at": "klo ",
        "always": "ympäri vuorokauden",
        "closed": "suljettu",
        "exceptions": "Poikkeusaukiolot",
    },
    "sv": {"at": "kl. ", "always": "dygnet runt", "closed": "stängt", "exceptions": "Avvikande öppettider"},
    "en": {"at": "", "always": "24/7", "closed": "closed", "exceptions": "Exceptions"},
}
WEEKLY_TYPES = ("DaysOfTheWeek", "OverMidnight", "Standard", "Special")  # v7 names too
EXCEPTIONAL_TYPES = ("Exceptional", "Exception")


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.rstrip("Z")[:19]).date()
    except ValueError:
        return None


def _clock(value: str | None, lang: str) -> str | None:
    """``"08:00:00"`` or ``"08:00"`` as ``8`` / ``8.30`` (fi, sv) or ``8:30`` (en)."""
    if not value:
        return None
    parts = value.strip().split(":")
    if not parts[0].isdigit():
        return None
    hour = int(parts[0])
    minute = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    if minute == 0:
        return str(hour)
    return f"{hour}{':' if lang == 'en' else '.'}{minute:02d}"


def _day(name: str | None, lang: str) -> str | None:
    if not name or name not in DAYS:
        return None  # "" (an empty dayTo) or an unknown name
    return DAY_NAMES[lang][DAYS.index(name)]


def _span(start: str | None, end: str | None) -> str | None:
    if start and end and end != start:
        return f"{start}–{end}"
    return start or end


def _opening(item: OpeningHour, lang: str, over_midnight: bool) -> str | None:
    first, last = _day(item.dayFrom, lang), _day(item.dayTo, lang)
    opens, closes = _clock(item.from_, lang), _clock(item.to, lang)
    times = _span(opens, closes)
    if over_midnight and first and last and opens and closes:
        return f"{first} {WORDS[lang]['at']}{opens}–{last} {closes}"
    days = _span(first, last)
    if days and times:
        return f"{days} {WORDS[lang]['at']}{times}"
    return days or (f"{WORDS[lang]['at']}{times}" if times else None)


def _dates(hour: ServiceHour) -> str | None:
    start, end = _date(hour.validFrom), _date(hour.validTo)
    texts = [f"{d.day}.{d.month}.{d.year}" for d in (start, end) if d is not None]
    return _span(*texts) if texts else None


def _info(hour: ServiceHour, lang: str) -> str | None:
    for item in hour.additionalInformation:
        if item.language == lang and item.value:
            return item.value
    return None


def _weekly(hour: ServiceHour, lang: str) -> str | None:
    if hour.isAlwaysOpen:
        text: str | None = WORDS[lang]["always"]
    elif hour.isClosed:
        text = WORDS[lang]["closed"]
    else:
        parts = [_opening(o, lang, hour.serviceHourType == "OverMidnight") for o in hour.openingHour]
        text = ", ".join(p for p in parts if p) or None
    if text is None:
        return None
    period = _dates(hour) if (hour.validFrom or hour.validTo) else None
    info = _info(hour, lang)
    return (f"{period}: " if period else "") + text + (f" ({info})" if info else "")


def _exceptional(hour: ServiceHour, lang: str) -> str | None:
    period = _dates(hour)
    if hour.isClosed or not hour.openingHour:
        state: str | None = WORDS[lang]["closed"] if hour.isClosed else None
    else:
        parts = [_opening(o, lang, False) for o in hour.openingHour]
        state = ", ".join(p for p in parts if p) or None
    if hour.isAlwaysOpen:
        state = WORDS[lang]["always"]
    text = " ".join(p for p in (period, state) if p)
    if not text:
        return None
    info = _info(hour, lang)
    return text + (f" ({info})" if info else "")


def _current(hour: ServiceHour, today: date) -> bool:
    end = _date(hour.validTo) or _date(hour.validFrom)
    return end is None or end >= today


def hours_text(
    weekly: list[ServiceHour], exceptional: list[ServiceHour], today: date
) -> dict[str, str] | None:
    """``{"fi": …, "sv": …, "en": …}`` for the hours, or None when there are none (still valid) to show."""
    weekly = [h for h in weekly if _current(h, today)]
    exceptional = [h for h in exceptional if _current(h, today)]
    result: dict[str, str] = {}
    for lang in ("fi", "sv", "en"):
        regular = "; ".join(t for t in (_weekly(h, lang) for h in weekly) if t)
        special = "; ".join(t for t in (_exceptional(h, lang) for h in exceptional) if t)
        if special:
            special = f"{WORDS[lang]['exceptions']}: {special}"
        text = ". ".join(t for t in (regular, special) if t)
        if text:
            result[lang] = text
    return result if "fi" in result else None


def split_hours(hours: list[ServiceHour]) -> tuple[list[ServiceHour], list[ServiceHour]]:
    weekly = [h for h in hours if h.serviceHourType in WEEKLY_TYPES or h.serviceHourType is None]
    exceptional = [h for h in hours if h.serviceHourType in EXCEPTIONAL_TYPES]
    return weekly, exceptional
