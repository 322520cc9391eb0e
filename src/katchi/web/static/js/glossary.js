// Glossary terms in console texts: inside elements marked data-glossed, a term ("CMOC", "대피소",
// "shelter") gets a dotted underline and a tooltip with its name in the other language and its
// definition in the page's. The texts are records' own words: they are split into DOM text nodes
// and spans, never parsed as HTML. The glossary is fetched once (the browser keeps it), only when
// a page has something to mark; texts added later (live feeds, a redrawn board) are marked as they
// arrive, a frame at a time.
const lang = document.documentElement.lang === "en" ? "en" : "ko";
const HANGUL = /[\uac00-\ud7a3]/;
const WORD = "[\\p{L}\\p{N}]";
const WORD_START = /(?<![\p{L}\p{N}])[\p{L}\p{N}]/gu;
// Korean particles follow nouns ("대피소를"): a Korean term matches at a word's start, whatever
// follows. A name of one or two syllables ("진도", "응원") is also part of everyday words ("진도가
// 느리다"), so it matches only as a word of its own.
const SKIP = "textarea, input, select, option, button, script, style, .gloss";
const version = new URL(import.meta.url).searchParams.get("v") ?? "";

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const key = (s) => s.slice(0, 2).toLowerCase();

let matcher = null; // the forms by their first two letters, longest first
let loading = null;
const pending = new Set();

// One sticky pattern per form, tried only at word starts whose first two letters are the form's:
// a text is scanned once, however many terms there are.
function build(items) {
  const forms = items.flatMap((t) => t.forms.map((f) => ({ ...f, term: t })));
  forms.sort((a, b) => b.text.length - a.text.length); // longest first: "Shelter cluster" before "shelter"
  const byStart = new Map();
  for (const { text, exact, term } of forms) {
    const korean = HANGUL.test(text);
    const body = text.split(/\s+/).map(escapeRe).join(korean ? "\\s*" : "\\s+");
    const short = korean && [...text.replace(/\s/g, "")].length <= 2;
    const tail = korean ? (short ? `(?!${WORD})` : "") : `(?:e?s)?(?!${WORD})`; // whole Latin words, plurals too
    const re = new RegExp(body + tail, exact || korean ? "uy" : "iuy");
    if (!byStart.has(key(text))) byStart.set(key(text), []);
    byStart.get(key(text)).push({ re, term });
  }
  return byStart;
}

function* matches(text) {
  WORD_START.lastIndex = 0;
  for (let w = WORD_START.exec(text); w; w = WORD_START.exec(text)) {
    for (const { re, term } of matcher.get(key(text.slice(w.index, w.index + 2))) ?? []) {
      re.lastIndex = w.index;
      const m = re.exec(text);
      if (m) {
        yield { index: w.index, text: m[0], term };
        WORD_START.lastIndex = w.index + m[0].length;
        break;
      }
    }
  }
}

function tip(term, matched) {
  const korean = HANGUL.test(matched);
  const names = korean ? [term.term.en, term.term.ko] : [term.term.ko, term.term.en];
  const abbr = term.abbr && !names.includes(term.abbr) ? ` (${term.abbr})` : "";
  return `${names[0]} · ${names[1]}${abbr}\n${term.definition[lang] || term.definition.en}`;
}

function markText(node) {
  const text = node.nodeValue;
  let at = 0;
  let fragment = null;
  for (const m of matches(text)) {
    fragment ??= document.createDocumentFragment();
    if (m.index > at) fragment.append(text.slice(at, m.index));
    const span = document.createElement("span");
    span.className = "gloss";
    span.dataset.term = m.term.id;
    span.title = tip(m.term, m.text);
    span.textContent = m.text;
    fragment.append(span);
    at = m.index + m.text.length;
  }
  if (!fragment) return;
  if (at < text.length) fragment.append(text.slice(at));
  node.replaceWith(fragment);
}

function mark(el) {
  if (!el.isConnected) return;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement.closest(SKIP) || !n.nodeValue.trim() ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  nodes.forEach(markText);
}

let queued = false;
function flush() {
  queued = false;
  if (!matcher) return;
  const els = [...pending];
  pending.clear();
  els.forEach(mark);
  observer.takeRecords(); // the spans just added are ours: not texts to mark again
  document.body.dataset.glossed = "true"; // for tests: what was there has been marked
}

function queue(els) {
  for (const el of els) pending.add(el);
  if (!pending.size) return;
  if (!matcher) {
    loading ??= fetch(`/api/v1/glossary/index?v=${encodeURIComponent(version)}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText))))
      .then((data) => {
        matcher = build(data.items);
        flush();
      })
      .catch((err) => console.warn("glossary", err));
    return;
  }
  if (!queued) {
    queued = true;
    requestAnimationFrame(flush);
  }
}

function glossed(node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const el = node.parentElement?.closest("[data-glossed]");
    return el ? [el] : [];
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return [];
  const inside = [...node.querySelectorAll("[data-glossed]")];
  const around = node.closest("[data-glossed]");
  return around ? [around, ...inside] : inside;
}

const observer = new MutationObserver((records) => queue(records.flatMap((r) => [...r.addedNodes].flatMap(glossed))));
observer.observe(document.body, { childList: true, subtree: true });
queue(document.querySelectorAll("[data-glossed]"));
