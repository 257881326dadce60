// The front desk by keyboard: an area's letter issues its ticket; 0-9 answer the profile question
// that is highlighted (the one with the focus, the first otherwise), then move on to the next
// question. The frequent profiles come first when there are any: 1-4 fill the six answers with one
// of them, 0 goes on to the questions. Nothing fires while typing in a text field or with a modifier
// key. A frequent profile's button fills the answers in place (without JavaScript it posts the form,
// which comes back filled in); a quoted return code answers "has come before" when the question was
// not asked (the server does the same). After htmx has issued a ticket, it is printed in a hidden
// frame (print.js) unless this computer says otherwise; digits typed while it was being issued answer
// the next visitor's questions.
(() => {
  const AUTO_PRINT = "cite.front-desk.auto-print";

  function typing(element) {
    if (!element) return false;
    if (element.isContentEditable) return true;
    if (element.tagName === "TEXTAREA" || element.tagName === "SELECT") return true;
    return element.tagName === "INPUT" && !["radio", "checkbox", "button", "submit", "reset"].includes(element.type);
  }

  function questions(form) {
    return Array.from(form.querySelectorAll("[data-frequent-profiles], [data-profile-shortcuts] [data-question]"));
  }

  function radio(form, name, value) {
    return form.querySelector(`input[type=radio][name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
  }

  // A frequent profile's button is pressed while the six answers are its own.
  function showPressed(form) {
    form.querySelectorAll("[data-answers]").forEach((button) => {
      const answers = Array.from(new URLSearchParams(button.dataset.answers));
      const same = answers.every(([name, value]) => {
        const choice = radio(form, name, value);
        return Boolean(choice && choice.checked);
      });
      button.setAttribute("aria-pressed", same ? "true" : "false");
    });
  }

  // Fill the six answers with a frequent profile's (an answer no longer on its list stays unasked),
  // then go on to the first question, where any answer can still be changed.
  function useProfile(form, button) {
    new URLSearchParams(button.dataset.answers).forEach((value, name) => {
      const choice = radio(form, name, value) || radio(form, name, "");
      if (choice) choice.checked = true;
    });
    delete form.dataset.returnAnswered;
    showPressed(form);
    const all = questions(form);
    const next = all[all.indexOf(button.closest("[data-frequent-profiles]")) + 1];
    if (next) {
      (next.querySelector("input:checked") || next.querySelector("input")).focus({ preventScroll: true });
      highlight(form, next);
    }
  }

  function current(form) {
    const all = questions(form);
    return all.find((question) => question.contains(document.activeElement)) ||
      all.find((question) => question.classList.contains("current")) || all[0];
  }

  function highlight(form, question) {
    questions(form).forEach((each) => each.classList.toggle("current", each === question));
  }

  function answer(form, digit) {
    const question = current(form);
    if (!question) return false;
    if (question.matches("[data-frequent-profiles]")) {
      const button = question.querySelectorAll("[data-answers]")[digit - 1];
      if (button) useProfile(form, button);
      else if (digit === 0) {
        const all = questions(form);
        const next = all[all.indexOf(question) + 1];
        if (next) {
          (next.querySelector("input:checked") || next.querySelector("input")).focus({ preventScroll: true });
          highlight(form, next);
        }
      }
      return Boolean(button) || digit === 0;
    }
    const choice = question.querySelectorAll("input[type=radio]")[digit];
    if (!choice) return false;
    choice.checked = true;
    choice.dispatchEvent(new Event("change", { bubbles: true }));
    const all = questions(form);
    const next = all[all.indexOf(question) + 1];
    if (next) {
      (next.querySelector("input:checked") || next.querySelector("input")).focus({ preventScroll: true });
      highlight(form, next);
    } else {
      highlight(form, null);
      choice.focus({ preventScroll: true });
    }
    return true;
  }

  function setUp() {
    const form = document.querySelector("[data-front-desk]");
    if (!form) return;
    form.querySelectorAll("[data-keys-hint], [data-auto-print-choice]").forEach((element) => { element.hidden = false; });
    document.querySelectorAll("[data-keys-hint]").forEach((element) => { element.hidden = false; });
    const autoPrint = form.querySelector("[data-auto-print]");
    if (autoPrint) {
      autoPrint.checked = localStorage.getItem(AUTO_PRINT) !== "off";
      autoPrint.addEventListener("change", () => localStorage.setItem(AUTO_PRINT, autoPrint.checked ? "on" : "off"));
    }
    highlight(form, questions(form)[0]);
    showPressed(form);
    form.addEventListener("focusin", (event) => {
      const question = event.target.closest("[data-question], [data-frequent-profiles]");
      if (question) highlight(form, question);
    });
    form.addEventListener("click", (event) => {
      const button = event.target.closest("[data-answers]");
      if (!button) return;
      event.preventDefault(); // filled in place: nothing is posted
      useProfile(form, button);
    });
    form.addEventListener("change", (event) => {
      if (event.target.name === "first_visit") delete form.dataset.returnAnswered;
      showPressed(form);
    });
    // A quoted return code says the visitor has come before: shown at once if the question was not asked
    // (and on a form sent back with a message), taken back if the code is erased before the ticket is issued.
    const quoted = form.querySelector("input[name=quoted_return_code]");
    const unasked = radio(form, "first_visit", "");
    const returning = radio(form, "first_visit", "no");
    if (quoted && unasked && returning) {
      const answerFromCode = () => {
        if (quoted.value.trim() && unasked.checked) {
          returning.checked = true;
          form.dataset.returnAnswered = "yes";
        } else if (!quoted.value.trim() && form.dataset.returnAnswered && returning.checked) {
          unasked.checked = true;
          delete form.dataset.returnAnswered;
        }
        showPressed(form);
      };
      quoted.addEventListener("input", answerFromCode);
      answerFromCode();
    }
    // Enter in a text field would issue a ticket for the first area: go to the area buttons instead.
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && typing(event.target)) {
        event.preventDefault();
        const first = form.querySelector(".area-button");
        if (first) first.focus();
      }
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || event.repeat) return;
    if (typing(event.target)) return;
    const form = document.querySelector("[data-front-desk]");
    if (!form) return;
    if (form.classList.contains("htmx-request")) {
      // A ticket is being issued: the next visitor's answers typed meanwhile go to the fresh form once
      // it is in. A letter does not wait (pressed twice, it would issue a second ticket).
      if (/^[0-9]$/.test(event.key)) {
        typedAhead.push(Number(event.key));
        event.preventDefault();
      }
      return;
    }
    if (/^[0-9]$/.test(event.key)) {
      if (answer(form, Number(event.key))) event.preventDefault();
      return;
    }
    if (event.key.length !== 1) return;
    const confirm = form.querySelector(".confirm-area button[name=area]");
    const letter = event.key.toUpperCase();
    const button = form.querySelector(`.area-button[data-shortcut="${CSS.escape(letter)}"]`);
    if (!button) return;
    event.preventDefault();
    // Pressing the letter of the area reception was just asked about confirms it.
    (confirm && confirm.value === button.value ? confirm : button).click();
  });

  document.addEventListener("DOMContentLoaded", setUp);
  let posted = false;
  let typedAhead = [];
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target.matches && event.target.matches("[data-front-desk]")) {
      posted = true;
      typedAhead = []; // what was typed during a request that never came back is not the next visitor's
    }
  });
  // Set up as soon as the new form is in the page (afterSwap), not after htmx's settle delay: a key
  // pressed in between went to the question htmx had given the focus back to, not the first one.
  document.addEventListener("htmx:afterSwap", () => {
    if (!posted) return; // the live queue refreshing itself
    posted = false;
    setUp();
    const issued = document.querySelector("#issue-panel [data-issued]");
    // htmx gives the focus back to the answer that had it: the next visitor starts at the first row.
    const focused = document.activeElement;
    if (issued && focused && focused.closest("[data-question], [data-frequent-profiles]")) focused.blur();
    // Digits typed while the ticket was being issued answer the next visitor's questions, in order; if
    // no ticket came back (the form returned with a message), they are dropped with it.
    const typed = typedAhead;
    typedAhead = [];
    const fresh = document.querySelector("[data-front-desk]");
    if (issued && fresh) typed.forEach((digit) => answer(fresh, digit));
    if (issued && localStorage.getItem(AUTO_PRINT) !== "off" && window.citePrint) window.citePrint(issued.dataset.printUrl);
  });
})();
