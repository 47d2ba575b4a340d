// Mock interview keys and countdown. The page works without it (plain forms).
// Keys: T types, Enter submits (Shift+Enter: new line), Esc leaves the text box, Space reveals
// after answering aloud; at the checklist 1-9 toggle key points, Q W E R override the rating
// (by physical key, so a Korean keyboard layout works too), Enter confirms; U undoes.
(function () {
  "use strict";
  var RATING_CODES = { KeyQ: 1, KeyW: 2, KeyE: 3, KeyR: 4 };

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var root = document.querySelector("[data-interview]");
    if (!root) return;
    var answerForm = root.querySelector("[data-answer-form]");
    var text = root.querySelector("[data-answer-text]");
    var confirmForm = root.querySelector("[data-confirm-form]");
    var submitting = false;

    function submit(form, button) {
      if (submitting || !form) return;
      submitting = true;
      if (button && form.requestSubmit) form.requestSubmit(button); else if (button) button.click(); else form.submit();
    }

    // The countdown: at zero, what was typed is submitted (the server marks the answer late).
    var countdown = root.querySelector("[data-countdown]");
    if (countdown && answerForm) {
      var end = Date.now() + Number(countdown.dataset.countdown) * 1000;
      var out = countdown.querySelector("[data-remaining]");
      (function tick() {
        var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
        out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        countdown.classList.toggle("urgent", left <= 10);
        if (left > 0) setTimeout(tick, 250); else submit(answerForm, root.querySelector("[data-submit]"));
      })();
    }

    // The rating follows the ticks until the learner overrides it.
    var names = [];
    var template = root.querySelector("template[data-rating-names]");
    if (template) template.content.querySelectorAll("span").forEach(function (s) { names.push(s.textContent); });
    function updateRating() {
      if (!confirmForm) return;
      var ratings = (confirmForm.dataset.ratings || "").split(",").map(Number);
      var ticked = confirmForm.querySelectorAll("input[name=ticks]:checked").length;
      var chosen = confirmForm.querySelector("input[name=rating]:checked");
      var rating = chosen ? Number(chosen.value) : ratings[ticked];
      var label = confirmForm.querySelector("[data-rating-name]");
      if (label && rating) label.textContent = names[rating - 1] || String(rating);
      var source = confirmForm.querySelector("[data-rating-source]");
      if (source) source.hidden = !!chosen;
    }
    if (confirmForm) {
      confirmForm.addEventListener("change", updateRating);
      updateRating();
    }

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      var target = event.target;
      if (target === text) {
        if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); submit(answerForm, root.querySelector("[data-submit]")); }
        else if (event.key === "Escape") { text.blur(); }
        return;
      }
      if (target && (target.tagName === "INPUT" && target.type === "text" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
      if (answerForm) {
        if (event.code === "KeyT" && text) { event.preventDefault(); text.focus(); return; }
        if (event.key === " ") { event.preventDefault(); submit(answerForm, root.querySelector("[data-aloud]")); return; }
        if (event.key === "Enter") { event.preventDefault(); submit(answerForm, root.querySelector("[data-submit]")); return; }
      }
      if (confirmForm && !confirmForm.querySelector("fieldset[disabled]")) {
        if (/^[1-9]$/.test(event.key)) {
          var box = confirmForm.querySelector('input[data-tick="' + event.key + '"]');
          if (box) { event.preventDefault(); box.checked = !box.checked; updateRating(); }
          return;
        }
        if (RATING_CODES[event.code]) {
          var radio = confirmForm.querySelector('input[data-rating="' + RATING_CODES[event.code] + '"]');
          if (radio) { event.preventDefault(); radio.checked = !radio.checked; updateRating(); }
          return;
        }
        if (event.key === "Enter") { event.preventDefault(); submit(confirmForm, confirmForm.querySelector("[data-confirm]")); return; }
      }
      if (event.code === "KeyU") {
        var undo = root.querySelector("[data-undo-rating]");
        if (undo) { event.preventDefault(); undo.click(); }
      }
    });
  });
})();
