"""The pattern layer of risk screening: hand-written patterns (``triage.lexicon``) with negation, idiom,
framing and distant-past rules, on one (already redacted) message at a time.

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

The same knowledge vetoes the learned screen where it knows the words are harmless (``learned_vetoed``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from triage.assessment import MAX_QUOTE, RiskAssessment, RiskSignal
from triage.categories import CATEGORIES, Severity
from triage.lexicon import FIGURES_OF_SPEECH, PATTERNS, Pattern
from triage.text import (
    BRIDGES,
    CLAUSE_BREAK,
    NEGATORS,
    SENTENCE_BREAK,
    TOKEN,
    negated,
    normalise,
    spans,
    words,
)

# "vaan" is not a break: in spoken Finnish it mostly means "just" ("haluisin vaan kuolla").
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
# Learning or working on the topic, also inside compounds ("ensiapukurssilla", "lähihoitajaopiskelija",
# "koulutehtävä", "pääsykokeisiin"), and the professional asking for a client ("työskentelen", "asiakkaan").
_ROLE = re.compile(
    r"kurssi\w*|opiskelija\w*|opiskelen\b|\bopinno\w*|tehtava\w*|\bpaasyko\w*|\btentti\w*|\btenttiin\b|"
    r"\bopettaja\w*|\bopettajana\b|\btyoskentele\w*|\btyossani\b|\btyoni\s+puolesta|\bammattilai\w*|"
    r"\basiakka\w*|\bpotilaa\w*|\bkoulutuks\w*|\bharjoittel\w*|\bopinnayt\w*|\bluento\w*|"
    r"\bstudent\b|\bstuderar\b|\bi\s+work\s+as\b"
)
# A knowledge question: what something means, how it is recognised or handled, where to refer someone.
_KNOWLEDGE_QUESTION = re.compile(
    r"\bmita\s+(?:\w+\s+)?(?:tarkoittaa|tarkoitetaan|eroa|ero)\b|\bmika\s+(?:on\s+)?ero\b|\bmiten\s+(?:\w+\s+){0,3}"
    r"(?:tunnista\w*|toimi\w*|tunnistetaan|hoidetaan|ehkaist\w*|arvioi\w*|ohja\w*|auttaa|puhua)\b|\bmihin\s+"
    r"(?:\w+\s+)?ohja\w*|\bkuinka\s+(?:\w+\s+){0,3}(?:tunnist|toimi|hoide)\w*|\bwhat\s+is\b|"
    r"\bhow\s+(?:do|to)\s+(?:you\s+)?(?:recogni|treat|handle)\w*"
)
# Fiction and games: the risk happens to a character ("leffa jossa päähenkilö ...", "pelissä pitää ...").
_FICTION = re.compile(
    r"\b(?:leffa|leffan|leffassa|elokuva|elokuvan|elokuvassa|sarja|sarjan|sarjassa|jakso|jakson|jaksossa|kirja|"
    r"kirjan|kirjassa|romaani\w*|novelli\w*|naytelma\w*|dokkari\w*|dokumentti\w*|peli|pelin|pelissa|"
    r"pelissa|tarina\w*|tv-sarja\w*|animessa|sarjakuva\w*|movie|film|series|book|game|filmen|boken)\b"
    r"(?:.*\b(?:jossa|missa|jonka|joissa|minka)\b|.*\b(?:paahenkilo|hahmo|roolihahmo|sankari|pahis|"
    r"kuningas|prinsessa|character|protagonist)\w*|.*\b(?:tason|kentan|levelin|tehtavan)\b)"
    r"|\b(?:paahenkilo|roolihahmo|pelihahmo|pahis)\w*|\btassa\s+pelissa\b"
)
# First-person marker in the clause that matched: then it is about the writer, whatever the frame.
_FIRST_PERSON = re.compile(
    r"\b(?:mina|ma|mulla|minulla|mun|minun|mua|minua|mut|minut|itseani|itteni|itseni|olen|oon|olin|olisin|en|"
    r"enka|haluan|haluun|aion|mietin|ajattelen|ajattelin|tunnen|pelkaan|i|me|my|jag|mig)\b"
)
# The writer says it is over: "nyt voin hyvin", "olen toipunut", "nyt minulla on oma asunto".
_RESOLVED = re.compile(
    r"\b(?:nyt|nykyaan|nykyisin)\s+(?:\w+\s+){0,2}(?:voin|voi|menee|jaksan|parjaan|olen|oon)\s+"
    r"(?:\w+\s+)?(?:hyvin|paremmin|hienosti|kunnossa|ok|terve)\b|\btoipu(?:nut|nu|in|neet)\b|\bparantu(?:nut|nu|in)\b|"
    r"\b(?:nyt|nykyaan|nykyisin)\s+(?:\w+\s+){0,2}(?:minulla|mulla|meilla)\s+(?:on|o)\s+(?:\w+\s+){0,2}"
    r"(?:oma|omat|uusi|vakituinen|asunto|koti|tyo)\w*|\bkaikki\s+(?:on\s+)?(?:nyt\s+)?hyvin\b|"
    r"\bi(?:'m|\s+am)\s+(?:fine|well|better)\s+now\b|\bmar\s+bra\s+nu\b"
)
# Not "joskus" (also "sometimes") or "silloin" (also "when"): "joskus viiltelen" is present.
_EARLIER = re.compile(r"\b(?:aiemmin|aikaisemmin|aikanaan|entisena|formerly|previously|tidigare)\b")
# "Just asking" / asking on someone's behalf about a service by name ("kysyn kaverin puolesta missä ruoka-apua
# jaetaan"): the service answer is enough for the non-acute categories. A need stated in the message ("rahat
# loppu") still raises: only matches that are a service's name are let go.
_JUST_ASKING = re.compile(
    r"\bkysyn\s+(?:\w+\s+){0,2}(?:vaan|vain|yleisesti|huvikseni|uteliaisuu\w*|varmuuden\s+vuoksi|puolesta)\b|"
    r"\bjust\s+asking\b|\basking\s+for\s+a\s+friend\b|\bfragar\s+bara\b"
)
_SERVICE_NAME = re.compile(
    r"ruoka\s?-?ap|ruokapank|leipajon|ruokajon|ruokakass|havikkiruo|turvako|myrkytystieto|lastensuojelu|"
    r"katkaisuhoi|katkohoi|ensisuoja|yomaja|hatamajoit|food\s+bank|matbank"
)


# Spoken "mut" is also "but" ("oli rankka mut hyvä"); as a conjunction it is no first person.
_MUT_CONJ = re.compile(
    r"\bmut\s+(?=(?:tosi|ihan|hyva|hyvin|se|ne|en|ei|kun|jos|nyt|sit|sitten|silti|kyl|kylla|toisaalta|oli|on|"
    r"onko|mista|miten|mihin|kuitenkin|muuten)\b)"
)


def _framed(clause: str, message: str) -> bool:
    """The message talks *about* the topic, not about a person at risk.

    A learner's or professional's knowledge question, or fiction/games; nobody close is involved
    (``_PERSONAL``) and the matched clause has no first person. Then no signal at all (an ordinary
    information question keeps its CONCERN for acute topics)."""
    if _PERSONAL.search(_MUT_CONJ.sub(" ", message)) or _FIRST_PERSON.search(_MUT_CONJ.sub(" ", clause)):
        return False
    if _FICTION.search(message):
        return True
    return bool(_ROLE.search(message) and _KNOWLEDGE_QUESTION.search(message))


def _outside_frame(norm: str) -> str:
    """The message without its framing clauses ("Olen ensiapukurssilla."): what the first-person check of
    ``_framed`` looks at when there is no matched clause (the learned screen)."""
    return " ".join(norm[a:b] for a, b in spans(CLAUSE_BREAK, norm)
                    if not (_ROLE.search(norm[a:b]) or _FICTION.search(norm[a:b])))


def _resolved_past(clause: str, message: str) -> bool:
    """A past episode the writer says is over ("vuosia sitten ajattelin itsemurhaa, mutta nyt voin hyvin"):
    the clause is in the past (distant-past marker or "aiemmin"), the message says it is resolved, and nothing
    outside the resolution says it is back."""
    if not (_DISTANT_PAST.search(clause) or _EARLIER.search(clause)) or not _RESOLVED.search(message):
        return False
    return not _BACK_AGAIN.search(_RESOLVED.sub(" ", message))


# A person is involved: the writer or someone close. Then an information question is not "just information".
_PERSONAL = re.compile(
    r"\b(?:mina|ma|mulla|minulla|mun|minun|mua|minua|mut|minut|itseani|itteni|itseni|mietin|ajattelen|ajattelin|"
    r"kaveri\w*|ystava\w*|poika\w*|poja\w*|tytar\w*|tytto\w*|lapse\w*|lapsi|puoliso\w*|mies|miehe\w*|vaimo\w*|"
    r"aiti\w*|isa\w*|veli\w*|sisko\w*|laheinen|laheise\w*|i|my|me|jag|mig|min)\b"
)

@dataclass(frozen=True)
class Finding:
    """One pattern (or learned-screen) hit in one message."""

    category: str
    severity: Severity
    quote: str
    message_index: int
    key: str  # which pattern fired: cumulation counts different findings, not the same one twice


def _in_figure(figures: list[tuple[int, int]], start: int, end: int) -> bool:
    """The match lies inside a known figure of speech ("tämä lomake tappaa minut", "sydän meinasi pysähtyä kun
    näin laskun"): the same list the learned screen's veto uses, so both layers agree on idioms."""
    return any(a <= start and end <= b for a, b in figures)


def _affirmed(cue: re.Pattern[str], norm: str) -> bool:
    """A ``requires`` cue counts only where it is not under a negation ("äiti ei ole muistisairas" is no
    memory problem), with the same scope rule as the patterns; the cue's own clause is the context."""
    for clause_start, clause_end in spans(CLAUSE_BREAK, norm):
        clause = norm[clause_start:clause_end]
        for match in cue.finditer(clause):
            if not negated(clause[: match.start()]):
                return True
    return False


def _quote(original: str, start: int, end: int) -> str:
    """The sentence around a match, cut to MAX_QUOTE characters centred on the match."""
    for a, b in spans(SENTENCE_BREAK, original):
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
    if _framed(clause, message) or _resolved_past(clause, message):
        return None
    if _DISTANT_PAST.search(clause) and not _BACK_AGAIN.search(clause):
        return Severity.CONCERN
    if _INFO.search(message) and not _PERSONAL.search(message):
        # Asking for information: the acute topics get a gentle offer of a human, the rest nothing.
        return Severity.CONCERN if severity is Severity.ACUTE else None
    return severity


def findings(text: str, index: int) -> list[Finding]:
    if not text or not text.strip():
        return []
    norm = normalise(text)
    figures = [m.span() for m in FIGURES_OF_SPEECH.finditer(norm)]
    found: list[Finding] = []
    for clause_start, clause_end in spans(CLAUSE_BREAK, norm):
        clause = norm[clause_start:clause_end]
        for pattern in PATTERNS:
            for match in pattern.regex.finditer(clause):
                if pattern.exclude and pattern.exclude.search(clause):
                    break
                if pattern.requires and not pattern.requires.search(norm):
                    break
                if pattern.requires and pattern.requires_negatable and not _affirmed(pattern.requires, norm):
                    break
                if pattern.negatable and negated(clause[: match.start()]):
                    continue
                if pattern.inner_negation and NEGATORS.intersection(TOKEN.findall(match.group())):
                    continue
                if _in_figure(figures, clause_start + match.start(), clause_start + match.end()):
                    continue
                if ((pattern.severity or CATEGORIES[pattern.category].severity) is not Severity.ACUTE
                        and _JUST_ASKING.search(norm)
                        and _SERVICE_NAME.search(match.group())):
                    continue
                severity = _severity(pattern, clause, norm)
                if severity is None:
                    break
                start, end = clause_start + match.start(), clause_start + match.end()
                quote = _quote(text, start, end)
                found.append(Finding(pattern.category, severity, quote, index, pattern.key))
                break  # one finding per pattern and clause is enough
    return found


def assessment_of(findings: Sequence[Finding]) -> RiskAssessment:
    """One signal per category: the highest severity, first seen at that severity."""
    best: dict[str, Finding] = {}
    for finding in findings:
        current = best.get(finding.category)
        if current is None or finding.severity > current.severity:
            best[finding.category] = finding
    ordered = sorted(best.values(), key=lambda f: (-f.severity, f.message_index))
    return RiskAssessment(
        tuple(RiskSignal(f.category, f.severity, f.quote, f.message_index) for f in ordered)
    )


_WORD = re.compile(r"[\w'-]+")
# Exclude lists of the patterns, per category: the pattern layer's own "this is harmless" knowledge.
_EXCLUDES: dict[str, list[re.Pattern[str]]] = {}
for _pattern in PATTERNS:
    if _pattern.exclude is not None:
        _EXCLUDES.setdefault(_pattern.category, []).append(_pattern.exclude)


def harmless_mask(norm: str, category: str) -> str:
    """``norm`` with the words the pattern layer would not count as risk evidence blanked out.

    Blanked: words under a negation (a negator, then only bridging words: the same scope rule as the patterns,
    ``_negated``, plus the object right after a negated verb; desire/ability verbs end the scope so that "en
    halua elää" keeps "elää"), words inside a
    known figure of speech (``lexicon.FIGURES_OF_SPEECH``: "tapan aikaa", "kuolen häpeään", "koira kuoli",
    "hyppään suihkuun"), and whole clauses where an exclude of one of the category's patterns matches
    ("ambulanssin lasku", "ensiapukurssi", "lääkkeensä normaalisti").
    """
    chars = list(norm)

    def blank(a: int, b: int) -> None:
        chars[a:b] = " " * (b - a)

    for match in FIGURES_OF_SPEECH.finditer(norm):
        blank(match.start(), match.end())
    for clause_start, clause_end in spans(CLAUSE_BREAK, norm):
        clause = norm[clause_start:clause_end]
        if any(exclude.search(clause) for exclude in _EXCLUDES.get(category, ())):
            blank(clause_start, clause_end)
            continue
        complement = False  # the word right after a negated verb is its object ("ei lyö | minua")
        for word in _WORD.finditer(clause):
            token = word.group().replace("'", "")
            is_negated = token in NEGATORS or _negated_scope(clause[: word.start()])
            if is_negated or complement:
                blank(clause_start + word.start(), clause_start + word.end())
            complement = is_negated and token not in NEGATORS | _DESIRE | BRIDGES
    return "".join(chars)


# Desire/ability verbs end a negation's scope for the learned screen's mask: "en halua | elää",
# "en jaksa | elää", "en näe | syytä jatkaa" keep the words after them.
_DESIRE = words(
    """halua haluu haluakaan haluais tahdo jaksa jaksais pysty kesta nae tieda voi osaa uskalla kannata
    tunne koe want feel can"""
)


def _negated_scope(prefix: str) -> bool:
    """``_negated`` for the learned screen's mask: desire/feeling verbs end the scope ("en halua | elää")."""
    tokens = [t.replace("'", "") for t in TOKEN.findall(prefix)]
    for token in reversed(tokens[-5:]):
        if token in NEGATORS:
            return True
        if token not in BRIDGES or token in _DESIRE:
            return False
    return False


def not_a_person_at_risk(category: str, norm: str) -> bool:
    """The pattern layer's evidence that a learned category is no risk in this message, whatever the words:

    * an information question with nobody involved (the patterns' rule; for the learned screen: no signal at
      all, the patterns already give the acute topics their gentle offer of a human);
    * a learner's/professional's question or fiction (``_framed``), a past the writer says is over
      (``_resolved_past``), and, for non-acute categories, "just asking" (``_JUST_ASKING``).

    The other half of the veto is ``harmless_mask``: the learned screen re-scores the message with negated
    words, figures of speech and excluded clauses blanked, and drops what no longer reaches its threshold.
    """
    if _INFO.search(norm) and not _PERSONAL.search(norm):
        return True
    if _framed(_outside_frame(norm), norm) or _resolved_past(norm, norm):
        return True
    return CATEGORIES[category].severity is not Severity.ACUTE and bool(_JUST_ASKING.search(norm))


def distant_past(norm: str) -> bool:
    """The message is about a distant past and does not say it is back: a signal is lowered to CONCERN."""
    return bool(_DISTANT_PAST.search(norm)) and not _BACK_AGAIN.search(norm)


def cue_categories(norm: str) -> list[tuple[str, str]]:
    """(category, matched words) for every acute category whose cues (``risk_categories/*/category.yaml``)
    occur in the message outside a negation and a figure of speech: reasons to ask, never to decide."""
    figures = [m.span() for m in FIGURES_OF_SPEECH.finditer(norm)]
    found: list[tuple[str, str]] = []
    for category in CATEGORIES.values():
        for cue in category.cues:
            match = next((m for m in cue.finditer(norm)
                          if not negated(norm[: m.start()]) and not _in_figure(figures, *m.span())), None)
            if match is not None:
                found.append((category.id, match.group()))
                break
    return found


def pattern_assessment(text: str, index: int = 0) -> RiskAssessment:
    """Signals of the hand-written patterns alone (no learned screen): for benchmarks and training data."""
    return assessment_of(findings(text, index))
