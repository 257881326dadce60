// The library: facets that apply themselves, and the occupation combobox (WAI-ARIA combobox
// pattern with a listbox popup). Pages work without this file; it only saves clicks.
(function () {
  "use strict";

  // Facets and sort order: submit the search form as soon as a box is ticked.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  function text(tag, className, value) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    element.textContent = value;
    return element;
  }

  function setupPicker(picker) {
    var input = picker.querySelector(".combobox-input");
    var listbox = picker.querySelector(".combobox-listbox");
    var status = picker.querySelector(".combobox-status");
    var chosen = picker.querySelector(".concept-chosen");
    var lookup = picker.dataset.lookup;
    var kind = picker.dataset.kind;
    var name = picker.dataset.name;
    var results = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      listbox.replaceChildren();
      results.forEach(function (result, index) {
        var option = document.createElement("li");
        option.id = input.id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.appendChild(text("span", "option-label", result.label));
        if (result.code) option.appendChild(text("span", "code", " ISCO " + result.code));
        if (result.matched) option.appendChild(text("span", "hint", " — " + result.matched));
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          pick(index);
        });
        listbox.appendChild(option);
      });
      var open = results.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? results.length + " " + picker.dataset.msgFound
        : (lastQuery.length >= 3 ? picker.dataset.msgNone : "");
      active = -1;
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 3 && !/^\d+$/.test(query)) {
        results = [];
        render();
        return;
      }
      var url = lookup + "?kind=" + encodeURIComponent(kind) + "&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() !== query) return; // an older answer
          results = data.results || [];
          render();
        })
        .catch(function () { results = []; render(); });
    }

    function pick(index) {
      var result = results[index];
      if (!result) return;
      var existing = chosen.querySelector("input[value='" + result.id + "']");
      if (existing) {
        existing.checked = true;
      } else {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = result.id;
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + result.label + " "));
        if (result.code) label.appendChild(text("span", "code", "ISCO " + result.code));
        item.appendChild(label);
        chosen.appendChild(item);
      }
      status.textContent = result.label + " " + picker.dataset.msgAdded;
      input.value = "";
      lastQuery = "";
      results = [];
      close();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden && results.length) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (!listbox.hidden) {
          event.preventDefault(); // never submit the record form from here
          pick(active >= 0 ? active : 0);
        } else if (input.value.trim()) {
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) { event.preventDefault(); close(); } else { input.value = ""; }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll(".concept-picker").forEach(setupPicker);
})();
