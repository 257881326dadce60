// Printed ticket: print once on opening, and again from the button.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
  if (document.querySelector("[data-autoprint]")) window.print();
});
