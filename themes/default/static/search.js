// The search page: queries the index in ../search/data/ (written by digest/search/).
//
// The text is split exactly as digest/search/text.py splits it when indexing (tests hold the two
// together by running this file's functions in Node): Chinese and Japanese as overlapping
// character pairs, Traditional folded to Simplified with the table the build ships
// (fold-*.dat); other words lowercased and stemmed. A Chinese query matches where all its pairs
// stand in a row, so 华为 never matches 中华 为什么, and every article holding it is found.
//
// The index is in shards (a year, a month …). entry.json lists them; this page loads the list
// of all articles (docs-*.dat), for each query term one bucket file per shard, and the text
// files of the results it shows (for the excerpt). Nothing from the index is ever
// parsed as HTML: titles and excerpts are set as text, and matches wrapped in <mark> here.

const HAN = "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}";
const KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff";
const LETTERS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\uac00-\ud7af";
const TOKEN = new RegExp(`([${HAN}${KANA}]+)|([${LETTERS}]+)`, "gu");
const CJK = new RegExp(`^[${HAN}${KANA}]`, "u");
const FOLDABLE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;

let FOLD = new Map();

export function setFold(pairs) {
  // "TSTS…": each Traditional character followed by its Simplified one (all in the BMP)
  FOLD = new Map();
  for (let i = 0; i + 1 < pairs.length; i += 2) FOLD.set(pairs[i], pairs[i + 1]);
}

export function fold(s) {
  return s.replace(FOLDABLE, (c) => FOLD.get(c) || c); // never changes the length
}

export function isCjk(term) {
  return CJK.test(term);
}

// --- Porter's stemmer, steps 1a, 1b and 1c (as text.py) ----------------------------------------
function cons(w, i) {
  const c = w[i];
  if ("aeiou".includes(c)) return false;
  if (c === "y") return i === 0 || !cons(w, i - 1);
  return true;
}
function measure(w) {
  let m = 0, i = 0;
  const n = w.length;
  while (i < n && cons(w, i)) i++;
  while (i < n) {
    while (i < n && !cons(w, i)) i++;
    if (i >= n) break;
    m++;
    while (i < n && cons(w, i)) i++;
  }
  return m;
}
function hasVowel(w) {
  for (let i = 0; i < w.length; i++) if (!cons(w, i)) return true;
  return false;
}
function doubleCons(w) {
  return w.length >= 2 && w[w.length - 1] === w[w.length - 2] && cons(w, w.length - 1);
}
function cvc(w) {
  const n = w.length;
  return n >= 3 && cons(w, n - 3) && !cons(w, n - 2) && cons(w, n - 1) && !"wxy".includes(w[n - 1]);
}
export function stem(w) {
  if (w.length <= 2 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("ss")) { /* kept */ }
  else if (w.endsWith("s")) w = w.slice(0, -1);
  let second = false;
  if (w.endsWith("eed")) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else if (w.endsWith("ed") && hasVowel(w.slice(0, -2))) {
    w = w.slice(0, -2);
    second = true;
  } else if (w.endsWith("ing") && hasVowel(w.slice(0, -3))) {
    w = w.slice(0, -3);
    second = true;
  }
  if (second) {
    if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
    else if (doubleCons(w) && !"lsz".includes(w[w.length - 1])) w = w.slice(0, -1);
    else if (measure(w) === 1 && cvc(w)) w += "e";
  }
  if (w.endsWith("y") && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + "i";
  return w;
}

// {cjk: {term: [positions in code points]}, words: {stem: count}}: text.py's terms()
export function terms(text) {
  const cjk = new Map();
  const words = new Map();
  let cp = 0, last = 0;
  for (const m of text.matchAll(TOKEN)) {
    for (const _ of text.slice(last, m.index)) cp++;
    last = m.index;
    if (m[2]) {
      const w = stem(m[2].toLowerCase());
      words.set(w, (words.get(w) || 0) + 1);
      continue;
    }
    const run = Array.from(fold(m[1]));
    const add = (t, p) => (cjk.has(t) ? cjk.get(t).push(p) : cjk.set(t, [p]));
    for (let i = 0; i + 1 < run.length; i++) add(run[i] + run[i + 1], cp + i);
    add(run[run.length - 1], cp + run.length - 1);
  }
  return { cjk: Object.fromEntries(cjk), words: Object.fromEntries(words) };
}

// text.py's bucket_of: FNV-1a over the code points (of the first character for a Chinese term)
export function bucketOf(term, n) {
  const key = isCjk(term) ? Array.from(term)[0] : term;
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
  return h % n;
}

// A query: Chinese phrases (folded runs) and word stems, every one required.
export function parseQuery(q) {
  const phrases = new Set();
  const words = new Set();
  for (const m of q.matchAll(TOKEN)) {
    if (m[1]) phrases.add(fold(m[1]));
    else words.add(stem(m[2].toLowerCase()));
  }
  return { phrases: [...phrases], words: [...words] };
}

// --- the index --------------------------------------------------------------------------------

async function fetchBytes(url, options) {
  const res = await fetch(url, options);
  if (!res.ok) throw new Error(`search: ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function load(url, options) {
  return decode(await fetchBytes(url, options));
}

// A pack file (the bucket files of several shards, loaded in one request): a 4-byte big-endian
// length, a JSON list of the members' sizes, then the members (each as a bucket file is)
function member(bytes, slot) {
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const sizes = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));
  let start = 4 + n;
  for (let k = 0; k < slot; k++) start += sizes[k];
  return bytes.subarray(start, start + sizes[slot]);
}

async function decode(bytes) {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) { // gzip (a host may have unpacked it already)
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}

export class Index {
  constructor(base) {
    this.base = base; // URL of search/data/, ending in "/"
    this.files = new Map();
  }

  file(path) {
    if (!this.files.has(path)) this.files.set(path, load(this.base + path));
    return this.files.get(path);
  }

  // bucket i of shard s: its own file, or its member of a pack (one request for several shards)
  bucket(s, i) {
    if (s.pack === undefined) return this.file(`${s.dir}/b${i}.dat`);
    const path = `${s.pack}/b${i}.dat`, key = `${path}#${s.slot}`;
    if (!this.files.has(path)) this.files.set(path, fetchBytes(this.base + path));
    if (!this.files.has(key)) this.files.set(key, this.files.get(path).then((bytes) => decode(member(bytes, s.slot))));
    return this.files.get(key);
  }

  init() {
    // entry.json, then the fold table and the lists of articles at once; a query needs the
    // table to be split, and its bucket files load while the lists do.
    const entry = load(this.base + "entry.json", { cache: "no-cache" }).then((e) => {
      if (e.version !== 2) throw new Error("search: unknown index version " + e.version);
      this.chunk = e.chunk;
      this.shards = e.shards;
      return e;
    });
    this.folded = entry.then((e) => this.file(e.fold)).then(setFold);
    this.listed = entry.then((e) => this.file(e.docs)).then((docs) => {
      this.shards.forEach((s, k) => { s.list = docs[k]; });
      this.total = docs.reduce((n, d) => n + d.length, 0);
      this.avg = docs.reduce((n, d) => n + d.reduce((m, x) => m + x[6], 0), 0) / Math.max(1, this.total);
    });
    return Promise.all([this.folded, this.listed]);
  }

  // [{shard, doc, score}] best first; every query part must match (a Chinese phrase as a phrase)
  async search(q, filters) {
    await this.folded;
    const { phrases, words } = parseQuery(q || "");
    const keep = (d) => (!filters.tag || d[4].includes(filters.tag)) && (!filters.source || d[3] === filters.source);
    const parts = [...phrases.map((p) => ({ phrase: p, chars: Array.from(p) })), ...words.map((w) => ({ word: w }))];
    if (!parts.length) {
      if (/\S/.test(q || "")) return []; // only punctuation or symbols: nothing can hold it
      await this.listed;
      const all = [];
      this.shards.forEach((s) => s.list.forEach((d, i) => { if (keep(d)) all.push({ shard: s, doc: i, score: 0 }); }));
      return all.sort(order);
    }
    const perShard = await Promise.all(this.shards.map((s) => this.match(s, parts, keep)));
    // documents holding each part, over all shards (for its weight: rarer parts count more)
    const df = parts.map((_, j) => perShard.reduce((n, m) => n + m.df[j], 0));
    const hits = [];
    const hasPhrase = parts.some((p) => p.phrase), hasWord = parts.some((p) => p.word);
    perShard.forEach((m, k) => {
      if (!m.docs) return;
      const s = this.shards[k];
      for (const [doc, tfs] of m.docs) {
        const d = s.list[doc];
        const title = hasPhrase ? fold(d[1]) : "";
        const titleWords = hasWord ? new Set(parseQuery(d[1]).words) : null; // (only what the query needs)
        let score = 0;
        parts.forEach((p, j) => {
          const idf = Math.log(1 + (this.total - df[j] + 0.5) / (df[j] + 0.5));
          const tf = tfs[j];
          score += idf * (tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * d[6] / this.avg));
          if (p.phrase ? title.includes(p.phrase) : titleWords.has(p.word)) score += 2 * idf;
        });
        hits.push({ shard: s, doc, score });
      }
    });
    return hits.sort(order);
  }

  // {docs: Map doc -> [tf of each part] or null, df: [documents holding each part]} in a shard
  async match(s, parts, keep) {
    const df = parts.map(() => 0);
    const need = new Map(); // term -> its bucket's number
    for (const p of parts) {
      const keys = p.word ? [p.word] : p.chars.length === 1 ? [p.chars[0]] : pairsOf(p).map((o) => p.pairs[o]);
      for (const t of keys) need.set(t, bucketOf(t, s.buckets));
    }
    const files = new Map();
    await Promise.all([...new Set(need.values())].map(async (i) => files.set(i, await this.bucket(s, i))));
    await this.listed;
    const get = (t) => files.get(need.get(t))[t];
    let result = null;
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j];
      let tf; // Map doc -> count
      if (p.word) {
        const post = get(p.word);
        if (!post) return { docs: null, df };
        tf = new Map();
        for (let i = 0; i < post.length; i += 2) tf.set(post[i], post[i + 1]);
      } else if (p.chars.length === 1) {
        const bucket = files.get(need.get(p.chars[0]));
        tf = new Map();
        for (const t in bucket) {
          if (Array.from(t)[0] !== p.chars[0] || !isCjk(t)) continue;
          for (const [doc, pos] of positions(bucket[t])) tf.set(doc, (tf.get(doc) || 0) + pos.length);
        }
      } else {
        const offsets = pairsOf(p);
        const lists = [];
        for (const o of offsets) {
          const post = get(p.pairs[o]);
          if (!post) return { docs: null, df };
          lists.push(positions(post));
        }
        tf = new Map();
        for (const [doc, first] of lists[0]) {
          const rest = [];
          for (let i = 1; i < lists.length; i++) {
            const pos = lists[i].get(doc);
            if (!pos) break;
            rest.push(new Set(pos));
          }
          if (rest.length !== lists.length - 1) continue;
          let n = 0;
          for (const at of first) if (rest.every((set, i) => set.has(at + offsets[i + 1]))) n++;
          if (n) tf.set(doc, n);
        }
      }
      const next = new Map();
      for (const [doc, n] of tf) {
        if (!keep(s.list[doc])) continue;
        df[j]++;
        if (result === null) next.set(doc, [n]);
        else if (result.has(doc)) next.set(doc, [...result.get(doc), n]);
      }
      result = next;
      if (!result.size) return { docs: null, df };
    }
    return { docs: result, df };
  }

  async text(hit) {
    const texts = await this.file(`${hit.shard.dir}/t${Math.floor(hit.doc / this.chunk)}.dat`);
    return texts[hit.doc % this.chunk];
  }
}

// The pairs a phrase is looked up by: every other one and the last (高带宽内存: 高带 宽内 内存),
// which cover it; found at p, p+2 … p+L-2, they are the phrase itself, in fewer files.
function pairsOf(p) {
  if (!p.pairs) p.pairs = p.chars.slice(0, -1).map((c, i) => c + p.chars[i + 1]);
  const last = p.chars.length - 2;
  const offsets = [];
  for (let o = 0; o < last; o += 2) offsets.push(o);
  offsets.push(last);
  return offsets;
}

// [doc, n, gaps …] repeated -> Map doc -> [positions]
function positions(post) {
  const out = new Map();
  for (let i = 0; i < post.length;) {
    const doc = post[i], n = post[i + 1];
    const pos = new Array(n);
    let at = 0;
    for (let k = 0; k < n; k++) {
      at += post[i + 2 + k];
      pos[k] = at;
    }
    out.set(doc, pos);
    i += 2 + n;
  }
  return out;
}

function order(a, b) {
  if (b.score !== a.score) return b.score - a.score;
  const da = a.shard.list[a.doc], db = b.shard.list[b.doc];
  if (da[2] !== db[2]) return da[2] < db[2] ? 1 : -1; // newer first
  return da[0] < db[0] ? -1 : da[0] > db[0] ? 1 : 0;
}

// [start, end) of every match of the query in a text (UTF-16 offsets), sorted, merged
export function matches(text, q) {
  const { phrases, words } = parseQuery(q || "");
  const out = [];
  const folded = fold(text);
  for (const p of phrases) {
    for (let i = folded.indexOf(p); i >= 0; i = folded.indexOf(p, i + 1)) out.push([i, i + p.length]);
  }
  if (words.length) {
    const want = new Set(words);
    for (const m of text.matchAll(TOKEN)) {
      if (m[2] && want.has(stem(m[2].toLowerCase()))) out.push([m.index, m.index + m[0].length]);
    }
  }
  out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const r of out) {
    if (merged.length && r[0] <= merged[merged.length - 1][1]) {
      merged[merged.length - 1][1] = Math.max(merged[merged.length - 1][1], r[1]);
    } else merged.push(r.slice());
  }
  return merged;
}

// --- the page ---------------------------------------------------------------------------------

const EXCERPT = 150; // characters around the first match

function main() {
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

  const bundle = new URL(root.dataset.bundle, document.baseURI); // works from any sub-path
  const site = new URL("../..", bundle).pathname; // the site's root (search/data/ is two below)
  let hits = [];
  let shown = 0;
  let seq = 0;
  let timer = 0;
  let term = "";

  const index = new Index(bundle.href);
  index.init().catch(() => { status.textContent = text.failed; });

  function filters() {
    const f = {};
    if (tagSel && tagSel.value) f.tag = tagSel.value;
    if (sourceSel && sourceSel.value) f.source = sourceSel.value;
    return f;
  }

  function remember(q, f) {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    for (const [k, v] of Object.entries(f)) params.set(k, v);
    const query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  async function run() {
    const mine = ++seq;
    const q = input.value.trim();
    const f = filters();
    remember(q, f);
    if (!q && !Object.keys(f).length) {
      hits = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = text.loading;
    let found;
    try {
      found = await index.search(q, f);
    } catch (e) {
      if (mine === seq) status.textContent = text.failed;
      throw e;
    }
    if (mine !== seq) return; // a newer query started meanwhile
    hits = found;
    term = q;
    list.replaceChildren();
    shown = 0;
    await showMore(mine, false);
    if (mine !== seq) return;
    const n = hits.length;
    status.textContent = n === 0 ? text.none : n === 1 ? text.one : text.results.replace("{n}", n);
  }

  async function showMore(mine, focus) {
    const batch = hits.slice(shown, shown + PAGE);
    const texts = await Promise.all(batch.map((h) => index.text(h)));
    if (mine !== seq) return;
    const items = batch.map((h, k) => item(h.shard.list[h.doc], texts[k]));
    list.append(...items);
    shown += batch.length;
    more.hidden = shown >= hits.length;
    if (focus && items.length) items[0].querySelector("a").focus();
  }

  function item(d, body) {
    const [url, title, date, source, , lang] = d;
    const li = document.createElement("li");
    if (lang) li.lang = lang;
    const h2 = document.createElement("h2");
    const a = document.createElement("a");
    a.href = site + url;
    a.textContent = title || url;
    h2.append(a);
    const meta = document.createElement("p");
    meta.className = "meta";
    const parts = [];
    if (date) {
      const t = document.createElement("time");
      t.dateTime = date;
      t.textContent = date;
      parts.push(t);
    }
    if (source) parts.push(document.createTextNode(source));
    parts.forEach((p, k) => meta.append(...(k ? [" · ", p] : [p])));
    const excerpt = document.createElement("p");
    excerpt.className = "summary";
    excerpt.append(...excerptNodes(body || "", title || "", term));
    li.append(h2, ...(parts.length ? [meta] : []), excerpt);
    return li;
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
}

// The excerpt: text around the first match in the body (after the title it starts with), each
// match in a <mark>; all of it text nodes.
function excerptNodes(body, title, q) {
  const found = matches(body, q);
  const skip = body.startsWith(title) ? title.length : 0;
  const first = found.find((r) => r[0] >= skip) || found[0];
  let start = first ? Math.max(skip, first[0] - 40) : skip;
  if (first && first[0] < skip) start = 0;
  let end = Math.min(body.length, start + EXCERPT);
  for (const [a, b] of found) { // a match is shown whole, never cut by the window
    if (a < start && b > start) start = a;
    if (a < end && b > end) end = b;
  }
  const out = [];
  let at = start;
  if (start > 0) out.push(document.createTextNode("… "));
  for (const [a, b] of found) {
    if (b <= start || a >= end) continue;
    const s = Math.max(a, start), e = Math.min(b, end);
    if (s > at) out.push(document.createTextNode(body.slice(at, s)));
    const m = document.createElement("mark");
    m.textContent = body.slice(s, e);
    out.push(m);
    at = e;
  }
  out.push(document.createTextNode(body.slice(at, end) + (end < body.length ? " …" : "")));
  return out;
}

if (typeof document !== "undefined" && document.getElementById("search")) main();
