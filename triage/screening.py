"""Deterministic risk screening of the resident's (already redacted) messages.

Design, in order of what matters for safety:

* **Recall first.** A missed crisis is the worst failure, so acute categories have broad stems, typo and
  spoken variants, and a few Swedish and English forms. A false alarm costs a crisis card and a human look.
* **Negation** ("en ole itsetuhoinen", "ei ole itsemurha-ajatuksia", "en aio tappaa itseäni") suppresses a
  match only when a negation word stands right before it, with nothing but bridging words in between
  ("ole", "aio", "koskaan" ...). "En tiedä miksi haluan kuolla" still raises: "tiedä" is not a bridge.
* **Figures of speech** ("tapan aikaa", "kuolen nauruun") are kept out by the patterns themselves
  (a reflexive object is required, idioms are excluded), see ``triage.lexicon``.
* **Reported speech about others** raises like first person ("kaveri sanoi haluavansa kuolla"): a third
  person at risk still needs help; the quote shows the worker whose words they were.
* **Distant past** ("olin itsetuhoinen vuosia sitten", "lapsena minua lyötiin") lowers the signal to
  CONCERN unless the same clause says it is back ("taas", "nyt", "uudestaan"). Without an explicit distant
  time marker past tense is *not* lowered: "yritin eilen tappaa itseni" is acute.
* **Questions for information** ("mistä saa tietoa itsemurhien ehkäisystä") with no person involved are
  CONCERN for the acute categories (someone asking may be asking for themself; offering a human is
  harmless) and nothing for the others (the service answer is enough).
* **Cumulation** across the conversation: two different concern-level findings, or the same one in three
  messages, raise the concern-level signals to URGENT ("en jaksa" + "en syö" → not_coping urgent).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from triage.categories import CATEGORIES, Severity
from triage.lexicon import PATTERNS, Pattern, normalise

MAX_QUOTE = 200

# "vaan" is not a break: in spoken Finnish it mostly means "just" ("haluisin vaan kuolla").
_CLAUSE_BREAK = re.compile(r"[.!?;:\n]+|,|\s(?:mutta|but|men)\s")
_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
_TOKEN = re.compile(r"[\w']+")



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "alkaa" (älkää) and "no" are left out on purpose: "alkaa" means "begins", and "no" is the Finnish
# filler ("no mä haluun kuolla"), so reading them as negations would hide real signals.
_NEGATORS = _words(
    """en et ei emme ette eivat enka etka eika emmeka ettei etten jottei ala not never dont doesnt isnt
    aint wont inte aldrig ingen inga inget"""
)
# Words that may stand between a negation and the matched phrase without ending its scope.
_BRIDGES = _words(
    """ole oo olla ollut olleet aio aijo aikonut halua haluu haluakaan ajattele ajatellut mieti miettinyt
    suunnittele suunnitellut tee tehnyt koskaan ikina enaa mitaan mitaa sellaisia sellaista yhtaan
    todellakaan kuitenkaan tietenkaan ollenkaan lainkaan mulla minulla ma mina nyt siis oikeasti tunne koe
    kyllakaan kai vakavasti kayta kayttanyt juo juonut ota ottanut polta tarvitse tarvi tarvii
    minkaanlaisia am i m do does have had be going to ever really at all feel want ar jag har nagra nagot
    kanna kanner ens tunnu"""
)
_DISTANT_PAST = re.compile(
    r"\bvuosi(?:a|en)?\s+sitten|\b\d+\s+vuotta\s+sitten|\bkauan\s+sitten|\bnuorena\b|\blapsena\b|\bteini\w*|"
    r"\baikoinaan\b|\bmenneisyy\w*|\bvuonna\s+(?:19|20)\d\d|\byears\s+ago|\bar\s+sedan|\bopiskeluaikoina|"
    r"\bnuoruude\w*|\bkymmenen\s+vuotta|\bparikymppis\w*|\bentisessa\s+elamassa"
)
_BACK_AGAIN = re.compile(
    r"\b(?:taas|uudestaan|uudelleen|jalleen|nyt|nykyaan|tanaan|viime\s+aikoina|again|igen|nu)\b"
)
_INFO = re.compile(
    r"\btietoa\b|\btietoja\b|\btietopaket\w*|\btietosivu\w*|\bmateriaal\w*|\besite\w*|\bkoulutu\w*|"
    r"\bkurssi\w*|\bluento\w*|\btilasto\w*|\btutkimu\w*|\bkampanj\w*|\bennaltaehkai\w*|\behkaisy\w*|\bopinnayt\w*|\bgradu\w*|\bessee\w*|"
    r"\bkoulutyo\w*|\besitelm\w*|\buutis\w*|\bartikkel\w*|\bdokumentt\w*|\belokuva\w*|\bsarja\w*|\bkirj(?:a|an|oja)\b|"
    r"\bpodcast\w*|\bvapaaehtoi\w*|\bteemapaiv\w*|\bmerkkipaiv\w*|\binformation\b|\bstatistic\w*|\bprevention\b"
)
# A person is involved: the writer or someone close. Then an information question is not "just information".
_PERSONAL = re.compile(
    r"\b(?:mina|ma|mulla|minulla|mun|minun|mua|minua|mut|minut|itseani|itteni|itseni|mietin|ajattelen|ajattelin|"
    r"kaveri\w*|ystava\w*|poika\w*|poja\w*|tytar\w*|tytto\w*|lapse\w*|lapsi|puoliso\w*|mies|miehe\w*|vaimo\w*|"
    r"aiti\w*|isa\w*|veli\w*|sisko\w*|laheinen|laheise\w*|i|my|me|jag|mig|min)\b"
)


@dataclass(frozen=True)
class RiskSignal:
    category: str
    severity: Severity
    quote: str  # the resident's (already redacted) words that raised it, at most MAX_QUOTE characters
    message_index: int


@dataclass(frozen=True)
class RiskAssessment:
    signals: tuple[RiskSignal, ...] = ()

    @property
    def severity(self) -> Severity | None:
        return max((s.severity for s in self.signals), default=None)

    @property
    def categories(self) -> tuple[str, ...]:
        # sorted() is stable, so equal severities keep the order they were first seen in.
        ordered = sorted(self.signals, key=lambda s: -s.severity)
        return tuple(dict.fromkeys(s.category for s in ordered))


@dataclass(frozen=True)
class _Finding:
    category: str
    severity: Severity
    quote: str
    message_index: int
    key: str  # which pattern fired: cumulation counts different findings, not the same one twice


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in pattern.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _negated(prefix: str) -> bool:
    """True when the words right before a match are a negation, possibly followed by bridging words."""
    tokens = [t.replace("'", "") for t in _TOKEN.findall(prefix)]
    for token in reversed(tokens[-5:]):
        if token in _NEGATORS:
            return True
        if token not in _BRIDGES:
            return False
    return False


def _quote(original: str, start: int, end: int) -> str:
    """The sentence around a match, cut to MAX_QUOTE characters centred on the match."""
    for a, b in _spans(_SENTENCE_BREAK, original):
        if a <= start < b or (a < end <= b):
            break
    else:
        a, b = 0, len(original)
    sentence_start, sentence_end = a, b
    if sentence_end - sentence_start > MAX_QUOTE:
        middle = (start + end) // 2
        sentence_start = max(sentence_start, middle - MAX_QUOTE // 2)
        sentence_end = min(sentence_end, sentence_start + MAX_QUOTE)
    return original[sentence_start:sentence_end].strip()[:MAX_QUOTE]


def _severity(pattern: Pattern, clause: str, message: str) -> Severity | None:
    severity = pattern.severity or CATEGORIES[pattern.category].severity
    if _DISTANT_PAST.search(clause) and not _BACK_AGAIN.search(clause):
        return Severity.CONCERN
    if _INFO.search(message) and not _PERSONAL.search(message):
        # Asking for information: the acute topics get a gentle offer of a human, the rest nothing.
        return Severity.CONCERN if severity is Severity.ACUTE else None
    return severity


def _findings(text: str, index: int) -> list[_Finding]:
    if not text or not text.strip():
        return []
    norm = normalise(text)
    found: list[_Finding] = []
    for clause_start, clause_end in _spans(_CLAUSE_BREAK, norm):
        clause = norm[clause_start:clause_end]
        for pattern in PATTERNS:
            for match in pattern.regex.finditer(clause):
                if pattern.exclude and pattern.exclude.search(clause):
                    break
                if pattern.requires and not pattern.requires.search(norm):
                    break
                if pattern.negatable and _negated(clause[: match.start()]):
                    continue
                if pattern.inner_negation and _NEGATORS.intersection(_TOKEN.findall(match.group())):
                    continue
                severity = _severity(pattern, clause, norm)
                if severity is None:
                    break
                start, end = clause_start + match.start(), clause_start + match.end()
                quote = _quote(text, start, end)
                found.append(_Finding(pattern.category, severity, quote, index, pattern.key))
                break  # one finding per pattern and clause is enough
    return found


def _assessment(findings: Sequence[_Finding]) -> RiskAssessment:
    """One signal per category: the highest severity, first seen at that severity."""
    best: dict[str, _Finding] = {}
    for finding in findings:
        current = best.get(finding.category)
        if current is None or finding.severity > current.severity:
            best[finding.category] = finding
    ordered = sorted(best.values(), key=lambda f: (-f.severity, f.message_index))
    return RiskAssessment(
        tuple(RiskSignal(f.category, f.severity, f.quote, f.message_index) for f in ordered)
    )


def screen_message(text: str, index: int = 0) -> RiskAssessment:
    """Signals in one message (no cumulation: that needs the conversation)."""
    return _assessment(_findings(text, index))


def _cumulate(findings: list[_Finding]) -> list[_Finding]:
    """Weak signals add up: concern-level findings become URGENT when the conversation has enough of them."""
    concerns = [f for f in findings if f.severity is Severity.CONCERN]
    distinct = {f.key for f in concerns}
    messages_per_key: dict[str, set[int]] = {}
    for finding in concerns:
        messages_per_key.setdefault(finding.key, set()).add(finding.message_index)
    repeated = any(len(indexes) >= 3 for indexes in messages_per_key.values())
    if len(distinct) < 2 and not repeated:
        return findings
    return [
        _Finding(f.category, Severity.URGENT, f.quote, f.message_index, f.key)
        if f.severity is Severity.CONCERN
        else f
        for f in findings
    ]


def screen_conversation(messages: Sequence[str]) -> RiskAssessment:
    """Signals in the whole conversation (resident messages, oldest first), with cumulation."""
    findings: list[_Finding] = []
    for index, text in enumerate(messages):
        findings.extend(_findings(text, index))
    return _assessment(_cumulate(findings))
