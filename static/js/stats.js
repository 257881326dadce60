// Statistics: show the date fields the chosen kind of period needs, and a print button for the report.
// Both are conveniences: without JavaScript every field shows and the browser's menu prints.
document.querySelectorAll("[data-period-form]").forEach((form) => {
  const kind = form.querySelector("select[name=period]");
  const update = () => {
    const custom = kind.value === "custom";
    form.querySelectorAll("[data-period=custom]").forEach((field) => { field.hidden = !custom; });
    form.querySelectorAll("[data-period=fixed]").forEach((field) => { field.hidden = custom; });
  };
  kind.addEventListener("change", update);
  update();
});
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
// The dashboard's sections open and close without JavaScript; a link or an address to a table inside
// a closed one opens it first, in every browser.
const openFor = (hash) => {
  const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
  const section = target && target.closest("details");
  if (section) section.open = true;
};
openFor(window.location.hash);
window.addEventListener("hashchange", () => openFor(window.location.hash));
