"""Surface-form patterns for risk screening.

Why regex on surface forms instead of a lemmatiser: residents write spoken Finnish ("mä haluun kuolla",
"tapan itteni"), typos and mixed languages that Voikko does not analyse, and the screening must behave
the same on every machine. Patterns match *normalised* text (lower case, ä→a, ö→o, å→a, see
``triage.text.normalise``), so "häätö", "haato" and "hääto" are one spelling; stems end in ``\\w*``
so inflection and compounds ("itsemurha-ajatuksia", "itsetuhoisia") match.

Every pattern is matched inside one clause (split at punctuation and "mutta"), so negation and
past-tense checks in ``triage.screening`` look at the right words. ``requires`` must also occur in the
message (a second cue that makes an ambiguous word a risk: "lapsi" + "nälkäinen"); ``exclude`` vetoes a
match when it occurs in the same clause (idioms, medicine names, harmless compounds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.categories import Severity


def _g(n: int) -> str:
    """Up to ``n`` words in between (inside one clause)."""
    return rf"(?:[\w'-]+\s+){{0,{n}}}"


@dataclass(frozen=True)
class Pattern:
    category: str
    regex: re.Pattern[str]
    key: str
    severity: Severity | None = None  # None: the category's default
    requires: re.Pattern[str] | None = None  # must also occur somewhere in the message
    exclude: re.Pattern[str] | None = None  # vetoes the match when found in the same clause
    negatable: bool = True  # False when the pattern itself contains the negation ("en halua elää")
    inner_negation: bool = False  # a negation *inside* the match vetoes it ("mies ei ole koskaan lyönyt")
    # ``requires`` counts only where it is not negated ("äiti ei ole muistisairas"): for cues that name a
    # problem state; not for cues that are the object of a negation-meaning pattern ("ei oo mitään syötävää")
    requires_negatable: bool = False


PATTERNS: list[Pattern] = []


def _p(
    category: str,
    regex: str,
    *,
    severity: Severity | None = None,
    requires: str | None = None,
    exclude: str | None = None,
    negatable: bool = True,
    inner_negation: bool = False,
    requires_negatable: bool = False,
) -> None:
    PATTERNS.append(
        Pattern(
            category=category,
            regex=re.compile(regex),
            key=f"{category}#{sum(p.category == category for p in PATTERNS)}",
            severity=severity,
            requires=re.compile(requires) if requires else None,
            exclude=re.compile(exclude) if exclude else None,
            negatable=negatable,
            inner_negation=inner_negation,
            requires_negatable=requires_negatable,
        )
    )


# Reflexive pronoun in standard and spoken forms: itseni, itseäni, itteni, ittes, itsensä, itseään ...
_SELF = r"(?:itse|itte|ittee|itsee)\w*"
# Words that turn "kuolla"/"kuolen" into a figure of speech.
_DEATH_IDIOM = r"kuol\w*\s+(?:nauru|hape|tylsyy|ikav|jano|nalka|kateu|uteliaisuu|innosta|jannity)\w*"

# --- suicide_self_harm ------------------------------------------------------------------------------
_p("suicide_self_harm", r"\bitse?\s?-?m[uo]r(?:h|ah|ha)\w*|\bitsarimurh\w*|\bitsmurh\w*")
_p("suicide_self_harm", r"\bitse?\s?-?tuho\w*|\bitsetuhon\w*")
_p("suicide_self_harm", rf"\b(?:tap|tapp)\w*\s+{_g(2)}{_SELF}")
_p("suicide_self_harm", rf"\bhalu\w*\s+{_g(3)}kuol(?:la|lee|emaan|ee|la pois)\b", exclude=_DEATH_IDIOM)
_p("suicide_self_harm", rf"\b(?:toivo|toivoisin|toivon|haaveil|rukoil)\w*\s+{_g(3)}(?:kuole|kuoll|kuolis|"
   rf"kuoli)\w*",
   exclude=_DEATH_IDIOM)
_p("suicide_self_harm", r"\bkuolema\w*\s?-?(?:ajatu|toive|toiveit|ajatuks)\w*|\bkuolemantoiv\w*")
_p("suicide_self_harm",
   rf"\b(?:en|ei|et|enka|eika|ettei|etten|jottei|etta\s+ei)\s+{_g(2)}(?:halua|haluu|jaksa|jaksais|kannata|"
   rf"viitsi|"
   rf"tahdo|pysty)\w*\s+{_g(2)}(?:elaa|elamaan|ela|olla\s+olemassa|herata|jatkaa\s+elamaa)\b|"
   rf"\b(?:jos|kun)\s+(?:en|ei|mua|minua)\s+{_g(1)}(?:olis|olisi|ois|olisi\s+enaa)\s+(?:olemassa|elossa|"
   rf"hengissa)",
   negatable=False)
_p("suicide_self_harm", rf"\b(?:jarke|syy|syyta|tarkoitu)\w*\s+{_g(1)}(?:elaa|elamalla|elaa enaa)\b",
   negatable=False)
_p("suicide_self_harm", rf"\b(?:paat|lopet|lopp)\w*\s+{_g(2)}(?:paivani|paivansa|elamani|elamansa|elaman|"
   rf"kaiken)\b",
   exclude=r"lopet\w*\s+(?:kaiken\s+)?(?:tupak|juom|syom|kahv|herk)")
_p("suicide_self_harm", rf"\bhypp\w*\s+{_g(3)}(?:alle|sillalta|katolta|parvekkeelta|ikkunasta|kalliolta|"
   rf"jarveen)\b",
   requires=r"\bjuna|\bsilla|\bkato|\bparvek|\bikkuna|\bauto|\brekka|\bkallio")
_p("suicide_self_harm", r"\bviilt(?:el|ely|ele|eli|a itse|ava itse)\w*|\bviill\w*|\bviilsin\b|"
   r"\bviilto\w*\s+\w*ran",
   exclude=r"viiltava\w*\s+kipu")
_p("suicide_self_harm", rf"\b(?:satut|vahingoit|vahingoi|rankai)\w*\s+{_g(1)}{_SELF}")
# Hurting oneself on purpose, whatever the verb ("poltin itseäni tupakalla tahallaan").
_p("suicide_self_harm", rf"\b\w+\s+{_g(1)}(?:itseani|itteani|itteeni|itseaan|itteaan)\b.*\btahallaan\b|"
   rf"\b(?:polt|lyo|loi|hakka|raavi|raapi|puri|nipist|hakkaa)\w*\s+(?:itseani|itteani|itteeni)\b")
# Not wanting to live or be here, in many verbs ("ei huvita elää", "en haluu enää olla täällä").
_p("suicide_self_harm",
   rf"\b(?:en|ei|et|enka|eika|ettei|etten)\s+{_g(2)}(?:halua|haluu|huvita|kiinnosta|jaksa|tahdo|"
   rf"haluais)\w*\s+"
   rf"{_g(1)}(?:elaa|olla\s+(?:enaa\s+)?(?:taalla|olemassa|elossa|hengissa))\b", negatable=False)
# Not intending to live or exist any more ("en aio olla enää olemassa", "en meinaa elää enää kauan").
_p("suicide_self_harm",
   rf"\b(?:en|ei|enka|etten|ettei)\s+(?:enaa\s+)?(?:aio|aijo|aiokaan|meinaa|suunnittele)\s+{_g(1)}"
   rf"(?:elaa\s+(?:\w+\s+)?enaa|olla\s+(?:\w+\s+)?(?:olemassa|elossa|hengissa))\b", negatable=False)
_p("suicide_self_harm", r"\b(?:teen|tehda|tekee|tehnyt|teke)\w*\s+(?:itselleni|itselleen|ittelleni|"
   r"ittelle)\s+jota\w*")
_p("suicide_self_harm", rf"\bparem\w*\s+{_g(3)}(?:ilman\s+(?:minua|mua)|kuollu\w*|kuollee\w*|"
   rf"poissa\s+kokonaan)\b")
_p("suicide_self_harm", r"\b(?:kaikille|muille|perheelle)\s+(?:olisi\s+)?parempi\s+(?:jos\s+)?(?:en|mua|"
   r"minua)\b")
_p("suicide_self_harm",
   rf"\b(?:jos|kun)\s+(?:mua|minua|mina|ma|minut)\s+(?:ei|en)\s+(?:enaa\s+)?(?:ois|olis|olisi|olisikaan)\b|"
   rf"\b(?:syy\w*|jarke\w*|tarkoitu\w*)\s+{_g(1)}jatkaa\b|\bhyvasti\s?-?kirj\w*|\bhyvastit\b|\bjaahyvais\w*",
   exclude=r"\bsyy\w*\s+jatkaa\s+(?:hoito|laak|opin|tyo)")
# Swedish and English
_p("suicide_self_harm", r"\bta\s+mitt\s+liv|\bending\s+it\b|\bend\s+it\s+all|\bsjal?vmord\w*|"
   r"\bta\s+livet\s+av\s+(?:mig|sig)|\bvill\s+(?:bara\s+)?do\b|"
   r"\b(?:vill|orkar)\s+inte\s+leva|\bskad\w*\s+mig\s+sjalv|\bskar\s+mig\b")
_p("suicide_self_harm", r"\bsuicid\w*|\bkill(?:ing)?\s+my\s?self|\bwant(?:s|ed)?\s+to\s+die\b|"
   r"\bwanna\s+die\b|"
   r"\bend\s+(?:my|it)\s+(?:life|all)\b|\bhurt(?:ing)?\s+myself|\bself[\s-]?harm\w*|\bcut(?:ting)?\s+myself|"
   r"\bbetter\s+off\s+dead|\bno\s+reason\s+to\s+live")
_p("suicide_self_harm", r"\b(?:don'?t|do\s+not)\s+want\s+to\s+(?:live|be\s+alive|wake\s+up)", negatable=False)

# --- overdose_poisoning --------------------------------------------------------------------------------
_DRUG = (r"\w*(?:laakke|laakkei|laaket|laakitys|pilleri|tablet|tabu|nappi|nappej|purki|paketi|"
         r"unilaak|rauhoitt|buran|panadol|parasetamol|opam|tenox|lyrica|pregabal|insuliin|sydanlaak|"
         r"masennuslaak|kipulaak|burana|ketipinor|kvetiapiin|tramal|tramadol|oxynorm|oksikodon|zopiklon|"
         r"imovane|stilnox|tsolpideem|xanor|alprazolam|atarax|mirtatsapiin|propral)\w*")
_QUANTITY = (r"\bliikaa\b|\bpuolet\b|\buseamman\b|\buseita\b|\bmonia\b|\bkaikki\b|\bkoko\b|"
   r"\bliian\s+(?:monta|paljon|ison)|\btuplasti|\bkymmen\w*|"
   r"\bpurkillis\w*|\blevy(?:n|a|llinen|llisen|llista|t)?\b|\b(?:kaks|kaksi|kolme|nelja)\s+levy\w*|"
             r"\bpaketillis\w*|\bkourallis\w*|\bkasan\b|\b\d{2,}\b|\bison\s+maaran|\bylimaar\w*|\bmonta\b")
_CHILD = (r"\b(?:lap(?:si|se|s|sia|sen|set|sille)|vauva|taapero|muksu|skidi|kakara|kuopu|esikoi|tenava|"
          r"pienokai|alaikai|pikku|luokkakaver|koulukaver|oppila|sisaruks|poika|poja|tytto|tyto|tytar|"
   r"tyttare|koululai|ekaluokkalai|"
   r"teini|nuori|nuore)\w*")
_p("overdose_poisoning", r"\byli\s?-?anno\w*|\byliann\w*|\byliannostu\w*")
_p("overdose_poisoning",
   rf"\b(?:otin|otti|ottanut|ottaneet|ottivat|soin|soi|syonyt|nielin|nieli|nielaisi\w*|nielly\w*|vedin|"
   rf"vedetty|"
   rf"vetasin|vetas|vetany|vetanyt|ottanu|syony|nielly|popsin|popsi|napsin|nappasin|nappas)\s+{_g(4)}{_DRUG}",
   requires=rf"{_QUANTITY}|{_CHILD}",
   exclude=r"\bnormaalisti|\btavalliseen\s+tapaan|\bohjeen\s+mukaan|\bmaarays\w*\s+mukaan|\blaakkeensa\b|"
   r"\blaakkeet\s+aamulla")
_p("overdose_poisoning",
   rf"\b(?:joi|joivat|juonut|juoneet|soi|syonyt|nieli|nielaisi|maistoi|maistanut|nuoli|imeskeli)\w*\s+{_g(3)}"
   r"(?:pesuaine|tiskiaine|konetiskiaine|pyykinpesu|lamppuoljy|lamppuolj|sytytysnest|kloori|valkaisu|"
   r"jaahdytysnest|tuholais|rotanmyrk|myrkk|myrkyl|sienia|kärpassien|karpassien|paristo|nappiparist|e-savuk|"
   r"nikotiin|tuulilasinpesu|metanol|lipeaa|viemarinavaaj|pesukapsel)\w*")
_p("overdose_poisoning", r"\bmyrkyty\w*|\bmyrkyttyi\w*|\bmyrkytt\w*|\bmyrkkya\b|\bmyrkyllis\w*\s+(?:sien|"
   r"kasv|aine)",
   exclude=r"\bruokamyrk|\bmyrkytystietokesk")
_p("overdose_poisoning", r"\bmyrkytystietokesk\w*", severity=Severity.URGENT)
_p("overdose_poisoning", r"\b(?:unilaak|rauhoitt|nukahtamislaak|opam|diapam|tenox|bentso|ketipinor|"
   r"kvetiapiin|tramal|tramadol|oxynorm|oksikodon|zopiklon|imovane|xanor|alprazolam)\w*",
   requires=r"\b(?:viina|alkoholi|kalja|kossu|pullo|humala|kanni|ryyp|dokas|dokaa|juon|join)\w*")
_p("overdose_poisoning", rf"\b(?:kasiksi|kasiin|ulottuville)\s+{_g(2)}{_DRUG}|"
   rf"\b{_DRUG}\s+{_g(1)}(?:kasiksi|kasiin)",
   requires=_CHILD)
# Took something and is now not waking: poisoning until shown otherwise.
_p("overdose_poisoning", r"\b(?:otti|ottanut|vetanyt|veti|otin)\s+(?:jotain|jotakin|jotain\s+ainetta|aineita|"
   r"kamaa)\b", requires=r"\b(?:ei|eika)\s+(?:\w+\s+)?(?:heraa|hengita|reagoi|vastaa)|\btajut|\bsekaisin")
# Swedish and English
_p("overdose_poisoning", r"\boverdos\w*|\bforgift\w*|\btog\s+for\s+manga\s+(?:tabletter|piller)|"
   r"\btook\s+(?:too\s+many|all\s+(?:my|the))\s+\w*|\bswallow\w*\s+(?:a\s+bottle|all|too\s+many|bleach|"
   r"\w+\s+pills)|"
   r"\bpoison(?:ed|ing)?\b|\bo\.?d'?d\b", exclude=r"food\s+poison")

# --- medical_emergency -----------------------------------------------------------------------------------
_p("medical_emergency",
   rf"\brinta\s?-?kipu\w*|\bkipu\w*\s+{_g(1)}rinna\w*|\brinna\w*\s+{_g(2)}(?:kipu|kipua|puristaa|puristus|"
   rf"sattuu|"
   rf"koskee|painaa|paine|kiristaa|pistaa)\w*|\brint(?:aan|aa|a|ani|assa)\s+{_g(2)}(?:sattuu|koskee|"
   rf"puristaa|painaa|kiristaa)\w*|\b(?:puristaa|sattuu|koskee|painaa|kiristaa)\s+{_g(1)}rinta\w*")
_p("medical_emergency",
   rf"\b(?:en|ei|et|eika|enka)\s+{_g(2)}(?:saa|saanut)\s+{_g(1)}henke\w*|\b(?:ei|eika)\s+{_g(1)}hengita\w*|"
   rf"\bhengitys\s+{_g(1)}(?:ei\s+kulje|pysah|loppu|salpa|vinkuu\s+kovasti)\w*|\bhengitys\s+on\s+pysahtynyt|"
   rf"\bhenkea\s+ei\s+saa|\btukehtu\w*|\bvaikea\s+hengittaa",
   negatable=False, exclude=r"\b(?:kirja|elokuva|tarina|jannity|kaunis|kauni)")
_p("medical_emergency",
   rf"\btajut(?:on|tom)\w*|\btaju\w*\s+{_g(1)}(?:meni|lahti|menetti|menny)\w*|\bmenet\w*\s+tajun\w*|"
   rf"\b(?:ei|eika)\s+{_g(1)}(?:heraa|reagoi|herannyt)\b|\b(?:hereille|herateltya)\b|"
   rf"\bpyorty\w*\s+{_g(2)}(?:eika|"
   rf"ei)\s+",
   negatable=False, exclude=r"\baamu|\bajoissa|\bkouluun|\bherat(?:ys|in)|\btoihin|\bkellon")
_p("medical_emergency",
   rf"\b(?:suupiel|kasvo|kasvojen|toinen\s+puoli)\w*\s+{_g(2)}(?:roikku|lerpat|valahta|halvaa)\w*|"
   rf"\bpuhe\s+{_g(1)}(?:sammal|puurout|epaselv\w*\s+yhtakkia|ei\s+tule)\w*|\baivo\s?-?(?:infarkt|halvau|"
   rf"verenvuo)\w*|"
   rf"\bhalvaantu\w*|\bsydankohtau\w*|\bsydaninfarkt\w*|\bsydan\s+{_g(1)}(?:pysah|pysahtyi|ei\s+lyo)\w*|"
   rf"\bei\s+{_g(1)}(?:sykett|pulssi)\w*|\belvyt\w*|\banafyla\w*|\bkourist\w*|\bkaatumatau\w*\s+kohtau\w*|"
   rf"\bepilepsiakohtau\w*",
   negatable=False,
   exclude=r"\bkurssi|\bkoulutu|\bvuosi\w*\s+sitten|\bvatsa|\bkuukautis|\blihaskouri|\bjalkeen\b|"
           r"\bkuntoutu\w*|\bsairasta\w*")
_p("medical_emergency",
   rf"\b(?:kurkk?\w*|kieli|kieleni|huulet)\s+{_g(1)}(?:turpo|turvo|sulkeutu|menee\s+umpeen|paisu)\w*|"
   rf"\bsinert\w*|\bsiniset\s+huulet|\bhuulet\s+{_g(1)}sinis\w*")
_p("medical_emergency",
   rf"\b(?:vuota\w*|vuoti|vuotanut)\s+{_g(2)}ver\w*|\bverenvuo\w*|\bveri\s+{_g(1)}(?:ei\s+)?(?:lakkaa|"
   rf"lopu|tyreh|suihkua)\w*",
   requires=r"\bpaljon|\brunsa|\bkova|\bei\s+(?:lopu|lakkaa|tyreh|saa\s+loppu)|\beika\s+(?:lopu|lakkaa|"
   r"tyreh)|"
            r"\bvaltoim|\bsuihku|\blattia|\bpyort", negatable=False)
_p("medical_emergency",
   rf"\b(?:kasi|kadet|jalka|toinen\s+puoli)\s+{_g(1)}(?:ei\s+nouse|ei\s+liiku|voimaton|halvaantu\w*|"
   rf"lerpallaan)|"
   rf"\bpuhe\s+{_g(1)}(?:outo|outoa|epaselv|sekav|sammal|puurout)\w*|\b(?:on|oli|nayttaa)\s+(?:ihan\s+)?"
   r"(?:sininen|harmaa|sinertava)\b|\bcollapsed\b|\bnot\s+responding|\bunresponsive|"
   r"\bnot\s+waking", negatable=False)
_p("medical_emergency", r"\bveltto\w*|\bvelton\w*", requires=_CHILD)
_p("medical_emergency", rf"\b(?:loi|lyo|lyonyt|iski|kolautti|kolauttanut)\s+(?:\w+\s+)?paa(?:nsa|ni|ta)\b|"
   rf"\bpaa\w*\s+{_g(1)}(?:isku|vamma)\w*",
   requires=r"\bsekav\w*|\boksent\w*|\btajut\w*|\bverta\b|\bei\s+muista|\buninen|\bsekaisin")
_p("medical_emergency", rf"\bakillinen\s+{_g(1)}(?:kova|voimakas|raju|sietamaton)\s+{_g(1)}(?:paansark|"
   rf"kipu|paakipu)\w*")
_p("medical_emergency", rf"\b(?:kaatu|putos|kaatui|kaatunut|putosi)\w*\s+{_g(4)}(?:ei|eika|en|"
   rf"enka)\s+(?:paase|paasee|"
   r"paassyt|pysty|paase)\s+ylos\b|\bmaannyt\s+lattialla", negatable=False)
_p("medical_emergency", r"\bambulanss\w*|\bsoitanko\s+(?:112|hata)|\bsoita\w*\s+112\b|\b112\s+(?:heti|nyt)",
   exclude=r"\blasku|\bmaksu|\bmaksa|\bkustann|\bhinta|\bhinnat|\bkuljetu|\btyopaik|\bkoulutu|"
   r"\bensihoitaja\w*\s+"
           r"(?:koulu|opin)|\bmika\s+on|\bnumero\s+on")
_p("medical_emergency",
   r"\b(?:vauva|lapsi|lapsella|vauvalla)\w*\s+(?:on\s+)?(?:ihan\s+)?(?:veltto|velttona|elottoman|"
   r"ei\s+heraa)\b|"
   r"\b(?:4[1-2])(?:[.,]\d)?\s*(?:astetta|asteen)\s+kuume\w*")
# Swedish and English
_p("medical_emergency",
   r"\bandas\s+inte|\bkan\s+inte\s+andas|\bmedvetslos\w*|\bont\s+i\s+brostet|\bbrostsmart\w*|"
   r"\bhjartattack\w*|"
   r"\bstroke\b|\bambulans\b|\bcan'?t\s+breathe|\bcannot\s+breathe|\bnot\s+breathing|\bchest\s+pain|"
   r"\bunconscious|\bheart\s+attack|\bbleeding\s+(?:a\s+lot|heavily|badly)|\bseizure\w*|\bambulance\b|"
   r"\bpassed\s+out\s+and|\bwon'?t\s+wake\s+up|\bvaknar\s+inte|\bblöder\s+mycket|\bbloder\s+mycket",
   negatable=False)

# Vomiting or coughing up blood; breath that will not come and reliever medicine not helping; a stiff neck
# with fever (meningitis); face or airway swelling after a sting or an allergen.
_p("medical_emergency", rf"\b(?:oksen|yskin|yski|yskii|yskiny|yskinyt)\w*\s+{_g(1)}verta\b|\bveriokse\w*|"
   r"\bverioksennu\w*|\b(?:vomiting|coughing)\s+(?:up\s+)?blood|\bkraks\w*\s+blod")
_p("medical_emergency",
   rf"\bhenki\s+{_g(1)}(?:ei\s+kulje|ei\s+kulkenut|ei\s+nouse|salpaa|salpautu|loppuu|kulje\s+huonosti)\w*|"
   rf"\b(?:avaava|astma|piippu|inhalaattori|suihke)\w*\s+{_g(2)}(?:ei\s+auta|ei\s+tehoa|ei\s+vaikuta|ei\s+auttanut)",
   negatable=False)
_p("medical_emergency", rf"\bniska\w*\s+{_g(1)}(?:jaykk|jaykistyn|ei\s+taivu)\w*|\bjaykk\w*\s+niska\w*",
   requires=r"\bkuum\w*|\bihottum\w*|\bpaansark\w*|\boksen\w*|\btokkur\w*")
_p("medical_emergency", rf"\b(?:naama|naaman|kasvot|kasvoni|silmat|huulet|kieli|kurkku|kaula)\w*\s+{_g(2)}"
   rf"(?:turvoks|turvon|turpo|turpos|paisu|umpeen)\w*",
   requires=r"\bampiai\w*|\bmehilai\w*|\bpisti\b|\bpistos\w*|\ballerg\w*|\bpahkin\w*|\bhengi\w*|\bhenki\b|"
   r"\bvinku\w*")
# Carbon monoxide: a stove or sauna damper shut and people with headache, dizziness, drowsiness.
_p("overdose_poisoning", r"\bhaka\s?-?myrky\w*|\bhiilimonoksid\w*|\bpelti\w*\s+(?:\w+\s+){0,2}kiinni\b|"
   r"\bkolsyreforgift\w*|\bkolmonoxid\w*|\bcarbon\s+monoxide",
   requires=r"\bpaansark\w*|\bpaakipu\w*|\bpaa\s+(?:\w+\s+)?kipe\w*|\bhuima\w*|\bpahoinvo\w*|\boksen\w*|"
   r"\buneli\w*|\btajut\w*|\bsekav\w*|\bheadache|\bdizzy|\bmyrky\w*|\bhaka")

# --- domestic_violence -----------------------------------------------------------------------------------
_PARTNER = (r"(?:mies|miehe|puoliso|poikaystav|tyttoystav|vaimo|kumppan|avomie|avovaimo|aviomie|"
   r"aviopuolis|exa|exan|"
            r"ex-|entinen\s+mie|entinen\s+puolis|entinen\s+kumppan|heila|kulta|sulhas|morsia|poikakaveri|"
            r"tyttokaveri|avokki|kaveri\s+jonka\s+kanssa\s+asun|isapuol|aitipuol|appi|anoppi|veli|velje|"
   r"sisko|"
            r"sisar|aikuinen\s+poika|aikuinen\s+tytar|poikani|tyttareni)\w*")
_VIOLENT = (r"(?:lyo|loi|lyonyt|lyoo|lyovat|hakka|hakkas|potki|kurist|tonii|tonai|tuuppa|tonaisi|retuut|"
   r"raiska|"
            r"pahoinpit|satutt|satutta|heitti\s+(?:minua|mua|mut|minut)|paiskas|kuristi|uhkaa\s+tappaa|"
   r"uhkas\w*\s+tappaa|"
   r"uhkailee|"
            r"uhkaile|tappaa\s+minut|tappaa\s+mut|repi|riepott|puri\s+minua|pakott\w*\s+seksiin|"
   r"kayttaytyy\s+vakivalt)\w*")
_p("domestic_violence", rf"\b{_PARTNER}\s+{_g(6)}{_VIOLENT}", inner_negation=True)
# Controlling and confining: "ei päästä mua ulos".
_p("domestic_violence", r"\bei\s+(?:\w+\s+)?paasta\s+(?:mua|minua|meita|mut|minut)\s+(?:\w+\s+)?(?:ulos|"
   r"lahtemaan|"
   r"kotoa|toihin|kauppaan|tapaamaan)|\blukitsee\s+(?:mut|minut|meidat)|\b(?:painoi|paiskasi|tyonsi|"
   r"kuristi)\s+"
   r"(?:mut|minut|mua)\s+(?:\w+\s+)?(?:seinaa|lattiaan|maahan)", negatable=False)
_p("domestic_violence",
   rf"\b(?:lyo|loi|lyonyt|lyoo|hakkaa|hakkasi|hakannut|potki\w*|kurist\w*|tonii|tonaisi|retuutt\w*|"
   rf"pahoinpitel\w*|"
   rf"raiskas\w*|raiskaa|raiskan\w*|raiskat\w*|heittelee|paiskoo|paiskasi|"
   rf"laitto\w*\s+kadet\s+kaulalle)\s+{_g(2)}"
   rf"(?:minua|mua|mut|minut|meita|meidat|minuu|mua\s+ja|kasvoihin|naamaan|paahan)\b")
_p("domestic_violence",
   rf"\b(?:minua|mua|minut|mut|meita)\s+{_g(2)}(?:lyodaan|lyotiin|lyoty|hakataan|hakattiin|hakattu|potkitaan|"
   rf"kuristettiin|raiskattiin|raiskattu|pahoinpideltiin|pahoinpidelty|uhkaillaan|satutetaan)\b")
_p("domestic_violence",
   rf"\blahisuhde\s?-?vakival\w*|\bperhevakival\w*|\bparisuhdevakival\w*|\bvakival\w*\s+{_g(2)}"
   rf"(?:kotona|suhtee|suhde|puoliso|mies|miehe|parisuh|kotiin|meilla)\w*|"
   rf"\b(?:kotona|suhteessa|parisuhteessa|puoliso\w*|mieheni|miehen|meilla)\s+{_g(2)}vakival\w*")
_p("domestic_violence",
   rf"\bpelk\w*\s+{_g(2)}(?:miesta|mieheni|miestani|puolisoa|puolisoani|poikaystavaa|kumppania|kumppaniani|"
   rf"exaa|exaani|vaimoa|vaimoani|menna\s+kotiin|kotiin|kotona\s+olo)\w*")
_p("domestic_violence", rf"\b(?:uhka\w*|sanoi|sano|sanoo|huuta\w*|huus\w*|kirjoitti|kirjotti|lupasi|vannoi|"
   rf"uhosi|uhoaa|raivoaa|raivosi)\s+{_g(2)}(?:tappa\w*|tapan)\s+{_g(1)}(?:minut|mut|"
   rf"meidat|lapset|"
   r"minua|mua)\b|\btappavansa\s+(?:minut|mut|meidat|lapset)")
_p("domestic_violence", r"\bturvako(?:ti|di)\w*", severity=Severity.URGENT)
# Swedish and English
_p("domestic_violence",
   r"\b(?:hits|hit|beats|beat|hurts|hurt|choked|chokes|strangled|kicks|kicked|punched|punches|slaps|slapped|"
   r"threatens|threatened|abuses|abused)\s+me\b|\bdomestic\s+(?:violence|abuse)|\bslar\s+mig|\bslog\s+mig|"
   r"\bvald\s+i\s+hemmet|\bmisshandl\w*|\bhotar\s+att\s+doda\s+mig|\bscared\s+of\s+my\s+(?:husband|"
   r"partner|boyfriend)")

# --- child_at_risk ---------------------------------------------------------------------------------------
_CHILD_RISK = (r"yksin\s+(?:kotona|koko|yon|yot|yoksi|paivat|monta|ilman|viikonlopun|asunnossa)|"
               r"yksin\s+(?:\w+\s+)?(?:autossa|autoon|autosta)|(?:lukitussa|lukittuun|kuumassa)\s+autossa|"
   r"jatetty\s+yksin|"
               r"jatetaan\s+yksin|jattaa\s+\w+\s+yksin|yksin\s+ja\s+(?:nalka|pelo|itk|hadissa|hata)\w*|"
   r"nalissa\w*|heitteil\w*|"
               r"laiminly\w*|lyo|loi|lyoty|lyodaan|lyotiin|hakka\w*|hakat\w*|piesta|piekse\w*|pahoinpi\w*|"
   r"potki\w*|ravist\w*|mustelm\w*|"
               r"satutt\w*|raiska\w*|hyvaksikay\w*|ahdistel\w*|grooma\w*|seksuaal\w*|"
   r"pelkaa\s+(?:menna\s+)?kotiin|"
               r"ei\s+uskalla\s+(?:menna\s+)?kotiin|karka\w*|karannut|kateissa|kadonnut|ei\s+(?:ole\s+|"
   r"oo\s+)?(?:tullut|tule|tuu)\s+(?:\w+\s+)?kotiin|(?:pyyt|pyys|vaati|kerjaa)\w*\s+(?:\w+\s+)?kuvia|"
   r"houkutt\w*|koskett?el\w*|kopeloi\w*|ilman\s+(?:aikuisia|aikuista|valvontaa)|"
               r"ei\s+saa\s+(?:ruokaa|syoda)|ei\s+(?:ole\s+)?syonyt|ilman\s+ruokaa|likais\w*|hoitamatta|"
               r"viilt\w*|itsetuho\w*|itsemurh\w*|uhkaa\s+\w*\s*tappa|kaappiin|lukit\w*\s+ulos|"
   r"ulos\s+pakkaseen")
_PARENT = r"(?:aiti|isa|iska|faija|mutsi|vanhem|isapuol|aitipuol|isi|aippa|aikuiset|mamma|pappa)\w*"
_INTOX = (r"(?:humala|kanni|karaka|juo\b|juovat|juopott|ryyp|aineissa|pilvessa|sekaisin|huume|piri|tokkura|"
          r"sammu)\w*")
_p("child_at_risk", _CHILD, requires=rf"\b(?:{_CHILD_RISK})|\b{_INTOX}",
   exclude=r"\blapsena\b|\bnuorena\b|\blapsuude|\blapsuus|\blapsilisa|\blapsiperhe\w*\s+(?:palvel|tuki)")
_p("child_at_risk", _CHILD, requires=r"\bnal(?:ka|kai)\w*\s+(?:\w+\s+){0,2}(?:koko\s+ajan|aina|jatkuvasti|"
   r"paiv\w*|"
   r"illalla\s+ja\s+aamulla)|\b(?:aina|jatkuvasti)\s+nal(?:ka|kai)\w*", severity=Severity.CONCERN,
   exclude=r"\blapsena\b|\bnuorena\b")
_p("child_at_risk", rf"\b{_PARENT}\s+{_g(3)}(?:lyo|loi|hakka|potki|satutt|uhkaa|uhkail|kurist|pahoinpit)\w*",
   requires=r"\b(?:olen|oon)\s+1?\d\b|\b1?\d\s?-?v(?:uotias)?\b|\bkoulu", inner_negation=True)
_p("child_at_risk", rf"\b{_PARENT}\s+{_g(3)}{_INTOX}", inner_negation=True,
   requires=rf"{_CHILD}|\bkotona|\bmeilla|\bkoulu|\b1?\d\s?-?v(?:uotias)?\b|\bpelottaa|\bpelkaan")
_p("child_at_risk", r"\blastensuojelu\w*|\bsijoitu\w*\s+kiireel\w*|\bhuostaan\w*", severity=Severity.URGENT,
   exclude=r"\blastensuojelulai\w*\s+(?:mukaan|pykal)|\btyopaik|\bopiske")
# Swedish and English
_p("child_at_risk",
   r"\bbarn\w*\s+(?:\w+\s+){0,3}(?:ensam\w*|hungrig\w*|slas|slar|misshandl\w*|far\s+illa|full|berusad)|"
   r"\bbab(?:y|ies)\b.*\b(?:alone|crying\s+for\s+hours)|\b(?:kids?|"
   r"child\w*)\b.*\bleft\s+(?:home\s+)?alone|\bchild\w*\s+(?:\w+\s+){0,3}(?:alone|hungry|"
   r"neglect\w*|abus\w*|beaten|hit)\b|\bkids?\s+(?:\w+\s+){0,5}"
   r"(?:alone|hungry|neglect\w*|abus\w*|beaten)\b|\bchild\s+abuse|\bneglect\w*\s+(?:\w+\s+){0,2}(?:child|"
   r"kid|baby)")

# --- threat_to_others (including psychotic experiences) --------------------------------------------------
_NOT_A_VICTIM = (r"(?!(?:taman\s+|tan\s+|ton\s+)?(?:flunss|viru|kipu|ysk|popo|nuha|kuume|mikrob)|aika|"
   r"aikaa|aikansa|aikaani|bakteer|hyttys|karpas|torakk|luteet|lutik|rikkaruoh|kasvu|"
                 r"itse|itte|ittee|itsee|tunnelm|fiilis|moti)")
# A small child shouting a threat in a tantrum ("kolmevuotias huusi 'tapan sut'") is not a threat to others.
_SMALL_CHILD_SPEAKS = (
    r"\b(?:yksi|kaksi|kolme|nelja|viisi|kuusi|kaks|viis|kuus|[1-6])\s?-?v(?:uotia\w*|ee\w*)?\s+"
    r"(?:\w+\s+){0,2}(?:huus|huusi|huutaa|huutelee|sanoi|sano|sanoo|kiljui|kiljuu|karjui|karjuu|uhosi|uhoaa|"
    r"raivosi|raivoaa|kiukutteli)\b|\b(?:taapero|uhmaikai|leikki-?ikai|pikkulaps|esikoululai)\w*\s+(?:\w+\s+){0,2}"
    r"(?:huus|huusi|huutaa|sanoi|sano|sanoo|kiljui|kiljuu|karjui|uhosi|raivosi)\b"
)
_p("threat_to_others",
   rf"\btap(?:an|amme|pasin)\s+{_g(1)}{_NOT_A_VICTIM}(?:sen|sut|sinut|hanet|ton|tuon|teidat|ne|noi|heidat|"
   rf"kaikki|"
   rf"jonkun|naapuri|pomo|mieheni|vaimoni|exan|exani|opettaja|sosiaalityontekija|virkailija|ton\s+\w+|"
   rf"sen\s+\w+)\w*", exclude=_SMALL_CHILD_SPEAKS)
_p("threat_to_others",
   rf"\b(?:aion|aikoo|aiomme|haluun|haluan|halusin|suunnittele\w*|teen\s+mieli|tekisi\s+mieli|"
   rf"meinaan)\s+{_g(1)}"
   rf"(?:tappaa|tapan|satuttaa|puukottaa|ampua|ampumaan|hakata|hakkaamaan|kostaa)\s+{_NOT_A_VICTIM}\w+",
   exclude=_SMALL_CHILD_SPEAKS)
_p("threat_to_others",
   r"\bpuukot\w*|\bjoukkoammu\w*|\bkouluammu\w*|\bveriloyly\w*|\bjoukkosurm\w*|\brajayt\w*\s+(?:\w+\s+){0,2}"
   r"(?:koulu|talo|rakennu|viraston|toimisto|kaupa|asema|ne|sen)\w*",
   exclude=r"\buutis|\blehde|\belokuva|\bsarja")
_p("threat_to_others",
   rf"\b(?:ohjaa|ohjaavat|lukee|lukevat|varasta|kontrolloi|sateilytt)\w*\s+{_g(1)}(?:mun|minun|"
   rf"mu)\s+ajatu\w*|"
   rf"\bajatu\w*\s+{_g(1)}(?:ohjataan|luetaan|varastetaan|kontrolloidaan)|\bradioaal\w*|"
   rf"\bsateilyttaa\s+minua")
_p("threat_to_others",
   rf"\b(?:vedan|vetaa|annan|isken|lyon|hakkaan|vetasen)\s+{_g(2)}(?:turpaan|turpiin|pataan|naamaan|"
   r"kuonoon)\b|\b(?:jumala|saatana|paholai|enkel|henge|demon)\w*\s+(?:\w+\s+)?(?:kaske|kehott|vaati|kaskee|"
   r"kasky)\w*|\brangaista\s+(?:\w+\s+)?(?:naapure|muita|ihmisia|heita|niita)\w*")
_p("threat_to_others", rf"\bsatut\w*\s+{_g(1)}(?:muita|jotakuta|jonkun|hanta|naapuri\w*|ihmisia|"
   rf"jotain\s+ihmist)\b")
_p("threat_to_others", r"\b(?:ase|aseen|puukko|puukon|veitsi|veitsen|kirves|kirveen)\s+(?:\w+\s+){0,3}"
   r"(?:ja\s+)?(?:menen|lahden|tulen|aion|kayttaa|kaytan)\b")
# Psychotic experiences
_p("threat_to_others", rf"\b(?:kuule|kuulen|kuulin|kuuluu)\w*\s+{_g(2)}(?:aani\w*|puhetta\s+paassa)",
   exclude=r"\bylakerra|\bnaapuri|\bseinan|\bputki|\bremont|\bilmastoin|\bjaakaap|\bauto|\bkone|\bkorva|"
   r"\btinnit|"
           r"\bradio|\bpuhelin|\blapsen|\bvauvan|\bkoiran|\bkissan|\bkadulta|\bpihalta|\bikkunan")
_p("threat_to_others", rf"\baanet\s+{_g(2)}(?:kask|kehott|kaske|vaativat|kiusaa|puhuvat\s+minulle|"
   rf"sanovat)\w*|"
   rf"\baaniharh\w*|\bnakoharh\w*|\bharho\w*|\bharha(?:t|a|ista|isia|inen|isena|isuu\w*|luulo\w*)?\b|"
   r"\bpsykoo\w*|\bpsykoot\w*")
_p("threat_to_others",
   rf"\b(?:minua|mua|meita|minun\s+perassa|mun\s+perassa)\s+{_g(1)}(?:vainotaan|seurataan|tarkkaillaan|"
   rf"vakoillaan|salakuunnellaan|myrkytetaan)\b|\b(?:vainoa\w*|seuraa\w*|tarkkaile\w*|vakoile\w*|"
   rf"salakuuntel\w*)\s+{_g(1)}(?:minua|mua|mun\s+ajatuksia)\b|\b(?:tv|televisio|radio|telkkari|"
   rf"netti)\w*\s+{_g(3)}"
   r"(?:puhuu|lahettaa\s+viesteja|lahettaa\s+minulle)\s+(?:minulle|mulle|viesteja)|"
   r"\b(?:siru|kamera|lahetin)\w*\s+(?:\w+\s+){0,3}(?:paahani|paassani|hampaissani|kehossani)",
   exclude=r"\bkoira|\bkissa|\bvauva|\bpoliisi\s+tutkii")
# Swedish and English
_p("threat_to_others",
   r"\bdoda\s+(?:honom|henne|dem|nagon|alla)|\bhor\s+roster|\bkill\s+(?:him|her|them|someone|everyone|"
   r"my\s+\w+)\b|"
   r"\bhear(?:ing)?\s+voices|\bhurt\s+(?:someone|somebody|people|him|her|them|my\s+\w+)\b|\bshoot\s+(?:up|"
   r"them|him|"
   r"her|everyone)")

# --- substance_crisis ------------------------------------------------------------------------------------
_p("substance_crisis",
   r"\b(?:alkoholi|viina|paihde|huume|juoma|kanna|dokaus|ryyppy)\w*\s?-?ongelm\w*|\balkoholis\w*|\balkkis\w*|"
   r"\bjuoppo\w*|\bryyp\w*|\bdokaa\w*|\bdokas\w*|\bretkah\w*|\brepsah\w*|\briippuvai\w*|\baddikt\w*|"
   r"\bkoukussa\b",
   exclude=r"\bpeliriippu|\bnikotiini|\bsome|\bpuhelin|\bkahvi|\bsokeri|\bsuklaa",
   # Heavy use or addiction alone is a self-service question with an offer of a person (concern);
   # withdrawal, detox need and binges below are the urgent substance crisis.
   severity=Severity.CONCERN)
_p("substance_crisis",
   r"\bvieroitu\w*|\bkatkaisuhoi\w*|\bkatkolle\b|\bkatkohoi\w*|\bdelirium\w*|\bdeliria\w*")
_p("substance_crisis",
   rf"\bjuo(?:n|t|pi|vat|mme|nut|neet||ttu)\s+{_g(2)}(?:liikaa|joka\s+(?:paiva|ilta|aamu|yo|viikonloppu)|"
   r"koko\s+ajan|putkeen|paivittain|aamusta|heti\s+aamulla|pullon|pullollisen|kossu|viinaa|kaljaa|kaljat|"
   r"viinit|viinia|salmiakkikossu|kaikki\s+rahat|itseni\s+humalaan|itteni\s+kaatokanniin|kuin\s+sieni)\b",
   exclude=r"\bvetta|\bvesi|\bmaitoa|\bkahvia|\bteeta|\bmehua|\benergiajuom", severity=Severity.CONCERN)
_p("substance_crisis",
   r"\b(?:huume|piri|amfe|amfetamiin|kokaiin|kokai|heroiin|subutex|bupre|ganja|kannabis|lsd|ekstaas|gamma|"
   r"ghb|opioid|fentanyyl|oksikodon|metamfetamiin|spiidi|subu|sekakaytto|sekakayttaj|nistej|narkkari|"
   r"narkomaan|"
   r"piikki\w*\s+kayt|kamaa\s+kayt|kamoja)\w*|\bpilvessa\b|\bkannissa\s+(?:joka|koko|aina|jatkuvasti)|"
   r"\bhumala\w*\s+(?:joka|koko|aina|jatkuvasti)|\b(?:kannissa|humalassa|juonut)\s+(?:\w+\s+)?putkeen|"
   r"\b(?:paiva|paivaa|viikko|viikkoa)\s+(?:\w+\s+)?(?:kannissa|humalassa|putkeen)|"
   r"\b(?:vedan|vetaa|kaytan|kayttaa|otan|ottaa|pistan|piikitan)\s+(?:\w+\s+)?(?:kamaa|aineita|piria|"
   r"piikkia)\b|\bputki\s+(?:paalla|menossa|paalle)",
   exclude=r"\bhuumekoir|\bhuumausaineopin")
# Not sober for days: the negation is the signal ("olen ollut selvin päin vuoden" is good news).
_p("substance_crisis", rf"\b(?:en|ei|enka|eika)\s+{_g(3)}selvin\s+pain\b", negatable=False)
_p("substance_crisis", r"\bpeliriippu\w*|\bpelaa\w*\s+(?:\w+\s+){0,2}(?:kaikki\s+rahat|rahat|velaksi|liikaa|"
   r"palkan|elakkeen)\b", severity=Severity.CONCERN)
# Swedish and English
_p("substance_crisis", r"\bdricker\s+(?:for\s+mycket|varje\s+dag)|\bmissbruk\w*|\baterfall\w*|"
   r"\bdrinking\s+too\s+much|"
   r"\baddict\w*|\brelaps\w*|\bwithdrawal|\balcoholic\b|\bdrug\s+problem\w*")

# --- no_money_food_medicine ------------------------------------------------------------------------------
_NEED = (r"\bruo[ak]\w*|\bsyo\w*|\bsyotav\w*|\blaakke\w*|\blaakkei\w*|\blaakit\w*|\bresept\w*|\bapteek\w*|"
         r"\binsuliin\w*|\bvaipp\w*|\bkorvike\w*|\belaa\b|\belamise\w*|\bmaito\w*|\bleipa\w*|\bkaupp\w*|"
         r"\bnalka\w*|\bnalissa\w*|\bvuokra|\blaskut|\bkaup\w*")
_p("no_money_food_medicine",
   rf"\b(?:ei|en|eika|enka)\s+{_g(3)}(?:raha(?!ton|ttom)\w*|varaa|varoja|penni\w*|euroakaan|senttiakaan|ropoakaan|"
   rf"lantin\w*)\b|"
   rf"\b(?:ei|eika)\s+(?:ole\s+|oo\s+|ollut\s+|oo\s+ollut\s+)?(?:mitaan\s+|yhtaan\s+)?(?:syotavaa|ruokaa)\b|"
   rf"\b(?:ei|eika)\s+(?:ole|oo|ollut)\s+\w+\s+(?:syotavaa|ruokaa)\b",
   requires=_NEED, negatable=False,
   exclude=r"\bsaa\s+rahaa\s+takaisin|\brahaa\s+takaisin|\bpalautu|\bei\s+maksa\s+mitaan|\bilmai")
_p("no_money_food_medicine",
   r"\b(?:ruokaa|ruoka|syotavaa)\s+(?:ei|eika)\s+(?:ole|oo)\s+(?:\w+\s+)?(?:ollut|ollu|ole|riita|"
   r"riittanyt)\b",
   negatable=False)
_p("no_money_food_medicine", rf"\b(?:raha|rahat|rahani|rahatkin|tili|tilini|saldo)\s+{_g(1)}(?:loppu|"
   rf"lopussa|loppuneet|"
   r"loppuivat|loppui|tyhja|tyhjana|nollilla|miinuksella|finito)\w*", negatable=False)
_p("no_money_food_medicine", rf"\b(?:jaakaappi|jaakaapi|kaapit|kaappi)\w*\s+{_g(2)}(?:tyhj|ammott)\w*")
_p("no_money_food_medicine", r"\bruoka\s?-?ap\w*|\bruokapank\w*|\bleipajon\w*|\bruokajon\w*|\bruokakassi\w*|"
   r"\bhavikkiruo\w*|\bruoka-avu\w*|\bkiireelli\w*\s+(?:\w+\s+)?toimeentulotu\w*|\bhatarah\w*|"
   r"\bmaksusitoumu\w*",
   exclude=r"\bvapaaehtoi\w*|\blahjoit\w*|\bhammas")
_p("no_money_food_medicine",
   rf"\b(?:en|ei|emme)\s+{_g(2)}(?:pysty|voi|pysy|kykene|jaksa)\w*\s+{_g(1)}(?:maksamaan|ostamaan|"
   rf"lunastamaan|"
   rf"hakemaan|maksaa|ostaa|lunastaa)\s+{_g(2)}(?:laakk\w*|ruo\w*|resept\w*|insuliin\w*|apteek\w*)",
   negatable=False)
_p("no_money_food_medicine", rf"\b(?:laakkeet|laakkeita|resepti\w*|ruokaa)\s+{_g(3)}(?:jaa|jaivat|jaanyt|"
   rf"jatan|jatin)\s+"
   r"(?:ostamatta|hakematta|lunastamatta|ottamatta)\b")
# Swedish and English
_p("no_money_food_medicine",
   r"\binga\s+pengar\s+(?:till|for)\s+(?:mat|medicin)|\bhar\s+inte\s+rad\s+(?:med|att\s+kopa)\s+(?:mat|"
   r"medicin)|"
   r"\bno\s+money\s+(?:for|left\s+for)\s+(?:food|medicine|meds)|\bcan'?t\s+afford\s+(?:food|medicine|meds|"
   r"to\s+eat|my\s+medication)|\bnothing\s+to\s+eat|\bfood\s+bank|\bmatbank\w*",
   negatable=False)

# --- eviction_homelessness -------------------------------------------------------------------------------
_p("eviction_homelessness", r"\bhaa(?:to|do|det|taa\b|taan\b|tamaa|tetaan|detaan)\w*")
_p("eviction_homelessness", r"\basunnot(?:on|tom)\w*|\bkodito\w*|\bkodittom\w*|\basunnottomaksi")
_p("eviction_homelessness",
   rf"\b(?:vuokranantaja|isanno|vuokraisan|taloyhtio|omistaja|vuokrafirm|vuokraemant|asuntotoimist|"
   rf"vuokrayhtio|sato|vvo|heka|koas|kojamo|lumo)\w*\s+{_g(4)}(?:irtisano|uhka|uhkaa|heitt|potki|"
   rf"haluaa\s+minut\s+"
   rf"ulos|vaatii\s+muuttamaan|purka|purki)\w*")
_p("eviction_homelessness",
   rf"\b(?:irtisanottiin|irtisanottu|irtisanoi|irtisanoivat|purettiin|purettu|purki|purkivat)\s+{_g(3)}"
   rf"(?:vuokra|asunto|sopimu|kamppa|kampp|asumis)\w*|\b(?:vuokrasopimu|sopimu|asunto)\w*\s+{_g(3)}"
   rf"(?:irtisanottiin|irtisanottu|irtisanottiin|purettiin|purettu|puretaan|irtisanotaan)\b")
_p("eviction_homelessness",
   rf"\b(?:nuku|nukun|nukuin|nukumme|nukkunut|yovyn|yovyin|asun|asumme|majailen|punkkaan|punkkasin|oon|"
   rf"olen|olin)\s+"
   rf"{_g(3)}(?:kadulla|ulkona\s+(?:yot|yoni|koko)|autossa|rappu\w*|porrask\w*|puistossa|teltassa|"
   rf"kaverin\s+sohvalla|"
   rf"kavereiden\s+(?:sohvilla|nurkissa)|tuttujen\s+nurkissa|asemalla|bussissa|yomaja\w*|hatamajoitu\w*|"
   rf"ensisuoja\w*|yomajassa|kaverin\s+nurkissa)\b")
_p("eviction_homelessness",
   rf"\b(?:ei|en|eika|enka)\s+{_g(2)}(?:ole|oo)\s+{_g(1)}(?:asuntoa|kotia|kamppaa|kamppaa|"
   rf"paikkaa\s+(?:missa|jossa|"
   rf"mihin|minne)\s+(?:nukkua|asua|menna|olla)|kattoa\s+paan\s+paalla|mihin\s+menna|minne\s+menna|"
   rf"yopaikkaa)\b|"
   rf"\bilman\s+(?:asuntoa|kotia|kattoa\s+paan\s+paalla|yopaikkaa)", negatable=False,
   exclude=r"\bomistusasun|\bkesamok|\bomaa\s+asuntoa\s+vaan\s+vuokr")
_p("eviction_homelessness",
   rf"\b(?:joud|jaa|jaan|heit|heite|potk|lait|pistet|passit|joutumassa)\w*\s+{_g(2)}(?:kadulle|pihalle|"
   rf"tyhjan\s+paalle|asunnottomaksi|ulos\s+asunno\w*|ulos\s+kamp\w*)")
_p("eviction_homelessness",
   rf"\b(?:pitaa|taytyy|joudun|joudumme|pitais)\s+{_g(2)}(?:lahtea|muuttaa|muuttamaan|tyhjentaa)\b.*"
   r"\b(?:ei|eika)\s+(?:ole|oo)\s+(?:\w+\s+)?(?:uutta|mitaan|paikkaa|asuntoa|minne|mihin)", negatable=False)
_p("eviction_homelessness",
   rf"\bvuokra\s?-?(?:rast|velk|rasti)\w*|\brahaa\s+vuokraan|\bvuokr\w*\s+{_g(2)}(?:maksamatta|rastissa|"
   rf"myohassa)",
   severity=Severity.CONCERN)
# Swedish and English
_p("eviction_homelessness", r"\bevict\w*|\bhomeless\w*|\bsleeping\s+rough|\bnowhere\s+to\s+(?:live|sleep|"
   r"stay)|"
   r"\bvrak\w*|\bhemlos\w*|\bbostadslos\w*")

# --- older_relative_not_managing -------------------------------------------------------------------------
_ELDER = (r"\b(?:aiti|aitini|aidin|aitia|isa|isani|isan|isaa|mummo|mummi|mumm|vaari|pappa|ukki|isoaiti|"
   r"isoisa|"
          r"appi|appiu|anoppi|vanhemp|iakas|iakkaa|iaka|vanhus|vanhuks|ikaihmi|naapurin\s+(?:mummo|vaari|"
   r"rouva|"
          r"herra|vanhus)|faija|mutsi|eno|tati|tadi|seta|muori|ukko|(?:[6-9]\d|1[01]\d)[\s-]?v(?:uotias)?|"
          r"[7-9]\d\s?-?vuotia|1[01]\d\s?-?vuotia)\w*")
_ELDER_PROBLEM = (r"\beksy\w*|\bhukass\w*|\bmuisti\w*\s+(?:\w+\s+){0,2}(?:heikk|huono|pett|menn|katoa|alk|"
   r"reistaile|"
                  r"huonon|heiken)\w*|\bmuistisair\w*|\bdementi\w*|\balzheimer\w*|\bmuistamattom\w*|"
                  r"\b(?:ei|eika|en)\s+(?:\w+\s+)?muista\s+(?:\w+\s+)?(?:syoda|ottaa|laakk|missa|kuka|"
   r"mita|sammuttaa)|"
                  r"\bunohta\w*\s+(?:\w+\s+){0,2}(?:syoda|laakk|liesi|hella|ottaa|sammuttaa|kotiin)|"
   r"\bkaatu\w*|"
                  r"\b(?:ei|eika)\s+(?:\w+\s+){0,2}(?:parjaa|selvia|selviydy|jaksa\s+hoitaa|parjaile|"
   r"osaa\s+enaa)|"
                  r"\bharhail\w*|\blahtee\s+(?:\w+\s+)?(?:yolla|ulos\s+yolla|yoksi)|"
   r"\bhella\s+(?:\w+\s+)?paalle|"
                  r"\bliesi\s+(?:\w+\s+)?paalle|\bhuonokuntoi\w*|\b(?:ei|eika)\s+(?:\w+\s+){0,2}syo\b|"
   r"\blaihtu\w*|"
                  r"\b(?:ei|eika)\s+(?:\w+\s+){0,2}peseydy|\bkotihoito\w*\s+(?:\w+\s+){0,2}(?:ei\s+riita|"
   r"ei\s+kay|"
                  r"ei\s+ehdi|riittamat)|\bei\s+(?:\w+\s+){0,2}vasta\w*\s+(?:\w+\s+)?puhelim\w*|"
   r"\bsekava\w*|\bsekaisin\b|"
                  r"\b(?:ei|eika)\s+(?:enaa\s+)?tunnista|\bsekoil\w*|"
                  r"\b(?:ei|eika)\s+(?:\w+\s+){0,2}(?:pysty|jaksa|osaa|kykene)\w*\s+(?:\w+\s+)?(?:hoita|"
   r"pesey|laitta|"
                  r"syoda|kayda|liikkua)\w*|\bsotku\w*|\bhuolissa\w*|\bhuoli\w*|\byksin\s+(?:\w+\s+){0,2}"
                  r"(?:eika|ei|en)\b|\bei\s+(?:enaa\s+)?(?:paase|paasee)\s+(?:\w+\s+)?(?:ylos|ulos|"
   r"kauppaan|vessaan)|"
                  r"\bpissaa\s+alleen|\bhuijat\w*|\bvaarallis\w*|\bei\s+hoida\s+(?:\w+\s+)?(?:laskuja|"
   r"asioitaan)")
_p("older_relative_not_managing", _ELDER, requires=_ELDER_PROBLEM, requires_negatable=True,
   exclude=r"\blapse\w*\s+aiti|\bvauva|\bneuvola|\braskau|\bsynnyt|\bimet")
_p("older_relative_not_managing",
   rf"\b(?:olen|oon|ole)\s+{_g(1)}(?:[7-9]\d|1[01]\d)(?:[\s-]?(?:v|vuotias|vee)\w*)?\b|\b(?:iakas|vanha|"
   rf"yksinasuva|"
   rf"leski)\w*\s+{_g(1)}(?:ja\s+)?(?:en|ei|enka|eika)\s+{_g(1)}(?:parjaa|jaksa|selvia|parjaile)",
   requires=r"\b(?:en|ei|enka|eika)\s+(?:\w+\s+){0,2}(?:parjaa|jaksa|selvia|parjaile|muista|paase|osaa)|"
   r"\bkaadu\w*|\bkaatu\w*|"
            r"\byksin\s+(?:\w+\s+)?(?:en|ei)")

# --- exploitation_threats --------------------------------------------------------------------------------
_p("exploitation_threats", r"\bkiristy(?:s|ks)\w*|\bkiristaja\w*|\bkirist\w*\s+(?:minua|mua|meita|hanta|"
   r"aitia|isaa|"
   r"rahaa|rahoja)\b|\bkiristet\w*|\bseksikirist\w*|\bsextort\w*")
_p("exploitation_threats",
   rf"\buhka\w*\s+{_g(3)}(?:levitta|julkais|kertoa|lahetta|laittaa\s+nettiin|satutt|hakata|tulla|polttaa|"
   r"hakkaa|periä|peria)\w*|\buhkail\w*", exclude=r"\bilmastonmuut|\bsotila|\bsaa\s+uhkaa")
_p("exploitation_threats",
   r"\b(?:alaston|intiimi|seksi|paljas|nude)\w*\s?-?(?:kuv|video)\w*",
   requires=r"\buhk\w*|\blevit\w*|\bjulkais\w*|\bkirist\w*|\bmaksa\w*|\bvaati\w*|\bpyyta\w*|\blahett\w*|"
   r"\bnettiin")
_p("exploitation_threats",
   rf"\bihmiskaup\w*|\bparituk\w*|\bparitta\w*|\bpakko\s?-?(?:tyo|avioliit|naima)\w*|\bpakot\w*\s+{_g(3)}"
   rf"(?:tyohon|toihin|myymaan|seksiin|seksia|maksamaan|lainaa|ottamaan\s+lainaa|antamaan|allekirjoitt)\w*|"
   rf"\b(?:vie|vievat|vei|ottaa|ottanut|otti|kayttaa|kaytti|pitaa)\s+{_g(2)}(?:elake|elakkee|rahat|rahani|"
   rf"rahoja|"
   rf"kortin|pankkikort|pankkitunnu|tunnukse|passi|passini|henkilopaperi|palkka|palkkani)\w*",
   exclude=r"\bulosotto\w*|\bpankki\s+(?:vei|otti)|\bautomaatti|\bkulu|\bverott|\bkela\s+|\bkauppa")
_p("exploitation_threats",
   rf"\bhuija\w*\s+{_g(3)}(?:rahat|rahani|rahaa|tunnukse|tililt|saasto|elak)\w*|\b(?:rahat|rahani|saastot|"
   rf"saastoni|elake)\w*\s+{_g(2)}huija\w*|\bhuijattiin\b|\bhuijattu\b|\bromanssihuij\w*")
_p("exploitation_threats", rf"\b(?:pyyt|pyys|vaati|kerjaa|kinua|kinuaa)\w*\s+{_g(2)}(?:kuvia|kuvan|"
   rf"alastonkuv|"
   r"videoita|tapaamaan\s+salaa)\b", requires=rf"{_CHILD}|\baikuinen|\btuntematon|\bvieras")
_p("exploitation_threats", rf"\b(?:velk|diiler|peri|velkoja)\w*\s+{_g(3)}(?:uhka|uhkaile|satutt|hakata|"
   rf"tappaa|"
   r"tulee\s+hakemaan)\w*")
_p("exploitation_threats",
   rf"\b(?:vaati|vaatii|haluaa)\s+{_g(1)}rahaa\s+(?:tai|muuten|ettei|jotta\s+ei)\b|"
   rf"\b(?:julkais|levitta|laittaa)\w*\s+{_g(2)}(?:mun|minun|meidan)\s+(?:kuva|video|viest)\w*|"
   r"\bei\s+(?:\w+\s+)?maksa\s+(?:mulle\s+|minulle\s+)?palkka\w*|\bkarkott\w*|\bkarkotu\w*",
   exclude=r"\bverottaj|\bkela\b|\bsairausloma\w*|\blomautu\w*")
_p("exploitation_threats", r"\bblackmail\w*|\bthreaten\w*\s+to\s+(?:post|share|send|leak)|\butpress\w*|"
   r"\bhuman\s+trafficking|\bmanniskohandel")

# --- not_coping ------------------------------------------------------------------------------------------
_p("not_coping", r"\b(?:en|ei|et|enka|eika)\s+(?:enaa\s+|yhtaan\s+|kerta\w*\s+|mitenkaan\s+)?jaks(?:a|ais|"
   r"anut|ais)\b"
   r"(?!\s+(?:odottaa|odotella|uskoa|kuunnella|lukea|jonottaa))", negatable=False)
_p("not_coping",
   r"\b(?:mas(?:enn|ent|is)|uupu|uupum|loppuun\s?-?palan|burn\s?-?out|ahdist|paniikk|toivot(?:on|tom)|"
   r"yksinai|"
   r"epatoivo|ylikuormit|romahd|romahta|voimaton|lamaantu)\w*",
   exclude=r"(?:masennus|ahdistus|mieliala|paniikki)\w*laak\w*|\bresept\w*|\bsertral|\bescital")
_p("not_coping", rf"\b(?:en|ei|enka|eika)\s+{_g(2)}(?:paase|paasee|paassy|paasse|jaksa\s+nousta|"
   rf"pysty\s+nousemaan|"
   rf"jaksa\s+nousta|jaksanut\s+nousta)\w*\s+{_g(2)}sangy\w*|\b(?:en|ei|enka|eika)\s+{_g(2)}(?:paas|jaksa|"
   rf"pysty)\w*\s+"
   rf"{_g(1)}ylos\s+sangy\w*", negatable=False)
_p("not_coping",
   rf"\b(?:en|ei|et|enka|eika)\s+{_g(2)}(?:syo|syonyt|syony|syonu|syonny|jaksa\s+syoda|pysty\s+syomaan|"
   rf"saa\s+syotya)\b|"
   r"\bruoka\s+ei\s+(?:enaa\s+)?maistu",
   negatable=False,
   exclude=r"\bsyo\s+(?:lihaa|kalaa|maitoa|gluteen|sokeri|vehna|porsas|possu|sianlih|makeaa|herkku|roskaruo|"
           r"eines|kasvik|vihann|mitaan\s+ennen)|\bennen\s+(?:verikoe|laboratorio|leikkaus|toimenpid|"
   r"tahystys)|"
           r"\bpaasto\w*|\bvauva|\bkoira|\bkissa")
_p("not_coping", rf"\b(?:en|ei|enka|eika)\s+{_g(2)}(?:nuku|saa\s+unta|oo\s+nukkunut|ole\s+nukkunut|"
   rf"nukkunut)\b",
   negatable=False, exclude=r"\bvauva|\bkoira|\bnaapuri|\bmelu")
_p("not_coping", rf"\bitk(?:en|in|enyt|ettaa|eskelen)\s+{_g(2)}(?:koko|joka|jatkuvasti|vaan|paljon|aina|"
   rf"ilman\s+syyta|"
   r"yksin|iltaisin|oisin)\b")
_p("not_coping", rf"\b(?:en|ei|enka|eika)\s+{_g(2)}(?:parjaa|parjaile|selvia|selviydy|jaksa\s+mitaan)\b",
   negatable=False, exclude=r"\btietokon|\bnetti|\bsovellu|\bomakant|\bomaolo|\blomak|\bkoe\b|\btentti")
_p("not_coping", rf"\b(?:olen|oon|olin|ole|ollut)\s+{_g(1)}(?:loppu|poikki|lopussa|loppuunpalanut|"
   rf"romahtamaisillani|"
   r"rikki|ihan\s+hajalla|hajalla|pohjalla|pohjamudissa|tyhja|eksyksissa\s+elamassa)\b|"
   rf"\bvoima\w*\s+{_g(1)}(?:loppu|lopussa|ehtyneet|menneet)\w*|\bkaikki\s+{_g(1)}kaatuu\s+{_g(1)}paalle|"
   r"\bkukaan\s+ei\s+valita|\b(?:ei|ilman)\s+(?:\w+\s+)?voimia\b|\bpelkkaa\s+selviytymista|\bpaa\s+hajoaa|"
   r"\bei\s+(?:ole|oo)\s+ketaan\b|\ben\s+(?:jaksa|"
   r"pysty)\s+enaa\s+mitaan")
# Swedish and English
_p("not_coping", r"\bcan'?t\s+cope|\bcannot\s+cope|\bdepress\w*|\bexhausted|\bburn(?:ed|t)\s+out|"
   r"\borkar\s+inte\b|"
   r"\bdeprimer\w*|\bensam\w*\b|\blonely|\bhopeless", exclude=r"\borkar\s+inte\s+leva")

# --- digital_exclusion -----------------------------------------------------------------------------------
_DIGI = (r"(?:tietokone|kone|koneella|nett|internet|aly\s?-?puhelin|kannykk|puhelim|sovellu|appi|appe|"
   r"omakant|"
         r"omaolo|kela\.fi|verkkopank|verkko|sahko|digi|tunnistau|kirjautu|tabletti|sahkoposti|mobiili|"
   r"nettisivu|"
         r"verkossa|netissa|chat|nettilomak|koodi|tekstiviest|pankkitunnu)\w*")
_p("digital_exclusion",
   rf"\b(?:en|ei|emme|enka)\s+{_g(2)}(?:osaa|osannut|osaa\w*|pysty|pysty\w*|ymmarra|hallitse|kayta|tunne|"
   rf"tajua|oppinut|opi)\s+{_g(3)}{_DIGI}", negatable=False)
_p("digital_exclusion",
   rf"\b(?:ei|en)\s+{_g(2)}(?:ole|oo)\s+{_g(1)}(?:tietokonetta|konetta|nettia|internetia|netti\w*|"
   rf"alypuhelinta|kannykkaa|puhelinta|pankkitunnuks\w*|verkkopankkitunnuks\w*|tunnuksia|tunnuksii|"
   rf"mobiilivarmen\w*|"
   rf"sahkopostia|sahkopostiosoitetta|nettiyhteytta|laitetta|verkkopankkia)\b", negatable=False)
_p("digital_exclusion",
   rf"\b(?:liian|tosi|todella|ihan|aivan|niin)\s+(?:vaike\w*|hankal\w*|monimutkai\w*|"
   rf"sekav\w*)\s+{_g(3)}{_DIGI}|"
   rf"\b{_DIGI}\s+{_g(3)}(?:liian|tosi|todella|ihan|aivan|niin)\s+(?:vaike\w*|hankal\w*|monimutkai\w*)",
   exclude=r"\bkoe\b|\bopiskel")
_p("digital_exclusion", r"\bpuolestani\b|\bpuolestaan\b|\bpaperi\s?-?(?:lomak|hakemu|versio|sena|sella|"
   r"muodos)\w*|"
   r"\bpaperise\w*\s+(?:lomak|hakemu|version)",
   requires=r"\btayt|\bhake|\bhoita|\basioi|\blomak|\bhakemu|\bsaako|\bvoiko|\bsaisi")
_p("digital_exclusion", r"\b(?:en|ei|enka|eika)\s+(?:\w+\s+)?(?:nae|"
   r"nakoni\s+ei\s+riita)\s+(?:\w+\s+){0,2}(?:ruudu|"
   r"naytol|"
   r"puhelim|tekstia)\w*|\b(?:can'?t|cannot)\s+use\s+(?:the\s+)?(?:computer|internet|app|smartphone)|"
   r"\bkan\s+inte\s+anvanda\s+(?:datorn|internet|appen)", negatable=False)

# --- figures of speech (also the learned screen's veto, triage.patterns.harmless_mask) ---------------------
# Risk words used figuratively or about things, animals and chores. The patterns keep these out through their
# own shape (reflexive object required, _NOT_A_VICTIM, _DEATH_IDIOM excludes); the learned screen has none,
# so a word inside one of these spans does not count as risk evidence for it.
FIGURES_OF_SPEECH = re.compile(
    rf"{_DEATH_IDIOM}|"
    r"\btap(?:an|pa|paa|amme|etaan|poi|oin|pasin)\w*\s+(?:\w+\s+)?(?:aika|aikaa|aikani|aikansa|aikaamme|"
    r"tylsyytta|tylsyyden)\b|"
    r"\b(?:tama|tuo|toi|tua|ta|se)\s+(?:\w+\s+){0,2}tappaa\s+(?:minut|mut|meidat|mun)\b|"
    r"\b(?:lomake|lomakkeet|byrokratia|jono|jonotus|helle|kuumuus|tylsyys|odotus|kiire|laskut|kela)\w*\s+"
    r"(?:\w+\s+)?tappaa\b|"
    r"\bhyp(?:paan|pasin|pasi|paa|ataan|pata|paamme)\w*\s+(?:\w+\s+)?(?:suihku|saunaan|sankyyn|autoon|"
    r"bussiin|junaan|ratikkaan|kyytiin|pyoran|selaan|veteen\s+uimaan|uimaan|altaaseen|jarveen\s+uimaan|"
    r"lakanoiden|peiton|ostoksille|kauppaan|lenkille|vauhtiin)\w*|"
    r"\b(?:koira|kissa|kani|hamsteri|marsu|undulaatti|papukaija|kala|akvaario|lemmikki|hevo|kasvi|kukka|"
    r"viherkasvi|akku|puhelin|kannykka|lapp[aä]ri|tietokone|kone|auto|moottori|pesukone|printteri|tulostin|"
    r"kaveri\w*\s+koira|naapurin\s+koira)\w*\s+(?:\w+\s+){0,2}(?:kuol|kuoli|kuollut|kuolee|menehtyi|"
    r"lopetet|hajos|sammu)\w*|"
    r"\b(?:koira|kissa|kani|lemmikki|hevo|hamsteri|marsu)\w*\s+(?:\w+\s+){0,2}(?:lopettaa|lopetettiin|"
    r"piti\s+lopettaa)\b|"
    r"\blyo(?:da|n|mme)?\s+(?:vetoa|rahoiksi|laimin|kattoon|leikiksi|hynttyyt|paat\s+yhteen)\b|"
    r"\bkuollut\s+(?:vasynyt|poikki)\b|\bihan\s+kuollut\s+(?:tyopaivan|treenin|lenkin)\w*|"
    r"\b(?:kahvi|tee|vesi|vetta|mehu|maito|smoothie)\w*\s+(?:\w+\s+)?(?:juo|juon|juotiin|join)\w*|"
    r"\b(?:juo|juon|join)\w*\s+(?:\w+\s+)?(?:kahvi|teeta|vetta|mehua|maitoa|smoothie)\w*|"
    # near-miss of shock: "sydän meinasi pysähtyä / melkein kuolin kun näin laskun" (hyperbole, a past
    # reaction to news, a bill or a sight; a present "sydän meinaa pysähtyä" without a trigger still raises)
    r"\b(?:meinas\w*|melkein|oli\s+vahalla|olin\s+vahalla|olla\s+vahalla)\s+(?:\w+\s+){0,2}(?:pysah|kuol|sydari|"
    r"sydankohtau|infarkt|halvaa|pyorty|tukehtu|pokerty)\w*(?=\s+(?:\w+\s+)?(?:kun\s+(?:\w+\s+)?(?:nain|kuulin|"
    r"luin|avasin|sain|huomasin|katsoin|nakin|naki|kuuli|luki|avasi)\b|\w+essani\b|\w+essaan\b))|"
    # "en jaksa / malta odottaa (lomaa)" = can't wait, eagerness: the encoder reads "en jaksa" as despair
    r"\b(?:en|emme|ei|enka)\s+(?:jaksa|jaksais|malta)\s+odottaa\b"
)
