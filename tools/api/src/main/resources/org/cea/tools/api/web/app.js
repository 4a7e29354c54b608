// CEA dashboard: live tiles over the /ws/live WebSocket, history chart with uPlot. No build step.
(function () {
  "use strict";
  const sensors = new Map();          // name -> {name, room, unit, value, ts, stale}
  let staleAfterMs = 10000;
  let updates = 0;
  let chart = null;
  const $ = (id) => document.getElementById(id);

  function fmt(v, unit) {
    if (v === null || v === undefined) return "—";
    const digits = unit === "ppm" ? 0 : Math.abs(v) >= 100 ? 1 : 2;
    return v.toFixed(digits);
  }

  function age(ts) {
    if (!ts) return "no reading";
    const s = Math.max(0, Math.round((Date.now() - ts) / 1000));
    return s < 120 ? s + " s ago" : Math.round(s / 60) + " min ago";
  }

  function roomSection(room) {
    const id = "room-" + (room || "other").replace(/[^A-Za-z0-9_-]/g, "_");
    let sec = document.getElementById(id);
    if (!sec) {
      sec = document.createElement("section");
      sec.className = "room";
      sec.id = id;
      const h = document.createElement("h2");
      h.textContent = (room || "other").replace(/_/g, " ");
      const tiles = document.createElement("div");
      tiles.className = "tiles";
      sec.append(h, tiles);
      $("rooms").append(sec);
    }
    return sec.querySelector(".tiles");
  }

  function tile(s) {
    let t = document.querySelector('.tile[data-sensor="' + s.name + '"]');
    if (!t) {
      t = document.createElement("div");
      t.className = "tile";
      t.dataset.sensor = s.name;
      t.innerHTML = '<div class="name"></div><div class="value"><span class="v"></span> <span class="unit"></span></div><div class="age"></div>';
      t.querySelector(".name").textContent = s.name;
      t.querySelector(".unit").textContent = s.unit || "";
      t.addEventListener("click", () => { $("hsensor").value = s.name; showHistory(); });
      roomSection(s.room).append(t);
    }
    return t;
  }

  function render(s, flash) {
    const t = tile(s);
    t.querySelector(".v").textContent = fmt(s.value, s.unit);
    t.querySelector(".age").textContent = age(s.ts);
    t.dataset.value = s.value === null || s.value === undefined ? "" : String(s.value);
    t.dataset.ts = s.ts ? String(s.ts) : "";
    t.classList.toggle("stale", !!s.stale);
    if (flash && !s.stale) {
      t.classList.add("flash");
      setTimeout(() => t.classList.remove("flash"), 300);
    }
  }

  function snapshot(msg) {
    staleAfterMs = msg.stale_after_ms || staleAfterMs;
    const select = $("hsensor");
    const first = sensors.size === 0;
    for (const s of msg.sensors) {
      const old = sensors.get(s.name);
      if (old && old.ts && s.ts && old.ts > s.ts && !old.stale) continue;   // never go back in time
      sensors.set(s.name, s);
      render(s, false);
      if (first) {
        const o = document.createElement("option");
        o.value = s.name;
        o.textContent = s.name + (s.unit ? " (" + s.unit + ")" : "");
        select.append(o);
      }
    }
    if (first && select.options.length) showHistory();
  }

  function update(readings) {
    for (const r of readings) {
      const old = sensors.get(r.name);
      // never back in time, except over a reading the server marked stale (stamped before its clock stepped back)
      if (old && old.ts && r.ts < old.ts && !old.stale) continue;
      const s = Object.assign({}, old || {}, r, { stale: false });
      sensors.set(r.name, s);
      render(s, true);
      updates++;
    }
    const u = $("updates");
    u.dataset.count = String(updates);
    u.textContent = updates + " updates";
  }

  function markStale(names) {
    for (const n of names) {
      const s = sensors.get(n);
      if (s) { s.stale = true; render(s, false); }
    }
  }

  function setConn(text, ok) {
    const c = $("conn");
    c.textContent = text;
    c.className = "badge " + (ok ? "ok" : "off");
  }

  let backoff = 500;
  function connect() {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/live");
    ws.onopen = () => { backoff = 500; setConn("live", true); };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === "snapshot") { snapshot(msg); setConn(msg.redis ? "live" : "live (Redis unavailable)", msg.redis); }
      else if (msg.type === "update") update(msg.readings);
      else if (msg.type === "stale") markStale(msg.names);
      else if (msg.type === "status" || msg.type === "heartbeat") setConn(msg.redis ? "live" : "live (Redis unavailable)", msg.redis);
    };
    ws.onclose = () => {
      setConn("disconnected, retrying…", false);
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }

  setInterval(() => {      // ages tick; the server announces staleness, this is only a backstop
    const now = Date.now();
    for (const s of sensors.values()) {
      if (!s.stale && s.ts && now - s.ts > staleAfterMs + 2000) s.stale = true;
      render(s, false);
    }
  }, 1000);

  // every 10 s while all is well, every 2 s while something is failing: a page opened while the
  // stack starts (the worker writes its first status a moment after can-api is up) or during an
  // outage shows the recovery within seconds
  async function health() {
    const h = $("health");
    let ok = false;
    try {
      const r = await fetch("/health", { cache: "no-store" });
      const j = await r.json();
      ok = j.status === "ok";
      h.textContent = ok ? "health: ok" : "health: " + j.failing.join(", ") + " failing";
      h.title = ok ? "" : j.failing.map((part) => part + ": " + ((j[part] && j[part].error) || "not ok")).join("\n");
      h.className = "badge " + (ok ? "ok" : "bad");
    } catch (e) {
      h.textContent = "health: API unreachable";
      h.title = String(e);
      h.className = "badge bad";
    }
    setTimeout(health, ok ? 10000 : 2000);
  }

  async function showHistory() {
    const name = $("hsensor").value;
    const range = $("hrange").value;
    if (!name) return;
    const points = Math.max(50, Math.min(1000, Math.floor($("chart").clientWidth || 800)));
    $("hstatus").textContent = "loading…";
    try {
      const r = await fetch("/api/sensors/" + encodeURIComponent(name) + "/history?from=now-" + range + "&points=" + points,
        { cache: "no-store" });
      const j = await r.json();
      if (!r.ok) { $("hstatus").textContent = "error: " + j.message; return; }
      const xs = [], avg = [], min = [], max = [];
      for (const p of j.data) { xs.push(p.t / 1000); avg.push(p.avg); min.push(p.min); max.push(p.max); }
      $("hstatus").textContent = j.data.length + " points, " + j.from + " – " + j.to;
      const opts = {
        width: Math.max(320, $("chart").clientWidth || 800), height: 300,
        series: [{}, { label: "avg " + (j.unit || ""), stroke: "#2e7d32", width: 2 },
          { label: "min", stroke: "#90a4ae", dash: [4, 4] }, { label: "max", stroke: "#ef9a9a", dash: [4, 4] }],
        axes: [{}, { label: j.unit || "" }]
      };
      if (chart) chart.destroy();
      chart = new uPlot(opts, [xs, avg, min, max], $("chart"));
    } catch (e) {
      $("hstatus").textContent = "error: " + e;
    }
  }

  $("hform").addEventListener("submit", (ev) => { ev.preventDefault(); showHistory(); });
  $("hrange").addEventListener("change", showHistory);
  $("hsensor").addEventListener("change", showHistory);
  connect();
  health();
})();
