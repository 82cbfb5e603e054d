"""Redaction of personal identifiers before text reaches Rasa, a log or a store.

Residents are told not to type personal data, but some will. What we recognise is replaced by a
placeholder; the caller gets the originals only for one purpose: a phone number typed for a
call-back is kept apart from the transcript, for the worker who calls back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HETU_PLACEHOLDER = "[henkilötunnus]"
PHONE_PLACEHOLDER = "[puhelinnumero]"
EMAIL_PLACEHOLDER = "[sähköposti]"
NAME_PLACEHOLDER = "[nimi]"

# Finnish personal identity code: DDMMYY, century sign (+, -, A-F, U-Y), 3 digits, check character.
_HETU = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![0-9A-Za-z])", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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


@dataclass
class Redaction:
    text: str
    phones: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def redact_identity_codes(text: str) -> str:
    """For a worker's live-chat message: a henkilötunnus never belongs in a chat, but the phone numbers
    and addresses of services a worker gives the resident must stay readable."""
    return _HETU.sub(HETU_PLACEHOLDER, text)


def redact(text: str) -> Redaction:
    result = Redaction(text=text)

    def _replace(
        pattern: re.Pattern[str], placeholder: str, kind: str, keep: list[str] | None = None
    ) -> None:
        def substitute(match: re.Match[str]) -> str:
            result.kinds.add(kind)
            if keep is not None:
                keep.append(re.sub(r"[\s-]", "", match.group(0)))
            return placeholder

        result.text = pattern.sub(substitute, result.text)

    # Order matters: a henkilötunnus contains digits a phone pattern could otherwise take.
    _replace(_HETU, HETU_PLACEHOLDER, "hetu")
    _replace(_EMAIL, EMAIL_PLACEHOLDER, "email")
    _replace(_PHONE, PHONE_PLACEHOLDER, "phone", keep=result.phones)

    def _name(match: re.Match[str]) -> str:
        result.kinds.add("name")
        return f"{match.group('cue')} {NAME_PLACEHOLDER}"

    for pattern in (_NAME_AFTER_CUE, _FULL_NAME_AFTER_OLEN):
        result.text = pattern.sub(_name, result.text)
    return result
