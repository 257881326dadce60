// Every form: text limits shown instead of silent truncation, and the focus on what a refused form
// says. Forms work without this file; it only shows more, sooner.
(function () {
  "use strict";

  var messages = (document.currentScript || {}).dataset || {}; // translated, on the script tag

  // The server counts a line break as two characters (CR LF, as the browser sends it).
  function length(value) {
    return value.length + (value.match(/(^|[^\r])\n/g) || []).length;
  }

  function setupLimit(field) {
    // A `maxlength` left by a form would make the browser cut a paste short without a word.
    if (field.hasAttribute("maxlength")) {
      field.dataset.maxlength = field.getAttribute("maxlength");
      field.removeAttribute("maxlength");
    }
    var limit = parseInt(field.dataset.maxlength, 10);
    if (!limit) return;
    var counter = document.createElement("span");
    counter.className = "char-count";
    counter.id = (field.id || field.name) + "_count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
    var lang = document.documentElement.lang || "en";
    function update() {
      var used = length(field.value);
      var near = used >= limit * 0.8;
      var over = used > limit;
      counter.hidden = !near;
      counter.classList.toggle("over", over);
      field.toggleAttribute("aria-invalid", over);
      if (!near) { counter.textContent = ""; return; }
      var template = over ? (messages.msgOverLimit || "%(used)s / %(limit)s")
        : (messages.msgNearLimit || "%(used)s / %(limit)s");
      counter.textContent = template
        .replace("%(used)s", used.toLocaleString(lang))
        .replace("%(limit)s", limit.toLocaleString(lang))
        .replace("%(over)s", (used - limit).toLocaleString(lang));
    }
    field.addEventListener("input", update);
    update();
  }

  function ready() {
    document.querySelectorAll("textarea, input[maxlength], input[data-maxlength], textarea[data-maxlength]")
      .forEach(function (field) {
        if (field.dataset.limitReady) return;
        field.dataset.limitReady = "1";
        setupLimit(field);
      });
    // After a refused save: the summary of what to correct (or a question asked) takes the focus,
    // so the page shows it and a screen reader reads it, wherever the form sits on the page.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
    // A link of the summary opens the section that holds its field, then focuses the field.
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".error-summary a[href^='#'], .soft-question a[href^='#']");
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) return;
      event.preventDefault();
      var details = target.closest("details");
      if (details) details.open = true;
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
