// The situation by municipality (시·군·구): a sortable board, the totals in the page header, and a
// choropleth on the map; refreshed from the API when the live stream brings incidents or requests.
const { cfg, T, api, esc, map, numFmt } = window.katchi.ui;
const OP = cfg.operation.id;
const FIGURES = ["dead", "injured", "missing", "trapped", "displaced", "in_need", "incidents", "open_rfas"];
const NAMES = { dead: "Dead", injured: "Injured", missing: "Missing", trapped: "Trapped", displaced: "Displaced", in_need: "In need" };
const HEADER = ["dead", "injured", "missing", "trapped", "displaced", "in_need"];
// ColorBrewer YlOrRd, five classes: darker is worse.
const PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
const board = { items: [], totals: null, sort: { key: "casualties", dir: -1 }, byCode: new Map() };
window.katchi.situation = board; // for tests

const casualties = (r) => r.dead + r.injured + r.missing + r.trapped;
const metric = () => document.getElementById("situation-metric").value;
const valueOf = (r, key) => (key === "casualties" ? casualties(r) : r[key]);
const nameOf = (r) => (r.name ? r.name[cfg.lang === "ko" ? "ko" : "en"] : T("Outside Korea's municipalities"));

function sorted() {
  const { key, dir } = board.sort;
  const cmp = key === "name" ? (a, b) => nameOf(a).localeCompare(nameOf(b), cfg.lang) : (a, b) => valueOf(a, key) - valueOf(b, key);
  return [...board.items].sort((a, b) => dir * cmp(a, b) || nameOf(a).localeCompare(nameOf(b), cfg.lang));
}

function renderTable() {
  const cells = (r) => FIGURES.map((f) => `<td class="n">${numFmt.format(r[f])}</td>`).join("");
  document.getElementById("situation-rows").innerHTML = sorted()
    .map((r) => `<tr data-code="${esc(r.code ?? "")}"><th scope="row">${esc(nameOf(r))}</th>${cells(r)}</tr>`)
    .join("");
  const t = board.totals;
  document.getElementById("situation-foot").innerHTML = t ? `<tr><th scope="row">${esc(T("Total"))}</th>${cells(t)}</tr>` : "";
  document.querySelectorAll("#situation-table th[aria-sort]").forEach((th) => {
    const key = th.querySelector("button").dataset.sort;
    th.setAttribute("aria-sort", key === board.sort.key ? (board.sort.dir < 0 ? "descending" : "ascending") : "none");
  });
}

function renderTotals() {
  const el = document.getElementById("situation-totals");
  const t = board.totals;
  if (!el || !t) return;
  el.textContent = HEADER.map((k) => `${T(NAMES[k])} ${numFmt.format(t[k])}`).join(" · ");
}

// --- choropleth ------------------------------------------------------------------------------
let shapes = null;
let choropleth = null;
function classes(max) {
  // Five equal steps of the largest value (at least 1 each): a legend a watch officer reads at a glance.
  const step = Math.max(1, Math.ceil(max / PALETTE.length));
  return PALETTE.map((colour, i) => ({ colour, from: i * step + 1, to: (i + 1) * step }));
}
function renderChoropleth() {
  if (!choropleth) return;
  const key = metric();
  const max = Math.max(0, ...board.items.filter((r) => r.code).map((r) => valueOf(r, key)));
  const steps = classes(max);
  const colour = (v) => (v > 0 ? steps.find((s) => v <= s.to)?.colour ?? PALETTE.at(-1) : null);
  choropleth.setStyle((f) => {
    const row = board.byCode.get(f.properties.code);
    const fill = row ? colour(valueOf(row, key)) : null;
    return { color: "#7a5c3a", weight: 0.5, fill: Boolean(fill), fillColor: fill ?? "#000", fillOpacity: 0.65 };
  });
  choropleth.eachLayer((layer) => {
    const p = layer.feature.properties;
    const row = board.byCode.get(p.code);
    const name = cfg.lang === "ko" ? p.name_ko : p.name_en;
    layer.setTooltipContent(`<strong>${esc(name)}</strong>${row ? `<br>${esc(T(NAMES[key] ?? (key === "casualties" ? "Casualties" : "Open requests")))} ${numFmt.format(valueOf(row, key))}` : ""}`);
  });
  document.getElementById("situation-legend").innerHTML =
    max > 0 ? steps.filter((s) => s.from <= max).map((s, i) => `<span class="swatch swatch-${i}"></span> ${numFmt.format(s.from)}–${numFmt.format(s.to)}`).join(" ") : esc(T("Nothing reported yet"));
}
async function showChoropleth(on) {
  if (on && !shapes) shapes = await (await fetch(cfg.basemap_detail)).json();
  if (on && !choropleth) {
    choropleth = L.geoJSON(shapes, { onEachFeature: (_f, layer) => layer.bindTooltip("", { sticky: true }) });
    window.katchi.choropleth = choropleth;
  }
  if (on) {
    choropleth.addTo(map);
    choropleth.bringToBack();
    renderChoropleth();
  } else if (choropleth) map.removeLayer(choropleth);
}

// --- data ------------------------------------------------------------------------------------
async function refresh() {
  const data = await api(`/operations/${OP}/situation`);
  board.items = data.items;
  board.totals = data.totals;
  board.byCode = new Map(data.items.filter((r) => r.code).map((r) => [r.code, r]));
  renderTable();
  renderTotals();
  renderChoropleth();
  document.getElementById("situation-table").dataset.loaded = "true";
}
let pending = null;
function refreshSoon() {
  // A burst of reports (an exercise's first hour) costs one request, not one per event.
  clearTimeout(pending);
  pending = setTimeout(() => refresh().catch(() => {}), 1000);
}

// A replay shows the picture as it was; the board is live only (its panel is not on the page).
if (document.getElementById("situation-table")) {
  document.querySelectorAll("#situation-table [data-sort]").forEach((btn) =>
    btn.addEventListener("click", () => {
      const key = btn.dataset.sort;
      board.sort = { key, dir: board.sort.key === key ? -board.sort.dir : key === "name" ? 1 : -1 };
      renderTable();
    }),
  );
  document.getElementById("situation-metric").addEventListener("change", renderChoropleth);
  document.getElementById("layer-situation").addEventListener("change", (e) => showChoropleth(e.target.checked).catch(() => {}));
  document.addEventListener("katchi:event", (e) => {
    const kind = e.detail.kind;
    if (kind.startsWith("cop.incident.") || kind.startsWith("tasking.rfa.")) refreshSoon();
  });
  refresh().catch(() => {});
}
