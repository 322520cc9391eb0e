// The operation's situation reports: the list (drafts for its coordinators), drafting one for a
// period, editing its sections in both languages, issuing it, and the schedule of automatic drafts.
const { cfg, T, api, all, esc, onSubmit, dateFmt, clock } = window.katchi.ui;
const OP = cfg.operation.id;
const reports = { items: [] };
window.katchi.sitreps = reports; // for tests

const pick = (text) => (cfg.lang === "ko" ? text.ko || text.en : text.en || text.ko);
// <input type="datetime-local"> speaks local time without a zone.
const localInput = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
const iso = (value) => (value ? new Date(value).toISOString() : null);

function links(r) {
  const base = `/api/v1/sitreps/${encodeURIComponent(r.id)}`;
  return ["ko", "en"].map((l) => `<a href="${base}.html?lang=${l}" target="_blank" rel="noopener">${l === "ko" ? "한국어" : "English"}</a> · <a href="${base}.pdf?lang=${l}" target="_blank" rel="noopener">PDF</a>`).join(" · ");
}

function render() {
  const rows = [...reports.items].sort((a, b) => b.number - a.number);
  document.getElementById("sitrep-list").innerHTML = rows
    .map((r) => {
      const draft = r.state === "draft";
      const acts = draft && cfg.coordinates ? ` <button type="button" data-edit="${esc(r.id)}">${esc(T("Edit"))}</button> <button type="button" data-issue="${esc(r.id)}">${esc(T("Issue report"))}</button>` : "";
      return `<tr data-id="${esc(r.id)}"><td>${r.number}</td><td>${esc(pick(r.title))}</td>` +
        `<td>${esc(dateFmt.format(new Date(r.period_start)))} – ${esc(dateFmt.format(new Date(r.period_end)))}</td>` +
        `<td${draft ? ' class="badge-draft"' : ""}>${esc(T(r.state))}</td><td>${esc(r.label)}</td><td>${links(r)}${acts}</td></tr>`;
    })
    .join("");
  document.getElementById("sitrep-none").hidden = rows.length > 0;
}

async function refresh() {
  reports.items = await all(`/operations/${OP}/sitreps`);
  render();
  document.getElementById("sitrep-list").dataset.loaded = "true";
}

function defaultPeriod() {
  const form = document.getElementById("form-sitrep");
  if (!form) return;
  const c = clock() ?? cfg.clock; // an exercise's reports are on its clock (the page may not have started it yet)
  const now = c ? new Date(new Date(c.sim_time).getTime() + (c.state === "running" ? (Date.now() - new Date(c.wall_time).getTime()) * c.speed : 0)) : new Date();
  const end = new Date(Math.ceil(now.getTime() / 60000) * 60000); // the input keeps minutes: end after now
  const last = [...reports.items].sort((a, b) => b.number - a.number)[0];
  const start = last ? new Date(last.period_end) : new Date(end.getTime() - 12 * 3600 * 1000);
  form.elements.period_end.value = localInput(end);
  form.elements.period_start.value = localInput(start < end ? start : new Date(end.getTime() - 12 * 3600 * 1000));
}

async function edit(id) {
  const rep = await api(`/sitreps/${encodeURIComponent(id)}`);
  const form = document.getElementById("form-sitrep-edit");
  form.dataset.id = id;
  for (const [section, text] of Object.entries(rep.texts)) {
    for (const l of ["en", "ko"]) {
      const field = form.elements[`${section}.${l}`];
      if (field) field.value = text[l] ?? "";
    }
  }
  document.getElementById("dlg-sitrep").showModal();
}

// A replay shows the picture as it was; the reports are live only (their panel is not on the page).
if (document.getElementById("sitrep-list")) {
  document.getElementById("sitrep-list").addEventListener("click", async (e) => {
    const editing = e.target.closest("[data-edit]");
    const issuing = e.target.closest("[data-issue]");
    try {
      if (editing) await edit(editing.dataset.edit);
      if (issuing && confirm(T("Issue this situation report to everyone its releasability reaches? It cannot be changed afterwards."))) {
        await api(`/sitreps/${encodeURIComponent(issuing.dataset.issue)}/actions/issue`, { method: "POST" });
        await refresh();
      }
    } catch (err) {
      alert(err.message);
    }
  });

  if (cfg.coordinates) {
    onSubmit("form-sitrep", async (d) => {
      const rep = await api(`/operations/${OP}/sitreps`, { method: "POST", body: { label: d.label, period_start: iso(d.period_start), period_end: iso(d.period_end) } });
      await refresh();
      defaultPeriod();
      await edit(rep.id);
    });
    onSubmit("form-sitrep-edit", async (d, form) => {
      const body = {};
      for (const [name, value] of Object.entries(d)) {
        const [section, l] = name.split(".");
        (body[section] ??= { en: "", ko: "" })[l] = value;
      }
      await api(`/sitreps/${encodeURIComponent(form.dataset.id)}`, { method: "PATCH", body });
      await refresh();
    });
    const schedule = document.getElementById("form-sitrep-schedule");
    const showSchedule = (s) => {
      schedule.elements.times.value = s.times.join(", ");
      schedule.elements.timezone.value = s.timezone;
      schedule.elements.label.value = s.label;
      document.getElementById("schedule-state").textContent = s.times.length ? `${T("Drafts are prepared at")} ${s.times.join(", ")} (${s.timezone})` : T("No automatic drafts.");
    };
    schedule.addEventListener("submit", async (e) => {
      e.preventDefault();
      const d = Object.fromEntries(new FormData(schedule).entries());
      const error = schedule.querySelector(".form-error");
      error.textContent = "";
      try {
        const times = d.times.split(",").map((t) => t.trim()).filter(Boolean);
        showSchedule(await api(`/operations/${OP}/sitreps/schedule`, { method: "PUT", body: { times, timezone: d.timezone, label: d.label } }));
      } catch (err) {
        error.textContent = err.problem?.errors?.[0]?.msg ?? err.message;
      }
    });
    api(`/operations/${OP}/sitreps/schedule`).then(showSchedule).catch(() => {});
  }

  document.addEventListener("katchi:event", (e) => {
    if (e.detail.kind.startsWith("reports.sitrep.")) refresh().catch(() => {});
  });
  refresh().then(defaultPeriod).catch(() => {});
}
