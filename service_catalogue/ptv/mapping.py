"""One PTV service and its channels as the PTV-owned part of a catalogue entry.

PTV owns: ``ptv_id``, ``provider``, ``name``, ``summary``, ``area``, ``target_groups``, the channels that came
from PTV (each with its ``ptv_id``) and the PTV record in ``source_urls``. Everything else in an entry
(topics, segments, example questions, risk categories, steps, priority, ...) is the editors' and never
touched by an import. What PTV has and the schema has no place for is listed in ``dropped``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service_catalogue.county import CountyProfile
from service_catalogue.models import LANGUAGES, TARGET_GROUPS
from service_catalogue.ptv.fields import CHANNEL_ORDER
from service_catalogue.ptv.hours import hours_text, split_hours
from service_catalogue.ptv.shapes import (
    LocalizedItem,
    Phone,
    PtvChannel,
    PtvService,
    ServiceConnection,
    ServiceHour,
    WebPage,
)

PTV_API = "https://api.palvelutietovaranto.suomi.fi/api/v11"
# PTV target-group codes (code list ptvkohderyhmat) that have a counterpart in the catalogue. KR1.5
# Ulkosuomalaiset (Finns abroad) is not "immigrants"; KR1.4 and KR1.6 have no group of their own here.
TARGET_GROUP_CODES = {
    "KR1": "everyone",
    "KR1.1": "older_people",
    "KR1.2": "families_with_children",
    "KR1.3": "young_people",
}
CHANNEL_TYPES = {
    "Phone": "phone",
    "EChannel": "eservice",
    "WebPage": "web",
    "PrintableForm": "web",
    "ServiceLocation": "location",
}
NATIONAL_AREAS = (
    "Nationwide",
    "NationwideExceptAlandIslands",
    "WholeCountry",
    "WholeCountryExceptAlandIslands",
)
NOT_PUBLISHED = ("Deleted", "Archived", "Withdrawn", "Draft")
CHARGE_LABELS = {
    "Chargeable": {"fi": "Maksullinen puhelu", "sv": "Avgiftsbelagt samtal", "en": "Charged call"},
    "FreeOfCharge": {"fi": "Maksuton puhelu", "sv": "Avgiftsfritt samtal", "en": "Free call"},
    "Charged": {"fi": "Maksullinen puhelu", "sv": "Avgiftsbelagt samtal", "en": "Charged call"},
    "Free": {"fi": "Maksuton puhelu", "sv": "Avgiftsfritt samtal", "en": "Free call"},
}


def record_url(ptv_id: str) -> str:
    """The PTV record an imported entry's facts come from (the open read API)."""
    return f"{PTV_API}/Service/{ptv_id}"


@dataclass
class MappedService:
    ptv_id: str
    entry_id: str  # suggested id for a new entry (a slug of the Finnish name)
    content: dict[str, Any]  # the PTV-owned fields, in the catalogue's shape
    modified: str | None = None
    dropped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why it cannot become (or update) an entry
    skipped: str | None = None  # not imported at all (e.g. deleted in PTV)


def _texts(items: list[LocalizedItem], kinds: tuple[str, ...] | None = None) -> dict[str, str]:
    """First text per language (fi, sv, en), optionally only of the given ``type``s, in ``kinds`` order."""
    result: dict[str, str] = {}
    for kind in kinds or (None,):
        for item in items:
            if kind is not None and item.type != kind:
                continue
            if item.language in LANGUAGES and item.value and item.language not in result:
                result[item.language] = item.value
    return {lang: result[lang] for lang in LANGUAGES if lang in result}


def _localized(texts: dict[str, str]) -> dict[str, str] | None:
    return texts if "fi" in texts else None


def _language_rank(language: str | None) -> int:
    return LANGUAGES.index(language) if language in LANGUAGES else len(LANGUAGES)


def slug(text: str, limit: int = 48) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = [w for w in re.split(r"[^a-z0-9]+", plain) if w]
    result = ""
    for word in words:
        candidate = f"{result}_{word}" if result else word
        if len(candidate) > limit:
            break
        result = candidate
    return result or "ptv_palvelu"


def format_phone(phone: Phone) -> str | None:
    """``+358`` and ``101010100`` as ``+358 101010100``; a Finnish service number as written (digits and
    spaces only, so it passes the catalogue's phone check)."""
    number = re.sub(r"[^0-9 ]", "", phone.number or "").strip()
    number = re.sub(r" +", " ", number)
    if not number:
        return None
    prefix = re.sub(r"[^0-9+]", "", phone.prefixNumber or "")
    if not prefix or phone.isFinnishServiceNumber:
        return number
    if not prefix.startswith("+"):
        prefix = f"+{prefix.lstrip('0')}"
    return f"{prefix} {number.lstrip('0').lstrip()}"  # the national 0 does not belong after the prefix


def _charge(phone: Phone) -> dict[str, str] | None:
    labels = dict(CHARGE_LABELS.get(phone.serviceChargeType or "", {}))
    description = (phone.chargeDescription or "").strip()
    if description:
        lang = phone.language if phone.language in LANGUAGES else "fi"
        labels[lang] = f"{labels[lang]}: {description}" if lang in labels else description
    return _localized({lang: labels[lang] for lang in LANGUAGES if lang in labels})


def _sorted_phones(phones: list[Phone]) -> list[Phone]:
    voice = [p for p in phones if p.type in (None, "Phone") and format_phone(p)]
    return sorted(voice, key=lambda p: _language_rank(p.language))


def _first_url(pages: list[WebPage]) -> str | None:
    ranked = sorted(
        (p for p in pages if p.url and p.url.startswith(("https://", "http://"))),
        key=lambda p: (_language_rank(p.language), p.orderNumber if p.orderNumber is not None else 0),
    )
    return ranked[0].url if ranked else None


def _first_email(items: list[LocalizedItem]) -> str | None:
    ranked = sorted(
        (i for i in items if i.value and "@" in i.value), key=lambda i: _language_rank(i.language)
    )
    return ranked[0].value if ranked else None


def _address(channel: PtvChannel) -> str | None:
    ranked = sorted(channel.addresses, key=lambda a: 0 if a.type == "Location" else 1)
    for address in ranked:
        street = address.streetAddress
        if street is None:
            continue
        name = _texts(street.street).get("fi")
        office = _texts(street.postOffice).get("fi")
        first = " ".join(p for p in (name, street.streetNumber) if p)
        second = " ".join(p for p in (street.postalCode, office) if p)
        text = ", ".join(p for p in (first, second) if p)
        if text:
            return text
    return None


def _connection(service: PtvService, channel: PtvChannel) -> list[ServiceConnection]:
    """The service–channel connection as either side carries it (the same connection, possibly on both)."""
    from_service = [
        c for c in service.serviceChannels if c.serviceChannel and c.serviceChannel.id == channel.id
    ]
    from_channel = [c for c in channel.services if c.service and c.service.id == service.id]
    return from_service + from_channel


def _channel_hours(
    channel: PtvChannel, connections: list[ServiceConnection], today: date
) -> dict[str, str] | None:
    """Connection hours are specific to this service at this channel, so its weekly hours replace the
    channel's; exceptional hours (a holiday closing of the channel) apply from both."""
    own_weekly, own_exceptional = split_hours(channel.serviceHours)
    linked: list[ServiceHour] = [h for c in connections for h in c.serviceHours]
    linked_weekly, linked_exceptional = split_hours(linked)
    exceptional: list[ServiceHour] = []
    for hour in linked_exceptional + own_exceptional:
        if hour not in exceptional:  # the same connection can arrive from both sides
            exceptional.append(hour)
    weekly: list[ServiceHour] = []
    for hour in linked_weekly or own_weekly:
        if hour not in weekly:
            weekly.append(hour)
    return hours_text(weekly, exceptional, today)


def map_channel(
    service: PtvService, channel: PtvChannel, today: date, dropped: list[str]
) -> dict[str, Any] | None:
    """One catalogue channel for one PTV channel, or None (the reason goes to ``dropped``)."""
    label = f"channel {channel.id}"
    kind = CHANNEL_TYPES.get(channel.serviceChannelType)
    if kind is None:
        dropped.append(f"{label}: channel type {channel.serviceChannelType!r} has no counterpart")
        return None
    result: dict[str, Any] = {"type": kind}
    name = _localized(_texts(channel.serviceChannelNames, ("Name", "AlternativeName")))
    if name:
        result["name"] = name
    url = _first_url(channel.webPages)
    phones = _sorted_phones(channel.phoneNumbers)
    email = _first_email(channel.supportEmails + channel.emails)
    if kind in ("web", "eservice"):
        if url is None:
            dropped.append(f"{label}: {channel.serviceChannelType} without a web address")
            return None
        result["url"] = url
        phones = []  # support phones of an e-service stay in PTV (one contact per channel here)
    elif kind == "location":
        address = _address(channel)
        if address is None:
            dropped.append(f"{label}: service location without a street address")
            return None
        result["address"] = address
    if phones:
        result["phone"] = format_phone(phones[0])
        charge = _charge(phones[0])
        if charge:
            result["charge"] = charge
        for extra in phones[1:]:
            dropped.append(
                f"{label}: phone {format_phone(extra)} ({extra.language or '?'}): one number per channel"
            )
    elif kind == "phone":
        dropped.append(f"{label}: phone channel without a phone number")
        return None
    for other in channel.phoneNumbers:
        if other.type in ("Fax", "Sms"):
            dropped.append(f"{label}: {other.type.lower()} number {format_phone(other)}")
    if channel.supportPhones and kind != "phone":
        dropped.append(f"{label}: support phones")
    if email:
        result["email"] = email
    if url and kind in ("phone", "location"):
        dropped.append(f"{label}: web page {url} of a {channel.serviceChannelType} channel")
    connections = _connection(service, channel)
    hours = _channel_hours(channel, connections, today)
    if any(h.serviceHourType != "Exceptional" for c in connections for h in c.serviceHours) and any(
        h.serviceHourType != "Exceptional" for h in channel.serviceHours
    ):
        dropped.append(
            f"{label}: the channel's own weekly hours (this service's hours on the channel are used)"
        )
    if hours:
        result["hours"] = hours
    if any(c.description for c in connections):
        dropped.append(f"{label}: connection description (charge or other details of this service on it)")
    if any(c.contactDetails for c in connections):
        dropped.append(f"{label}: connection-specific contact details")
    if _texts(channel.serviceChannelDescriptions):
        dropped.append(f"{label}: channel description")
    result["ptv_id"] = channel.id
    return {key: result[key] for key in CHANNEL_ORDER if key in result}


def _municipalities(service: PtvService, county: CountyProfile, dropped: list[str]) -> list[str]:
    found: list[tuple[str | None, str | None]] = []
    for area in service.areas:
        if area.type == "Municipality" and area.code:
            found.append((area.code, _texts(area.name).get("fi")))
        elif not area.municipalities and area.type != "Municipality":
            dropped.append(
                f"area {area.type} {area.code or ''} without its municipalities".replace("  ", " ")
            )
        found += [(m.code, _texts(m.name).get("fi")) for m in area.municipalities]
    codes = {code: name for name, code in county.municipality_codes.items()}
    result: list[str] = []
    for code, name in found:
        ours = codes.get(code or "") or next(
            (m for m in county.municipalities if name and m.casefold() == name.casefold()), None
        )
        if ours is None:
            dropped.append(f"area: {name or '?'} ({code or '?'}) is not a municipality of the county")
        elif ours not in result:
            result.append(ours)
    return [m for m in county.municipalities if m in result]


def _provider(service: PtvService) -> str | None:
    """The main organisation, else the responsible one, else the first organisation named."""
    if service.mainOrganization and service.mainOrganization.name:
        return service.mainOrganization.name
    named = [o for o in service.organizations if o.organization and o.organization.name]
    named.sort(key=lambda o: 0 if o.roleType == "Responsible" else 1)
    return named[0].organization.name if named else None  # type: ignore[union-attr]


def map_service(
    service: PtvService, channels: dict[str, PtvChannel], county: CountyProfile, today: date
) -> MappedService:
    name = _localized(_texts(service.serviceNames, ("Name",)))
    mapped = MappedService(
        ptv_id=service.id,
        entry_id=slug(name["fi"]) if name else "ptv_palvelu",
        content={},
        modified=service.modified,
    )
    if service.publishingStatus in NOT_PUBLISHED:
        mapped.skipped = (
            f"publishingStatus {service.publishingStatus} in PTV (retiring an entry is an editor's decision)"
        )
    content = mapped.content
    content["ptv_id"] = service.id
    provider = _provider(service)
    if provider:
        content["provider"] = provider
    if name:
        content["name"] = name
    else:
        mapped.problems.append("no Finnish name in serviceNames")
    summary = _localized(_texts(service.serviceDescriptions, ("Summary",))) or _localized(
        _texts(service.serviceDescriptions, ("Description", "ShortDescription"))
    )
    if summary:
        content["summary"] = summary
    else:
        mapped.problems.append("no Finnish Summary or Description in serviceDescriptions")
    used = (
        {"Summary"}
        if summary and summary == _texts(service.serviceDescriptions, ("Summary",))
        else {"Description", "ShortDescription"}
    )
    left = sorted({d.type or "?" for d in service.serviceDescriptions if d.type not in used and d.value})
    mapped.dropped += [f"serviceDescriptions {kind}" for kind in left]

    if service.areaType in NATIONAL_AREAS:
        content["area"] = "national"
    elif service.areas:
        municipalities = _municipalities(service, county, mapped.dropped)
        if municipalities:
            content["area"] = municipalities
        else:
            mapped.problems.append("none of the service's areas is a municipality of the county")

    groups = []
    for item in service.targetGroups:
        code = item.code or (item.uri or "").rstrip("/").rsplit("/", 1)[-1]
        ours = TARGET_GROUP_CODES.get(code)
        if ours is None:
            mapped.dropped.append(f"target group {code} {_texts(item.name).get('fi', '')}".rstrip())
        elif ours not in groups:
            groups.append(ours)
    if groups:
        content["target_groups"] = [g for g in TARGET_GROUPS if g in groups]

    mapped_channels = []
    for link in service.serviceChannels:
        if link.serviceChannel is None:
            continue
        channel = channels.get(link.serviceChannel.id)
        if channel is None:
            mapped.dropped.append(
                f"channel {link.serviceChannel.id} ({link.serviceChannel.name or '?'}): "
                "not in the imported files"
            )
            continue
        result = map_channel(service, channel, today, mapped.dropped)
        if result is not None:
            mapped_channels.append(result)
    # Channels that name the service while the service does not list them (a channel-only file).
    listed = {link.serviceChannel.id for link in service.serviceChannels if link.serviceChannel}
    for channel in channels.values():
        if channel.id not in listed and any(
            c.service and c.service.id == service.id for c in channel.services
        ):
            result = map_channel(service, channel, today, mapped.dropped)
            if result is not None:
                mapped_channels.append(result)
    content["channels"] = mapped_channels
    if not mapped_channels:
        mapped.problems.append(
            "no channel that the catalogue can show (web address, phone or street address)"
        )
    if service.serviceChargeType:
        mapped.dropped.append(f"serviceChargeType {service.serviceChargeType} of the service")
    content["source_urls"] = [record_url(service.id)]
    return mapped
