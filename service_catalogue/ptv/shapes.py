"""The part of the PTV (Palvelutietovaranto) open API v11 that the import reads, as tolerant pydantic models.

Shapes follow /work/shared/research/ptv_v11.md (the v11 swagger client's models and real v11 wire JSON).
Unlike the catalogue schema these models ignore every field they do not name: PTV adds fields between
versions and the import must not break on them. A list that PTV sends as ``null`` is read as empty.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Extra, validator


class _Tolerant(BaseModel):
    class Config:
        extra = Extra.ignore
        anystr_strip_whitespace = True

    @validator("*", pre=True)
    def _null_list_is_empty(cls, value: Any, field: Any) -> Any:
        # PTV sends ``null`` for empty lists in places (``description: null``).
        if (
            value is None
            and field.outer_type_ is not None
            and getattr(field.outer_type_, "__origin__", None) is list
        ):
            return []
        return value


class LocalizedItem(_Tolerant):
    """LocalizedListItem (``{value, type, language}``) or LanguageItem (``{value, language}``)."""

    value: str | None = None
    type: str | None = None
    language: str | None = None


class Municipality(_Tolerant):
    code: str | None = None
    name: list[LocalizedItem] = []


class Area(_Tolerant):
    type: str | None = None
    code: str | None = None
    name: list[LocalizedItem] = []
    municipalities: list[Municipality] = []


class FintoItem(_Tolerant):
    code: str | None = None
    uri: str | None = None
    name: list[LocalizedItem] = []


class OpeningHour(_Tolerant):
    dayFrom: str | None = None
    dayTo: str | None = None  # "" in real data when the opening covers one day
    # "from" is a Python keyword.
    from_: str | None = None
    to: str | None = None

    class Config:
        fields: ClassVar[dict[str, str]] = {"from_": "from"}


class ServiceHour(_Tolerant):
    serviceHourType: str | None = None  # DaysOfTheWeek | Exceptional | OverMidnight
    validFrom: str | None = None
    validTo: str | None = None
    isClosed: bool = False
    isAlwaysOpen: bool = False
    isReservation: bool = False
    additionalInformation: list[LocalizedItem] = []
    openingHour: list[OpeningHour] = []


class Phone(_Tolerant):
    """PhoneWithType."""

    type: str | None = None  # Phone | Sms | Fax
    prefixNumber: str | None = None
    number: str | None = None
    isFinnishServiceNumber: bool = False
    additionalInformation: str | None = None
    serviceChargeType: str | None = None  # Chargeable | FreeOfCharge | Other
    chargeDescription: str | None = None
    language: str | None = None


class WebPage(_Tolerant):
    url: str | None = None
    value: str | None = None
    language: str | None = None
    orderNumber: int | None = None


class StreetAddress(_Tolerant):
    street: list[LocalizedItem] = []
    streetNumber: str | None = None
    postalCode: str | None = None
    postOffice: list[LocalizedItem] = []
    municipality: Municipality | None = None


class Address(_Tolerant):
    type: str | None = None  # Location | Postal
    subType: str | None = None
    streetAddress: StreetAddress | None = None


class Ref(_Tolerant):
    """``{id, name}`` of the other side of a connection (``name`` is a plain string there)."""

    id: str
    name: str | None = None


class ServiceConnection(_Tolerant):
    """An entry of ``service.serviceChannels[]`` (naming the channel) or ``channel.services[]`` (naming the
    service)."""

    serviceChannel: Ref | None = None
    service: Ref | None = None
    serviceChargeType: str | None = None
    description: list[LocalizedItem] = []
    serviceHours: list[ServiceHour] = []
    contactDetails: dict[str, Any] | None = None


class Organization(_Tolerant):
    id: str | None = None
    name: str | None = None


class OrganizationRole(_Tolerant):
    organization: Organization | None = None
    roleType: str | None = None  # Responsible | Producer | OtherResponsible


class PtvService(_Tolerant):
    id: str
    type: str | None = None
    serviceNames: list[LocalizedItem]
    serviceDescriptions: list[LocalizedItem] = []
    serviceChargeType: str | None = None
    areaType: str | None = None
    areas: list[Area] = []
    languages: list[str] = []
    targetGroups: list[FintoItem] = []
    serviceChannels: list[ServiceConnection] = []
    organizations: list[OrganizationRole] = []
    mainOrganization: Organization | None = None
    publishingStatus: str | None = None
    modified: str | None = None


class PtvChannel(_Tolerant):
    id: str
    serviceChannelType: str
    organizationId: str | None = None
    serviceChannelNames: list[LocalizedItem] = []
    serviceChannelDescriptions: list[LocalizedItem] = []
    areaType: str | None = None
    areas: list[Area] = []
    languages: list[str] = []
    webPages: list[WebPage] = []
    serviceHours: list[ServiceHour] = []
    services: list[ServiceConnection] = []
    phoneNumbers: list[Phone] = []
    supportPhones: list[Phone] = []
    # The generated client says supportEmails; real ServiceLocation JSON has emails. Both are read.
    supportEmails: list[LocalizedItem] = []
    emails: list[LocalizedItem] = []
    addresses: list[Address] = []
    publishingStatus: str | None = None
    modified: str | None = None
