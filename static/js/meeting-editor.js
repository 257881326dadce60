// The meeting page: the agenda, minutes and decisions are saved as a draft a moment after one stops
// typing, and before leaving the page, so no minutes are lost. Without JavaScript, "Save" does it.
(function () {
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const status = form.querySelector("[data-autosave-status]");
  const fields = ["text-agenda", "text-minutes", "text-decisions"];
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer = null;
  let dirty = false;

  function body() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    fields.forEach((name) => {
      const field = form.elements[name];
      if (field) data.append(name, field.value);
    });
    return data;
  }

  function save() {
    timer = null;
    if (!dirty) return;
    dirty = false;
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
      .then(({ ok, data }) => {
        if (!status) return;
        if (ok) {
          status.textContent = data.message;
        } else {
          dirty = true;
          status.textContent = status.dataset.failed;
        }
      })
      .catch(() => {
        dirty = true;
      });
  }

  fields.forEach((name) => {
    const field = form.elements[name];
    if (!field) return;
    field.addEventListener("input", () => {
      dirty = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 1500);
    });
  });
  form.addEventListener("submit", () => {
    dirty = false;
    if (timer) clearTimeout(timer);
  });
  window.addEventListener("pagehide", () => {
    if (dirty && navigator.sendBeacon) navigator.sendBeacon(form.dataset.autosave, body());
  });
})();
