// MediaWorker dashboard: plain JavaScript, no build. Reads /api, follows /api/events.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const STATUSES = ["queued", "processing", "completed", "failed", "cancelled"];
  const state = { token: localStorage.getItem("mediaworker.token") || "", jobs: new Map(), cursor: null, filter: "" };
  let statsTimer = null;

  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const ago = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}`; };
  const time = (ms) => ms ? new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";

  async function api(path, options = {}) {
    const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    const response = await fetch(path, Object.assign({}, options, { headers }));
    if (response.status === 401) { askToken(); throw new Error("This server needs its API token."); }
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new Error(body?.detail || `${response.status} ${response.statusText}`);
    return body;
  }

  function askToken() { $("token-form").classList.remove("hidden"); $("token-input").focus(); }
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.token = $("token-input").value.trim();
    localStorage.setItem("mediaworker.token", state.token);
    $("token-form").classList.add("hidden");
    start();
  });

  // ---- tiles, chart, queue by task
  async function refreshStats() {
    const stats = await api("/api/stats");
    $("tiles").innerHTML = STATUSES.map((s) => `<div class="tile ${s}" style="--c: var(--${s})"><b id="count-${s}">${stats.by_status[s] ?? 0}</b><span>${s}</span></div>`).join("")
      + `<div class="tile"><b>${stats.oldest_queued_ms == null ? "–" : ago(stats.oldest_queued_ms)}</b><span>oldest queued</span></div>`;
    drawChart(stats.finished_per_minute, stats.timestamp);
    const tasks = [...new Set(stats.by_task.map((r) => r.task_type))].sort();
    $("by-task").innerHTML = tasks.length === 0 ? `<p class="muted">No jobs yet.</p>` :
      `<div class="scroll"><table><thead><tr><th>Task</th>${STATUSES.map((s) => `<th class="${s === "cancelled" ? "hide-phone" : ""}">${s}</th>`).join("")}</tr></thead><tbody>` +
      tasks.map((t) => `<tr><td class="mono">${esc(t)}</td>${STATUSES.map((s) => `<td class="${s === "cancelled" ? "hide-phone" : ""}">${stats.by_task.find((r) => r.task_type === t && r.status === s)?.count ?? 0}</td>`).join("")}</tr>`).join("") + `</tbody></table></div>`;
  }
  const scheduleStats = () => { if (!statsTimer) statsTimer = setTimeout(() => { statsTimer = null; refreshStats().catch(showError); refreshQueues().catch(showError); refreshRuns().catch(showError); }, 700); };

  function drawChart(minutes, now) {
    const W = Math.max(300, $("chart").clientWidth || 720), H = 190, L = 34, B = 22, T = 8, slots = 60;
    const start = Math.floor(now / 60000) * 60000 - (slots - 1) * 60000;
    const byMinute = new Map(minutes.map((m) => [m.minute, m]));
    const rows = Array.from({ length: slots }, (_, i) => byMinute.get(start + i * 60000) || { completed: 0, failed: 0, cancelled: 0 });
    const max = Math.max(1, ...rows.map((r) => r.completed + r.failed + r.cancelled));
    const bw = (W - L) / slots, y = (v) => H - B - (v / max) * (H - B - T);
    let bars = "", line = "";
    rows.forEach((r, i) => {
      let base = 0; const x = L + i * bw + 1;
      for (const [k, v] of [["completed", r.completed], ["failed", r.failed], ["cancelled", r.cancelled]]) {
        if (v > 0) bars += `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" rx="1.5" fill="var(--${k})"><title>${v} ${k}</title></rect>`;
        base += v;
      }
      const total = r.completed + r.failed + r.cancelled;
      if (total > 0) line += `${line ? "L" : "M"}${(x + bw / 2).toFixed(1)},${(H - B - (r.failed / total) * (H - B - T)).toFixed(1)}`;
    });
    const grid = [0, 0.5, 1].map((f) => `<line x1="${L}" x2="${W}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="var(--line)"/><text x="${L - 6}" y="${y(max * f) + 4}" text-anchor="end">${Math.round(max * f)}</text>`).join("");
    const labels = [0, 15, 30, 45, 59].map((i) => `<text x="${L + i * bw + bw / 2}" y="${H - 6}" text-anchor="middle">${i === 59 ? "now" : `-${59 - i}m`}</text>`).join("");
    $("chart").innerHTML = `<svg viewBox="0 0 ${W} ${H}">${grid}${bars}${line ? `<path d="${line}" fill="none" stroke="var(--ink)" stroke-width="1.5" stroke-dasharray="4 3"/>` : ""}${labels}</svg>`;
  }

  // ---- workers
  async function refreshWorkers() {
    const { workers } = await api("/api/workers");
    $("workers").innerHTML = workers.length === 0 ? `<p class="muted">No live worker. Start one with <code>./start_worker.sh</code>.</p>` : workers.map((w) => {
      const busy = w.active_jobs, pct = w.slots ? Math.round(100 * busy / w.slots) : 0;
      return `<div class="item" data-worker-id="${esc(w.worker_id)}"><div class="top"><b class="mono">${esc(w.worker_id)}</b><span class="pill ${w.status === "idle" ? "completed" : w.status === "busy" ? "processing" : "cancelled"}">${esc(w.status)}</span></div>
        <div class="top"><span class="muted">${busy} of ${w.slots} slots busy</span><span class="muted">${esc(w.host)} · pid ${w.pid} · seen ${ago(w.last_seen_ms_ago)} ago</span></div>
        <div class="bar"><i style="width:${pct}%"></i></div><div class="muted mono">${esc((w.capabilities || []).join(", "))}</div></div>`;
    }).join("");
  }

  // ---- paused queues, schedules, pipeline runs
  async function refreshQueues() {
    const paused = (await api("/api/queues")).queues.filter((q) => q.paused);
    $("paused").innerHTML = paused.length === 0 ? `<p class="muted">No queue is paused.</p>` : paused.map((q) =>
      `<div class="item" data-task-type="${esc(q.task_type)}"><div class="top"><b class="mono">${esc(q.task_type)}</b><span class="pill cancelled">paused</span></div>
        <div class="muted">${q.by_status.queued ?? 0} queued · since ${time(q.pause?.paused_at)} by ${esc(q.pause?.paused_by)}${q.pause?.reason ? ` · ${esc(q.pause.reason)}` : ""}</div></div>`).join("");
  }

  async function refreshSchedules() {
    const { schedules } = await api("/api/schedules");
    $("schedules").innerHTML = schedules.length === 0 ? `<p class="muted">No schedules (<code>mediaworker schedule add</code>).</p>` : schedules.map((s) =>
      `<div class="item" data-schedule="${esc(s.name)}"><div class="top"><b class="mono">${esc(s.name)}</b><span class="pill ${s.paused ? "cancelled" : "completed"}">${s.paused ? "paused" : "active"}</span></div>
        <div class="top"><span class="mono">${esc(s.cron)} <span class="muted">${esc(s.time_zone)}</span></span><span class="muted mono">${esc(s.target.kind === "pipeline" ? `pipeline ${s.target.pipeline}` : s.target.task_type)}</span></div>
        <div class="muted">next ${esc(s.next_run || "–")} · last ${esc(s.last_run || "–")}</div>${s.last_error ? `<div class="error">${esc(s.last_error)}</div>` : ""}</div>`).join("");
  }

  async function refreshRuns() {
    const { runs } = await api("/api/pipeline-runs?limit=10");
    $("runs").innerHTML = runs.length === 0 ? `<p class="muted">No pipeline runs (<code>mediaworker pipeline run FILE</code>).</p>` : runs.map((r) =>
      `<div class="item" data-run-id="${esc(r.run_id)}"><div class="top"><span><b class="mono">${esc(r.pipeline)}</b> <span class="muted">v${r.version} · <span class="mono">${esc(r.run_id.slice(0, 8))}</span></span></span>
        <span><span class="muted">${time(r.created_at)}</span> <span class="pill status ${r.status === "running" ? "processing" : esc(r.status)}">${esc(r.status)}</span></span></div>${r.error ? `<div class="error">${esc(r.error)}</div>` : ""}</div>`).join("");
  }

  // ---- plugins (for the submit form)
  async function refreshPlugins() {
    const report = await api("/api/plugins").catch(() => null);
    if (!report) return;
    const tasks = report.plugins.flatMap((p) => p.tasks.map((t) => t.task_type)).sort();
    $("submit-task").innerHTML = tasks.map((t) => `<option${t === "sleep" ? " selected" : ""}>${esc(t)}</option>`).join("");
  }

  $("submit-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const out = $("submit-result");
    try {
      const params = JSON.parse($("submit-params").value || "{}");
      const job = await api("/api/jobs", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ task_type: $("submit-task").value, params, priority: Number($("submit-priority").value || 5) }) });
      out.textContent = `Submitted ${job.job_id}`; out.className = "note";
      upsertJob(job);
    } catch (err) { out.textContent = err.message; out.className = "note error"; }
  });

  // ---- jobs
  function jobRow(job) {
    const tr = document.createElement("tr");
    tr.dataset.jobId = job.job_id;
    const pct = job.status === "completed" ? 100 : job.progress ?? 0;
    const action = job.status === "queued" || job.status === "processing" ? `<button class="small danger cancel" type="button">Cancel</button>`
      : job.status === "failed" || job.status === "cancelled" ? `<button class="small retry" type="button">Retry</button>` : "";
    tr.innerHTML = `<td class="mono" title="${esc(job.job_id)}">${esc(job.job_id.slice(0, 8))}</td><td class="mono">${esc(job.task_type)}</td>
      <td><span class="pill status ${esc(job.status)}">${esc(job.status)}</span></td>
      <td><div class="bar ${esc(job.status)}"><i style="width:${pct}%"></i></div></td><td class="muted hide-phone">${time(job.created_at)}</td><td>${action}</td>`;
    return tr;
  }

  function upsertJob(job) {
    state.jobs.set(job.job_id, job);
    if (state.filter && job.status !== state.filter) { document.querySelector(`#jobs tr[data-job-id="${CSS.escape(job.job_id)}"]`)?.remove(); return; }
    const body = document.querySelector("#jobs tbody");
    const old = body.querySelector(`tr[data-job-id="${CSS.escape(job.job_id)}"]`);
    const row = jobRow(job);
    if (old) old.replaceWith(row); else body.prepend(row);
    while (body.rows.length > 200) body.deleteRow(-1);
    if ($("detail").open && $("detail").dataset.jobId === job.job_id) showDetail(job.job_id);
  }

  async function loadJobs(more) {
    const q = new URLSearchParams({ limit: "50" });
    if (state.filter) q.set("status", state.filter);
    if (more && state.cursor) q.set("cursor", state.cursor);
    const page = await api(`/api/jobs?${q}`);
    const body = document.querySelector("#jobs tbody");
    if (!more) body.innerHTML = "";
    for (const job of page.jobs) { state.jobs.set(job.job_id, job); body.append(jobRow(job)); }
    state.cursor = page.next_cursor;
    $("jobs-more").classList.toggle("hidden", !page.next_cursor);
  }
  $("jobs-more").addEventListener("click", () => loadJobs(true).catch(showError));
  $("jobs-filter").addEventListener("change", (e) => { state.filter = e.target.value; loadJobs(false).catch(showError); });

  async function refreshFailed() {
    const { jobs } = await api("/api/jobs?status=failed&limit=10");
    $("failed").innerHTML = jobs.length === 0 ? `<p class="muted">No failed jobs.</p>` : jobs.map((j) =>
      `<div class="item" data-job-id="${esc(j.job_id)}"><div class="top"><span><b class="mono">${esc(j.task_type)}</b> <span class="muted mono">${esc(j.job_id.slice(0, 8))}</span></span>
       <span class="muted">${time(j.completed_at)} · ${j.attempts} attempt(s) <button class="small retry" type="button">Retry</button></span></div><div class="error">${esc(j.error_message || "failed")}</div></div>`).join("");
  }

  document.addEventListener("click", async (e) => {
    const target = e.target.closest("button.cancel, button.retry");
    const holder = e.target.closest("[data-job-id]");
    if (!holder) return;
    const id = holder.dataset.jobId;
    if (!target) { if (holder.tagName === "TR" || holder.classList.contains("item")) showDetail(id); return; }
    e.stopPropagation();
    try {
      await api(`/api/jobs/${encodeURIComponent(id)}/${target.classList.contains("cancel") ? "cancel" : "retry"}`, { method: "POST" });
      upsertJob(await api(`/api/jobs/${encodeURIComponent(id)}`));
      refreshFailed().catch(showError);
    } catch (err) { showError(err); }
  });

  async function showDetail(id) {
    const dialog = $("detail");
    const [job, files] = await Promise.all([api(`/api/jobs/${encodeURIComponent(id)}`), api(`/api/jobs/${encodeURIComponent(id)}/files`).catch(() => ({ files: [] }))]);
    dialog.dataset.jobId = id;
    $("detail-title").innerHTML = `<span class="mono">${esc(job.task_type)}</span> <span class="pill ${esc(job.status)}">${esc(job.status)}</span>`;
    const pct = job.status === "completed" ? 100 : job.progress;
    $("detail-body").innerHTML = `<div class="bar ${esc(job.status)}"><i style="width:${pct}%"></i></div><p class="muted">${pct}%</p>
      <dl><dt>Job</dt><dd class="mono">${esc(job.job_id)}</dd><dt>Attempts</dt><dd>${job.attempts} of ${job.max_retries + 1}</dd>
      <dt>Worker</dt><dd class="mono">${esc(job.worker_id || "–")}</dd><dt>Created</dt><dd>${time(job.created_at)}</dd><dt>Started</dt><dd>${time(job.started_at) || "–"}</dd><dt>Finished</dt><dd>${time(job.completed_at) || "–"}</dd></dl>
      ${job.error_message ? `<p class="error">${esc(job.error_message)}</p>` : ""}
      <h3>Parameters</h3><pre>${esc(JSON.stringify(job.params, null, 2))}</pre>
      ${job.output ? `<h3>Output</h3><pre>${esc(JSON.stringify(job.output, null, 2))}</pre>` : ""}
      ${files.files.length ? `<h3>Files</h3>${files.files.map((f) => `<div><a href="#" class="download" data-url="${esc(f.url)}" data-name="${esc(f.path)}">${esc(f.path)}</a> <span class="muted">${f.size} bytes</span></div>`).join("")}` : ""}`;
    if (!dialog.open) dialog.showModal();
  }

  $("detail-body").addEventListener("click", async (e) => {
    const link = e.target.closest("a.download");
    if (!link) return;
    e.preventDefault();
    const headers = state.token ? { Authorization: `Bearer ${state.token}` } : {};
    const response = await fetch(link.dataset.url, { headers });
    if (!response.ok) { showError(new Error(`Download failed: ${response.status}`)); return; }
    const url = URL.createObjectURL(await response.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: link.dataset.name.split("/").pop() });
    document.body.append(a); a.click(); a.remove(); setTimeout(() => URL.revokeObjectURL(url), 10000);
  });

  // ---- live stream: fetch (not EventSource) so the token goes in a header, not the URL
  async function follow() {
    for (;;) {
      try {
        const headers = { Accept: "text/event-stream" };
        if (state.token) headers.Authorization = `Bearer ${state.token}`;
        const response = await fetch("/api/events", { headers });
        if (response.status === 401) { askToken(); return; }
        if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
        setLive(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) { handleMessage(buffer.slice(0, end)); buffer = buffer.slice(end + 2); }
        }
      } catch { /* reconnect below */ }
      setLive(false);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  function handleMessage(block) {
    let type = "message", data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) type = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (!data) return;
    const event = JSON.parse(data);
    if (type === "job") {
      const known = state.jobs.get(event.job_id);
      if (known && event.event_type !== "queued") upsertJob(Object.assign({}, known, { status: event.status, progress: event.progress, attempts: event.attempt }));
      if (!known || ["completed", "failed", "cancelled", "retrying"].includes(event.event_type))
        api(`/api/jobs/${encodeURIComponent(event.job_id)}`).then(upsertJob).catch(() => {});
      if (event.event_type !== "progress") scheduleStats();
      if (event.event_type === "failed") refreshFailed().catch(showError);
    } else if (type === "worker") refreshWorkers().catch(showError);
  }

  function setLive(on) { const el = $("live"); el.classList.toggle("off", !on); el.textContent = on ? "live" : "reconnecting…"; }
  function showError(err) { console.warn(err); }

  let started = false;
  async function start() {
    const results = await Promise.allSettled([refreshStats(), refreshWorkers(), refreshPlugins(), loadJobs(false), refreshFailed(), refreshQueues(), refreshSchedules(), refreshRuns()]);
    results.filter((r) => r.status === "rejected").forEach((r) => showError(r.reason));
    if (!$("token-form").classList.contains("hidden")) return; // asked for the token: start again once it is given
    if (started) return;
    started = true;
    follow();
    setInterval(() => { refreshWorkers().catch(showError); refreshStats().catch(showError); refreshQueues().catch(showError); refreshSchedules().catch(showError); refreshRuns().catch(showError); }, 5000);
  }
  start();
})();
