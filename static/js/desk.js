// The counsellor's desk: the time since the call kept current, and the session form's draft kept in
// this browser tab, so a reload or a change of language never loses what was typed. The page works
// without this file.
(function () {
  "use strict";

  function elapsed() {
    var clocks = document.querySelectorAll("[data-elapsed-since]");
    if (!clocks.length) return;
    // The server's clock, not this computer's: the difference between both is kept.
    var skew = 0;
    var first = clocks[0];
    if (first.dataset.now) skew = Date.now() / 1000 - parseInt(first.dataset.now, 10);
    function tick() {
      clocks.forEach(function (clock) {
        var seconds = Math.max(0, Math.floor(Date.now() / 1000 - skew - parseInt(clock.dataset.elapsedSince, 10)));
        var text = Math.floor(seconds / 60) + " min " + String(seconds % 60).padStart(2, "0") + " s";
        if (clock.textContent !== text) clock.textContent = text;
      });
    }
    tick();
    setInterval(tick, 1000);
  }

  // --- The session form's draft (sessionStorage: this tab only, gone when it closes) -------------
  var MAX_AGE = 2 * 60 * 60 * 1000;

  function values(form) {
    var data = {};
    form.querySelectorAll("input, textarea, select").forEach(function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "hidden") return;
      if (field.type === "checkbox" || field.type === "radio") {
        data[field.name] = data[field.name] || [];
        if (field.checked) {
          var label = field.closest("label");
          data[field.name].push({ value: field.value, label: label ? label.textContent.trim() : "" });
        }
      } else if (field.tagName === "SELECT") {
        data[field.name] = [{ value: field.value }];
      } else {
        data[field.name] = field.value;
      }
    });
    return data;
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function restore(form, data) {
    Object.keys(data).forEach(function (name) {
      var value = data[name];
      var fields = form.querySelectorAll("[name='" + name + "']");
      if (typeof value === "string") {
        fields.forEach(function (field) { if (field.type !== "checkbox" && field.type !== "radio") field.value = value; });
        return;
      }
      var wanted = value.map(function (item) { return item.value; });
      fields.forEach(function (field) {
        if (field.tagName === "SELECT") field.value = wanted[0] || "";
        else if (field.type === "checkbox" || field.type === "radio") field.checked = wanted.indexOf(field.value) >= 0;
      });
      // An item chosen in a type-ahead (occupation, document) that the page does not show yet.
      var chosen = form.querySelector(".concept-picker[data-name='" + name + "'] .concept-chosen");
      if (!chosen) return;
      value.forEach(function (item) {
        if (chosen.querySelector("input[value='" + item.value + "']")) return;
        var li = document.createElement("li");
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox"; box.name = name; box.value = item.value; box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + item.label));
        li.appendChild(label);
        chosen.appendChild(li);
      });
    });
  }

  function drafts() {
    var form = document.querySelector("form[data-draft-key]");
    if (!form || !window.sessionStorage) return;
    var key = form.dataset.draftKey;
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (error) { saved = null; }
    if (form.hasAttribute("data-invalid")) {
      // A refused save: the page shows what was typed; that is the draft now.
      saved = null;
    } else if (saved && Date.now() - saved.at < MAX_AGE && !same(saved.data, values(form))) {
      // The page shows the session as saved, but this tab had typed more: put it back, and say so.
      restore(form, saved.data);
      var notice = document.createElement("p");
      notice.className = "message warning draft-restored";
      notice.setAttribute("role", "status");
      notice.textContent = form.dataset.msgRestored;
      form.insertBefore(notice, form.firstElementChild.nextSibling);
    } else if (saved) {
      sessionStorage.removeItem(key); // saved since, or too old
    }
    function keep() {
      try { sessionStorage.setItem(key, JSON.stringify({ at: Date.now(), data: values(form) })); } catch (error) { /* full */ }
    }
    if (form.hasAttribute("data-invalid")) keep();
    // Sent: the server saves it, or answers with the form and what was typed (kept again above).
    form.addEventListener("submit", function () { sessionStorage.removeItem(key); observer.disconnect(); });
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    // Ticked boxes added by the type-ahead fire no event on the form: watch the lists too.
    var observer = new MutationObserver(keep);
    observer.observe(form, { childList: true, subtree: true });
  }

  function ready() {
    elapsed();
    drafts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
