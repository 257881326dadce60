// The visitor's phone page: when the ticket is called, say so beyond the page itself — the tab's title
// changes, the phone vibrates where the browser allows it, and a short chime plays if the visitor
// turned sound on (browsers need a tap first). htmx refreshes the status every few seconds (the
// RECEPTION_PHONE_REFRESH_SECONDS setting, 5 by default) and again as soon as a phone that slept shows
// the page; once the visit is over, polling stops so that the
// feedback form is never replaced while it is being filled in. Without this file the page still works.
(() => {
  const live = document.getElementById("phone-live");
  if (!live) return;
  const soundButton = document.querySelector("[data-phone-sound]");
  const baseTitle = document.title;
  const CALLED = ["called", "serving"];
  const FINAL = ["done", "no_show", "cancelled"];
  let audio = null;
  let lastStatus = null;
  let lastDesk = null;

  function chime() {
    if (!audio) return;
    [523.25, 659.25, 783.99].forEach((frequency, index) => {
      const start = audio.currentTime + index * 0.25;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.5, start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.6);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.7);
    });
  }

  if (soundButton && "AudioContext" in window) {
    soundButton.hidden = false;
    soundButton.addEventListener("click", () => {
      audio = audio || new AudioContext();
      audio.resume();
      soundButton.setAttribute("aria-pressed", "true");
      soundButton.disabled = true;
      chime(); // the visitor hears what a call will sound like
    });
  }

  function update() {
    const status = live.querySelector("#ticket-status");
    if (!status) return;
    const now = status.dataset.status;
    const desk = status.dataset.calledTitle;
    if (CALLED.includes(now)) {
      document.title = `🔔 ${desk}`;
      // A first call, or a recall to another desk: tell the visitor, once each time.
      if (lastStatus !== null && (!CALLED.includes(lastStatus) || desk !== lastDesk)) {
        if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
        chime();
      }
    } else {
      document.title = baseTitle;
    }
    lastStatus = now;
    lastDesk = desk;
    // Nothing left to ring for once the visit is over.
    if (soundButton && FINAL.includes(now)) soundButton.hidden = true;
    document.body.classList.toggle("is-called", CALLED.includes(now));
  }

  document.body.addEventListener("htmx:afterSwap", update);
  // A phone that slept shows the page again: refresh now, not at the next tick (no filter expression
  // in hx-trigger: htmx would evaluate it, which the strict CSP forbids).
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && window.htmx) window.htmx.trigger(live, "phone-wake");
  });
  // The visit is over: no more polling (the feedback form must keep what is typed).
  live.addEventListener("htmx:beforeRequest", (event) => {
    if (FINAL.includes(live.querySelector("#ticket-status")?.dataset.status)) event.preventDefault();
  });
  update();
})();
