// CEA dashboard: first paint from GET /api/sensors, then live over /ws/live (reconnecting with
// backoff); the header lists what is wrong (/health, /api/alerts); history of several sensors with
// uPlot over the chosen range, gaps left open. Plain JS, no build step.
(function () {
  "use strict";
  const sensors = new Map();          // name -> row of /api/sensors (+ lastValue, lastTs)
  const faulted = new Map();          // sensor -> alert message (active faulted / out_of_range alerts)
  const roomNodes = new Map();        // room -> CAN node (from /api/sensors)
  let lostFrames = null;              // worker:status lost_frames_total (all nodes), from /health
  let staleAfterMs = 10000;
  let updates = 0;
  let chart = null;
  let selected = [];
  const COLOURS = ["#2e7d32", "#1565c0", "#c62828", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"];
  const $ = (id) => document.getElementById(id);

  function fmt(v, s) {
    if (v === null || v === undefined) return "—";
    const p = s && Number.isInteger(s.precision) ? s.precision : 2;
    return Number(v).toFixed(p);
  }

  function ago(ts) {
    const s = Math.max(0, Math.round((Date.now() - ts) / 1000));
    if (s < 90) return s + " s ago";
    if (s < 5400) return Math.round(s / 60) + " min ago";
    if (s < 172800) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " days ago";
  }

  function withUnit(v, s) { return fmt(v, s) + (s.unit ? " " + s.unit : ""); }

  function bandText(s) {
    const b = s.band || {};
    if (b.min !== null && b.min !== undefined && b.max !== null && b.max !== undefined) return fmt(b.min, s) + "–" + withUnit(b.max, s);
    if (b.max !== null && b.max !== undefined) return "≤ " + withUnit(b.max, s);
    if (b.min !== null && b.min !== undefined) return "≥ " + withUnit(b.min, s);
    return "";
  }

  /** One of in_band, out_of_band, stale, faulted, no_data, with the text that says it without colour. */
  /** rh and vpd of a room are derived from its dry and wet bulb (DESIGN.md "Sensor names"): faulted with them. */
  function faultOf(name) {
    if (faulted.has(name)) return faulted.get(name);
    const m = /^(rh|vpd)(_[a-z]+)?$/.exec(name);
    if (!m) return null;
    const suffix = m[2] || "";
    for (const probe of ["dry_bulb", "wet_bulb"]) {
      if (faulted.has(probe + suffix)) return "derived from a faulted " + probe.replace("_", " ");
    }
    return null;
  }

  function state(s) {
    const fault = faultOf(s.name);
    if (fault) return ["faulted", "Faulted: " + fault];
    const live = s.value !== null && s.value !== undefined && !s.stale;
    if (live) {
      const b = s.band || {};
      if (b.min !== null && b.min !== undefined && s.value < b.min) return ["out_of_band", "Out of band: below " + withUnit(b.min, s)];
      if (b.max !== null && b.max !== undefined && s.value > b.max) return ["out_of_band", "Out of band: above " + withUnit(b.max, s)];
      return ["in_band", "In band" + (bandText(s) ? " (" + bandText(s) + ")" : "")];
    }
    if (s.lastTs) return ["stale", "Stale — last seen " + ago(s.lastTs) + ": " + withUnit(s.lastValue, s)];
    return ["no_data", "No data yet"];
  }

  function isKey(name) { return /^(vpd|rh)(_|$)/.test(name); }

  function roomSection(s) {
    const id = "room-" + (s.room || "other").replace(/[^A-Za-z0-9_-]/g, "_");
    let sec = document.getElementById(id);
    if (!sec) {
      sec = document.createElement("section");
      sec.className = "room";
      sec.id = id;
      const h = document.createElement("h2");
      h.textContent = s.room_label || s.room || "other";
      h.title = s.room || "";
      const tiles = document.createElement("div");
      tiles.className = "tiles";
      const node = document.createElement("details");
      node.className = "node";
      node.dataset.room = s.room || "";
      node.innerHTML = '<summary>Node health</summary><p class="nh muted">…</p>';
      node.addEventListener("toggle", () => { if (node.open) nodeHealth(node); });
      sec.append(h, tiles, node);
      $("rooms").append(sec);
    }
    return sec.querySelector(".tiles");
  }

  function tile(s) {
    let t = document.querySelector('.tile[data-sensor="' + s.name + '"]');
    if (!t) {
      t = document.createElement("button");
      t.type = "button";
      t.className = "tile";
      t.dataset.sensor = s.name;
      t.title = s.name + " — show its history";
      t.innerHTML = '<div class="name"></div><div class="value"><span class="v"></span> <span class="unit"></span></div><div class="state"></div>';
      t.querySelector(".name").textContent = s.label || s.name;
      t.querySelector(".unit").textContent = s.unit || "";
      t.addEventListener("click", () => toggleSensor(s.name, true));
      const box = roomSection(s);
      if (isKey(s.name)) {
        t.classList.add("key");
        const firstPlain = [...box.children].find((c) => !c.classList.contains("key"));
        box.insertBefore(t, firstPlain || null);
      } else {
        box.append(t);
      }
    }
    return t;
  }

  function render(s) {
    const t = tile(s);
    const [st, text] = state(s);
    const shown = s.value !== null && s.value !== undefined ? s.value : s.lastValue;
    t.querySelector(".v").textContent = fmt(shown, s);
    t.querySelector(".state").textContent = text;
    t.dataset.state = st;
    t.dataset.value = s.value === null || s.value === undefined ? "" : String(s.value);
    t.dataset.ts = s.ts ? String(s.ts) : "";
    for (const c of ["in_band", "out_of_band", "stale", "faulted", "no_data"]) t.classList.toggle(c, c === st);
    t.classList.toggle("selected", selected.includes(s.name));
    t.setAttribute("aria-label", (s.room_label || "") + " " + (s.label || s.name) + ": " + fmt(shown, s) + " " + (s.unit || "") + ", " + text);
  }

  /** Keeps, per sensor, the newest reading; remembers the last value after it goes stale. */
  function merge(row, fromUpdate) {
    const old = sensors.get(row.name) || {};
    // never back in time, except over a reading marked stale (stamped before a clock step back)
    if (old.ts && row.ts && row.ts < old.ts && !old.stale) return false;
    const s = Object.assign({}, old, row);
    if (fromUpdate) s.stale = false;
    if (s.value !== null && s.value !== undefined && s.ts) { s.lastValue = s.value; s.lastTs = s.ts; }
    else if (row.last_ts && (!s.lastTs || row.last_ts > s.lastTs)) { s.lastValue = row.last_value; s.lastTs = row.last_ts; }
    sensors.set(row.name, s);
    render(s);
    return true;
  }

  function rows(list) {
    const first = $("hadd").options.length <= 1;
    for (const r of list) merge(r, false);
    if (first) {
      for (const s of sensors.values()) {
        const o = document.createElement("option");
        o.value = s.name;
        o.textContent = (s.room_label ? s.room_label + " · " : "") + (s.label || s.name);
        $("hadd").append(o);
      }
      if (!selected.length) {
        selected = [...sensors.values()].filter((s) => s.room === list[0].room && /^(dry_bulb|wet_bulb|vpd)(_|$)/.test(s.name))
          .map((s) => s.name);
        if (!selected.length && list.length) selected = [list[0].name];
        showHistory();
        summaryRooms();
      }
    }
  }

  function update(readings) {
    for (const r of readings) if (merge(r, true)) updates++;
    const u = $("updates");
    u.dataset.count = String(updates);
    u.textContent = updates + " updates";
  }

  function markStale(names) {
    for (const n of names) {
      const s = sensors.get(n);
      if (s) { s.stale = true; render(s); }
    }
  }

  function setConn(text, ok) {
    const c = $("conn");
    c.textContent = text;
    c.className = "badge " + (ok ? "ok" : "off");
  }

  // ---- the facility's local time (its zone from /api/sensors): custom ranges, labels and days are
  // read and shown in it whatever zone the browser is in (a grower checking from a trip) ----
  let facilityZone;
  /** Wall-clock fields of ms in the facility's zone (the browser's until /api/sensors answered). */
  function wallParts(ms) {
    const f = new Intl.DateTimeFormat("en-US", { timeZone: facilityZone, hourCycle: "h23", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    const p = {};
    for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
    return p;
  }
  function zoneOffsetMs(ms) {
    const p = wallParts(ms);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
  }
  /** "YYYY-MM-DDTHH:MM" (a datetime-local value) as the facility's wall time → epoch ms, NaN if not one. */
  function wallToMs(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v || "");
    if (!m) return NaN;
    const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    return guess - zoneOffsetMs(guess - zoneOffsetMs(guess)); // the offset at the answer counts (DST)
  }
  function localInput(ms) {
    const p = wallParts(ms);
    return p.year + "-" + p.month + "-" + p.day + "T" + String(+p.hour % 24).padStart(2, "0") + ":" + p.minute;
  }
  function wallTime(ms) {
    return new Date(ms).toLocaleString(undefined, { timeZone: facilityZone });
  }

  async function firstPaint() {
    try {
      const r = await fetch("/api/sensors", { cache: "no-store" });
      const j = await r.json();
      if (r.ok) {
        staleAfterMs = j.stale_after_ms || staleAfterMs;
        facilityZone = j.time_zone || facilityZone;
        for (const room of j.rooms || []) if (room.node !== null) roomNodes.set(room.room, room.node);
        rows(j.sensors);
      }
    } catch (e) { /* the WebSocket snapshot paints instead */ }
    connect();
  }

  let backoff = 500;
  function connect() {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/live");
    ws.onopen = () => { backoff = 500; setConn("live", true); };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === "snapshot") { staleAfterMs = msg.stale_after_ms || staleAfterMs; rows(msg.sensors); setConn(msg.redis ? "live" : "live (Redis unavailable)", msg.redis); }
      else if (msg.type === "update") update(msg.readings);
      else if (msg.type === "stale") markStale(msg.names);
      else if (msg.type === "status" || msg.type === "heartbeat") setConn(msg.redis ? "live" : "live (Redis unavailable)", msg.redis);
    };
    ws.onclose = () => {
      const wait = Math.round(backoff * (0.75 + Math.random() * 0.5));
      setConn("disconnected, retrying in " + Math.max(1, Math.round(wait / 1000)) + " s", false);
      setTimeout(connect, wait);
      backoff = Math.min(backoff * 2, 15000);
    };
  }

  setInterval(() => {      // ages tick; the server announces staleness, this is only a backstop
    const now = Date.now();
    for (const s of sensors.values()) {
      if (!s.stale && s.ts && now - s.ts > staleAfterMs + 2000) s.stale = true;
      render(s);
    }
  }, 1000);

  // What is wrong, in words: every 10 s while all is well, every 2 s while something is not
  async function problems() {
    const out = [];
    let health = null;
    let alerts = null;
    try {
      const r = await fetch("/health", { cache: "no-store" });
      health = await r.json();
    } catch (e) { out.push(["bad", "API unreachable", String(e)]); }
    try {
      const r = await fetch("/api/alerts", { cache: "no-store" });
      if (r.ok) alerts = await r.json();
    } catch (e) { /* named by /health */ }
    if (health) {
      const failing = health.failing || [];
      if (failing.includes("redis")) out.push(["bad", "Redis down: live values unavailable", health.redis && health.redis.error]);
      if (failing.includes("database")) out.push(["bad", "Database down: history unavailable", health.database && health.database.error]);
      const w = health.worker || {};
      if (w.status && w.status.lost_frames_total !== undefined) lostFrames = w.status.lost_frames_total;
      if (failing.includes("worker")) out.push(["bad", w.age_ms ? "Worker not reporting for " + Math.round(w.age_ms / 1000) + " s" : "Worker down", w.error]);
      else if (w.lag && Number(w.lag) > 1000) out.push(["warn", "Worker behind: " + w.lag + " frames to catch up", ""]);
      const stale = (health.sensors && health.sensors.stale) || [];
      if (stale.length) out.push(["warn", stale.length + (stale.length === 1 ? " stale sensor" : " stale sensors"), stale.join(", ")]);
    }
    faulted.clear();
    if (alerts) {
      const firing = alerts.active.filter((a) => a.state === "firing");
      for (const a of alerts.active) {
        if (a.sensor && (a.kind === "faulted" || a.kind === "out_of_range")) faulted.set(a.sensor, a.message || a.kind);
      }
      if (firing.length) {
        const crit = firing.some((a) => a.severity === "critical");
        out.push([crit ? "bad" : "warn", firing.length + (firing.length === 1 ? " active alert" : " active alerts"),
          firing.map((a) => a.message).join("\n")]);
      }
    }
    if (!out.length && health && health.status === "ok") out.push(["ok", "All systems OK", ""]);
    const ul = $("problems");
    ul.replaceChildren(...out.map(([cls, text, title]) => {
      const li = document.createElement("li");
      li.className = cls;
      li.textContent = text;
      if (title) li.title = title;
      return li;
    }));
    ul.dataset.status = health ? health.status : "unreachable";
    for (const s of sensors.values()) render(s);
    setTimeout(problems, out.length === 1 && out[0][0] === "ok" ? 10000 : 2000);
  }

  // ---- history ----
  /** Adds a sensor to the chart or takes it off; {@code scroll}: bring the chart into view when added. */
  function toggleSensor(name, scroll) {
    const adding = !selected.includes(name);
    selected = adding ? selected.concat([name]) : selected.filter((n) => n !== name);
    for (const s of sensors.values()) render(s);
    showHistory();
    if (adding && scroll) $("history").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function range() {
    const v = $("hrange").value;
    if (v === "custom") {
      const f = wallToMs($("hfrom").value);
      const t = wallToMs($("hto").value);
      if (isNaN(f) || isNaN(t) || f >= t) return null;
      return [f, t];
    }
    const n = parseInt(v, 10);
    const unit = v.endsWith("h") ? 3600000 : 86400000;
    const to = Date.now();
    return [to - n * unit, to];
  }

  function legend() {
    const ul = $("legend");
    ul.replaceChildren(...selected.map((name, i) => {
      const s = sensors.get(name) || { name };
      const li = document.createElement("li");
      li.dataset.sensor = name;
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = COLOURS[i % COLOURS.length];
      const label = document.createElement("span");
      label.textContent = (s.label || name) + (s.room_label ? " · " + s.room_label : "") + (s.unit ? " (" + s.unit + ")" : "");
      label.title = name;
      const rm = document.createElement("button");
      rm.type = "button";
      rm.textContent = "×";
      rm.setAttribute("aria-label", "remove " + (s.label || name) + " from the chart");
      rm.addEventListener("click", () => toggleSensor(name, false));
      li.append(sw, label, rm);
      return li;
    }));
  }

  let historySeq = 0;
  async function showHistory() {
    legend();
    const r = range();
    if (!r) { $("hstatus").textContent = "choose a From before To"; return; }
    const [from, to] = r;
    const fromIso = new Date(from).toISOString();
    const toIso = new Date(to).toISOString();
    const names = selected.slice();
    $("export").href = "/api/export?sensors=" + encodeURIComponent(names.join(",")) + "&from=" + fromIso + "&to=" + toIso + "&format=csv";
    $("export-raw").href = "/api/export/messages?from=" + fromIso + "&to=" + toIso + "&format=csv";
    if (!names.length) { $("hstatus").textContent = "add a sensor"; if (chart) { chart.destroy(); chart = null; } return; }
    const width = Math.max(280, $("chart").clientWidth || 800);
    const points = Math.max(50, Math.min(1500, Math.floor(width / 2)));
    const seq = ++historySeq;
    $("hstatus").textContent = "loading…";
    try {
      const answers = await Promise.all(names.map(async (n) => {
        const resp = await fetch("/api/sensors/" + encodeURIComponent(n) + "/history?from=" + fromIso + "&to=" + toIso + "&points=" + points, { cache: "no-store" });
        const j = await resp.json();
        if (!resp.ok) throw new Error(j.message || resp.status);
        return j;
      }));
      if (seq !== historySeq) return;
      draw(answers, from, to, width);
    } catch (e) {
      if (seq === historySeq) $("hstatus").textContent = "error: " + e.message;
    }
  }

  /** One x value per bucket of the range, so a bucket without readings is a null: a gap, not a line across it. */
  function draw(answers, from, to, width) {
    const bw = answers[0].bucket_ms;
    const xs = [];
    for (let t = Math.floor(from / bw) * bw; t < to; t += bw) xs.push(t / 1000);
    const index = new Map(xs.map((x, i) => [x * 1000, i]));
    const data = [xs];
    const series = [{}];
    const bands = [];
    const units = [];
    let total = 0;
    answers.forEach((j, k) => {
      const avg = new Array(xs.length).fill(null), min = avg.slice(), max = avg.slice();
      for (const p of j.data) {
        const i = index.get(p.t);
        if (i === undefined) continue;
        avg[i] = p.avg; min[i] = p.min; max[i] = p.max; total++;
      }
      const colour = COLOURS[k % COLOURS.length];
      const unit = j.unit || "-";
      if (!units.includes(unit)) units.push(unit);
      const label = (j.label || j.sensor) + (j.room_label ? " · " + j.room_label : "");
      const dec = Number.isInteger(j.precision) ? j.precision : 2;
      const val = (u, v) => (v === null || v === undefined ? "—" : v.toFixed(dec) + " " + (j.unit || ""));
      series.push({ label: label, scale: unit, stroke: colour, width: 2, value: val, spanGaps: false },
        { label: label + " min", scale: unit, stroke: colour + "55", width: 1, value: val, spanGaps: false },
        { label: label + " max", scale: unit, stroke: colour + "55", width: 1, value: val, spanGaps: false });
      data.push(avg, min, max);
      const base = 1 + 3 * k;
      bands.push({ series: [base + 2, base + 1], fill: colour + "22" });
    });
    const scales = { x: { time: true, range: () => [from / 1000, to / 1000] } };
    const axes = [{}];
    units.forEach((u, i) => {
      scales[u] = { auto: true };
      if (i < 2) axes.push({ scale: u, label: u, side: i === 0 ? 3 : 1, grid: { show: i === 0 }, size: 55 });
    });
    const opts = { width: width, height: width < 500 ? 240 : 320, series: series, bands: bands, scales: scales, axes: axes,
      legend: { show: false }, cursor: { drag: { x: false, y: false } },
      tzDate: (ts) => (facilityZone ? uPlot.tzDate(new Date(ts * 1000), facilityZone) : new Date(ts * 1000)) };
    if (chart) chart.destroy();
    chart = new uPlot(opts, data, $("chart"));
    const span = (to - from) / 1000;
    const bucket = bw >= 86400000 ? bw / 86400000 + " d" : bw >= 3600000 ? bw / 3600000 + " h" : bw >= 60000 ? bw / 60000 + " min" : bw / 1000 + " s";
    $("hstatus").textContent = total + " points (buckets of " + bucket + "), " + wallTime(from) + " – " +
      wallTime(to) + (facilityZone ? " (" + facilityZone + ")" : "") + (span > 0 && total === 0 ? " — no readings in this range" : "");
    $("chart").dataset.from = String(from);
    $("chart").dataset.to = String(to);
    $("chart").dataset.buckets = String(xs.length);
    $("chart").dataset.gaps = String(answers.map((j) => xs.length - j.data.length).join(","));
  }

  $("hform").addEventListener("submit", (ev) => { ev.preventDefault(); showHistory(); });
  $("hrange").addEventListener("change", () => {
    const custom = $("hrange").value === "custom";
    $("hform").classList.toggle("custom-range", custom);
    if (custom && !$("hfrom").value) {
      $("hfrom").value = localInput(Date.now() - 86400000);
      $("hto").value = localInput(Date.now());
    }
    showHistory();
  });
  $("hfrom").addEventListener("change", showHistory);
  $("hto").addEventListener("change", showHistory);
  $("hadd").addEventListener("change", () => { const n = $("hadd").value; $("hadd").value = ""; if (n && !selected.includes(n)) toggleSensor(n, false); });
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (chart) chart.setSize({ width: Math.max(280, $("chart").clientWidth), height: chart.height }); }, 200);
  });
  // ---- node health (one click away: last frame, heartbeat uptime/firmware, lost frames) ----
  function duration(s) {
    if (s < 120) return s + " s";
    if (s < 7200) return Math.round(s / 60) + " min";
    if (s < 172800) return Math.floor(s / 3600) + " h " + Math.round((s % 3600) / 60) + " min";
    return Math.round(s / 86400) + " days";
  }
  async function nodeHealth(el) {
    const node = roomNodes.get(el.dataset.room);
    const out = el.querySelector(".nh");
    if (node === undefined) { out.textContent = "no node known for this room"; return; }
    try {
      const [last, hb] = await Promise.all(["/api/messages?limit=1&node=" + node, "/api/messages?limit=1&type=HEARTBEAT&node=" + node]
        .map(async (u) => { const r = await fetch(u, { cache: "no-store" }); const j = await r.json(); if (!r.ok) throw new Error(j.message); return j.messages[0]; }));
      const parts = ["Node " + node];
      parts.push(last ? "last frame " + ago(last.ts_ms) + " (" + (last.type || last.can_id) + ")" : "no frame stored");
      if (hb && hb.decoded) {
        const d = hb.decoded;
        parts.push("heartbeat " + ago(hb.ts_ms) + ": up " + duration(d.uptime_s) + ", firmware " + d.fw_major + "." + d.fw_minor
          + ", error flags " + d.error_flags);
      } else parts.push("no heartbeat stored");
      if (lostFrames !== null) parts.push("lost frames (all nodes): " + lostFrames);
      out.textContent = parts.join(" · ");
    } catch (e) { out.textContent = "node health unavailable: " + e.message; }
  }

  // ---- day/night summaries ----
  async function summaries() {
    const room = $("sroom").value;
    if (!room) return;
    const days = parseInt($("sdays").value, 10);
    // the facility's days, not the browser's
    const p = wallParts(Date.now());
    const d = new Date(Date.UTC(+p.year, +p.month - 1, +p.day));
    const from = new Date(d.getTime() - (days - 1) * 86400000);
    const ymd = (x) => x.toISOString().slice(0, 10);
    $("sstatus").textContent = "loading…";
    try {
      const r = await fetch("/api/summaries?room=" + encodeURIComponent(room) + "&from=" + ymd(from) + "&to=" + ymd(d), { cache: "no-store" });
      const j = await r.json();
      if (!r.ok) { $("sstatus").textContent = "error: " + j.message; return; }
      const body = $("stable").querySelector("tbody");
      const trs = [];
      let lastKey = "";
      for (const row of j.rows.slice().sort((a, b) => b.from - a.from || (a.sensor < b.sensor ? -1 : 1))) {
        const tr = document.createElement("tr");
        const key = row.date + row.period;
        if (key !== lastKey) tr.className = "first";
        const s = sensors.get(row.sensor) || { precision: 2 };
        const cells = [key !== lastKey ? row.date + " " + (row.period === "all" ? "" : row.period) : "",
          row.label + (row.unit ? " (" + row.unit + ")" : ""),
          row.count ? fmt(row.min, s) + " / " + fmt(row.mean, s) + " / " + fmt(row.max, s) : "no readings",
          row.in_band_pct === null ? "—" : row.in_band_pct.toFixed(1) + " %"];
        lastKey = key;
        cells.forEach((c, i) => {
          const td = document.createElement("td");
          td.textContent = c;
          if (i === 3) { td.className = "pct" + (row.in_band_pct !== null && row.in_band_pct < 90 ? " low" : "");
            td.title = "band " + (row.band_min ?? "") + "–" + (row.band_max ?? ""); }
          tr.append(td);
        });
        trs.push(tr);
      }
      body.replaceChildren(...trs);
      $("sstatus").textContent = j.room_label + (j.lights ? ", lights " + j.lights.on + "–" + j.lights.off : "") + " (" + j.time_zone + ")";
    } catch (e) { $("sstatus").textContent = "error: " + e.message; }
  }
  function summaryRooms() {
    if ($("sroom").options.length) return;
    const seen = new Set();
    for (const s of sensors.values()) {
      if (seen.has(s.room)) continue;
      seen.add(s.room);
      const o = document.createElement("option");
      o.value = s.room;
      o.textContent = s.room_label || s.room;
      $("sroom").append(o);
    }
    summaries();
  }
  $("sroom").addEventListener("change", summaries);
  $("sdays").addEventListener("change", summaries);

  window.__cea = { chart: () => chart };   // for the browser test
  firstPaint();
  problems();
})();
