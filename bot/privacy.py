"""Redaction of personal identifiers before text reaches Rasa, a log or a store.

Residents are told not to type personal data, but some will. What we recognise is replaced by a
placeholder; the caller gets the originals only for one purpose: a phone number typed for a
call-back is kept apart from the transcript, for the worker who calls back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers

from common.placeholders import EMAIL_PLACEHOLDER, HETU_PLACEHOLDER, NAME_PLACEHOLDER, PHONE_PLACEHOLDER
from finnish_nlu.voikko_analyser import analyse

# Finnish personal identity code: DDMMYY, century sign (+, -, A-F, U-Y), 3 digits, check character.
_HETU = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![0-9A-Za-z])", re.IGNORECASE)
# The same typed loosely: a space, an en or em dash or nothing for the century sign ("131052 308T",
# "131052–308T"). Redacted when the check character is right, or, with a separator, when the first six
# digits are a date (a mistyped check character is still someone's identity code: over-redacting is safer).
_HETU_LOOSE = re.compile(
    r"(?<![0-9A-Za-z])(?P<date>\d{6})(?P<sep>\s?[\u2010-\u2015-]?\s?)(?P<serial>\d{3})(?P<check>[0-9A-Y])"
    r"(?![0-9A-Za-z])",
    re.IGNORECASE,
)
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# E-mail written to fool harvesters: "matti (at) gmail (dot) com", "liisa[at]posti.fi", "pekka at kolumbus
# piste fi". The last part must be a common top-level domain, so most prose with "at" stays readable (a
# phrase like "at this dot com" is redacted too: a lost word costs less than a leaked address).
_AT = r"(?:\s*[(\[{]\s*(?:at|ät|a)\s*[)\]}]\s*|\s+(?:at|ät|miukumauku|kissanhäntä)\s+|\s*@\s*)"
_DOT = r"(?:\s*[(\[{]\s*(?:dot|piste|punkt)\s*[)\]}]\s*|\s+(?:dot|piste|punkt)\s+|\s*\.\s*)"
_EMAIL_OBFUSCATED = re.compile(
    rf"\b[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?:fi|com|net|org|se|eu|info|io|me|nu|de|uk)\b",
    re.IGNORECASE,
)
# Finnish phone numbers: +358 / 00358 / 0 prefix, then 6 to 11 digits with optional spaces or dashes.
# Emergency and short service numbers (112, 116117) have no 0 prefix and stay readable.
_PHONE = re.compile(r"(?<![\w+])(?:\+358|00358|0)(?:[\s-]?\d){6,11}(?!\d)")
# A name the resident gives about themself: "nimeni on Matti Virtanen", "mun nimi on Liisa". After a plain
# "olen"/"oon" only a first name + surname counts, so "olen Vantaalta" keeps its municipality.
_NAME_AFTER_CUE = re.compile(
    r"\b(?P<cue>(?:minun |mun )?nimeni on|mun nimi on|nimi on|jag heter|my name is)\s+"
    r"(?P<name>[A-ZÅÄÖ][a-zåäö-]+(?:\s+[A-ZÅÄÖ][a-zåäö-]+)?)",
    re.IGNORECASE,
)
_FULL_NAME_AFTER_OLEN = re.compile(
    r"\b(?P<cue>[Oo]len|[Oo]on|[Ii] am)\s+(?P<name>[A-ZÅÄÖ][a-zåäö-]+\s+[A-ZÅÄÖ][a-zåäö-]+)"
)
# Two capitalised words anywhere: a name when Voikko knows the first as a first name and the second as a
# surname, or not at all ("Matti Korpijaakko"). Places, services and ordinary words ("Anna Kela") stay.
# (A lookahead, so "Terveisin Matti Korpijaakko" also tries "Matti Korpijaakko".)
_CAPITALISED_PAIR = re.compile(r"\b(?P<first>[A-ZÅÄÖ][a-zåäö]+)(?=\s+(?P<second>[A-ZÅÄÖ][a-zåäö-]+)\b)")
# Phone numbers shorter than this are service numbers (112, 116117, 116 111): never a resident's own.
_MIN_PHONE_DIGITS = 7


@dataclass
class Redaction:
    text: str
    phones: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _valid_hetu_check(date: str, serial: str, check: str) -> bool:
    return _HETU_CHECK[int(date + serial) % 31] == check.upper()


def _loose_hetu(match: re.Match[str]) -> bool:
    date = match.group("date")
    if _valid_hetu_check(date, match.group("serial"), match.group("check")):
        return True
    is_date = 1 <= int(date[:2]) <= 31 and 1 <= int(date[2:4]) <= 12
    return bool(match.group("sep")) and is_date


def _is_person_name(match: re.Match[str]) -> bool:
    first = {a.get("CLASS") for a in analyse(match.group("first"))}
    second = {a.get("CLASS") for a in analyse(match.group("second"))}
    return "etunimi" in first and (not second or "sukunimi" in second)


def redact_identity_codes(text: str) -> str:
    """For a worker's live-chat message: a henkilötunnus never belongs in a chat, but the phone numbers
    and addresses of services a worker gives the resident must stay readable."""
    text = _HETU.sub(HETU_PLACEHOLDER, text)
    return _HETU_LOOSE.sub(lambda m: HETU_PLACEHOLDER if _loose_hetu(m) else m.group(0), text)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Phone numbers in any format libphonenumber knows ("(040) 765 4321", "040.765.4321", "+46 70 ..."),
    Finnish numbering by default."""
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(text, "FI", leniency=phonenumbers.Leniency.VALID):
        if sum(ch.isdigit() for ch in match.raw_string) >= _MIN_PHONE_DIGITS:
            spans.append((match.start, match.end))
    return spans


def redact(text: str) -> Redaction:
    result = Redaction(text=text)

    def _replace(
        pattern: re.Pattern[str],
        placeholder: str,
        kind: str,
        keep: list[str] | None = None,
        accept: Callable[[re.Match[str]], bool] | None = None,
    ) -> None:
        def substitute(match: re.Match[str]) -> str:
            if accept is not None and not accept(match):
                return match.group(0)
            result.kinds.add(kind)
            if keep is not None:
                keep.append(re.sub(r"[\s-]", "", match.group(0)))
            return placeholder

        result.text = pattern.sub(substitute, result.text)

    # Order matters: a henkilötunnus contains digits a phone pattern could otherwise take.
    _replace(_HETU, HETU_PLACEHOLDER, "hetu")
    _replace(_HETU_LOOSE, HETU_PLACEHOLDER, "hetu", accept=_loose_hetu)
    _replace(_EMAIL, EMAIL_PLACEHOLDER, "email")
    _replace(_EMAIL_OBFUSCATED, EMAIL_PLACEHOLDER, "email")
    _replace(_PHONE, PHONE_PLACEHOLDER, "phone", keep=result.phones)
    for start, end in reversed(_phone_spans(result.text)):
        result.kinds.add("phone")
        result.phones.append(re.sub(r"[^\d+]", "", result.text[start:end]))
        result.text = result.text[:start] + PHONE_PLACEHOLDER + result.text[end:]

    def _name(match: re.Match[str]) -> str:
        result.kinds.add("name")
        return f"{match.group('cue')} {NAME_PLACEHOLDER}"

    for pattern in (_NAME_AFTER_CUE, _FULL_NAME_AFTER_OLEN):
        result.text = pattern.sub(_name, result.text)
    spans: list[tuple[int, int]] = []
    for match in _CAPITALISED_PAIR.finditer(result.text):
        if (not spans or match.start() >= spans[-1][1]) and _is_person_name(match):
            spans.append((match.start(), result.text.index(match.group("second"), match.end()) +
                          len(match.group("second"))))
    for start, end in reversed(spans):
        result.kinds.add("name")
        result.text = result.text[:start] + NAME_PLACEHOLDER + result.text[end:]
    return result
