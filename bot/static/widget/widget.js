/*
 * Resident chat widget of the wellbeing services county's self-service assistant.
 *
 * Embed with one tag:  <script src="https://GATEWAY/static/widget/widget.js" data-lang="fi" defer></script>
 *   data-gateway  base URL of the gateway (default: the origin this script was loaded from)
 *   data-lang     fi | sv | en (default fi; the resident can switch in the panel)
 *
 * Vanilla ES2017, no build step, no third-party requests. Styles come only from widget.css (loaded
 * from the script's own origin) and classes: no inline styles or scripts, so a strict CSP works.
 * All text from the server is inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__vkwLoaded) return;
  window.__vkwLoaded = true;

  var STORAGE_KEY = "vkw-chat-v1";
  var MAX_STORED = 200;
  var LANGS = ["fi", "sv", "en"];

  var I18N = {
    fi: {
      launcherOpen: "Kysy avustajalta",
      launcherClose: "Sulje avustaja",
      region: "Asiointiavustaja",
      title: "Asiointiavustaja",
      subtitle: "Vantaan ja Keravan hyvinvointialue",
      headerEmergency: "Hätätilanteessa soita",
      questionTitle: "Kysyn suoraan",
      language: "Kieli",
      restart: "Aloita alusta",
      close: "Sulje",
      closeLabel: "Sulje avustaja",
      introTitle: "Hei! Olen hyvinvointialueen tekoälyavustaja.",
      introAi: "Olen tekoälyavustaja, en ammattilainen. En tee diagnooseja enkä anna hoito-ohjeita.",
      introHelp: "Autan löytämään palveluja ja etuuksia, esimerkiksi:",
      introTopics: [
        "toimeentulo ja tuet, kuten asumistuki ja toimeentulotuki",
        "asuminen ja asunnottomuuden uhka",
        "mielenterveys, päihteet ja jaksaminen",
        "terveyspalvelut, oireet ja hoitoon hakeutuminen",
        "asiasi välittäminen hyvinvointialueen ammattilaiselle"
      ],
      introPrivacy: "Älä kirjoita henkilötunnusta tai muita henkilötietoja.",
      introEmergencyBefore: "Hätätilanteessa soita ",
      introEmergencyAfter: ".",
      footerNote: "Tekoälyavustaja – ei ammattilainen. Hätätilanteessa soita 112.",
      logLabel: "Keskustelu",
      you: "Sinä:",
      bot: "Avustaja:",
      inputLabel: "Kirjoita viestisi",
      inputHint: "Enter lähettää, Shift + Enter tekee rivinvaihdon.",
      send: "Lähetä",
      typing: "Avustaja kirjoittaa…",
      quickReplies: "Vastausvaihtoehdot",
      serviceCard: "Palvelu",
      phone: "Puhelin",
      hours: "Aukioloajat",
      openLink: "Siirry palvelun sivulle",
      newTab: "(avautuu uuteen välilehteen)",
      crisisTitle: "Tarvitset apua nyt – soita heti",
      crisisEmergency: "Hätänumero",
      crisisLead: "Jos olet välittömässä vaarassa, soita 112.",
      handoffTitle: "Välitetty ammattilaiselle",
      handoffStatus: "Tila",
      handoffNext: "Seuraavaksi",
      statuses: {
        "new": "Odottaa ammattilaista", "open": "Odottaa ammattilaista", "pending": "Odottaa ammattilaista",
        "claimed": "Ammattilainen käsittelee", "in_progress": "Ammattilainen käsittelee",
        "closed": "Käsitelty", "resolved": "Käsitelty"
      },
      errRetry: "Yritä uudelleen",
      errDismiss: "Sulje ilmoitus",
      errNetwork: "Yhteys avustajaan ei toiminut. Tarkista verkkoyhteys ja yritä uudelleen. Viestisi on yhä kirjoituskentässä.",
      errTooLong: "Viestisi on liian pitkä (enintään {max} merkkiä). Lyhennä viestiä ja lähetä se uudelleen.",
      errRate: "Olet lähettänyt monta viestiä lyhyessä ajassa. Odota noin minuutti ja yritä sitten uudelleen.",
      errBadInput: "Viestiä ei voitu käsitellä. Tarkista viesti ja yritä uudelleen.",
      errUnavailable: "Avustaja ei ole juuri nyt käytettävissä. Viestisi tallennettiin. Yritä hetken kuluttua uudelleen. Hätätilanteessa soita 112.",
      errServer: "Avustajassa tapahtui virhe. Yritä hetken kuluttua uudelleen. Hätätilanteessa soita 112.",
      errEmpty: "Kirjoita viesti ennen lähettämistä.",
      liveWaiting: "Odotetaan ammattilaista. Voit kirjoittaa jo nyt – hän näkee viestisi.",
      liveActive: "Keskustelet nyt ammattilaisen kanssa (ihminen, ei tekoäly).",
      liveJoined: "Ammattilainen liittyi keskusteluun.",
      liveNobody: "Päivystäjää ei ole nyt paikalla. Asiasi on jonossa, ja vastaus näkyy tässä, kun palaat sivulle. Hätätilanteessa soita 112.",
      liveEnded: "Keskustelu ammattilaisen kanssa päättyi. Voit jatkaa avustajan kanssa.",
      liveEnd: "Lopeta keskustelu ammattilaisen kanssa",
      errLiveEnd: "Keskustelun lopettaminen ei onnistunut. Tarkista verkkoyhteys ja yritä uudelleen.",
      worker: "Ammattilainen:",
      restarted: "Keskustelu aloitettiin alusta."
    },
    sv: {
      launcherOpen: "Fråga assistenten",
      launcherClose: "Stäng assistenten",
      region: "Serviceassistent",
      title: "Serviceassistent",
      subtitle: "Vanda och Kervo välfärdsområde",
      headerEmergency: "I en nödsituation, ring",
      questionTitle: "Jag frågar rakt ut",
      language: "Språk",
      restart: "Börja om",
      close: "Stäng",
      closeLabel: "Stäng assistenten",
      introTitle: "Hej! Jag är välfärdsområdets AI-assistent.",
      introAi: "Jag är en AI-assistent, inte en yrkesperson. Jag ställer inga diagnoser och ger inga vårdanvisningar.",
      introHelp: "Jag hjälper dig att hitta tjänster och förmåner, till exempel:",
      introTopics: [
        "utkomst och stöd, som bostadsbidrag och utkomststöd",
        "boende och hot om bostadslöshet",
        "psykisk hälsa, missbruk och ork",
        "hälsotjänster, symtom och att söka vård",
        "att förmedla ditt ärende till en yrkesperson vid välfärdsområdet"
      ],
      introPrivacy: "Skriv inte din personbeteckning eller andra personuppgifter.",
      introEmergencyBefore: "I en nödsituation, ring ",
      introEmergencyAfter: ".",
      footerNote: "AI-assistent – inte en yrkesperson. I en nödsituation, ring 112.",
      logLabel: "Samtal",
      you: "Du:",
      bot: "Assistenten:",
      inputLabel: "Skriv ditt meddelande",
      inputHint: "Enter skickar, Shift + Enter ger ny rad.",
      send: "Skicka",
      typing: "Assistenten skriver…",
      quickReplies: "Svarsalternativ",
      serviceCard: "Tjänst",
      phone: "Telefon",
      hours: "Öppettider",
      openLink: "Gå till tjänstens sida",
      newTab: "(öppnas i en ny flik)",
      crisisTitle: "Du behöver hjälp nu – ring genast",
      crisisEmergency: "Nödnummer",
      crisisLead: "Om du är i omedelbar fara, ring 112.",
      handoffTitle: "Förmedlat till en yrkesperson",
      handoffStatus: "Status",
      handoffNext: "Nästa steg",
      statuses: {
        "new": "Väntar på en yrkesperson", "open": "Väntar på en yrkesperson", "pending": "Väntar på en yrkesperson",
        "claimed": "En yrkesperson behandlar ärendet", "in_progress": "En yrkesperson behandlar ärendet",
        "closed": "Behandlat", "resolved": "Behandlat"
      },
      errRetry: "Försök igen",
      errDismiss: "Stäng meddelandet",
      errNetwork: "Förbindelsen till assistenten fungerade inte. Kontrollera nätverket och försök igen. Ditt meddelande finns kvar i skrivfältet.",
      errTooLong: "Ditt meddelande är för långt (högst {max} tecken). Förkorta det och skicka igen.",
      errRate: "Du har skickat många meddelanden på kort tid. Vänta ungefär en minut och försök sedan igen.",
      errBadInput: "Meddelandet kunde inte behandlas. Kontrollera det och försök igen.",
      errUnavailable: "Assistenten är inte tillgänglig just nu. Ditt meddelande sparades. Försök igen om en stund. I en nödsituation, ring 112.",
      errServer: "Ett fel inträffade i assistenten. Försök igen om en stund. I en nödsituation, ring 112.",
      errEmpty: "Skriv ett meddelande innan du skickar.",
      liveWaiting: "Vi väntar på en yrkesperson. Du kan redan skriva – hen ser dina meddelanden.",
      liveActive: "Du chattar nu med en yrkesperson (en människa, inte AI).",
      liveJoined: "En yrkesperson anslöt till samtalet.",
      liveNobody: "Ingen jourhavande är på plats nu. Ditt ärende står i kö och svaret syns här när du kommer tillbaka. I en nödsituation, ring 112.",
      liveEnded: "Samtalet med yrkespersonen har avslutats. Du kan fortsätta med assistenten.",
      liveEnd: "Avsluta samtalet med yrkespersonen",
      errLiveEnd: "Det gick inte att avsluta samtalet. Kontrollera nätverket och försök igen.",
      worker: "Yrkesperson:",
      restarted: "Samtalet började om."
    },
    en: {
      launcherOpen: "Ask the assistant",
      launcherClose: "Close the assistant",
      region: "Service assistant",
      title: "Service assistant",
      subtitle: "Vantaa and Kerava wellbeing services county",
      headerEmergency: "In an emergency, call",
      questionTitle: "I'll ask directly",
      language: "Language",
      restart: "Start over",
      close: "Close",
      closeLabel: "Close the assistant",
      introTitle: "Hi! I am the wellbeing services county's AI assistant.",
      introAi: "I am an AI assistant, not a professional. I do not make diagnoses or give treatment instructions.",
      introHelp: "I can help you find services and benefits, for example:",
      introTopics: [
        "income and benefits, such as housing allowance and social assistance",
        "housing and the risk of homelessness",
        "mental health, substance use and coping",
        "health services, symptoms and seeking care",
        "passing your matter on to a professional of the county"
      ],
      introPrivacy: "Do not write your personal identity code or other personal data.",
      introEmergencyBefore: "In an emergency, call ",
      introEmergencyAfter: ".",
      footerNote: "AI assistant – not a professional. In an emergency, call 112.",
      logLabel: "Conversation",
      you: "You:",
      bot: "Assistant:",
      inputLabel: "Write your message",
      inputHint: "Enter sends, Shift + Enter adds a new line.",
      send: "Send",
      typing: "The assistant is typing…",
      quickReplies: "Reply options",
      serviceCard: "Service",
      phone: "Phone",
      hours: "Opening hours",
      openLink: "Go to the service's page",
      newTab: "(opens in a new tab)",
      crisisTitle: "You need help now – call right away",
      crisisEmergency: "Emergency number",
      crisisLead: "If you are in immediate danger, call 112.",
      handoffTitle: "Passed on to a professional",
      handoffStatus: "Status",
      handoffNext: "Next",
      statuses: {
        "new": "Waiting for a professional", "open": "Waiting for a professional", "pending": "Waiting for a professional",
        "claimed": "A professional is handling it", "in_progress": "A professional is handling it",
        "closed": "Handled", "resolved": "Handled"
      },
      errRetry: "Try again",
      errDismiss: "Dismiss",
      errNetwork: "Could not reach the assistant. Check your connection and try again. Your message is still in the text field.",
      errTooLong: "Your message is too long (at most {max} characters). Shorten it and send it again.",
      errRate: "You have sent many messages in a short time. Wait about a minute and then try again.",
      errBadInput: "The message could not be processed. Check it and try again.",
      errUnavailable: "The assistant is not available right now. Your message was saved. Try again in a moment. In an emergency, call 112.",
      errServer: "Something went wrong in the assistant. Try again in a moment. In an emergency, call 112.",
      errEmpty: "Write a message before sending.",
      liveWaiting: "Waiting for a professional. You can already write – they will see your messages.",
      liveActive: "You are now chatting with a professional (a person, not AI).",
      liveJoined: "A professional joined the conversation.",
      liveNobody: "No professional is on duty right now. Your matter is in the queue and the answer will show here when you come back. In an emergency, call 112.",
      liveEnded: "The conversation with the professional has ended. You can go on with the assistant.",
      liveEnd: "End the conversation with the professional",
      errLiveEnd: "Could not end the conversation. Check your connection and try again.",
      worker: "Professional:",
      restarted: "The conversation was started over."
    }
  };

  // ---------------------------------------------------------------- configuration

  var scriptUrl = new URL(script.src, document.baseURI);
  var gateway = (script.getAttribute("data-gateway") || "").trim() || scriptUrl.origin;
  gateway = gateway.replace(/\/+$/, "");
  var configuredLang = (script.getAttribute("data-lang") || "fi").toLowerCase();
  if (LANGS.indexOf(configuredLang) < 0) configuredLang = "fi";

  // ---------------------------------------------------------------- storage

  // The gateway issues the conversation id (128 random bits it can recognise) and the live-chat secret on
  // the first message; the widget never makes ids up.
  var ISSUED_ID = /^c\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/;

  function conversation() {
    if (state.id && ISSUED_ID.test(state.id)) return Promise.resolve(state.id);
    return fetch(gateway + "/api/conversations", {
      method: "POST", credentials: "omit", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error("no conversation id: " + response.status);
      return response.json();
    }).then(function (data) {
      state.id = data.conversation_id;
      state.liveSecret = data.live_secret;
      saveState();
      return state.id;
    });
  }

  function loadState() {
    var state = null;
    try { state = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null"); } catch (e) { state = null; }
    if (!state || typeof state !== "object") {
      state = { id: null, lang: configuredLang, messages: [], open: false };
    }
    if (typeof state.id !== "string" || !ISSUED_ID.test(state.id)) state.id = null;  // asked for on sending
    if (LANGS.indexOf(state.lang) < 0) state.lang = configuredLang;
    if (!Array.isArray(state.messages)) state.messages = [];
    return state;
  }

  var state = loadState();

  function saveState() {
    if (state.messages.length > MAX_STORED) state.messages = state.messages.slice(-MAX_STORED);
    try { window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (e) { /* storage off: still works */ }
  }

  function t(key) {
    var table = I18N[state.lang] || I18N.fi;
    return table[key] !== undefined ? table[key] : I18N.fi[key];
  }

  // ---------------------------------------------------------------- DOM helpers

  var uid = 0;
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function nextId(prefix) { uid += 1; return "vkw-" + prefix + "-" + uid; }

  function safeUrl(url) {
    try {
      var parsed = new URL(String(url), window.location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) { return null; }
  }
  function telHref(phone) {
    var digits = String(phone || "").replace(/[^\d+]/g, "");
    return digits ? "tel:" + digits : null;
  }
  function phoneLink(phone, className) {
    var href = telHref(phone);
    if (!href) return el("span", className, phone);
    var a = el("a", className, phone);
    a.href = href;
    return a;
  }

  // ---------------------------------------------------------------- structure

  var stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("widget.css", scriptUrl).href;
  document.head.appendChild(stylesheet);

  var root = el("aside", "vkw");
  root.id = "vkw-root";
  var launcher = el("button", "vkw-launcher");
  launcher.type = "button";
  launcher.id = "vkw-launcher";
  launcher.setAttribute("aria-controls", "vkw-panel");
  var launcherIcon = el("span", "vkw-launcher__icon", "?");
  launcherIcon.setAttribute("aria-hidden", "true");
  var launcherText = el("span", "vkw-launcher__text");
  launcher.appendChild(launcherIcon);
  launcher.appendChild(launcherText);

  var panel = el("section", "vkw-panel");
  panel.id = "vkw-panel";
  panel.setAttribute("aria-labelledby", "vkw-title");
  panel.hidden = true;

  var header = el("div", "vkw-header");
  var titles = el("div", "vkw-header__titles");
  var title = el("h2", "vkw-title");
  title.id = "vkw-title";
  var subtitle = el("p", "vkw-subtitle");
  titles.appendChild(title);
  titles.appendChild(subtitle);
  // 112 is always in sight, whatever happens to the conversation (an error, a lost connection).
  var emergencyLine = el("p", "vkw-header__emergency");
  var emergencyText = el("span", null);
  var emergencyCall = el("a", "vkw-header__call", "112");
  emergencyCall.href = "tel:112";
  emergencyLine.appendChild(emergencyText);
  emergencyLine.appendChild(emergencyCall);
  titles.appendChild(emergencyLine);
  var closeButton = el("button", "vkw-button vkw-button--icon vkw-close");
  closeButton.type = "button";
  var closeGlyph = el("span", null, "×");
  closeGlyph.setAttribute("aria-hidden", "true");
  var closeText = el("span", "vkw-sr");
  closeButton.appendChild(closeGlyph);
  closeButton.appendChild(closeText);
  header.appendChild(titles);
  header.appendChild(closeButton);

  var toolbar = el("div", "vkw-toolbar");
  var langLabel = el("label", "vkw-toolbar__label");
  langLabel.htmlFor = "vkw-lang";
  var langSelect = el("select", "vkw-select");
  langSelect.id = "vkw-lang";
  [["fi", "Suomi"], ["sv", "Svenska"], ["en", "English"]].forEach(function (pair) {
    var option = el("option", null, pair[1]);
    option.value = pair[0];
    option.lang = pair[0];
    langSelect.appendChild(option);
  });
  var restartButton = el("button", "vkw-button vkw-button--secondary vkw-restart");
  restartButton.type = "button";
  toolbar.appendChild(langLabel);
  toolbar.appendChild(langSelect);
  toolbar.appendChild(restartButton);

  var body = el("div", "vkw-body");
  // The conversation scrolls; keyboard users must be able to scroll it even when no link or button is in it.
  body.tabIndex = 0;
  var intro = el("div", "vkw-intro");
  intro.id = "vkw-intro";
  var log = el("div", "vkw-log");
  log.id = "vkw-log";
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-busy", "false");
  var typing = el("div", "vkw-typing");
  typing.id = "vkw-typing";
  typing.setAttribute("role", "status");
  var typingDots = el("span", "vkw-typing__dots");
  typingDots.setAttribute("aria-hidden", "true");
  for (var d = 0; d < 3; d += 1) typingDots.appendChild(el("span", "vkw-typing__dot"));
  var typingText = el("span", "vkw-typing__text");
  typing.appendChild(typingDots);
  typing.appendChild(typingText);
  typing.hidden = true;
  body.appendChild(intro);
  body.appendChild(log);
  body.appendChild(typing);

  var errorBox = el("div", "vkw-error");
  errorBox.id = "vkw-error";
  errorBox.setAttribute("role", "alert");
  var errorText = el("p", "vkw-error__text");
  var errorActions = el("div", "vkw-error__actions");
  var retryButton = el("button", "vkw-button vkw-button--secondary vkw-retry");
  retryButton.type = "button";
  var dismissButton = el("button", "vkw-button vkw-button--secondary vkw-dismiss");
  dismissButton.type = "button";
  errorActions.appendChild(retryButton);
  errorActions.appendChild(dismissButton);
  errorBox.appendChild(errorText);
  errorBox.appendChild(errorActions);
  errorBox.hidden = true;

  // Shown while a worker is (about to be) in the conversation: who the resident is talking to.
  var liveBar = el("div", "vkw-live");
  liveBar.id = "vkw-live";
  var liveText = el("p", "vkw-live__text");
  liveText.setAttribute("role", "status");
  var liveEndButton = el("button", "vkw-button vkw-button--secondary vkw-live__end");
  liveEndButton.type = "button";
  liveBar.appendChild(liveText);
  liveBar.appendChild(liveEndButton);
  liveBar.hidden = true;

  var form = el("form", "vkw-form");
  form.noValidate = true;
  var inputLabel = el("label", "vkw-form__label");
  inputLabel.htmlFor = "vkw-input";
  var inputRow = el("div", "vkw-form__row");
  var input = el("textarea", "vkw-input");
  input.id = "vkw-input";
  input.name = "message";
  input.rows = 2;
  input.setAttribute("autocomplete", "off");
  input.setAttribute("aria-describedby", "vkw-input-hint");
  var sendButton = el("button", "vkw-button vkw-button--primary vkw-send");
  sendButton.type = "submit";
  var inputHint = el("p", "vkw-form__hint");
  inputHint.id = "vkw-input-hint";
  var footerNote = el("p", "vkw-footnote");
  inputRow.appendChild(input);
  inputRow.appendChild(sendButton);
  form.appendChild(inputLabel);
  form.appendChild(inputRow);
  form.appendChild(inputHint);
  form.appendChild(footerNote);

  panel.appendChild(header);
  panel.appendChild(toolbar);
  panel.appendChild(body);
  panel.appendChild(liveBar);
  panel.appendChild(errorBox);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  // ---------------------------------------------------------------- texts

  function renderIntro() {
    intro.textContent = "";
    intro.appendChild(el("h3", "vkw-intro__title", t("introTitle")));
    intro.appendChild(el("p", "vkw-intro__ai", t("introAi")));
    intro.appendChild(el("p", null, t("introHelp")));
    var list = el("ul", "vkw-intro__topics");
    t("introTopics").forEach(function (topic) { list.appendChild(el("li", null, topic)); });
    intro.appendChild(list);
    intro.appendChild(el("p", "vkw-intro__privacy", t("introPrivacy")));
    var emergency = el("p", "vkw-intro__emergency");
    emergency.appendChild(document.createTextNode(t("introEmergencyBefore")));
    var call = el("a", "vkw-tel", "112");
    call.href = "tel:112";
    emergency.appendChild(call);
    emergency.appendChild(document.createTextNode(t("introEmergencyAfter")));
    intro.appendChild(emergency);
    intro.hidden = state.messages.length > 0;
  }

  function applyTexts() {
    root.setAttribute("aria-label", t("region"));
    root.lang = state.lang;
    panel.lang = state.lang;
    launcherText.textContent = isOpen() ? t("launcherClose") : t("launcherOpen");
    title.textContent = t("title");
    subtitle.textContent = t("subtitle");
    emergencyText.textContent = t("headerEmergency") + " ";
    closeText.textContent = t("closeLabel");
    langLabel.textContent = t("language");
    langSelect.value = state.lang;
    restartButton.textContent = t("restart");
    log.setAttribute("aria-label", t("logLabel"));
    typingText.textContent = t("typing");
    retryButton.textContent = t("errRetry");
    dismissButton.textContent = t("errDismiss");
    inputLabel.textContent = t("inputLabel");
    inputHint.textContent = t("inputHint");
    sendButton.textContent = t("send");
    footerNote.textContent = t("footerNote");
    liveEndButton.textContent = t("liveEnd");
    renderLiveBar();
    renderIntro();
  }

  // ---------------------------------------------------------------- rendering of messages

  function renderServiceCard(card, lang) {
    var L = I18N[lang] || I18N.fi;
    var article = el("article", "vkw-card vkw-card--service");
    var headingId = nextId("card");
    article.setAttribute("aria-labelledby", headingId);
    var heading = el("h3", "vkw-card__title", card.name || L.serviceCard);
    heading.id = headingId;
    article.appendChild(heading);
    if (card.summary) article.appendChild(el("p", "vkw-card__summary", card.summary));
    var details = el("dl", "vkw-card__details");
    if (card.phone) {
      details.appendChild(el("dt", null, L.phone));
      var dd = el("dd");
      dd.appendChild(phoneLink(card.phone, "vkw-tel"));
      details.appendChild(dd);
    }
    if (card.hours) {
      details.appendChild(el("dt", null, L.hours));
      details.appendChild(el("dd", null, card.hours));
    }
    if (details.childNodes.length) article.appendChild(details);
    var href = card.url ? safeUrl(card.url) : null;
    if (href) {
      var link = el("a", "vkw-card__link", L.openLink + ": " + (card.name || ""));
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.appendChild(el("span", "vkw-sr", " " + L.newTab));
      article.appendChild(link);
    }
    return article;
  }

  // A card announced with role="alert" when it is new, with its heading, its lead and its call links
  // (112 first if the payload lacks it). A div: role="alert" is not allowed on <article>.
  function renderAlertCard(kind, title, lead, contacts, lang, fresh, showHours) {
    var L = I18N[lang] || I18N.fi;
    var article = el("div", "vkw-card vkw-card--" + kind);
    if (fresh) article.setAttribute("role", "alert");
    var headingId = nextId(kind);
    article.setAttribute("aria-labelledby", headingId);
    var heading = el("h3", "vkw-" + kind + "__title", title);
    heading.id = headingId;
    article.appendChild(heading);
    article.appendChild(el("p", kind === "crisis" ? "vkw-crisis__lead" : "vkw-question__text", lead));
    var list = el("ul", "vkw-crisis__contacts");
    var shown = Array.isArray(contacts) ? contacts.slice() : [];
    var has112 = shown.some(function (c) { return String(c.phone || "").replace(/\D/g, "") === "112"; });
    if (!has112) shown.unshift({ name: L.crisisEmergency, phone: "112", hours: "24/7" });
    shown.forEach(function (contact) {
      var item = el("li", "vkw-crisis__contact");
      item.appendChild(el("span", "vkw-crisis__name", contact.name || ""));
      if (contact.phone) item.appendChild(phoneLink(contact.phone, "vkw-crisis__call"));
      if (showHours && contact.hours) item.appendChild(el("span", "vkw-crisis__hours", contact.hours));
      list.appendChild(item);
    });
    article.appendChild(list);
    return article;
  }

  function renderCrisisCard(card, text, lang, fresh) {
    var L = I18N[lang] || I18N.fi;
    return renderAlertCard("crisis", L.crisisTitle, text || L.crisisLead, card.contacts, lang, fresh, true);
  }

  // "Ask, don't guess": the direct question, with 112 and the 24/7 line before the resident answers.
  function renderQuestionCard(card, text, lang, fresh) {
    var L = I18N[lang] || I18N.fi;
    return renderAlertCard("question", L.questionTitle, card.question || text || "", card.contacts, lang,
      fresh, false);
  }

  function renderHandoff(card, text, lang) {
    var L = I18N[lang] || I18N.fi;
    var box = el("div", "vkw-handoff");
    box.appendChild(el("p", "vkw-handoff__title", L.handoffTitle));
    if (text) box.appendChild(el("p", "vkw-handoff__text", text));
    var details = el("dl", "vkw-handoff__details");
    if (card.status) {
      details.appendChild(el("dt", null, L.handoffStatus));
      details.appendChild(el("dd", null, (L.statuses && L.statuses[card.status]) || card.status));
    }
    if (card.next_step) {
      details.appendChild(el("dt", null, L.handoffNext));
      details.appendChild(el("dd", null, card.next_step));
    }
    if (details.childNodes.length) box.appendChild(details);
    return box;
  }

  function renderButtons(buttons, lang) {
    var group = el("div", "vkw-quick");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", (I18N[lang] || I18N.fi).quickReplies);
    buttons.forEach(function (b) {
      if (!b || (!b.title && !b.payload)) return;
      var button = el("button", "vkw-button vkw-quick__button", b.title || b.payload);
      button.type = "button";
      button.addEventListener("click", function () {
        send(String(b.payload || b.title), String(b.title || b.payload));
      });
      group.appendChild(button);
    });
    return group;
  }

  function kindOf(message) {
    var custom = message.custom;
    if (message.role === "user") return "user";
    if (message.role === "worker" || message.role === "notice") return message.role;
    if (custom && typeof custom === "object" && ["service_card", "crisis", "risk_question", "handoff"].indexOf(custom.type) >= 0) {
      return custom.type;
    }
    return "text";
  }

  function renderMessage(message, fresh) {
    var kind = kindOf(message);
    var lang = message.lang || state.lang;
    var side = message.role === "user" ? "vkw-msg--user" : message.role === "worker" ? "vkw-msg--worker" :
      message.role === "notice" ? "vkw-msg--notice" : "vkw-msg--bot vkw-msg--" + kind;
    var item = el("div", "vkw-msg " + side);
    item.setAttribute("data-kind", kind);
    item.lang = lang;
    var L = I18N[lang] || I18N.fi;
    var who = el("span", "vkw-sr", (message.role === "user" ? L.you : L.bot) + " ");
    if (kind === "worker") {
      // A person, not the AI: said in visible text, not only to screen readers.
      var workerBubble = el("p", "vkw-bubble vkw-bubble--worker");
      workerBubble.appendChild(el("strong", "vkw-bubble__who", L.worker + " "));
      workerBubble.appendChild(document.createTextNode(message.text));
      item.appendChild(workerBubble);
      return item;
    }
    if (kind === "notice") {
      item.appendChild(el("p", "vkw-notice", message.text));
      return item;
    }
    if (kind === "service_card") {
      item.appendChild(who);
      item.appendChild(renderServiceCard(message.custom, lang));
    } else if (kind === "crisis") {
      item.appendChild(renderCrisisCard(message.custom, message.text, lang, fresh));
    } else if (kind === "risk_question") {
      item.appendChild(renderQuestionCard(message.custom, message.text, lang, fresh));
    } else if (kind === "handoff") {
      var handoff = renderHandoff(message.custom, message.text, lang);
      handoff.insertBefore(who, handoff.firstChild);
      item.appendChild(handoff);
    } else if (message.text) {
      var bubble = el("p", "vkw-bubble");
      bubble.appendChild(who);
      bubble.appendChild(document.createTextNode(message.text));
      item.appendChild(bubble);
    } else if (message.custom) {
      return null; // an unknown structured reply without a text fallback: nothing to show
    }
    if (message.role !== "user" && Array.isArray(message.buttons) && message.buttons.length) {
      item.appendChild(renderButtons(message.buttons, lang));
    }
    return item;
  }

  function removeOldQuickReplies() {
    var groups = log.querySelectorAll(".vkw-quick");
    for (var i = 0; i < groups.length; i += 1) groups[i].parentNode.removeChild(groups[i]);
  }

  function renderHistory() {
    log.textContent = "";
    state.messages.forEach(function (message, index) {
      var node = renderMessage(message, false);
      if (!node) return;
      // Quick replies only on the latest answer; old ones would be confusing to press later.
      if (index !== state.messages.length - 1) {
        var quick = node.querySelector(".vkw-quick");
        if (quick) node.removeChild(quick);
      }
      log.appendChild(node);
    });
    intro.hidden = state.messages.length > 0;
  }

  function scrollToMessage(node) {
    var scroller = panel.scrollHeight > panel.clientHeight ? panel : body;
    scroller.scrollTop += node.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
  }

  function scrollToEnd() {
    body.scrollTop = body.scrollHeight;
    if (panel.scrollHeight > panel.clientHeight) panel.scrollTop = panel.scrollHeight; // short screens
  }

  // Rasa's REST channel sends a message's text and its custom payload as two list items; the text is
  // the plain fallback of the card, so the two are shown as one card.
  function normaliseReplies(replies) {
    var out = [];
    for (var i = 0; i < replies.length; i += 1) {
      var r = replies[i];
      if (!r || typeof r !== "object") continue;
      var item = { role: "bot", lang: state.lang, text: typeof r.text === "string" ? r.text : "" };
      if (Array.isArray(r.buttons) && r.buttons.length) item.buttons = r.buttons;
      if (r.custom && typeof r.custom === "object") item.custom = r.custom;
      var next = replies[i + 1];
      if (!item.custom && item.text && !item.buttons && next && typeof next === "object" && !next.text &&
          next.custom && typeof next.custom === "object") {
        item.custom = next.custom;
        if (Array.isArray(next.buttons) && next.buttons.length) item.buttons = next.buttons;
        i += 1;
      }
      if (!item.text && !item.custom && !item.buttons) continue;
      out.push(item);
    }
    return out;
  }

  // ---------------------------------------------------------------- sending

  var busy = false;
  var lastFailed = null;

  function setBusy(value) {
    busy = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    typing.hidden = !value;
    sendButton.disabled = value;
    if (value) scrollToEnd();
  }

  function showError(message, canRetry) {
    errorText.textContent = message;
    retryButton.hidden = !canRetry;
    errorBox.hidden = false;
  }
  function clearError() {
    errorBox.hidden = true;
    errorText.textContent = "";
    lastFailed = null;
  }

  // Every error carries 112 and the 24/7 line: the gateway's error body has them from the catalogue
  // ("crisis"); without a body (no connection), 112 alone.
  function crisisLine(data) {
    var crisis = data && data.crisis;
    if (crisis && typeof crisis.text === "string" && crisis.text) return crisis.text;
    return t("headerEmergency") + " 112.";
  }

  function errorFor(status, detail) {
    if (status === 413) {
      var match = /(\d+)/.exec(typeof detail === "string" ? detail : "");
      return { text: t("errTooLong").replace("{max}", match ? match[1] : "2000"), retry: false };
    }
    if (status === 429) return { text: t("errRate"), retry: true };
    if (status === 400 || status === 422) return { text: t("errBadInput"), retry: false };
    if (status === 503) return { text: t("errUnavailable"), retry: true };
    return { text: t("errServer"), retry: true };
  }

  // Same patterns as bot/privacy.py (henkilötunnus, e-mail, Finnish phone numbers).
  var HETU = /(^|[^0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![0-9A-Za-z])/gi;
  var EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
  var PHONE = /(^|[^\w+])(?:\+358|00358|0)(?:[\s-]?\d){6,11}(?!\d)/g;

  function redactPersonalData(text) {
    return String(text)
      .replace(HETU, "$1[henkilötunnus]")
      .replace(EMAIL, "[sähköposti]")
      .replace(PHONE, "$1[puhelinnumero]");
  }

  function send(message, display, fromInput) {
    if (busy) return;
    if (!message.trim()) {
      showError(t("errEmpty"), false);
      input.focus();
      return;
    }
    clearError();
    removeOldQuickReplies();
    // What the browser keeps is redacted like the gateway's copy, so a shared computer's storage
    // holds no henkilötunnus, phone number or e-mail address.
    var userMessage = { role: "user", lang: state.lang, text: redactPersonalData(display) };
    var userNode = renderMessage(userMessage, true);
    log.appendChild(userNode);
    intro.hidden = true;
    if (fromInput) input.value = "";
    setBusy(true);
    input.focus();

    var request = { message: message, display: display, fromInput: fromInput };
    function post(retried) {
      return conversation().then(function (id) {
        return fetch(gateway + "/webhooks/rest/webhook", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "omit",
          body: JSON.stringify({ sender: id, message: message, metadata: { lang: state.lang } })
        });
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          return { status: response.status, ok: response.ok, data: data };
        });
      }).then(function (result) {
        // An id this gateway did not issue (one kept from before its key changed): ask for a new one, once.
        if (result.status === 403 && !retried) {
          state.id = null;
          return post(true);
        }
        return result;
      });
    }
    post(false).then(function (result) {
      setBusy(false);
      if (!result.ok || !Array.isArray(result.data)) {
        var problem = errorFor(result.ok ? 500 : result.status, result.data && result.data.detail);
        fail(userNode, request, problem.text + "\n" + crisisLine(result.data), problem.retry);
        // A refused message with an acute signal (413, 429) carries its category's crisis cards: show them.
        var cards = result.data && Array.isArray(result.data.crisis_cards) ? result.data.crisis_cards : [];
        normaliseReplies(cards).forEach(function (reply) {
          var node = renderMessage(reply, true);
          if (!node) return;
          state.messages.push(reply);
          log.appendChild(node);
        });
        if (cards.length) saveState();
        return;
      }
      state.messages.push(userMessage);
      var replies = normaliseReplies(result.data);
      replies.forEach(function (reply, index) {
        state.messages.push(reply);
        var node = renderMessage(reply, true);
        if (!node) return;
        if (index !== replies.length - 1) {
          var quick = node.querySelector(".vkw-quick");
          if (quick) node.removeChild(quick);
        }
        log.appendChild(node);
      });
      replies.forEach(function (reply) {
        var c = reply.custom;
        if (c && c.type === "handoff" && (c.live_chat === "waiting" || c.live_chat === "active")) {
          startLive(String(c.handoff_id || ""), c.live_chat);
        }
      });
      saveState();
      // Show the answer from its start (a crisis card first), not scrolled past it.
      scrollToMessage(userNode);
      if (isOpen()) input.focus({ preventScroll: true });
    }).catch(function () {
      setBusy(false);
      fail(userNode, request, t("errNetwork") + "\n" + crisisLine(null), true);
    });
  }

  function fail(userNode, request, message, canRetry) {
    if (userNode.parentNode) userNode.parentNode.removeChild(userNode);
    intro.hidden = state.messages.length > 0;
    renderHistoryButtonsBack();
    if (request.fromInput && !input.value) input.value = request.message;
    lastFailed = request;
    showError(message, canRetry);
    input.focus();
  }

  // After a failed send, the quick replies of the latest answer come back.
  function renderHistoryButtonsBack() {
    if (!log.querySelector(".vkw-quick")) renderHistory();
  }

  // ---------------------------------------------------------------- live chat with a worker

  var POLL_MS = 3000;
  var pollTimer = null;

  function isLive() { return Boolean(state.live && (state.live.state === "waiting" || state.live.state === "active")); }

  function renderLiveBar() {
    liveBar.hidden = !isLive();
    if (!isLive()) return;
    if (state.live.state === "active") liveText.textContent = t("liveActive");
    else liveText.textContent = state.live.nobody ? t("liveNobody") : t("liveWaiting");
  }

  function addNotice(text) {
    var notice = { role: "notice", lang: state.lang, text: text };
    state.messages.push(notice);
    log.appendChild(renderMessage(notice, true));
  }

  function startLive(handoffId, liveState) {
    var after = state.live && state.live.after ? state.live.after : 0;
    state.live = { handoffId: handoffId, state: liveState, after: after };
    saveState();
    renderLiveBar();
    schedulePoll(POLL_MS);
  }

  function schedulePoll(delay) {
    if (pollTimer) window.clearTimeout(pollTimer);
    pollTimer = isLive() ? window.setTimeout(poll, delay) : null;
  }

  function applyLive(data) {
    if (!data || typeof data !== "object" || !state.live) return;
    var changed = false;
    (Array.isArray(data.messages) ? data.messages : []).forEach(function (m) {
      if (!m || typeof m.text !== "string" || m.id <= state.live.after) return;
      var message = { role: "worker", lang: state.lang, text: m.text };
      state.messages.push(message);
      log.appendChild(renderMessage(message, true));
      state.live.after = Math.max(state.live.after, Number(m.id) || 0);
      changed = true;
    });
    var nobody = data.worker_available === false;
    if (nobody !== Boolean(state.live.nobody)) {
      state.live.nobody = nobody;
      changed = true;
    }
    if (data.state && data.state !== state.live.state) {
      state.live.state = data.state;
      if (data.state === "active") addNotice(t("liveJoined"));
      if (data.state === "ended") addNotice(t("liveEnded"));
      changed = true;
    }
    if (!changed) return;  // an empty poll must not scroll away what the resident is reading
    intro.hidden = state.messages.length > 0;
    saveState();
    renderLiveBar();
    scrollToEnd();
  }

  function poll() {
    pollTimer = null;
    var current = state.id;
    fetch(gateway + "/api/chat/" + encodeURIComponent(current) + "/live?after=" + (state.live ? state.live.after : 0), {
      method: "GET", credentials: "omit", headers: { Accept: "application/json", "X-Live-Secret": state.liveSecret || "" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (state.id === current) applyLive(data);
      schedulePoll(POLL_MS);
    }).catch(function () { schedulePoll(POLL_MS * 3); });  // offline: try again, more slowly
  }

  function endLive() {
    if (!isLive()) return;
    var current = state.id;
    fetch(gateway + "/api/chat/" + encodeURIComponent(current) + "/live/end?after=" + state.live.after, {
      method: "POST", credentials: "omit", headers: { Accept: "application/json", "X-Live-Secret": state.liveSecret || "" }
    }).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (state.id !== current) return;
        applyLive(data);
        input.focus();  // the end button is gone with the bar; keep the keyboard user in the chat
      })
      .catch(function () { showError(t("errLiveEnd"), false); });
  }

  liveEndButton.addEventListener("click", endLive);

  // ---------------------------------------------------------------- open / close, events

  function isOpen() { return !panel.hidden; }

  function setOpen(open, focusTarget) {
    panel.hidden = !open;
    root.classList.toggle("vkw--open", open);
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    launcherText.textContent = open ? t("launcherClose") : t("launcherOpen");
    state.open = open;
    saveState();
    if (open) {
      scrollToEnd();
      if (focusTarget !== false) input.focus();
    } else if (focusTarget !== false) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () { setOpen(!isOpen()); });
  closeButton.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    send(text, text.trim(), true);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  retryButton.addEventListener("click", function () {
    var request = lastFailed;
    clearError();
    if (!request) { input.focus(); return; }
    if (request.fromInput) {
      var text = input.value.trim() ? input.value : request.message;
      send(text, text.trim(), true);
    } else {
      send(request.message, request.display, false);
    }
  });
  dismissButton.addEventListener("click", function () { clearError(); input.focus(); });

  langSelect.addEventListener("change", function () {
    if (LANGS.indexOf(langSelect.value) < 0) return;
    state.lang = langSelect.value;
    saveState();
    applyTexts();
  });

  restartButton.addEventListener("click", function () {
    if (busy) return;
    endLive();  // a worker must not wait for a resident who has left
    if (pollTimer) window.clearTimeout(pollTimer);
    pollTimer = null;
    state = { id: null, lang: state.lang, messages: [], open: true };
    saveState();
    clearError();
    input.value = "";
    renderHistory();
    applyTexts();
    input.focus();
  });

  // ---------------------------------------------------------------- start

  function start() {
    document.body.appendChild(root);
    applyTexts();
    renderHistory();
    setOpen(Boolean(state.open), false);
    if (isLive()) schedulePoll(0);  // a reload during a chat picks it up again
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
