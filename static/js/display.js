// Waiting-room display: polls the calls every second, flashes and announces a new one (chime, then
// the browser's speech synthesis in the page's language), and keeps retrying while the server or the
// network is away. The page itself is rendered by the server and works without this file.
(() => {
  const root = document.getElementById("display");
  if (!root) return;
  const list = root.querySelector("[data-calls]");
  const waiting = root.querySelector("[data-waiting]");
  const connection = root.querySelector("[data-connection]");
  const template = root.querySelector("[data-call-template]");
  const deskLabel = root.querySelector("[data-desk-label]").textContent;
  const soundButton = root.querySelector("[data-enable-sound]");
  let lastId = Number(list.querySelector("[data-id]")?.dataset.id || 0);
  let audio = null;
  let delay = 1000;

  // Browsers only play sound after a gesture: one click when the screen is set up.
  soundButton.addEventListener("click", () => {
    audio = new AudioContext();
    soundButton.hidden = true;
    chime();
  });

  function chime() {
    if (!audio) return;
    [659.25, 523.25].forEach((frequency, index) => {
      const start = audio.currentTime + index * 0.45;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 1);
    });
  }

  function speak(call) {
    if (!audio || !("speechSynthesis" in window)) return;
    // "B-042" is read "B 42".
    const code = call.code.replace(/-0*/, " ");
    const text = root.dataset.announce.replace("{code}", code).replace("{desk}", call.desk);
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = root.dataset.lang;
    setTimeout(() => window.speechSynthesis.speak(utterance), 900);
  }

  function renderCalls(calls) {
    const items = calls.map((call, index) => {
      const item = template.content.firstElementChild.cloneNode(true);
      item.classList.add(`area-${call.letter}`);
      if (index === 0) item.classList.add("newest");
      item.dataset.id = call.id;
      item.querySelector(".call-code").textContent = call.code;
      item.querySelector(".call-desk").textContent = deskLabel.replace("{desk}", call.desk);
      return item;
    });
    if (items.length) list.replaceChildren(...items);
  }

  function renderWaiting(queues) {
    waiting.replaceChildren(
      ...queues.map((queue) => {
        const item = document.createElement("li");
        item.className = `area-${queue.letter}`;
        const dot = document.createElement("span");
        dot.className = "area-dot";
        dot.textContent = queue.letter;
        const name = document.createElement("span");
        name.className = "waiting-area";
        name.textContent = queue.area;
        const count = document.createElement("strong");
        count.textContent = queue.count;
        item.append(dot, " ", name, " ", count);
        return item;
      }),
    );
  }

  function render(state) {
    const newest = state.calls[0];
    const isNew = newest && newest.id > lastId;
    renderCalls(state.calls);
    renderWaiting(state.waiting);
    if (isNew) {
      lastId = newest.id;
      list.firstElementChild.classList.add("flash");
      chime();
      speak(newest);
    }
  }

  // The server names each state with an ETag: sent back, it answers 304 (nothing to redraw) until the
  // queue moves, so a poll every second costs it one small query.
  let etag = null;

  async function poll() {
    try {
      const headers = { Accept: "application/json" };
      if (etag) headers["If-None-Match"] = etag;
      const response = await fetch(root.dataset.stateUrl, { cache: "no-store", headers });
      if (response.status !== 304) {
        if (!response.ok) throw new Error(response.statusText);
        const state = await response.json();
        etag = response.headers.get("ETag");
        render(state);
      }
      connection.hidden = true;
      delay = 1000;
    } catch {
      connection.hidden = false; // the server or the network is away: keep trying, a little slower
      delay = Math.min(delay * 2, 5000);
    }
    setTimeout(poll, delay);
  }

  setTimeout(poll, delay);
})();
