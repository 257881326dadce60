// Kiosk mode (cite.views.kiosk): on a screen left to visitors, after `data-kiosk-idle` seconds without
// a touch, a key or a scroll, go back to the start page (`data-kiosk-restart`, which also puts the
// screen back in the centre's language) so the next visitor never sees the last one's searches. A
// notice shows 15 seconds before; any touch keeps the page.
(() => {
  "use strict";
  const body = document.body;
  const idle = Number(body.dataset.kioskIdle) * 1000;
  const restart = body.dataset.kioskRestart;
  if (!idle || !restart) return;
  const warning = document.querySelector(".kiosk-warning");
  const WARN_BEFORE = 15000;
  let warnTimer;
  let restartTimer;

  function arm() {
    clearTimeout(warnTimer);
    clearTimeout(restartTimer);
    if (warning) warning.hidden = true;
    warnTimer = setTimeout(() => {
      if (warning) warning.hidden = false;
    }, Math.max(idle - WARN_BEFORE, 0));
    restartTimer = setTimeout(() => {
      try {
        sessionStorage.clear();
      } catch (error) {
        // storage may be disabled: the restart is what matters
      }
      window.location.assign(restart);
    }, idle);
  }

  for (const type of ["pointerdown", "keydown", "wheel", "touchstart", "scroll", "input"]) {
    window.addEventListener(type, arm, { passive: true, capture: true });
  }
  arm();
})();
