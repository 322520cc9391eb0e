// The operation's common operating picture: map layers, the RFA board, feeds and forms, kept
// current by the operation's live stream. Every string shown comes translated in the page config.
const cfg = JSON.parse(document.getElementById("katchi-config").textContent);
const T = (s) => cfg.messages[s] ?? s;
const OP = cfg.operation.id;
const lang = cfg.lang === "ko" ? "ko-KR" : "en-GB";
const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" });
const numFmt = new Intl.NumberFormat(lang);
const STATES = ["submitted", "validated", "tasked", "accepted", "underway", "declined", "completed", "rejected", "cancelled", "draft"];
const OPEN = new Set(["draft", "submitted", "validated", "tasked", "accepted", "underway", "declined"]);

const state = { incidents: new Map(), rfas: new Map(), assets: new Map(), facilities: new Map(), markers: new Map(), arrivals: new Map() };
window.katchi = state; // for tests and the benchmark: what the page has loaded

// --- API ---------------------------------------------------------------------------------
async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json", "X-CSRF-Token": cfg.csrf };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`/api/v1${path}`, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401) toLogin();
  if (!res.ok) throw Object.assign(new Error(data?.detail ?? res.statusText), { status: res.status, problem: data });
  return data;
}

// The session ended (signed out elsewhere, idle, disabled): sign in again and come back here.
function toLogin() {
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

async function all(path) {
  const items = [];
  let next = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api(`${path}${sep}limit=1000${next ? `&cursor=${encodeURIComponent(next)}` : ""}`);
    items.push(...page.items);
    next = page.next;
  } while (next);
  return items;
}

// --- map ---------------------------------------------------------------------------------
const map = L.map("map", { preferCanvas: true, zoomSnap: 0.5, keyboard: true, minZoom: 5, maxZoom: 18 }).setView(cfg.centre, 7);
if (cfg.area) map.fitBounds([[cfg.area[1], cfg.area[0]], [cfg.area[3], cfg.area[2]]], { maxZoom: 12 }); // the operation's area
map.attributionControl.addAttribution("KOSTAT 2013");
fetch(cfg.basemap).then((r) => r.json()).then((geo) => {
  L.geoJSON(geo, { style: { color: "#5b6b7a", weight: 1.2, fillColor: "#f3f1ea", fillOpacity: 1 }, interactive: false }).addTo(map).bringToBack();
});
let detail = null;
map.on("zoomend", async () => {
  if (map.getZoom() >= 9 && !detail) {
    const geo = await (await fetch(cfg.basemap_detail)).json();
    detail = L.geoJSON(geo, { style: { color: "#9aa5b1", weight: 0.6, fill: false }, interactive: false }).addTo(map);
  }
});

const cluster = () => L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40 });
const layers = { incidents: cluster(), rfas: cluster(), assets: cluster(), facilities: L.layerGroup() };
Object.values(layers).forEach((l) => l.addTo(map));
document.querySelectorAll("[data-layer]").forEach((box) =>
  box.addEventListener("change", () => (box.checked ? layers[box.dataset.layer].addTo(map) : map.removeLayer(layers[box.dataset.layer]))),
);

function latlng(geometry) {
  if (!geometry) return null;
  if (geometry.type === "Point") return [geometry.coordinates[1], geometry.coordinates[0]];
  const b = L.geoJSON(geometry).getBounds();
  return b.isValid() ? b.getCenter() : null;
}

const SEV = { minor: 1, moderate: 2, severe: 3, extreme: 4 };
function icon(kind, cls, text, label) {
  return L.divIcon({ className: "", html: `<span class="mk ${kind} ${cls}" role="img" aria-label="${esc(label)}">${text}</span>`, iconSize: [22, 22] });
}
function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function placeMarker(kind, id, record, ico, popup) {
  const key = `${kind}:${id}`;
  const where = latlng(record.location);
  const old = state.markers.get(key);
  if (old) layers[kind].removeLayer(old);
  if (!where) return;
  const m = L.marker(where, { icon: ico, title: record.title ?? record.name, keyboard: true });
  m.bindPopup(popup);
  state.markers.set(key, m);
  layers[kind].addLayer(m);
}

// --- records -----------------------------------------------------------------------------
function showIncident(i) {
  state.incidents.set(i.id, i);
  document.getElementById("count-incidents").textContent = numFmt.format(state.incidents.size);
  const label = `${T(i.severity)}: ${i.title}`;
  placeMarker("incidents", i.id, i, icon("incident", `sev-${i.severity} ${i.status === "closed" ? "closed" : ""}`, SEV[i.severity] ?? "?", label),
    `<strong data-glossed>${esc(i.title)}</strong><br>${esc(T(i.severity))} · ${esc(T(i.status))}<br>${numFmt.format(i.people_affected ?? 0)} ${esc(T("people"))}${impactLine(i)}${observeButton("incident", i.id)}`);
}
const IMPACT_NAMES = { dead: "Dead", injured: "Injured", missing: "Missing", trapped: "Trapped", displaced: "Displaced", in_need: "In need" };
// "dead 2 · injured 5": the figures an incident reports, in the reader's language.
function impactLine(i) {
  const known = ["dead", "injured", "missing", "trapped", "displaced", "in_need"].filter((k) => i[k] !== null && i[k] !== undefined);
  return known.length ? `<br>${known.map((k) => `${esc(T(IMPACT_NAMES[k]))} ${numFmt.format(i[k])}`).join(" · ")}` : "";
}
// --- facilities: shelters and hospitals coloured by their live status --------------------
const CONTRIBUTING = new Set(["contributor", "coordinator", "asset_manager", "exercise_controller", "admin"]);
const FACILITY_STATES = ["open", "full", "closed", "damaged"];
// A glyph as well as a colour for each status (as in the legend): colour is never the only signal.
const FACILITY_GLYPH = { open: "■", full: "≡", closed: "×", damaged: "!" };
const FACILITY_WORDS = {
  open: "Open", full: "Full", closed: "Closed", damaged: "Damaged", shelter: "Shelter", hospital: "Hospital", airport: "Airport",
  port: "Port", staging_area: "Staging area", warehouse: "Warehouse", cmoc: "CMOC",
};
const facilityWord = (code) => T(FACILITY_WORDS[code] ?? code);
// Its owning organisation's contributors, and the operation's coordinators, keep it current.
const mayUpdateFacility = (f) =>
  !cfg.replay && cfg.participant && ((f.org === cfg.user.org && CONTRIBUTING.has(cfg.user.role)) || coordinating());
const count = (n) => (n === null || n === undefined ? "—" : numFmt.format(n));
function facilityStatusHtml(f) {
  const needs = f.needs?.length ? f.needs.map(esc).join(", ") : "—";
  return `<strong>${esc(f.name)}</strong> <span class="fac-state fac-st-${esc(f.status)}">${esc(facilityWord(f.status))}</span><br>${esc(facilityWord(f.kind))}${f.org ? ` · ${esc(f.org)}` : ""}
    <dl class="fac-figures"><dt>${esc(T("Occupancy"))}</dt><dd data-testid="fac-occupancy">${count(f.occupancy)} / ${count(f.capacity)}</dd>
    <dt>${esc(T("Beds available"))}</dt><dd data-testid="fac-beds">${count(f.beds_available)}</dd>
    <dt>${esc(T("Needs"))}</dt><dd data-testid="fac-needs">${needs}</dd>
    <dt>${esc(T("Last update"))}</dt><dd>${f.updated_at ? when(f.updated_at) : "—"}</dd></dl>`;
}
function facilityFormHtml(f) {
  if (!mayUpdateFacility(f)) return "";
  const options = FACILITY_STATES.map((st) => `<option value="${st}" ${st === f.status ? "selected" : ""}>${esc(facilityWord(st))}</option>`).join("");
  return `<form class="fac-form inline-form" data-facility="${esc(f.id)}" novalidate>
    <label>${esc(T("Status"))} <select name="status">${options}</select></label>
    <label>${esc(T("Occupancy"))} <input name="occupancy" type="number" min="0" step="1" inputmode="numeric" value="${esc(f.occupancy ?? 0)}"></label>
    <p class="field-error" data-error-for="occupancy"></p>
    <label>${esc(T("Beds available"))} <input name="beds_available" type="number" min="0" step="1" inputmode="numeric" value="${esc(f.beds_available ?? "")}"></label>
    <p class="field-error" data-error-for="beds_available"></p>
    <label>${esc(T("Needs, comma-separated"))} <input name="needs" value="${esc((f.needs ?? []).join(", "))}" autocomplete="off"></label>
    <p class="field-error" data-error-for="needs"></p>
    <p class="form-error" role="alert"></p><p class="hint fac-saved" role="status"></p>
    <button type="submit">${esc(T("Update status"))}</button></form>`;
}
function showFacility(f) {
  state.facilities.set(f.id, f);
  const key = `facilities:${f.id}`;
  const ico = icon("facility", `fac-${f.kind} fac-st-${f.status}`, FACILITY_GLYPH[f.status] ?? "■", `${f.name} (${facilityWord(f.status)})`);
  const old = state.markers.get(key);
  if (old?.isPopupOpen()) {
    // Someone is reading (or editing) it: refresh what it says, keep what is being typed.
    old.setIcon(ico);
    const info = old.getPopup().getElement()?.querySelector(".fac-info");
    if (info) info.innerHTML = facilityStatusHtml(f);
    return;
  }
  placeMarker("facilities", f.id, f, ico, () => {
    const now = state.facilities.get(f.id);
    return `<div class="fac-info">${facilityStatusHtml(now)}</div>${facilityFormHtml(now)}`;
  });
}
async function submitFacility(form) {
  clearErrors(form);
  form.querySelector(".fac-saved").textContent = "";
  const d = formData(form);
  const body = {
    status: d.status,
    occupancy: Number(d.occupancy || 0),
    beds_available: d.beds_available === "" ? null : Number(d.beds_available),
    needs: (d.needs || "").split(/[,，、]/).map((n) => n.trim()).filter(Boolean),
  };
  try {
    const f = await api(`/facilities/${form.dataset.facility}`, { method: "PATCH", body });
    showFacility({ ...state.facilities.get(f.id), ...f });
    form.querySelector(".fac-saved").textContent = T("Saved.");
  } catch (err) {
    showErrors(form, err);
  }
}
function showAsset(a) {
  state.assets.set(a.id, a);
  refreshRecsSoon();
  placeMarker("assets", a.id, a, icon("asset", `st-${a.status}`, "▲", `${a.name} (${T(a.status)})`),
    `<strong>${esc(a.name)}</strong><br>${esc(cfg.capabilities[a.capability] ?? a.capability)}<br>${esc(a.org)} · ${esc(T(a.status))}`);
  renderAssetsSoon();
}
function showRfa(r) {
  state.rfas.set(r.id, r);
  refreshRecsSoon();
  const key = `rfas:${r.id}`;
  if (!OPEN.has(r.state)) {
    const m = state.markers.get(key);
    if (m) layers.rfas.removeLayer(m);
    state.markers.delete(key);
  } else {
    placeMarker("rfas", r.id, r, icon("rfa", `pr-${r.priority}`, "◆", `${r.title} (${T(r.state)})`),
      `<strong>${esc(r.title)}</strong><br>${esc(cfg.capabilities[r.capability] ?? r.capability)} × ${r.quantity}<br>${esc(T(r.priority))} · ${esc(T(r.state))}`);
  }
  renderBoardSoon();
}

// --- RFA board ---------------------------------------------------------------------------
function myActions(r) {
  if (cfg.replay) return []; // the past is read, not acted on
  const roles = new Set();
  const u = cfg.user;
  if (r.requesting_org === u.org && u.role !== "viewer") roles.add("requester");
  // Only coordinators of the lead and co-coordinating organisations validate, reject and task.
  if ((u.role === "coordinator" || u.role === "admin") && cfg.operation.coordinators.includes(u.org)) roles.add("coordinator");
  const asset = r.tasking ? state.assets.get(r.tasking.asset_id) : null;
  if (asset && asset.org === u.org && ["asset_manager", "coordinator", "admin"].includes(u.role)) roles.add("asset_owner");
  const awaiting = r.tasking?.status === "awaiting_approval";  // the owner accepts once its nation approved
  return (cfg.transitions[r.state] ?? [])
    .filter(([action, who]) => who.some((w) => roles.has(w)) && !(awaiting && action === "accept"))
    .map(([action]) => action);
}

// --- recommended assignments (the operation's coordinators) -------------------------------
const recs = new Map();
const coordinating = () =>
  !cfg.replay && (cfg.user.role === "coordinator" || cfg.user.role === "admin") && cfg.operation.coordinators.includes(cfg.user.org);
let recsTimer = null;
let recsStale = false;
// Re-asked when RFAs or assets change (at most about once a second); the answer redraws the board.
function refreshRecsSoon() {
  if (!coordinating()) return;
  recsStale = true;
  if (recsTimer) return;
  recsTimer = setTimeout(async () => {
    recsStale = false;
    try {
      const data = await api(`/operations/${OP}/recommendations`);
      recs.clear();
      data.items.forEach((r) => recs.set(r.rfa_id, r));
      renderBoardSoon();
    } catch (err) {
      console.warn("recommendations", err);
    } finally {
      recsTimer = null;
      if (recsStale) refreshRecsSoon();
    }
  }, 800);
}
const WHY = {
  civilian_first: "civilian first",
  no_civilian_in_time: "military last resort: no civilian asset can arrive in time",
  civilians_needed_elsewhere: "military last resort: the civilian assets that can arrive in time are needed for other requests",
};
function recHtml(r) {
  const rec = r.state === "validated" ? recs.get(r.id) : null;
  if (!rec || !myActions(r).includes("task")) return "";
  return `<span class="rec ${rec.military ? "military" : ""}" data-testid="rec-${r.id}">${esc(T("Recommended"))}: <strong>${esc(rec.asset_name)}</strong>
    · ${esc(T("arrives in"))} ${numFmt.format(Math.round(rec.eta_min))} ${esc(T("min"))} · ${esc(T(WHY[rec.why] ?? rec.why))}
    <button type="button" data-rfa="${r.id}" data-action="accept-rec">${esc(T("Accept recommendation"))}</button></span>`;
}

let boardQueued = false;
function renderBoardSoon() {
  if (!boardQueued) {
    boardQueued = true;
    requestAnimationFrame(renderBoard);
  }
}
function renderBoard() {
  boardQueued = false;
  const by = new Map(STATES.map((s) => [s, []]));
  for (const r of state.rfas.values()) by.get(r.state)?.push(r);
  const html = [];
  for (const [s, list] of by) {
    if (!list.length) continue;
    list.sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    html.push(`<section class="column" data-state="${s}"><h3>${esc(T(s))} <span class="n">${numFmt.format(list.length)}</span></h3><ul>`);
    for (const r of list.slice(0, 40)) {
      const buttons = myActions(r).map((a) => `<button type="button" data-rfa="${r.id}" data-action="${a}">${esc(T(a))}</button>`).join("");
      html.push(`<li class="rfa pr-${r.priority}" data-testid="rfa-${r.id}"><strong data-glossed>${esc(r.title)}</strong>
        <span class="meta">${esc(cfg.capabilities[r.capability] ?? r.capability)} × ${r.quantity} · ${esc(T(r.priority))} · ${esc(r.requesting_org)}</span>
        <span class="actions">${buttons}</span>${recHtml(r)}</li>`);
    }
    if (list.length > 40) html.push(`<li class="more">+${numFmt.format(list.length - 40)}</li>`);
    html.push("</ul></section>");
  }
  document.getElementById("panel-rfas").innerHTML = html.join("") || `<p>${esc(T("No records."))}</p>`;
  document.getElementById("count-rfas").textContent = numFmt.format([...state.rfas.values()].filter((r) => OPEN.has(r.state)).length);
  document.getElementById("count-incidents").textContent = numFmt.format(state.incidents.size);
}

let assetsQueued = false;
function renderAssetsSoon() {
  if (!assetsQueued) {
    assetsQueued = true;
    requestAnimationFrame(() => {
      assetsQueued = false;
      const rows = [...state.assets.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(0, 500);
      document.getElementById("asset-list").innerHTML = rows.map((a) => {
        const mine = a.org === cfg.user.org && ["asset_manager", "coordinator", "admin"].includes(cfg.user.role) && ["available", "unavailable"].includes(a.status);
        const status = mine
          ? `<select data-asset="${a.id}" aria-label="${esc(a.name)}">${["available", "unavailable"].map((s) => `<option value="${s}" ${s === a.status ? "selected" : ""}>${esc(T(s))}</option>`).join("")}</select>`
          : esc(T(a.status));
        return `<tr><td>${esc(a.name)}</td><td>${esc(cfg.capabilities[a.capability] ?? a.capability)}</td><td>${esc(a.org)}</td><td>${status}</td></tr>`;
      }).join("");
      document.getElementById("count-assets").textContent = numFmt.format(state.assets.size);
    });
  }
}

document.getElementById("asset-list").addEventListener("change", async (e) => {
  const sel = e.target.closest("select[data-asset]");
  if (!sel) return;
  try {
    showAsset(await api(`/assets/${sel.dataset.asset}`, { method: "PATCH", body: { status: sel.value } }));
  } catch (err) {
    alert(err.message);
  }
});

document.getElementById("panel-rfas").addEventListener("click", async (e) => {
  const btn = e.target.closest("button[data-action]");
  if (!btn) return;
  const { rfa, action } = btn.dataset;
  if (action === "task") return openTask(rfa);
  btn.disabled = true;
  try {
    if (action === "accept-rec") {
      // The ordinary task action; the recommendation's reason is recorded as the justification.
      const rec = recs.get(rfa);
      if (!rec) return renderBoardSoon(); // the recommendation changed meanwhile: show the new one
      recs.delete(rfa);
      showRfa(await api(`/rfas/${rfa}/actions/task`, { method: "POST", body: { asset_id: rec.asset_id, justification: rec.reason, hours: rec.hours } }));
      return;
    }
    showRfa(await api(`/rfas/${rfa}/actions/${action}`, { method: "POST", body: {} }));
  } catch (err) {
    alert(err.message);
  } finally {
    btn.disabled = false;
  }
});

// --- observe: records marked for one observation (kept for this tab while it is open) ----
// "type:id" of each marked log entry, decision, incident or evaluator's observation; the lessons
// page's observation form is opened with them.
const OBSERVE_KEY = `katchi.observe.${OP}`;
function marked() {
  try {
    return JSON.parse(sessionStorage.getItem(OBSERVE_KEY) ?? "[]");
  } catch {
    return [];
  }
}
function observeButton(type, id) {
  if (!cfg.observes || !id) return "";
  const key = `${type}:${id}`;
  return ` <button type="button" class="observe" data-observe="${esc(key)}" aria-pressed="${marked().includes(key)}">${esc(T("Observe"))}</button>`;
}
function showMarked(root = document) {
  const keys = marked();
  root.querySelectorAll("button[data-observe]").forEach((b) => b.setAttribute("aria-pressed", String(keys.includes(b.dataset.observe))));
  const bar = document.getElementById("observe-bar");
  if (!bar) return;
  bar.hidden = !keys.length;
  document.getElementById("observe-count").textContent = numFmt.format(keys.length);
  document.getElementById("observe-go").href = `/lessons?observe=${encodeURIComponent(keys.join(","))}#observe`;
}
function setMarked(keys) {
  if (keys.length) sessionStorage.setItem(OBSERVE_KEY, JSON.stringify(keys));
  else sessionStorage.removeItem(OBSERVE_KEY);
  showMarked();
}
function toggleMarked(e) {
  const btn = e.target.closest("button[data-observe]");
  if (!btn) return;
  const keys = marked();
  const key = btn.dataset.observe;
  setMarked(keys.includes(key) ? keys.filter((k) => k !== key) : [...keys, key]);
}
document.addEventListener("click", toggleMarked);
document.getElementById("observe-clear")?.addEventListener("click", () => setMarked([]));
// The form takes them over (its link carries them): the next observation starts afresh.
document.getElementById("observe-go")?.addEventListener("click", () => sessionStorage.removeItem(OBSERVE_KEY));
map.on("popupopen", (e) => {
  const el = e.popup.getElement();
  showMarked(el);
  // Leaflet keeps a popup's clicks from the page: the popup listens itself.
  if (!el.dataset.observing) {
    el.dataset.observing = "true";
    el.addEventListener("click", toggleMarked);
    el.addEventListener("submit", (ev) => {
      const form = ev.target.closest("form[data-facility]");
      if (!form) return;
      ev.preventDefault();
      submitFacility(form);
    });
  }
});
showMarked();

// --- feeds -------------------------------------------------------------------------------
function feedItem(list, html) {
  const li = document.createElement("li");
  li.innerHTML = html;
  const el = document.getElementById(list);
  el.prepend(li);
  while (el.children.length > 300) el.lastChild.remove();
}
const when = (iso) => `<time datetime="${esc(iso)}">${esc(dateFmt.format(new Date(iso)))}</time>`;
function showLog(e) {
  feedItem("log-list", `${when(e.created_at ?? e.occurred_at)} <span class="who">${esc(e.author ?? e.actor_label)}</span> <span class="label">${esc(e.label)}</span>${observeButton("log", e.id)}<p data-glossed>${esc(e.text)}</p>`);
}
function showMessage(m) {
  const to = m.to_orgs?.length ? ` → ${esc(m.to_orgs.join(", "))}` : "";
  feedItem("message-list", `${when(m.created_at ?? m.occurred_at)} <span class="who">${esc(m.author ?? m.actor_label)}${to}</span><p data-glossed>${esc(m.text)}</p>`);
}
function showDecision(d) {
  feedItem("decision-list", `${when(d.created_at ?? d.occurred_at)} <strong data-glossed>${esc(d.title)}</strong>${observeButton("decision", d.id)}<p data-glossed>${esc(d.rationale)}</p>`);
}

// An inject reached the players (exercises.inject.delivered): it joins the ops log feed.
function showInject(e) {
  const p = e.payload;
  const to = p.to ? ` → ${esc(p.to)}` : "";
  feedItem("log-list", `${when(e.occurred_at)} <span class="who inject">${esc(T("INJECT"))} ${numFmt.format(p.number)}${to}</span> <span class="label">${esc(e.label)}</span><p>${esc(p.title)}</p>`);
}

// --- contacts: the operation's liaison officers --------------------------------------------
// Contributors keep their own organisation's contacts; the operation's coordinators anyone's.
const mayWriteContact = (c) =>
  !cfg.replay && cfg.participant && CONTRIBUTING.has(cfg.user.role) && (c.organisation === cfg.user.org || coordinating());
function contactRow(c) {
  const tel = c.phone ? `<a href="tel:${esc(c.phone.replace(/[^0-9+]/g, ""))}">${esc(c.phone)}</a>` : "—";
  const email = c.email ? `<br><a href="mailto:${esc(c.email)}">${esc(c.email)}</a>` : "";
  const notes = c.notes ? `<br><small>${esc(c.notes)}</small>` : "";
  const remove = mayWriteContact(c) ? `<button type="button" data-contact="${esc(c.id)}">${esc(T("Remove"))}</button>` : "";
  return `<tr data-testid="contact-${esc(c.id)}"><td>${esc(c.name)}${email}${notes}</td><td>${esc(c.role)}</td><td>${esc(c.organisation)}</td>` +
    `<td>${tel}</td><td>${esc(c.radio_call_sign || "—")}</td><td>${esc(c.languages.join(", "))}</td><td>${remove}</td></tr>`;
}
async function loadContacts() {
  const list = document.getElementById("contact-list");
  if (!list) return;
  const contacts = await all(`/operations/${OP}/contacts`);
  list.innerHTML = contacts.map(contactRow).join("") || `<tr><td colspan="7">${esc(T("No records."))}</td></tr>`;
}
let contactsTimer = null;
function loadContactsSoon() {
  clearTimeout(contactsTimer);
  contactsTimer = setTimeout(() => loadContacts().catch(() => {}), 200);
}
document.getElementById("contact-list")?.addEventListener("click", async (e) => {
  const btn = e.target.closest("button[data-contact]");
  if (!btn || !confirm(T("Remove this contact from the directory?"))) return;
  btn.disabled = true;
  try {
    await api(`/contacts/${btn.dataset.contact}`, { method: "DELETE" });
    await loadContacts();
  } catch (err) {
    alert(err.message);
    btn.disabled = false;
  }
});
if (document.getElementById("form-contact"))
  onSubmit("form-contact", async (d) => {
    await api(`/operations/${OP}/contacts`, { method: "POST", body: { name: d.name, role: d.role, organisation: d.organisation, phone: d.phone,
      radio_call_sign: d.radio_call_sign, email: d.email, notes: d.notes, label: d.label,
      languages: (d.languages || "").split(/[,，、\s]+/).map((l) => l.trim()).filter(Boolean) } });
    await loadContacts();
  });

// --- the MSEL (the exercise's controllers) -----------------------------------------------
const tPlus = (iso) => {
  const start = new Date(cfg.operation.start).getTime();
  const h = (new Date(iso).getTime() - start) / 3600000;
  return Number.isFinite(h) ? `T+${numFmt.format(Math.round(h * 100) / 100)}h` : dateFmt.format(new Date(iso));
};
async function loadMsel() {
  if (!cfg.msel) return;
  const list = (await api(`/operations/${OP}/exercise/injects`)).items;
  document.getElementById("msel-list").innerHTML = list.map((i) => {
    const act = !cfg.msel_controls ? null : i.status === "pending" ? "hold" : i.status === "held" ? "release" : null;
    const button = act ? `<button type="button" data-inject="${esc(i.id)}" data-inject-action="${act}">${esc(T(act === "hold" ? "Hold" : "Release"))}</button>` : "";
    return `<tr data-status="${esc(i.status)}"><td>${numFmt.format(i.number)}</td><td><time datetime="${esc(i.at)}">${esc(tPlus(i.at))}</time></td>` +
      `<td>${esc(i.title)}${i.expected_action ? `<br><small>${esc(T("Expected"))}: ${esc(i.expected_action)}</small>` : ""}</td>` +
      `<td>${esc(i.to ?? "—")}</td><td>${esc(T(i.status))}</td><td>${button}</td></tr>`;
  }).join("");
}
document.getElementById("msel-list")?.addEventListener("click", async (e) => {
  const btn = e.target.closest("button[data-inject]");
  if (!btn) return;
  btn.disabled = true;
  try {
    await api(`/operations/${OP}/exercise/injects/${btn.dataset.inject}/actions/${btn.dataset.injectAction}`, { method: "POST", body: {} });
    await loadMsel();
  } catch (err) {
    alert(err.message);
    btn.disabled = false;
  }
});
if (cfg.msel) setInterval(() => loadMsel().catch(() => {}), 5000); // other controllers' changes

// --- lending real assets to an exercise (their owners) ---------------------------------
async function loadLendable() {
  const select = document.getElementById("lend-asset");
  if (!select) return;
  const mine = await all(`/assets?org=${encodeURIComponent(cfg.user.org)}`);
  const lent = new Set([...state.assets.values()].map((a) => a.twin_of).filter(Boolean));
  select.innerHTML = `<option value="">${esc(T("Choose an asset"))}</option>` +
    mine.filter((a) => !lent.has(a.id)).map((a) => `<option value="${esc(a.id)}">${esc(a.name)} · ${esc(cfg.capabilities[a.capability] ?? a.capability)}</option>`).join("");
}
if (document.getElementById("form-lend"))
  onSubmit("form-lend", async (d) => {
    showAsset(await api(`/operations/${OP}/assets/lend`, { method: "POST", body: { asset_id: d.asset_id } }));
    await loadLendable();
  });

// --- evaluation: observations against the exercise's objectives --------------------------
const objectives = new Map();
function showObservation(o) {
  const kind = o.kind === "strength" ? T("Strength") : T("Area for improvement");
  const objective = objectives.get(o.objective);
  const title = objective ? (cfg.lang === "ko" && objective.title_ko) || objective.title || objective.metric : o.objective;
  feedItem("observation-list", `${when(o.at)} <span class="who">${esc(o.author)}</span> <span class="label">${esc(o.label)}</span>` +
    `<p><strong>${esc(o.objective)} · ${esc(title)}</strong> — ${esc(kind)}${observeButton("exercise_observation", o.id)}</p><p data-glossed>${esc(o.text)}</p>`);
}
async function loadImprovements() {
  const rows = (await api(`/operations/${OP}/improvements`)).items;
  document.getElementById("improvement-list").innerHTML = rows.map((i) =>
    `<tr><td>${i.objective ? `<small>${esc(i.objective)}</small> ` : ""}${esc(i.issue)}</td><td>${esc(i.corrective_action)}</td><td>${esc(i.responsible_org)}</td><td>${esc(i.due)}</td></tr>`).join("");
}
async function loadEvaluation() {
  if (cfg.operation.mode !== "exercise") return;
  const [objs, obs] = await Promise.all([api(`/operations/${OP}/exercise/objectives`), api(`/operations/${OP}/observations`)]);
  objs.items.forEach((o) => objectives.set(o.id, o));
  const options = objs.items.map((o) => `<option value="${esc(o.id)}">${esc(o.id)} · ${esc((cfg.lang === "ko" && o.title_ko) || o.title || o.metric)}</option>`).join("");
  const select = document.getElementById("observation-objective");
  if (select) select.innerHTML = options;
  const forPlan = document.getElementById("improvement-objective");
  if (forPlan) forPlan.innerHTML = `<option value="">—</option>${options}`;
  obs.items.forEach(showObservation);
  await loadImprovements();
}
if (document.getElementById("form-improvement"))
  onSubmit("form-improvement", async (d) => {
    await api(`/operations/${OP}/improvements`, { method: "POST", body: { issue: d.issue, corrective_action: d.corrective_action, responsible_org: d.responsible_org, due: d.due, objective: d.objective || null, label: d.label } });
    await loadImprovements();
  });
if (document.getElementById("form-observation"))
  onSubmit("form-observation", async (d) => {
    await api(`/operations/${OP}/observations`, { method: "POST", body: { objective: d.objective, kind: d.kind, text: d.text, label: d.label } });
  });

// --- exercise clock ----------------------------------------------------------------------
let clock = null;
function showClock() {
  const el = document.getElementById("exercise-clock");
  if (!el || !clock) return;
  const sim = new Date(clock.sim_time).getTime();
  const elapsed = clock.state === "running" ? (Date.now() - new Date(clock.wall_time).getTime()) * clock.speed : 0;
  el.textContent = dateFmt.format(new Date(sim + elapsed));
  document.getElementById("clock-state").textContent = `${T(clock.state)} · ×${numFmt.format(clock.speed)}`;
}
setInterval(showClock, 1000);

// --- live stream -------------------------------------------------------------------------
function apply(ev) {
  document.dispatchEvent(new CustomEvent("katchi:event", { detail: ev })); // for the page's other modules
  const p = ev.payload;
  const id = ev.subject.id;
  switch (ev.kind) {
    case "cop.incident.reported":
      showIncident({ id, ...p, status: "open", label: ev.label });
      if (state.arrivals.size < 10000) state.arrivals.set(id, performance.timeOrigin + performance.now());
      return;
    case "cop.incident.updated":
    case "cop.incident.released": {
      const i = state.incidents.get(id);
      if (i) showIncident({ ...i, ...p, label: p.label ?? ev.label });
      return;
    }
    case "cop.facility.added":
      return showFacility({ id, needs: [], ...p, label: ev.label, updated_at: ev.occurred_at });
    case "cop.facility.updated": {
      const f = state.facilities.get(id);
      if (f) showFacility({ ...f, ...p, updated_at: ev.occurred_at });
      return;
    }
    case "tasking.rfa.created":
      return showRfa({ id, ...p, label: ev.label, created_at: ev.occurred_at, tasking: null });
    case "operations.log.posted":
      return showLog({ ...p, id, occurred_at: ev.occurred_at, actor_label: ev.actor, label: ev.label });
    case "operations.message.posted":
      return showMessage({ ...p, occurred_at: ev.occurred_at, actor_label: ev.actor });
    case "operations.decision.recorded":
      return showDecision({ ...p, id, occurred_at: ev.occurred_at });
    case "operations.contact.added":
    case "operations.contact.updated":
    case "operations.contact.removed":
      return loadContactsSoon(); // the log carries no phone or email: the directory is read again
    case "exercises.clock.changed":
      clock = p;
      return showClock();
    case "exercises.inject.delivered":
      showInject(ev);
      return loadMsel();
    case "exercises.inject.added":
    case "exercises.inject.changed":
      return loadMsel();
    case "exercises.observation.recorded":
      return showObservation({ ...p, id, at: ev.occurred_at, author: ev.actor, label: ev.label });
    case "assets.asset.registered": // merged: the API's answer (with twin_of) may have come first
      return showAsset({ ...state.assets.get(id), id, ...p, label: ev.label });
    case "assets.asset.updated": {
      const a = state.assets.get(id);
      if (a) showAsset({ ...a, ...p });
      return;
    }
    default:
      if (ev.kind.startsWith("tasking.rfa.") && p.to_state) {
        const r = state.rfas.get(id);
        if (r) {
          const tasking = p.asset_id ? { ...r.tasking, id: p.tasking_id, asset_id: p.asset_id, status: p.tasking_status } : r.tasking;
          showRfa({ ...r, state: p.to_state, tasking, label: ev.label === r.label ? r.label : r.label });
        }
        if (p.asset_id && p.asset_status && state.assets.has(p.asset_id)) showAsset({ ...state.assets.get(p.asset_id), status: p.asset_status });
      }
  }
}

function connect() {
  const live = document.getElementById("live-state");
  const source = new EventSource(`/api/v1/operations/${OP}/stream?assets=true&after=${cfg.after}`);
  let opened = false;
  source.onopen = async () => {
    live.textContent = T("Live");
    live.className = "ok";
    if (opened) (await all(`/operations/${OP}/assets`)).forEach(showAsset); // asset moves are not replayed
    opened = true;
  };
  source.onerror = async () => {
    live.textContent = T("Reconnecting…");
    live.className = "warn";
    if (source.readyState !== EventSource.CLOSED) return; // a network blip: the browser retries
    // The server refused to reconnect: a 401 means the session ended; anything else, try again.
    const me = await fetch("/api/v1/me", { credentials: "same-origin" }).catch(() => null);
    if (me?.status === 401) toLogin();
    else setTimeout(connect, 3000);
  };
  const handler = (msg) => {
    cfg.after = Number(msg.lastEventId) || cfg.after;
    apply(JSON.parse(msg.data));
  };
  for (const kind of cfg.kinds) source.addEventListener(kind, handler);
}

// --- forms -------------------------------------------------------------------------------
function clearErrors(form) {
  form.querySelectorAll(".field-error, .form-error").forEach((p) => (p.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}
function showErrors(form, err) {
  const problem = err.problem ?? {};
  let placed = false;
  for (const e of problem.errors ?? []) {
    const field = [...(e.loc ?? [])].reverse().find((l) => typeof l === "string" && form.querySelector(`[data-error-for="${l}"]`));
    if (field) {
      form.querySelector(`[data-error-for="${field}"]`).textContent = e.msg;
      form.querySelector(`[name="${field}"]`)?.setAttribute("aria-invalid", "true");
      placed = true;
    }
  }
  if (!placed) form.querySelector(".form-error, .field-error").textContent = problem.detail ?? T("Something went wrong; nothing was lost. Try again.");
}
function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}
function point(data) {
  if (!data.lon || !data.lat) return null;
  return { type: "Point", coordinates: [Number(data.lon), Number(data.lat)] };
}

let placing = null; // the dialog waiting for a map click
map.on("click", (e) => {
  if (!placing) return;
  const form = placing.querySelector("form");
  form.lon.value = e.latlng.lng.toFixed(6);
  form.lat.value = e.latlng.lat.toFixed(6);
  placing.querySelector(".hint").textContent = `${e.latlng.lat.toFixed(4)}, ${e.latlng.lng.toFixed(4)}`;
  placing.showModal();
  placing = null;
});
function openPlaced(id) {
  const dlg = document.getElementById(id);
  const form = dlg.querySelector("form");
  if (form.lon.value) return dlg.showModal();
  placing = dlg;
  document.getElementById("live-state").textContent = T("Click the map to place the incident.");
  map.getContainer().focus();
}
document.getElementById("btn-report").addEventListener("click", () => openPlaced("dlg-incident"));
document.getElementById("btn-rfa").addEventListener("click", () => openPlaced("dlg-rfa"));
document.querySelectorAll("dialog [data-close]").forEach((b) => b.addEventListener("click", () => b.closest("dialog").close()));

function onSubmit(formId, send) {
  const form = document.getElementById(formId);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      await send(formData(form), form);
      form.reset();
      form.closest("dialog")?.close();
    } catch (err) {
      showErrors(form, err); // the form keeps what was typed
    }
  });
}
const IMPACT = ["dead", "injured", "missing", "trapped", "displaced", "in_need"];
// The human-impact figures given (an empty field is "not known", not zero).
const impact = (d) => Object.fromEntries(IMPACT.filter((k) => d[k] !== undefined && d[k] !== "").map((k) => [k, Number(d[k])]));
onSubmit("form-incident", async (d) =>
  showIncident(await api(`/operations/${OP}/incidents`, { method: "POST", body: { kind: d.kind, title: d.title, severity: d.severity, people_affected: Number(d.people_affected || 0), ...impact(d), description: d.description, label: d.label, location: point(d) } })),
);
onSubmit("form-rfa", async (d) =>
  showRfa(await api(`/operations/${OP}/rfas`, { method: "POST", body: { title: d.title, capability: d.capability, quantity: Number(d.quantity || 1), priority: d.priority, description: d.description, label: d.label, location: point(d), submit: true,
    task_codes: (d.task_codes || "").split(",").map((c) => c.trim().toLowerCase()).filter(Boolean) } })),
);
onSubmit("form-log", async (d) => showLog(await api(`/operations/${OP}/log`, { method: "POST", body: { text: d.text, label: d.label } })));
onSubmit("form-message", async (d, form) => {
  const to = [...form.elements.to_orgs.selectedOptions].map((o) => o.value);
  showMessage(await api(`/operations/${OP}/messages`, { method: "POST", body: { text: d.text, to_orgs: to } }));
});
if (cfg.msel_controls)
  onSubmit("form-inject", async (d) => {
    await api(`/operations/${OP}/exercise/injects`, { method: "POST", body: { title: d.title, kind: d.kind || "adhoc", at: d.at || null, to: d.to || null, expected_action: d.expected_action, label: d.label } });
    await loadMsel();
  });
onSubmit("form-decision", async (d) => showDecision(await api(`/operations/${OP}/decisions`, { method: "POST", body: { title: d.title, rationale: d.rationale, links: [] } })));

// The exercise's coordinators and controllers drive its clock; the running exercise obeys within a
// second and every console then shows the new clock (exercises.clock.changed).
document.getElementById("form-clock")?.addEventListener("click", async (e) => {
  const btn = e.target.closest("button[data-clock]");
  if (!btn) return;
  const form = btn.form;
  const action = btn.dataset.clock;
  const error = form.querySelector(".form-error");
  error.textContent = "";
  const body = { action };
  if (action === "speed") body.value = Number(form.elements.speed.value);
  if (action === "jump") body.value = form.elements.jump.value.trim();
  try {
    await api(`/operations/${OP}/exercise/clock`, { method: "POST", body });
  } catch (err) {
    error.textContent = err.message;
  }
});

let taskingRfa = null;
let taskingRec = null; // the recommendation the task dialog opened with
function openTask(rfaId) {
  const r = state.rfas.get(rfaId);
  taskingRfa = rfaId;
  const form = document.getElementById("form-task");
  clearErrors(form);
  document.getElementById("task-alternatives").hidden = true;
  document.getElementById("task-rfa").textContent = `${r.title} · ${cfg.capabilities[r.capability] ?? r.capability}`;
  const rec = recs.get(rfaId);
  const options = [...state.assets.values()].filter((a) => a.capability === r.capability && ["available", "requested"].includes(a.status));
  options.sort((a, b) => (b.id === rec?.asset_id) - (a.id === rec?.asset_id)); // the recommended one first
  document.getElementById("task-asset").innerHTML = `<option value="">${esc(T("Choose an asset"))}</option>` +
    options.map((a) => `<option value="${a.id}" ${a.id === rec?.asset_id ? "selected" : ""}>${esc(a.name)} · ${esc(a.org)} (${esc(a.org_kind)})${a.status === "requested" ? ` · ${esc(T("requested"))}` : ""}${
      a.id === rec?.asset_id ? ` · ${esc(T("Recommended"))}, ${esc(T("arrives in"))} ${numFmt.format(Math.round(rec.eta_min))} ${esc(T("min"))}` : ""}</option>`).join("");
  taskingRec = rec ?? null;
  document.querySelector("#form-task [name=justification]").value = rec ? rec.reason : "";
  showCaveats();
  document.getElementById("dlg-task").showModal();
}
// The owner's national caveats bind the tasking: show them before the coordinator asks.
function caveatText(c) {
  if (!c) return "";
  const parts = [];
  if (c.area) parts.push(T("only inside its permitted area"));
  if (c.max_hours) parts.push(`${T("at most this many hours")}: ${numFmt.format(c.max_hours)}`);
  if (c.excluded_tasks?.length) parts.push(`${T("not for")}: ${c.excluded_tasks.join(", ")}`);
  if (c.national_approval) parts.push(T("needs its nation's approval"));
  return parts.length ? `${T("Caveats")}: ${parts.join(" · ")}` : "";
}
function showCaveats() {
  const asset = state.assets.get(document.getElementById("task-asset").value);
  document.getElementById("task-caveats").textContent = caveatText(asset?.caveats);
}
document.getElementById("task-asset").addEventListener("change", () => {
  showCaveats();
  // The recommendation's reason justifies its own asset only: another choice needs its own words.
  const box = document.querySelector("#form-task [name=justification]");
  const picked = document.getElementById("task-asset").value;
  if (taskingRec) box.value = picked === taskingRec.asset_id ? taskingRec.reason : box.value === taskingRec.reason ? "" : box.value;
});
onSubmit("form-task", async (d, form) => {
  try {
    showRfa(await api(`/rfas/${taskingRfa}/actions/task`, { method: "POST", body: { asset_id: d.asset_id || null, justification: d.justification, hours: d.hours ? Number(d.hours) : null } }));
  } catch (err) {
    const alt = err.problem?.alternatives;
    if (alt?.length) {
      const box = document.getElementById("task-alternatives");
      box.hidden = false;
      box.innerHTML = `<p>${esc(T("Last resort: civilian alternatives are available. Give a justification."))}</p><ul>${alt.map((a) => `<li>${esc(a.name)} · ${esc(a.org)}</li>`).join("")}</ul>`;
    }
    throw err;
  }
});

// --- tabs (arrow keys move between them) ---------------------------------------------------
const tabs = [...document.querySelectorAll('[role="tab"]')];
function select(tab) {
  tabs.forEach((t) => {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  });
  tab.focus();
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => select(t));
  t.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight") select(tabs[(i + 1) % tabs.length]);
    if (e.key === "ArrowLeft") select(tabs[(i - 1 + tabs.length) % tabs.length]);
  });
});

// Many records at once (the first load, a replay): markers are added to the clusters in bulk.
function showPicture({ incidents, facilities, rfas, assets }) {
  assets.forEach(showAsset);
  facilities.forEach(showFacility);
  const incidentMarkers = [];
  for (const i of incidents) {
    state.incidents.set(i.id, i);
    const where = latlng(i.location);
    if (!where) continue;
    const m = L.marker(where, { icon: icon("incident", `sev-${i.severity} ${i.status === "closed" ? "closed" : ""}`, SEV[i.severity] ?? "?", `${T(i.severity)}: ${i.title}`), title: i.title, keyboard: true });
    m.bindPopup(() => `<strong data-glossed>${esc(i.title)}</strong><br>${esc(T(i.severity))} · ${esc(T(i.status))}${observeButton("incident", i.id)}`);
    state.markers.set(`incidents:${i.id}`, m);
    incidentMarkers.push(m);
  }
  layers.incidents.addLayers(incidentMarkers);
  if (incidentMarkers.length && !state.fitted) {
    state.fitted = true;
    const bounds = layers.incidents.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.1), { maxZoom: 12 }); // open on where things happen
  }
  rfas.forEach((r) => state.rfas.set(r.id, r));
  const rfaMarkers = [];
  for (const r of rfas) {
    const where = OPEN.has(r.state) ? latlng(r.location) : null;
    if (!where) continue;
    const m = L.marker(where, { icon: icon("rfa", `pr-${r.priority}`, "◆", `${r.title} (${T(r.state)})`), title: r.title, keyboard: true });
    state.markers.set(`rfas:${r.id}`, m);
    rfaMarkers.push(m);
  }
  layers.rfas.addLayers(rfaMarkers);
  renderBoard();
}

// --- replay: the picture at a past moment, rebuilt from the log ---------------------------
function clearPicture() {
  Object.values(layers).forEach((l) => l.clearLayers());
  ["markers", "incidents", "rfas", "assets", "facilities"].forEach((k) => state[k].clear());
}
async function showReplay(at) {
  const picture = await api(`/operations/${OP}/replay?at=${encodeURIComponent(at)}`);
  clearPicture();
  showPicture(picture);
  document.getElementById("replay-at").textContent = `${tPlus(picture.at)} · ${dateFmt.format(new Date(picture.at))}`;
  document.getElementById("count-assets").textContent = numFmt.format(state.assets.size);
  document.body.dataset.replayAt = picture.at;
}
function startReplay() {
  const slider = document.getElementById("replay-slider");
  slider.form.addEventListener("submit", (e) => e.preventDefault());
  const start = new Date(cfg.operation.start).getTime();
  const minutes = (iso) => Math.max(0, Math.round((new Date(iso).getTime() - start) / 60000));
  slider.max = String(Math.max(1, minutes(cfg.replay.end)));
  slider.step = "15";
  const go = async (at) => {
    await showReplay(at);
    slider.value = String(minutes(document.body.dataset.replayAt));
    history.replaceState(null, "", `?at=${encodeURIComponent(at)}`);
  };
  slider.addEventListener("input", () => (document.getElementById("replay-at").textContent = `T+${numFmt.format(Math.round((Number(slider.value) / 60) * 100) / 100)}h`));
  slider.addEventListener("change", () => go(`T+${slider.value}m`).catch((err) => alert(err.message)));
  return go(cfg.replay.at);
}

// What the page's other modules (the situation board, situation reports) use.
state.ui = { cfg, T, api, all, esc, onSubmit, map, dateFmt, numFmt, clock: () => clock };

// --- start -------------------------------------------------------------------------------
async function load() {
  if (cfg.replay) {
    document.getElementById("live-state").textContent = T("Replay: the picture as it was, rebuilt from the log");
    await startReplay();
    document.body.dataset.loaded = "true";
    return;
  }
  const t0 = performance.now();
  const [incidents, facilities, rfas, assets, log, messages, decisions, injects] = await Promise.all([
    all(`/operations/${OP}/incidents`),
    all(`/operations/${OP}/facilities`),
    all(`/operations/${OP}/rfas`),
    all(`/operations/${OP}/assets`),
    api(`/operations/${OP}/log?limit=100`),
    api(`/operations/${OP}/messages?limit=100`),
    api(`/operations/${OP}/decisions?limit=100`),
    cfg.operation.mode === "exercise" ? all(`/operations/${OP}/timeline?kind=exercises.inject.delivered`) : [],
  ]);
  showPicture({ incidents, facilities, rfas, assets });
  // The ops log and the injects delivered so far, oldest first, so the newest lands on top.
  const feed = [...log.items.map((e) => [e.created_at, () => showLog(e)]), ...injects.map((e) => [e.occurred_at, () => showInject(e)])];
  feed.sort((a, b) => new Date(a[0]) - new Date(b[0])).forEach(([, show]) => show());
  loadMsel().catch(() => {});
  loadEvaluation().catch(() => {});
  loadLendable().catch(() => {});
  loadContacts().catch(() => {});
  [...messages.items].reverse().forEach(showMessage);
  [...decisions.items].reverse().forEach(showDecision);
  if (cfg.clock) {
    clock = cfg.clock;
    showClock();
  }
  state.loadedMs = performance.now() - t0;
  document.body.dataset.loaded = "true";
  connect();
}
load().catch((err) => {
  document.getElementById("live-state").textContent = `${T("Something went wrong; nothing was lost. Try again.")} (${err.message})`;
});
