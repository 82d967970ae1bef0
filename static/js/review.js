/* Keyboard-first review on the article page. Everything here also works with the mouse and
   without JavaScript (the forms post normally); this only adds shortcuts. No inline scripts. */
(function () {
  "use strict";

  var STATUSES = ["unreviewed", "supported", "partly_supported", "unsupported", "false", "unverifiable", "not_a_claim"];
  var NEEDS_RATIONALE = ["partly_supported", "unsupported", "false"];
  var current = null;
  var pending = null; // an action waiting for the current claim's panel to load

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-claim-card]"));
  }

  function currentCard() {
    return current ? document.getElementById("claim-" + current) : null;
  }

  function mark(card) {
    document.querySelectorAll(".claim-card.current, .claim-span.current").forEach(function (el) {
      el.classList.remove("current");
    });
    card.classList.add("current");
    var span = document.getElementById("span-" + card.dataset.claimCard);
    if (span) span.classList.add("current");
  }

  function focusCard(card, scroll) {
    if (!card) return;
    current = card.dataset.claimCard;
    mark(card);
    card.focus({ preventScroll: !scroll });
    if (scroll) card.scrollIntoView({ block: "nearest" });
  }

  // Review forms load with a claim's panel (not for every claim of a long article): open it,
  // then run the action once htmx has swapped the card in.
  function withPanel(action) {
    var card = currentCard();
    if (!card) return;
    if (card.querySelector(".claim-panel")) { action(); return; }
    var opener = card.querySelector("[data-open-panel]");
    if (!opener) return;
    var loading = pending !== null;
    pending = action; // the latest key wins; the panel is requested once
    if (!loading) opener.click();
  }

  function move(delta) {
    var list = cards();
    if (!list.length) return;
    var i = list.findIndex(function (c) { return c.dataset.claimCard === current; });
    i = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + delta));
    focusCard(list[i], true);
    withPanel(function () {});
  }

  function setStatus(index) {
    var card = currentCard();
    if (!card || index >= STATUSES.length) return;
    var form = card.querySelector(".status-form");
    if (!form) return;
    var value = STATUSES[index];
    form.querySelector("select[name=evidence_status]").value = value;
    var rationale = form.querySelector("textarea[name=rationale]");
    if (NEEDS_RATIONALE.indexOf(value) >= 0 && !rationale.value.trim()) {
      rationale.focus();
      rationale.setAttribute("placeholder", "A rationale is required for this status; then press Save (Ctrl+Enter).");
      return;
    }
    form.requestSubmit();
  }

  function openEvidence() {
    var card = currentCard();
    if (!card) return;
    var details = card.querySelector(".add-evidence");
    if (!details) return;
    details.open = true;
    details.querySelector("input[name=url]").focus();
  }

  function markDone() {
    var card = currentCard();
    var button = card && card.querySelector(".workflow-form button[value=done]");
    if (button) button.click();
  }

  function isTyping(el) {
    return el && el.closest && el.closest("input, textarea, select, [contenteditable=true]");
  }

  function showShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (!document.querySelector("[data-review-page]")) return;
    if (event.ctrlKey && event.key === "Enter" && isTyping(event.target)) {
      var form = event.target.closest("form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (event.key === "Escape" && isTyping(event.target)) {
      event.target.blur();
      focusCard(currentCard(), false);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return;
    var key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key >= "1" && key <= "9") { var n = parseInt(key, 10) - 1; withPanel(function () { setStatus(n); }); }
    else if (key === "r") {
      withPanel(function () {
        var card = currentCard();
        var rationale = card && card.querySelector("textarea[name=rationale]");
        if (rationale) rationale.focus();
      });
    }
    else if (key === "e") withPanel(openEvidence);
    else if (key === "d") withPanel(markDone);
    else if (key === "?") showShortcuts();
    else return;
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-show-shortcuts]");
    if (trigger) { showShortcuts(); return; }
    var card = event.target.closest && event.target.closest("[data-claim-card]");
    if (card) { current = card.dataset.claimCard; mark(card); }
  });

  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest("[data-claim-card]");
    if (card) { current = card.dataset.claimCard; mark(card); }
  });

  // A review action swaps the claim's card: keep the place, so the next key acts on it again.
  // htmx:load fires on the new card once it is in the page (the element that sent the request
  // is gone after an outerHTML swap, so its own events cannot be relied on).
  document.addEventListener("htmx:load", function (event) {
    var card = event.target;
    if (!card || !card.dataset || card.dataset.claimCard === undefined || card.dataset.claimCard !== current) return;
    mark(card);
    var span = document.getElementById("span-" + current);
    var status = card.className.match(/status-(\w+)/);
    if (span && status) span.className = span.className.replace(/status-\w+/, "status-" + status[1]);
    // htmx gives focus back to the field with the same id; after a successful save the next
    // key is meant for the claim, so the card takes focus (unless the person moved elsewhere).
    var active = document.activeElement;
    var here = !active || active === document.body || card.contains(active);
    if (here && !card.querySelector("[role=alert]")) card.focus({ preventScroll: true });
    if (pending && card.querySelector(".claim-panel")) {
      var action = pending;
      pending = null;
      action();
    }
  });
})();
