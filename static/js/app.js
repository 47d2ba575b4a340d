// Small progressive enhancements: KaTeX rendering, auto-submitting selects,
// Anki-style keys on the flashcard page, the quiz timer. Pages work without it.
(function () {
  "use strict";

  var korean = document.documentElement.lang === "ko";

  // A display formula wider than its box scrolls sideways: it becomes a focusable, named
  // region (so a keyboard can scroll it) with a visible hint under it.
  function markWideFormulas(root) {
    root.querySelectorAll(".katex-display").forEach(function (el) {
      if (el.dataset.checked || el.offsetParent === null) return;  // hidden (a card's back): checked when shown
      el.dataset.checked = "1";
      if (el.scrollWidth <= el.clientWidth + 1) return;
      el.classList.add("scrolls");
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", korean ? "수식 (옆으로 스크롤)" : "Formula (scrolls sideways)");
      var hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = korean ? "↔ 수식이 길어 옆으로 밀어 볼 수 있습니다" : "↔ Wide formula: scroll sideways";
      el.insertAdjacentElement("afterend", hint);
    });
  }

  function renderMath(root) {
    if (!window.renderMathInElement) return;
    var css = document.querySelector("link[data-katex-css]");
    if (css && css.media !== "all") {  // loaded without blocking the page; switched on before any formula is drawn
      css.media = "all";
      if (!css.sheet) { css.addEventListener("load", function () { renderMath(root); }); return; }
    }
    var options = {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
      ],
      throwOnError: false,
    };
    // A table heading that is only a formula needs text of its own: KaTeX hides its visible part
    // (aria-hidden) behind MathML, so in headings the formula is drawn as HTML alone, left readable.
    root.querySelectorAll("th").forEach(function (th) {
      window.renderMathInElement(th, Object.assign({}, options, { output: "html" }));
      th.querySelectorAll(".katex-html[aria-hidden]").forEach(function (el) { el.removeAttribute("aria-hidden"); });
    });
    window.renderMathInElement(root, options);
    markWideFormulas(root);
  }

  function flip(card) {
    var back = card.querySelector(".back");
    var button = card.querySelector("[data-flip]");
    if (!back || !back.hidden) return;
    back.hidden = false;
    if (button) { button.setAttribute("aria-expanded", "true"); button.hidden = true; }
    var started = Number(card.dataset.started || Date.now());
    var duration = card.querySelector("[data-duration]");
    if (duration) duration.value = String(Date.now() - started);
    renderMath(back);
  }

  function init(root) {
    renderMath(root);
    root.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    root.querySelectorAll("[data-flashcard]").forEach(function (card) {
      card.dataset.started = String(Date.now());
      var button = card.querySelector("[data-flip]");
      if (button) button.addEventListener("click", function () { flip(card); });
    });
    root.querySelectorAll("[data-deadline]").forEach(function (el) {
      var end = Date.parse(el.dataset.deadline);
      var out = el.querySelector("[data-remaining]");
      function tick() {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        out.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        if (left > 0) setTimeout(tick, 1000);
      }
      tick();
    });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
    var card = document.querySelector("[data-flashcard]");
    if (card) {
      if (event.key === " ") { event.preventDefault(); flip(card); return; }
      if (/^[1-4]$/.test(event.key)) {
        var back = card.querySelector(".back");
        if (back && !back.hidden) {
          var grade = card.querySelector('button[data-key="' + event.key + '"]');
          if (grade) { event.preventDefault(); grade.click(); }
        }
        return;
      }
    }
    if (event.key === "u" || event.key === "U") {
      var undo = document.querySelector("[data-undo]");
      if (undo) { event.preventDefault(); undo.click(); }
    }
    if (event.key === "Enter") {
      var next = document.querySelector("[data-next]");
      if (next) { event.preventDefault(); next.click(); }
    }
  });

  // htmx fires htmx:load for the page body at start-up and for every swapped-in fragment.
  if (window.htmx) {
    document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  }
})();
