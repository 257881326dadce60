// partners: a print button for the minutes page (the page prints fine from the browser menu too).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
