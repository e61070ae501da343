// The search page: queries the Pagefind index in ../pagefind/ (written by digest/search.py).
//
// Pagefind builds one index per page language (en, zh-hans, zh-hant …), and by default searches
// only the index of the search page's own <html lang>. This site mixes languages, so the page
// loads one index and merges the others (mergeIndex with a language), and Pagefind returns one
// list ranked across them. Each index splits the query by its own language's rules, so Chinese
// queries are segmented into words.
const root = document.getElementById("search");
const form = root.querySelector("form");
const input = document.getElementById("search-q");
const tagSel = document.getElementById("search-tag");
const sourceSel = document.getElementById("search-source");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const text = root.dataset;
const PAGE = 10;

root.hidden = false;

const bundle = new URL(root.dataset.bundle, document.baseURI).pathname; // works from any sub-path
const site = new URL("..", new URL(bundle, location.href)).pathname; // the site's root, for result URLs
let hits = [];
let shown = 0;
let seq = 0;
let timer = 0;

const ready = (async () => {
  const pagefind = await import(bundle + "pagefind.js");
  const entry = await (await fetch(bundle + "pagefind-entry.json")).json();
  const langs = Object.keys(entry.languages).sort();
  const html = document.documentElement;
  const pageLang = html.getAttribute("lang");
  // The first instance loads the search code (WebAssembly) that every index shares: take the
  // page's language if it has an index, else one with a stemmer, else the largest index.
  const byPages = langs.slice().sort((a, b) => entry.languages[b].page_count - entry.languages[a].page_count);
  const first = langs.find((l) => l === pageLang.toLowerCase())
    || byPages.find((l) => entry.languages[l].wasm) || byPages[0];
  let api;
  try {
    html.setAttribute("lang", first); // read once, synchronously, by createInstance
    api = pagefind.createInstance({ basePath: bundle, baseUrl: site });
  } finally {
    html.setAttribute("lang", pageLang);
  }
  await api.init();
  // Pagefind skips merging a path it already loaded, so the other languages of the same bundle
  // are merged by its absolute URL.
  const absolute = new URL(bundle, location.href).href;
  for (const lang of langs) {
    if (lang !== first) await api.mergeIndex(absolute, { language: lang, baseUrl: site });
  }
  return api;
})();

function filters() {
  const f = {};
  if (tagSel && tagSel.value) f.tag = tagSel.value;
  if (sourceSel && sourceSel.value) f.source = sourceSel.value;
  return f;
}

function remember(term, f) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [k, v] of Object.entries(f)) params.set(k, v);
  const query = params.toString();
  history.replaceState(null, "", query ? "?" + query : location.pathname);
}

async function run() {
  const mine = ++seq;
  const term = input.value.trim();
  const f = filters();
  remember(term, f);
  if (!term && !Object.keys(f).length) {
    hits = [];
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = text.loading;
  let api;
  try {
    api = await ready;
  } catch (e) {
    status.textContent = text.failed;
    throw e;
  }
  const r = await api.search(term || null, { filters: f });
  if (mine !== seq) return; // a newer query started meanwhile
  hits = (r && r.results) || []; // already merged across the language indexes, best first
  list.replaceChildren();
  shown = 0;
  await showMore(mine, false);
  if (mine !== seq) return;
  const n = hits.length;
  status.textContent = n === 0 ? text.none : n === 1 ? text.one : text.results.replace("{n}", n);
}

async function showMore(mine, focus) {
  const batch = hits.slice(shown, shown + PAGE);
  const data = await Promise.all(batch.map((h) => h.data()));
  if (mine !== seq) return;
  const items = data.map(item);
  list.append(...items);
  shown += batch.length;
  more.hidden = shown >= hits.length;
  if (focus && items.length) items[0].querySelector("a").focus();
}

function item(d) {
  const li = document.createElement("li");
  const h2 = document.createElement("h2");
  const a = document.createElement("a");
  a.href = d.url;
  a.textContent = (d.meta && d.meta.title) || d.url;
  h2.append(a);
  const meta = document.createElement("p");
  meta.className = "meta";
  const parts = [];
  if (d.meta && d.meta.date) {
    const t = document.createElement("time");
    t.dateTime = d.meta.date;
    t.textContent = d.meta.date;
    parts.push(t);
  }
  const source = d.filters && d.filters.source && d.filters.source[0];
  if (source) parts.push(document.createTextNode(source));
  parts.forEach((p, k) => meta.append(...(k ? [" · ", p] : [p])));
  const excerpt = document.createElement("p");
  excerpt.className = "summary";
  excerpt.append(...marked(d.excerpt || ""));
  li.append(h2, ...(parts.length ? [meta] : []), excerpt);
  return li;
}

// The excerpt is text with <mark> around matches: keep exactly that, as text nodes and <mark>s.
function marked(html) {
  const t = document.createElement("template");
  t.innerHTML = html; // inert: nothing in a template runs or loads
  const out = [];
  for (const node of t.content.childNodes) {
    if (node.nodeName === "MARK") {
      const m = document.createElement("mark");
      m.textContent = node.textContent;
      out.push(m);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  run();
});
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
});
for (const sel of [tagSel, sourceSel]) if (sel) sel.addEventListener("change", run);
more.addEventListener("click", () => showMore(seq, true));

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
if (tagSel) tagSel.value = params.get("tag") || "";
if (sourceSel) sourceSel.value = params.get("source") || "";
if (input.value || filters().tag || filters().source) run();
