"""DEV split for risk screening: the examples patterns are tuned against.

Kept apart from the held-out test set in ``tests/risk_eval/risk_testset.yml`` (which is only measured,
never tuned on). Each positive must raise its category; each negative must raise nothing.
"""

from __future__ import annotations

POSITIVES: dict[str, list[str]] = {
    "suicide_self_harm": [
        "mä haluun kuolla",
        "haluan kuolla",
        "mä en jaksa enää, haluun tappaa itteni",
        "tapan itteni tänään",
        "aion tappaa itseni",
        "mulla on itsemurha-ajatuksia",
        "ajattelen itsemurhaa joka päivä",
        "itsemurah käy mielessä",
        "oon itsetuhonen",
        "olen ollut itsetuhoinen viime aikoina",
        "itsetuhoisia ajatuksia on paljon",
        "kaveri sanoi haluavansa kuolla",
        "siskoni puhuu itsemurhasta",
        "en halua enää elää",
        "ei oo mitään järkeä elää",
        "viiltelen taas",
        "satutan itseäni kun ahdistaa",
        "haluan päättää päiväni",
        "perheelle olisi parempi ilman minua",
        "toivoisin että kuolisin unissani",
        "jag vill dö",
        "tänker på självmord",
        "I want to kill myself",
        "i wanna die",
        "i have been self-harming",
        "olin itsetuhoinen vuosia sitten ja nyt ajatukset palasi taas",
        "yritin eilen tappaa itseni",
    ],
    "overdose_poisoning": [
        "otin koko purkin unilääkkeitä",
        "söin liikaa lääkkeitä",
        "lapsi söi pesuainetta",
        "poika joi tuulilasinpesunestettä",
        "vedin yliannostuksen",
        "yliannostus",
        "nielin kaikki pillerit",
        "lapsi söi mummon tabletteja",
        "kaveri on myrkyttynyt",
        "took an overdose",
        "she took too many pills",
        "tog för många tabletter",
        "överdos",
    ],
    "medical_emergency": [
        "kova rintakipu",
        "rintaan sattuu ja puristaa",
        "en saa henkeä",
        "isä ei hengitä",
        "äiti on tajuton",
        "mummo ei herää",
        "suupieli roikkuu ja puhe sammaltaa",
        "taidan saada aivoinfarktin",
        "haava vuotaa paljon verta",
        "kurkku turpoaa",
        "lapsi kouristelee",
        "soitanko ambulanssin",
        "isä kaatui eikä pääse ylös",
        "can't breathe",
        "chest pain",
        "andas inte",
        "medvetslös",
    ],
    "domestic_violence": [
        "mies lyö mua joka päivä",
        "mieheni hakkaa minua",
        "puoliso uhkaa tappaa minut",
        "poikaystävä kuristi mua",
        "minua lyödään kotona",
        "kotona on väkivaltaa",
        "lähisuhdeväkivalta",
        "pelkään miestäni",
        "exä sanoi tappavansa minut",
        "my husband beats me",
        "domestic violence",
        "min man slår mig",
        "tarvitsen turvakodin",
    ],
    "child_at_risk": [
        "naapurin lapsi on yksin ja nälkäinen",
        "lapset on yksin kotona koko viikonlopun",
        "äiti on aina kännissä ja me lapset ollaan yksin",
        "isä lyö minua, olen 13",
        "vauva on heitteillä",
        "lapseni on kadonnut",
        "lastensuojeluilmoitus",
        "naapurin lapsilla on mustelmia",
        "children alone and hungry",
        "barnen är ensamma",
    ],
    "threat_to_others": [
        "tapan sen",
        "tapan sut",
        "aion tappaa naapurin",
        "haluan satuttaa jotakuta",
        "kuulen ääniä",
        "äänet käskee tekemään pahaa",
        "minua seurataan ja vakoillaan",
        "tv puhuu minulle",
        "näen harhoja",
        "i will kill him",
        "hearing voices",
        "jag ska döda honom",
    ],
    "substance_crisis": [
        "juon liikaa",
        "mulla on alkoholiongelma",
        "retkahdin",
        "mies juo koko ajan",
        "poika käyttää piriä",
        "tarviin katkaisuhoitoon",
        "vieroitusoireita",
        "I'm an alcoholic",
    ],
    "no_money_food_medicine": [
        "ei oo rahaa ruokaan",
        "ei ole rahaa lääkkeisiin",
        "rahat loppu",
        "jääkaappi on tyhjä",
        "ruoka-apu",
        "en pysty maksamaan lääkkeitä",
        "no money for food",
        "inga pengar till mat",
    ],
    "eviction_homelessness": [
        "häätö",
        "häätö tulossa",
        "uhkaa häätö",
        "vuokranantaja uhkaa häädöllä",
        "olen asunnoton",
        "nukun kadulla",
        "ei ole asuntoa",
        "joudun pihalle",
        "vuokrasopimus irtisanottiin",
        "evicted",
        "homeless",
    ],
    "older_relative_not_managing": [
        "äiti eksyi taas eikä muista syödä",
        "isä ei pärjää enää kotona",
        "mummolla on muistisairaus ja asuu yksin",
        "vaari kaatuilee",
        "isoäiti unohtaa lääkkeet",
        "olen 87 ja en pärjää",
    ],
    "exploitation_threats": [
        "joku kiristää minua",
        "uhkaa levittää kuvia",
        "poika vie äidin eläkkeen",
        "minut pakotetaan töihin",
        "huijattiin rahat",
        "blackmail",
    ],
    "not_coping": [
        "en jaksa",
        "en pääse ylös sängystä",
        "olen ihan loppu",
        "masentaa",
        "ahdistaa",
        "en nuku",
        "en syö",
        "yksinäinen",
        "en pärjää",
    ],
    "digital_exclusion": [
        "en osaa käyttää nettiä",
        "ei ole pankkitunnuksia",
        "en osaa käyttää älypuhelinta",
        "netti on liian vaikea",
        "ei oo tietokonetta",
    ],
}

NEGATIVES: list[str] = [
    # negations
    "en ole itsetuhoinen",
    "ei ole itsemurha-ajatuksia",
    "en aio tappaa itseäni",
    "en halua kuolla",
    "mulla ei oo itsetuhoisia ajatuksia",
    "i am not suicidal",
    "jag är inte självmordsbenägen",
    "en juo alkoholia",
    "mies ei ole koskaan lyönyt minua",
    # figures of speech
    "tapan aikaa odotellessa",
    "tämä lomake tappaa minut",
    "kuolen nauruun",
    "nälkä kuin sudella",
    "räjähdän kohta jos jono ei liiku",
    "en jaksa odottaa lomaa",
    "kuolen tylsyyteen",
    # harmless reported speech and look-alikes
    "kaveri sanoi että kauppa on kiinni",
    "lapsi on kipeä",
    "mun mummo tarvii kotihoitoa",
    "naapuri soitti",
    "häät on kesällä",
    "miten irtisanon vuokrasopimukseni",
    "tarviin masennuslääkkeen reseptin",
    "en syö lihaa",
    "kuulen ääniä naapurista",
    "otin lääkkeet aamulla",
    "ruokamyrkytys viime viikolla, nyt ok",
    # ordinary service questions
    "mist mä voin hakee asumistukee",
    "hammasta särkee",
    "milloin neuvola on auki",
    "tarviin reseptin uusimisen",
    "miten varaan ajan",
    "missä on terveysasema",
    "kuinka haen toimeentulotukea",
    "kotihoito",
    "päivystyksen aukioloajat",
]

# Added after the first held-out run, as NEW phrasings of the phenomena it missed (conditional and spoken
# verb forms, "ettei", participles, a child writing about siblings, grooming, "enkä", "vastannut").
POSITIVES["suicide_self_harm"] += [
    "haluaisin vaan nukahtaa ja kuolla",
    "sanoi ettei jaksa elää",
    "en halua herätä huomenna",
    "kaikki ois paremmin jos en ois olemassa",
    "oon viillellyt itseäni",
]
POSITIVES["child_at_risk"] += [
    "pikkusisko itkee nälissään, isä ei oo tullut kotiin",
    "kids in the flat upstairs are always left home alone",
    "12-vuotias tyttö ei tule kotiin öisin",
    "joku aikuinen pyytää pojalta kuvia",
]
POSITIVES["older_relative_not_managing"] += [
    "olen 91 enkä jaksa enää käydä kaupassa",
    "isoisä ei ole vastannut puhelimeen eilisen jälkeen ja hän on 90",
]
POSITIVES["not_coping"] += ["en oo jaksanut nousta sängystä"]
NEGATIVES += [
    "en käytä alkoholia ollenkaan",
    "en tarvitse apua ruoan kanssa",
    "poika otti lääkkeensä ohjeen mukaan",
    "haluan tappaa tän viruksen, mikä auttaa",
    "lapsi ei syö vihanneksia",
    "vauva ei syö vielä kiinteitä ruokia",
    "lapsi on nälkäinen ennen ruokaa",
]

# Added after the blind round-2 run, again as NEW phrasings of what it missed (other verbs for not wanting
# to live, hurting oneself on purpose, compound medicine names, stroke signs, confinement, abuse by touching,
# thought control, "selvin päin", reversed word order, "sekoilee", wage theft and deportation threats).
POSITIVES["suicide_self_harm"] += [
    "ei kiinnosta elää enää",
    "en tahdo olla olemassa",
    "löin itseäni tahallaan seinään",
]
POSITIVES["overdose_poisoning"] += [
    "otin kourallisen verenpainelääkkeitä",
    "vauva pääsi käsiksi rautatabletteihin",
    "hän veti jotain eikä nyt reagoi",
]
POSITIVES["medical_emergency"] += [
    "äidin käsi ei liiku ja puhe on epäselvää",
    "hän on ihan harmaa eikä hengitä",
    "he collapsed at home",
]
POSITIVES["domestic_violence"] += [
    "mieheni ei päästä minua tapaamaan ystäviä ja uhkailee",
    "avomies tönäisi mut lattiaan ja potki",
]
POSITIVES["child_at_risk"] += [
    "setä kopeloi tyttöä",
    "lapset on ulkona ilman valvontaa yöllä",
]
POSITIVES["threat_to_others"] += ["ne lukevat mun ajatuksia", "i want to hurt my boss"]
POSITIVES["substance_crisis"] += ["en oo ollut päivääkään selvin päin"]
POSITIVES["no_money_food_medicine"] += ["ruokaa ei ole ollut koko viikonloppuna"]
POSITIVES["older_relative_not_managing"] += [
    "isoäiti sekoilee ja lähtee ulos yöllä",
    "vanha äiti ei jaksa enää laittaa ruokaa",
]
POSITIVES["exploitation_threats"] += [
    "joku vaatii rahaa tai levittää mun kuvia",
    "työnantaja ei maksa palkkaa",
]
POSITIVES["digital_exclusion"] += ["mulla ei ole puhelinta", "enkä näe puhelimen tekstiä"]
POSITIVES["child_at_risk"] += ["naapurin mies kosketteli poikaa"]
NEGATIVES += ["olen ollut selvin päin jo vuoden"]
POSITIVES["medical_emergency"] += ["vaari kolautti päänsä ja oksentaa"]
