/*
 * Queue page of a worker on live-chat duty: tells when a resident starts waiting in a chat, without a
 * reload. Polls GET /api/duty (a count only, so nothing personal is read or audited every few seconds)
 * and updates the status line and the page title. The page works without this script.
 */
(function () {
  "use strict";

  var POLL_MS = 10000;
  var line = document.getElementById("waiting-chats");
  if (!line) return;
  var baseTitle = document.title;
  var shown = parseInt(line.getAttribute("data-count") || "0", 10) || 0;

  function render(count) {
    document.title = count ? "(" + count + ") " + baseTitle : baseTitle;
    if (count === shown) return;  // the status line is announced only when the number changes
    shown = count;
    line.textContent = "";
    if (!count) return;
    var strong = document.createElement("strong");
    strong.textContent = count + (count > 1 ? " asukasta odottaa chatissa." : " asukas odottaa chatissa.");
    var link = document.createElement("a");
    link.href = "/inbox";
    link.textContent = "Päivitä jono";
    line.appendChild(strong);
    line.appendChild(document.createTextNode(" "));
    line.appendChild(link);
  }

  function poll() {
    fetch("/api/duty", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.waiting_chats === "number") render(data.waiting_chats);
        if (data && data.on_duty === false) return;  // duty ended (service day over): stop watching
        window.setTimeout(poll, POLL_MS);
      })
      .catch(function () { window.setTimeout(poll, POLL_MS * 3); });
  }

  render(shown);
  window.setTimeout(poll, POLL_MS);
})();
