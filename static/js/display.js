// Waiting-room display: polls the calls every second, flashes and announces a new one (chime, then
// the browser's speech synthesis in the page's language), and keeps retrying while the server or the
// network is away. Beside the calls it keeps the clock and today's hours current, and fetches the
// hours and the next workshops again every few minutes and after midnight. The page itself is
// rendered by the server and works without this file.
(() => {
  const root = document.getElementById("display");
  if (!root) return;
  const list = root.querySelector("[data-calls]");
  const waiting = root.querySelector("[data-waiting]");
  const connection = root.querySelector("[data-connection]");
  const template = root.querySelector("[data-call-template]");
  const deskLabel = root.querySelector("[data-desk-label]").textContent;
  let lastId = Number(list.querySelector("[data-id]")?.dataset.id || 0);
  let delay = 1000;

  // --- Sound ---------------------------------------------------------------------------------------
  // Browsers play sound only after a key or a click on the page. Staff turn it on once per screen (the
  // button, or the key S): the choice is kept in this browser's localStorage, the button goes, and a
  // small icon stays (a click on it, or S, turns sound off and on). After a reload the browser wants a
  // gesture again: the first key or click on the page gives it, silently.
  const STORED = "cite.display.sound";
  const setup = root.querySelector("[data-sound-setup]");
  const toggle = root.querySelector("[data-sound-toggle]");
  const note = root.querySelector("[data-sound-note]");
  let audio = null;
  let choice = stored(); // "on", "off", or null until staff set the screen
  let wantSound = choice === "on";
  let noteTimer = null;

  function stored() {
    try {
      return window.localStorage.getItem(STORED);
    } catch {
      return null; // storage refused (a private window): the screen asks again after a reload
    }
  }

  function store(value) {
    choice = value;
    try {
      window.localStorage.setItem(STORED, value);
    } catch {
      // kept for this page only
    }
  }

  const playing = () => wantSound && audio !== null && audio.state === "running";

  function showSoundState() {
    const waitingForGesture = wantSound && !playing();
    setup.hidden = choice !== null;
    toggle.hidden = !setup.hidden;
    toggle.setAttribute("aria-pressed", String(wantSound));
    toggle.classList.toggle("is-waiting", waitingForGesture);
    toggle.title = toggle.dataset[waitingForGesture ? "titleWaiting" : wantSound ? "titleOn" : "titleOff"];
  }

  function say(message) {
    note.textContent = message;
    clearTimeout(noteTimer);
    noteTimer = setTimeout(() => {
      note.textContent = "";
    }, 3000);
  }

  function startAudio() {
    if (!audio) {
      audio = new AudioContext();
      audio.addEventListener("statechange", showSoundState);
    }
    if (audio.state !== "running") audio.resume().catch(() => {});
  }

  function setSound(on) {
    wantSound = on;
    store(on ? "on" : "off");
    if (on) {
      startAudio();
      chime(true); // heard at once: staff know the screen has sound
    }
    say(root.querySelector(on ? "[data-sound-on]" : "[data-sound-off]").textContent);
    showSoundState();
  }

  // The first gesture after a reload lets the browser play again; it changes nothing else (not even
  // when it is S, or a click on the icon).
  let rearming = null; // that gesture's event, until the next key or press
  function rearm(event) {
    rearming = null;
    if (wantSound && !playing()) {
      startAudio();
      rearming = event;
    }
  }

  document.addEventListener("keydown", rearm, true);
  document.addEventListener("pointerdown", rearm, true);
  document.addEventListener("keydown", (event) => {
    if ((event.key || "").toLowerCase() !== "s" || event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    if (event !== rearming) setSound(!wantSound);
  });
  setup.addEventListener("click", () => setSound(true));
  toggle.addEventListener("click", () => {
    if (!rearming) setSound(!wantSound); // not the click (or Enter) that re-armed it
    rearming = null;
  });
  if (wantSound) startAudio(); // a kiosk that allows sound without a gesture plays at once
  showSoundState();

  // Only while the browser plays (a call while it waits for a gesture would be heard late, all at once);
  // `now` when staff have just turned sound on, by that very gesture.
  function chime(now = false) {
    if (!audio || !wantSound || (!now && !playing())) return;
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
    if (!playing() || !("speechSynthesis" in window)) return;
    // "B-042" is read "B 42".
    const code = call.code.replace(/-0*/, " ");
    const text = root.dataset.announce.replace("{code}", code).replace("{desk}", call.desk);
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = root.dataset.lang;
    setTimeout(() => window.speechSynthesis.speak(utterance), 900);
  }

  // --- Clock, today's hours, next workshops --------------------------------------------------------
  // The server wrote them for the moment of the page; the script counts on from the screen's own clock
  // (keep the device on network time), in the centre's time zone, whatever the device's zone.
  const BOARD_REFRESH = 5 * 60 * 1000;
  let boardDay = null;
  let boardFetchedAt = 0;

  const hours = () => root.querySelector("[data-board-part='hours']");

  function centreNow(zone) {
    const parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date())
      .forEach((part) => {
        parts[part.type] = part.value;
      });
    return {
      day: `${parts.year}-${parts.month}-${parts.day}`,
      clock: `${parts.hour}:${parts.minute}`,
      seconds: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second),
    };
  }

  const secondsOf = (hhmm) => Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3, 5)) * 60;

  // Open until 17:00 → closes in 12 min → closed: the same rule as the server's (counselling.public).
  function openingLabel(data, seconds) {
    const opens = secondsOf(data.opens);
    const closes = secondsOf(data.closes);
    if (seconds < opens) return ["is-before", data.labelBefore];
    if (seconds >= closes) return ["is-closed", data.labelClosed];
    const left = Math.ceil((closes - seconds) / 60);
    if (left <= Number(data.soon)) return ["is-closing", data.labelSoon.replace("{minutes}", left)];
    return ["is-open", data.labelOpen];
  }

  function tick() {
    const part = hours();
    if (!part) return;
    const now = centreNow(part.dataset.zone);
    const clock = part.querySelector("[data-clock]");
    if (clock.textContent !== now.clock) {
      clock.textContent = now.clock;
      clock.setAttribute("datetime", now.clock);
    }
    const label = part.querySelector("[data-opening]");
    if (label && part.dataset.closes) {
      const [state, text] = openingLabel(part.dataset, now.seconds);
      if (label.textContent !== text) label.textContent = text;
      label.className = `display-opening ${state}`;
    }
    showWorkshops();
    // A new day (the screen stayed on overnight): that day's hours and workshops, once.
    if (now.day !== part.dataset.day && boardDay !== now.day) {
      boardDay = now.day;
      refreshBoard();
    } else if (Date.now() - boardFetchedAt >= BOARD_REFRESH) {
      refreshBoard();
    }
  }

  // A workshop leaves the list once it has begun; one that does not fit whole on this screen is left out
  // rather than cut (the calls keep their room). Measured before the browser paints: no flicker.
  function showWorkshops() {
    const part = root.querySelector("[data-board-part='workshops']");
    const section = part?.querySelector("section");
    if (!section) return;
    const side = part.parentElement.getBoundingClientRect();
    const coming = [...part.querySelectorAll("[data-starts]")].filter((item) => {
      item.hidden = Date.parse(item.dataset.starts) <= Date.now();
      return !item.hidden;
    });
    section.hidden = coming.length === 0;
    for (const item of coming.reverse()) {
      if (item.getBoundingClientRect().bottom <= side.bottom) break;
      item.hidden = true;
    }
    section.hidden = coming.every((item) => item.hidden);
  }

  async function refreshBoard() {
    boardFetchedAt = Date.now();
    try {
      const response = await fetch(root.dataset.boardUrl, { cache: "no-store" });
      if (!response.ok) return; // kept as it is; tried again at the next refresh
      const fresh = document.createElement("template");
      fresh.innerHTML = await response.text();
      fresh.content.querySelectorAll("[data-board-part]").forEach((part) => {
        root.querySelector(`[data-board-part='${part.dataset.boardPart}']`)?.replaceWith(part);
      });
      tick(); // the new parts, at once as the script keeps them
    } catch {
      // the server or the network is away: the poll says so; tried again at the next refresh
    }
  }

  boardFetchedAt = Date.now(); // the page has just been written
  tick();
  setInterval(tick, 1000);

  // --- Calls ---------------------------------------------------------------------------------------
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
    if (items.length) {
      list.replaceChildren(...items);
    } else {
      // A new day (or the night's closing): yesterday's calls must not stay on the screen.
      const empty = document.createElement("li");
      empty.className = "call-empty";
      empty.textContent = list.dataset.empty;
      list.replaceChildren(empty);
    }
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
