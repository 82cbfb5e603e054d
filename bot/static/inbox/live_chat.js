/*
 * Worker's case page during a live chat: new messages appear in the transcript without reloading.
 * The page works without this script (reload to see new messages); this only adds polling of
 * GET /api/handoffs/{id}/messages?after=N with the inbox session cookie. Text is set with
 * textContent only, never as HTML. When the chat's state changes (the resident left, another
 * worker joined) the page reloads once, so its forms match the new state.
 */
(function () {
  "use strict";

  var POLL_MS = 3000;
  var ROLE_LABELS = { user: "Asukas", bot: "Avustaja", worker: "Ammattilainen", system: "Ilmoitus" };
  var list = document.getElementById("transcript");
  if (!list || !list.getAttribute("data-live-case")) return;
  var caseId = list.getAttribute("data-live-case");
  var lastId = parseInt(list.getAttribute("data-last-id") || "0", 10) || 0;
  var status = document.getElementById("chat-live-status");
  var knownState = list.getAttribute("data-chat-state");

  // The same form as the server's ("1.12.2026 klo 09.05"), in the county's time zone, not the browser's.
  var FORMAT = new Intl.DateTimeFormat("fi-FI", {
    timeZone: "Europe/Helsinki", day: "numeric", month: "numeric", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  function localTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    var part = {};
    FORMAT.formatToParts(date).forEach(function (p) { part[p.type] = p.value; });
    return part.day + "." + part.month + "." + part.year + " klo " + part.hour + "." + part.minute;
  }

  function append(message) {
    var item = document.createElement("li");
    item.className = "transcript__message transcript__message--" + message.role;
    var meta = document.createElement("p");
    meta.className = "transcript__meta";
    var who = document.createElement("strong");
    who.textContent = (ROLE_LABELS[message.role] || message.role) + (message.author ? " (" + message.author + ")" : "");
    var when = document.createElement("span");
    when.className = "muted";
    when.textContent = localTime(message.created_at);
    meta.appendChild(who);
    meta.appendChild(document.createTextNode("\n        "));  // as in the server's markup
    meta.appendChild(when);
    var text = document.createElement("p");
    text.textContent = message.text;
    item.appendChild(meta);
    item.appendChild(text);
    list.appendChild(item);
  }

  function poll() {
    fetch("/api/handoffs/" + encodeURIComponent(caseId) + "/messages?after=" + lastId, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (response.status === 401) { window.location.reload(); return null; }
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && Array.isArray(data.messages)) {
        var fromResident = 0;
        data.messages.forEach(function (message) {
          append(message);
          if (message.role === "user") fromResident += 1;
          lastId = Math.max(lastId, message.id || 0);
        });
        if (fromResident && status) status.textContent = "Uusi viesti asukkaalta.";
        if (data.chat_state !== knownState) { window.location.reload(); return; }
      }
      window.setTimeout(poll, POLL_MS);
    }).catch(function () { window.setTimeout(poll, POLL_MS * 3); });
  }

  window.setTimeout(poll, POLL_MS);
})();
