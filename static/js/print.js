// Printing a ticket without a new tab. On a staff page, a link marked data-print-frame loads the
// ticket into a hidden frame, which prints itself; window.citePrint(url) does the same from a script.
// On the ticket's own page (in that frame, or opened alone), print once on opening and from the button.
(() => {
  function printInFrame(url) {
    document.querySelectorAll("iframe.print-frame").forEach((frame) => frame.remove());
    const frame = document.createElement("iframe");
    frame.className = "print-frame";
    frame.title = "";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.src = url;
    document.body.appendChild(frame);
  }
  window.citePrint = printInFrame;

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-print-frame]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    printInFrame(link.href);
  });

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
    if (document.querySelector("[data-autoprint]")) window.print();
  });
})();
