// The wsis-search page: search, read, cite, compare. No framework and no request to any
// other origin. Everything shown from the corpus or the query goes into the page as text
// nodes (textContent); the one piece of server HTML, a snippet, is rebuilt from its
// escaped text and its <mark> tags, never assigned as HTML.
"use strict";

const KINDS = {
  official: ["outcome-document", "resolution"],
  background: ["fact-sheet", "web-page", "press-release", "briefing-note"],
};
const PAGE = 10;
let catalog = null;
let searchTimer = null;
let lastRequest = 0;
let typing = false;

// ---------------------------------------------------------------- DOM helpers

// A corpus header's address, when it is a web address (http: or https:); anything else
// (javascript:, data:, …) is never made a link.
function webAddress(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const ENTITIES = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" };

// A snippet (escaped text with <mark> around matches) as segments of text, marked or not.
function snippetSegments(snippet) {
  const segments = [];
  let marked = false;
  for (const part of String(snippet).split(/(<mark>|<\/mark>)/)) {
    if (part === "<mark>") { marked = true; continue; }
    if (part === "</mark>") { marked = false; continue; }
    if (!part) continue;
    const text = part.replace(/&(lt|gt|quot|#39|amp);/g, (m) => ENTITIES[m]);
    segments.push({ text, wrap: marked ? "mark" : null });
  }
  return segments;
}

// Markdown that background documents carry from their web pages: **strong**, *emphasis* and
// [link text](address). The stored text keeps it; the page shows emphasis and the link's text
// alone. `open` and `close` are the lengths of the syntax around the text shown.
const MARKDOWN = [
  { re: /\*\*(?=\S)([^*]+?)\*\*/g, tag: "strong", open: () => 2, close: () => 2 },
  { re: /(?<![*\w])\*(?=[^\s*])([^*]+?)\*(?![*\w])/g, tag: "em", open: () => 1, close: () => 1 },
  { re: /\[([^\]\n]+)\]\(([^)\s]*)\)/g, tag: null, open: () => 1, close: (m) => m[0].length - 1 - m[1].length },
];
// What a snippet window cut off from a pair: a lone `**`, or the `](address)` of a link whose
// `[` is outside the window.
const MARKDOWN_LEFTOVERS = /\*\*|\]\((?:#|https?:[^)\s]*)?\)/g;

// Whether a record's text comes from a background document, whose Markdown is shown as
// emphasis: a background record, or an official paragraph known only through its quote.
function fromBackground(record, kind) {
  return KINDS.background.includes(kind) || Boolean(record.quoted_in);
}

// Segments of text ({text, wrap}: wrap a tag name such as "mark", or null) as DOM nodes. With
// `markdown`, the syntax above is hidden and its text set in <strong> or <em>; every piece of
// text becomes a text node, never HTML.
function richNodes(segments, markdown) {
  const text = segments.map((segment) => segment.text).join("");
  const hidden = new Uint8Array(text.length);
  const style = new Array(text.length).fill(null);
  if (markdown) {
    for (const rule of MARKDOWN) {
      for (const m of text.matchAll(rule.re)) {
        const start = m.index;
        const end = start + m[0].length;
        if (hidden.subarray(start, end).some(Boolean)) continue;
        const inner = start + rule.open(m);
        const innerEnd = end - rule.close(m);
        hidden.fill(1, start, inner);
        hidden.fill(1, innerEnd, end);
        if (rule.tag) style.fill(rule.tag, inner, innerEnd);
      }
    }
    for (const m of text.matchAll(MARKDOWN_LEFTOVERS)) {
      hidden.fill(1, m.index, m.index + m[0].length);
    }
  }
  const nodes = [];
  let at = 0;
  for (const segment of segments) {
    let run = "";
    let runStyle = null;
    const flush = () => {
      if (!run) return;
      let node = runStyle ? el(runStyle, {}, run) : document.createTextNode(run);
      if (segment.wrap) node = el(segment.wrap, segment.attrs || {}, node);
      nodes.push(node);
      run = "";
    };
    for (let i = at; i < at + segment.text.length; i++) {
      if (hidden[i]) continue;
      if (style[i] !== runStyle) { flush(); runStyle = style[i]; }
      run += text[i];
    }
    flush();
    at += segment.text.length;
  }
  return nodes;
}

// The text a reader sees: Markdown syntax of a background document left out.
function plainText(text, markdown) {
  return richNodes([{ text, wrap: null }], markdown).map((node) => node.textContent).join("");
}

function announce(message) {
  const status = document.getElementById("status");
  status.textContent = "";
  setTimeout(() => { status.textContent = message; }, 20);
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message || "";
  box.hidden = !message;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

async function copyText(text, what, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    const area = el("textarea", { class: "offscreen", "aria-hidden": "true" }, text);
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  announce(`${what} copied`);
  if (button) showCopied(button);
}

// A copy button says "Copied" for two seconds, so the copy is seen as well as announced.
function showCopied(button) {
  if (!button.dataset.label) button.dataset.label = button.textContent;
  button.textContent = "Copied ✓";
  button.classList.add("copied");
  clearTimeout(button.copiedTimer);
  button.copiedTimer = setTimeout(() => {
    button.textContent = button.dataset.label;
    button.classList.remove("copied");
  }, 2000);
}

function anchorOf(label) {
  return "p" + String(label).replace(/[^A-Za-z0-9]/g, "");
}

function year(doc) {
  return doc && doc.date ? doc.date.slice(0, 4) : "";
}

// ---------------------------------------------------------------- routing

function navigate(url, replace) {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  route();
}

async function route() {
  showError("");
  const path = location.pathname;
  await loadCatalog();
  if (path === "/" || path === "") return renderSearch();
  if (path === "/documents") return renderDocuments();
  if (path === "/about") return renderAbout();
  const doc = path.match(/^\/doc\/([^/]+)$/);
  if (doc) return renderReader(decodeURIComponent(doc[1]));
  main().replaceChildren(el("p", {}, "No such page. ", el("a", { href: "/", "data-nav": true }, "Search")));
}

function main() {
  return document.getElementById("main");
}

async function loadCatalog() {
  if (catalog) return catalog;
  try {
    const body = await api("/api/documents");
    catalog = body.documents;
  } catch (error) {
    catalog = [];
    showError(`The list of documents could not be loaded: ${error.message}`);
  }
  const note = document.getElementById("coverage");
  const message = coverageNote(catalog);
  note.textContent = message;
  note.hidden = !message;
  return catalog;
}

// What the banner says of the official texts that are not imported: which are present
// through the paragraphs background documents quote, and which not at all.
function coverageNote(docs) {
  const incomplete = docs.filter((d) => d.numbering);
  const official = docs.filter((d) => KINDS.official.includes(d.kind) && !d.full_text && !d.numbering);
  const parts = [];
  if (official.length) {
    const quoted = official.filter((d) => d.records > 0);
    const absent = official.length - quoted.length;
    const names = quoted.map((d) => d.short || d.title).join(", ");
    parts.push(`The official texts are not imported yet.`);
    if (quoted.length) parts.push(`${count(quoted.length, "official document is", "official documents are")} present only through the paragraphs the background documents quote (${names}), marked “quoted only”.`);
    if (absent) parts.push(`${count(absent, "other is", "others are")} listed under Documents with no paragraph in the corpus.`);
  }
  if (incomplete.length) parts.push(`Incomplete imports: ${incomplete.map((d) => `${d.short || d.title} (${missingText(d)})`).join("; ")}.`);
  return parts.join(" ");
}

// What an imported official text whose numbering check fails lacks.
function missingText(d) {
  return d.missing && d.missing.length ? `paragraphs ${d.missing.join(", ")} missing` : d.numbering.join("; ");
}

// "1 paragraph", "3 paragraphs": a number and the noun that goes with it.
function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function docById(id) {
  return (catalog || []).find((d) => d.id === id);
}

// ---------------------------------------------------------------- search

function searchParams() {
  const params = new URLSearchParams(location.search);
  return {
    q: params.get("q") || "",
    docs: params.getAll("doc"),
    kind: params.get("kind") || "",
    variant: params.get("variant") || "original",
    from: params.get("from") || "",
    to: params.get("to") || "",
    op: params.get("op") || "and",
    offset: Number(params.get("offset")) || 0,
    exact: params.get("typo") === "false",
  };
}

function searchUrl(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const doc of state.docs) params.append("doc", doc);
  if (state.kind) params.set("kind", state.kind);
  if (state.variant !== "original") params.set("variant", state.variant);
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  if (state.op !== "and") params.set("op", state.op);
  if (state.offset) params.set("offset", String(state.offset));
  if (state.exact) params.set("typo", "false");
  const query = params.toString();
  return "/" + (query ? "?" + query : "");
}

function apiSearchUrl(state) {
  const params = new URLSearchParams({ q: state.q, limit: String(PAGE), offset: String(state.offset) });
  for (const doc of state.docs) params.append("doc", doc);
  if (state.kind && KINDS[state.kind]) params.set("kind", KINDS[state.kind].join(","));
  params.set("variant", state.variant);
  if (state.from || state.to) params.set("year", `${state.from || -9999}..${state.to || 9999}`);
  params.set("op", state.op);
  if (state.exact) params.set("typo", "false");
  return "/api/search?" + params.toString();
}

function renderSearch() {
  const state = searchParams();
  const box = document.getElementById("q");
  if (!typing) box.value = state.q;
  document.title = state.q ? `${state.q} — wsis-search` : "wsis-search";
  const filters = filterPanel(state);
  const results = el("section", { id: "results", "aria-label": "Results" });
  main().replaceChildren(el("div", { class: "search-layout" }, filters, results));
  if (!state.q.trim()) {
    results.append(intro());
    return;
  }
  runSearch(state, results);
}

function intro() {
  const docs = (catalog || []).filter((d) => d.records > 0);
  return el("div", { class: "intro" },
    el("p", {}, "Search the paragraphs of the WSIS outcome documents and the background documents around them, look a citation up (“Tunis Agenda para 72(e)”), and compare the texts with their “digital society” rewording."),
    el("h2", {}, "In the corpus"),
    el("ul", { class: "doc-list" }, docs.map((d) => el("li", {},
      el("a", { href: `/doc/${encodeURIComponent(d.id)}`, "data-nav": true }, d.title),
      ` — ${count(d.records, "paragraph", "paragraphs")}`, d.full_text ? "" : d.numbering ? " (incomplete)" : " (quoted only)"))));
}

async function runSearch(state, results) {
  const request = ++lastRequest;
  results.setAttribute("aria-busy", "true");
  let page;
  try {
    page = await api(apiSearchUrl(state));
  } catch (error) {
    if (request !== lastRequest) return;
    results.removeAttribute("aria-busy");
    showError(error.message);
    results.replaceChildren(el("p", { class: "empty" }, "The search could not run. ", el("a", { href: "#help" }, "See the query syntax.")));
    return;
  }
  if (request !== lastRequest) return;
  results.removeAttribute("aria-busy");
  showError("");
  fillFacets(page, state);
  const total = page.total_exact ? String(page.total) : `${page.total}+`;
  const header = el("p", { class: "total" }, page.total ? `${total} matching ${page.total === 1 && page.total_exact ? "paragraph" : "paragraphs"}` : "");
  const citation = page.citation ? citationView(page.citation) : null;
  const below = citation ? el("h2", { class: "word-search" }, `Word search for “${state.q}”`) : null;
  if (!page.hits.length) {
    const none = citation
      ? el("p", { class: "empty" }, "No paragraph holds these words.")
      : el("p", { class: "empty" }, `No paragraph matches “${state.q}”. `, el("a", { href: "#help" }, "See the query syntax."));
    results.replaceChildren(...[citation, below, none].filter(Boolean));
    announce(citation ? citationAnnouncement(page.citation) : "No results");
    return;
  }
  const list = el("ol", { class: "hits", start: String(state.offset + 1) }, page.hits.map(hitView));
  results.replaceChildren(...[citation, below, ...correctionNotice(page, state), header, list, pager(state, page)].filter(Boolean));
  announce(citation ? `${citationAnnouncement(page.citation)}; ${total} results` : `${total} results`);
}

function citationAnnouncement(answer) {
  return answer.paragraphs.length ? `Citation: ${answer.paragraphs.map((p) => p.citation).join("; ")}` : "Citation not in the corpus";
}

// A query read as a citation: the paragraphs it names, labelled as the citation's answer,
// with what the corpus lacks and what it holds of the document.
function citationView(answer) {
  const docKind = answer.doc.kind;
  const found = answer.paragraphs.map((p) => el("li", { class: "hit cited" },
    el("h3", {}, el("a", { href: p.url, "data-nav": true }, p.citation)),
    el("p", { class: "meta" }, answer.doc.title, year(answer.doc) ? ` · ${year(answer.doc)}` : ""),
    el("p", { class: "text" }, marked(p.text, [], "new", fromBackground(p, docKind))),
    p.partial || !answer.doc.full_text ? el("p", { class: "badges" },
      p.partial ? el("span", { class: "badge partial" }, "partial quote") : null,
      !answer.doc.full_text ? el("span", { class: "badge quoted-only" }, answer.doc.numbering ? "incomplete text" : "quoted only") : null) : null));
  return el("section", { class: "citation-answer", "aria-label": "Citation" },
    el("h2", {}, `Citation: “${answer.ref}”`),
    found.length ? el("ol", { class: "hits" }, found) : null,
    answer.missing && answer.missing.length
      ? el("p", { class: "missing" }, `Not in the corpus: ${answer.missing.join(", ")}.`) : null,
    el("p", { class: "coverage-doc" }, answer.coverage));
}

// "showing results for governance — no match for goverance", with a link to the search as
// typed, when the server corrected words that matched nothing.
function correctionNotice(page, state) {
  if (!page.corrected || !page.corrected.length) return [];
  const to = page.corrected.map((c) => c.to.join(" or ")).join(", ");
  const from = page.corrected.map((c) => c.from).join(", ");
  const exact = searchUrl({ ...state, offset: 0, exact: true });
  return [el("p", { class: "corrected", id: "corrected" },
    `showing results for ${to} — no match for ${from}. `,
    el("a", { href: exact, "data-nav": true }, `Search for “${state.q}” as typed`))];
}

function hitView(hit) {
  const doc = docById(hit.doc);
  const badges = [];
  if (hit.variant === "digital") badges.push(el("span", { class: "badge digital" }, "digital society"));
  if (hit.partial) badges.push(el("span", { class: "badge partial" }, "partial quote"));
  if (hit.quoted_only) badges.push(el("span", { class: "badge quoted-only", title: "The official text is not imported: the corpus holds only the paragraphs the background documents quote." }, "quoted only"));
  if (hit.quoting) {
    const quoting = docById(hit.quoting.doc);
    badges.push(el("span", { class: "badge quoted-in" }, "quoted in ",
      el("a", { href: hit.quoting.url, "data-nav": true }, quoting ? quoting.title : hit.quoting.doc)));
  }
  return el("li", { class: "hit" },
    el("h3", {}, el("a", { href: hit.url, "data-nav": true }, hit.citation)),
    el("p", { class: "meta" }, hit.title, doc && year(doc) ? ` · ${year(doc)}` : ""),
    hit.section && hit.section.length ? el("p", { class: "section" }, hit.section.join(" › ")) : null,
    el("p", { class: "snippet" }, richNodes(snippetSegments(hit.snippet), fromBackground(hit, hit.kind))),
    badges.length ? el("p", { class: "badges" }, badges) : null,
    hit.also && hit.also.length ? el("details", { class: "also" },
      el("summary", {}, `${hit.also.length} related ${hit.also.length === 1 ? "record matches" : "records match"} too`),
      el("p", {}, hit.also.join(", "))) : null);
}

function pager(state, page) {
  const nav = el("nav", { class: "pager", "aria-label": "Result pages" });
  if (state.offset > 0) {
    nav.append(el("button", { type: "button", onclick: () => navigate(searchUrl({ ...state, offset: Math.max(0, state.offset - PAGE) })) }, "← Previous"));
  }
  if (page.has_more) {
    nav.append(el("button", { type: "button", onclick: () => navigate(searchUrl({ ...state, offset: state.offset + PAGE })) }, "Next →"));
  }
  return nav;
}

function filterPanel(state) {
  const change = (patch) => navigate(searchUrl({ ...searchParams(), ...patch, offset: 0 }));
  const select = (id, label, value, options, key) => el("label", { for: id }, label,
    el("select", { id, onchange: (e) => change({ [key]: e.target.value }) },
      options.map(([v, text]) => el("option", { value: v, selected: v === value }, text))));
  // On a narrow screen the panel starts folded, so the count and the first hits are in view.
  const narrow = window.matchMedia("(max-width: 48rem)").matches;
  const active = [state.kind, state.variant !== "original", state.op !== "and", state.from, state.to, state.docs.length]
    .filter(Boolean).length;
  return el("aside", { class: "filters", "aria-label": "Filters" }, el("details", { open: !narrow },
    el("summary", {}, active ? `Filter (${active} set)` : "Filter"),
    select("f-kind", "Documents", state.kind, [["", "all"], ["official", "official texts"], ["background", "background documents"]], "kind"),
    select("f-variant", "Text", state.variant, [["original", "original"], ["digital", "digital society"], ["all", "both"]], "variant"),
    select("f-op", "Words", state.op, [["and", "all words"], ["or", "any word"]], "op"),
    el("fieldset", { class: "years" }, el("legend", {}, "Years"),
      el("label", { for: "f-from" }, "from", el("input", { id: "f-from", type: "number", min: "1990", max: "2100", value: state.from, onchange: (e) => change({ from: e.target.value }) })),
      el("label", { for: "f-to" }, "to", el("input", { id: "f-to", type: "number", min: "1990", max: "2100", value: state.to, onchange: (e) => change({ to: e.target.value }) }))),
    el("fieldset", { id: "facets", class: "facets", hidden: !state.q.trim() }, el("legend", {}, "By document"))));
}

function fillFacets(page, state) {
  const box = document.getElementById("facets");
  if (!box) return;
  const toggle = (doc, on) => {
    const docs = on ? [...state.docs, doc] : state.docs.filter((d) => d !== doc);
    navigate(searchUrl({ ...state, docs, offset: 0 }));
  };
  const entries = page.facets.docs.map((f) => {
    const id = `facet-${f.doc}`;
    return el("div", { class: "facet" },
      el("input", { type: "checkbox", id, checked: state.docs.includes(f.doc), onchange: (e) => toggle(f.doc, e.target.checked) }),
      el("label", { for: id }, f.title || f.doc, el("span", { class: "count" }, ` ${f.count}`)));
  });
  const chosen = state.docs.filter((d) => !page.facets.docs.some((f) => f.doc === d)).map((d) => {
    const id = `facet-${d}`;
    return el("div", { class: "facet" }, el("input", { type: "checkbox", id, checked: true, onchange: () => toggle(d, false) }), el("label", { for: id }, (docById(d) || {}).title || d));
  });
  box.replaceChildren(el("legend", {}, "By document"), ...entries, ...chosen);
  if (page.facets.more_docs) box.append(el("p", { class: "count" }, `and ${page.facets.more_docs} more documents`));
}

function onType() {
  clearTimeout(searchTimer);
  typing = true;
  searchTimer = setTimeout(() => {
    typing = false;
    const q = document.getElementById("q").value;
    const state = { ...searchParams(), q, offset: 0, exact: false };
    if (location.pathname !== "/" || searchParams().q !== q) navigate(searchUrl(state));
  }, 250);
}

// ---------------------------------------------------------------- reader


// A document with all its records: the API serves them a page at a time (a page holds the
// longest official text whole); a longer document is asked for page after page.
async function documentWhole(id) {
  const path = `/api/documents/${encodeURIComponent(id)}`;
  const data = await api(path);
  while (data.has_more) {
    const next = await api(`${path}?offset=${data.paragraphs.length}`);
    if (!next.paragraphs.length) break;
    data.paragraphs.push(...next.paragraphs);
    Object.assign(data.cited_by, next.cited_by);
    data.has_more = next.has_more;
  }
  return data;
}
async function renderReader(id) {
  main().replaceChildren(el("p", { class: "loading" }, "Loading…"));
  let data;
  try {
    data = await documentWhole(id);
  } catch (error) {
    main().replaceChildren(el("p", { class: "empty" }, error.message));
    return;
  }
  const digital = new URLSearchParams(location.search).get("variant") === "digital";
  const doc = data.doc;
  document.title = `${doc.title} — wsis-search`;
  const variants = new Map(data.paragraphs.filter((p) => p.variant === "digital").map((p) => [p.para, p]));
  const originals = data.paragraphs.filter((p) => p.variant === "original");
  const shown = digital ? originals.map((p) => variants.get(p.para) || p) : originals;
  const facts = [doc.symbol, doc.date, doc.kind, doc.publisher].filter(Boolean).join(" · ");
  const toggle = variants.size
    ? el("p", { class: "variant-toggle" }, digital
      ? el("a", { href: `/doc/${encodeURIComponent(id)}${location.hash}`, "data-nav": true }, "Show the original text")
      : el("a", { href: `/doc/${encodeURIComponent(id)}?variant=digital${location.hash}`, "data-nav": true }, "Show the digital-society rewording"))
    : null;
  let heading = null;
  const items = [];
  for (const record of shown) {
    const path = (record.section || []).join(" › ");
    if (path && path !== heading) items.push(el("h3", { class: "heading" }, path));
    heading = path;
    items.push(paragraphView(record, doc, variants.get(record.para), data.cited_by[record.para] || [], data.citation_full[record.para], data.quoting[record.quoted_in]));
  }
  main().replaceChildren(el("article", { class: "reader" },
    el("h2", {}, doc.title),
    el("p", { class: "meta" }, facts, webAddress(doc.source_url) ? [" · ", el("a", { href: webAddress(doc.source_url), rel: "noopener noreferrer" }, "source")] : ""),
    el("p", { class: doc.full_text ? "coverage-doc" : "coverage-doc quoted-only" }, data.coverage),
    toggle,
    digital && variants.size ? el("p", { class: "note" }, "Digital-society rewording: information and communication technology → digital technology, e- → digital, information society → digital society. Proper names are kept.") : null,
    items.length ? items : el("p", { class: "empty" }, "The corpus holds no paragraph of this document.")));
  highlightTarget();
}

function paragraphView(record, doc, variant, citedBy, citationFull, quoting) {
  const anchor = anchorOf(record.para);
  const markdown = fromBackground(record, doc.kind);
  const permalink = `${location.origin}/doc/${encodeURIComponent(record.doc)}#${anchor}`;
  const ref = `${record.doc} ${record.para}`;
  const cite = (format) => `/api/cite?ref=${encodeURIComponent(ref)}&format=${format}`;
  const { file, line_start: first, line_end: last } = record.provenance;
  const provenance = [el("span", {}, `Source: ${file}, ${first === last ? `line ${first}` : `lines ${first}–${last}`}`)];
  if (quoting) {
    provenance.push(" · quoted in ", el("a", { href: quoting.url, "data-nav": true }, quoting.citation));
  }
  const compareBox = el("div", { class: "compare", hidden: true });
  const tools = el("p", { class: "tools" },
    el("button", { type: "button", onclick: (e) => copyText(`${record.citation}, ${permalink}`, "Citation", e.currentTarget) }, "Copy citation"),
    el("button", { type: "button", onclick: (e) => copyText(`${citationFull}, ${permalink}`, "Citation with symbol", e.currentTarget) }, "Copy with symbol"),
    el("button", { type: "button", onclick: (e) => copyText(`“${plainText(record.text, markdown)}” (${record.citation}${record.partial ? ", partial quote" : ""}) ${permalink}`, "Quote", e.currentTarget) }, "Copy quote"),
    " Download: ",
    el("a", { href: cite("csl-json"), download: "" }, "CSL-JSON"), " ",
    el("a", { href: cite("bibtex"), download: "" }, "BibTeX"), " ",
    el("a", { href: cite("ris"), download: "" }, "RIS"),
    variant && record.variant === "original" ? el("button", {
      type: "button", "aria-expanded": "false",
      onclick: (e) => {
        const open = compareBox.hidden;
        compareBox.hidden = !open;
        e.target.setAttribute("aria-expanded", String(open));
        if (open && !compareBox.childNodes.length) compareBox.append(...compareView(record, variant, markdown));
      },
    }, "Compare with digital society") : null);
  return el("section", { class: "para", id: anchor, tabindex: "-1" },
    el("p", { class: "label" }, el("a", { href: `#${anchor}` }, record.citation),
      record.partial ? el("span", { class: "badge partial" }, "partial quote") : null,
      record.variant === "digital" ? el("span", { class: "badge digital" }, "digital society") : null),
    el("p", { class: "text" }, marked(record.text, record.variant === "digital" ? record.substitutions : [], "new", markdown)),
    el("p", { class: "provenance" }, provenance),
    tools,
    compareBox,
    citedBy.length ? el("p", { class: "cited-by" }, "Cited by: ", citedBy.map((c, i) => [i ? ", " : "",
      el("a", { href: c.url, "data-nav": true }, c.citation)])) : null);
}

// Text with each substitution marked: in the original (`side` "old") or the variant ("new");
// with `markdown`, Markdown shown as emphasis.
function marked(text, substitutions, side, markdown) {
  const segments = [];
  let at = 0;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const bytes = encoder.encode(text);
  for (const s of substitutions || []) {
    const start = side === "old" ? s.start : s.new_start;
    const end = side === "old" ? s.end : s.new_start + encoder.encode(s.after).length;
    segments.push({ text: decoder.decode(bytes.slice(at, start)), wrap: null });
    segments.push({
      text: decoder.decode(bytes.slice(start, end)),
      wrap: "mark",
      attrs: { class: side === "old" ? "before" : "after", title: side === "old" ? `→ ${s.after}` : `was: ${s.before}` },
    });
    at = end;
  }
  segments.push({ text: decoder.decode(bytes.slice(at)), wrap: null });
  return richNodes(segments, markdown);
}

function compareView(original, variant, markdown) {
  return [
    el("div", { class: "side" }, el("h4", {}, "Original"), el("p", {}, marked(original.text, variant.substitutions, "old", markdown))),
    el("div", { class: "side" }, el("h4", {}, "Digital society"), el("p", {}, marked(variant.text, variant.substitutions, "new", markdown))),
  ];
}

function highlightTarget() {
  const id = decodeURIComponent(location.hash.slice(1));
  document.querySelectorAll(".para.target").forEach((node) => node.classList.remove("target"));
  if (!id) return;
  const target = document.getElementById(id);
  if (!target) {
    showError(`This document has no paragraph ${id}.`);
    return;
  }
  target.classList.add("target");
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- documents and sources

function renderDocuments() {
  document.title = "Documents — wsis-search";
  const rows = (catalog || []).map((d) => el("tr", {},
    el("td", {}, d.records ? el("a", { href: `/doc/${encodeURIComponent(d.id)}`, "data-nav": true }, d.title) : d.title),
    el("td", {}, d.symbol || ""),
    el("td", {}, d.date || ""),
    el("td", {}, d.kind),
    el("td", {}, d.full_text ? `full text, ${count(d.records, "paragraph", "paragraphs")}`
      : d.numbering ? `incomplete: ${count(d.records, "paragraph", "paragraphs")}; ${missingText(d)}`
      : d.records ? `quoted only: ${count(d.records, "paragraph", "paragraphs")} from background documents` : "not imported"),
    el("td", {}, d.full_text ? "" : webAddress(d.source_url) ? el("a", { href: webAddress(d.source_url), rel: "noopener noreferrer" }, "official text") : "")));
  main().replaceChildren(el("section", { class: "documents" },
    el("h2", {}, "Documents"),
    el("p", {}, "The official outcome documents are listed with their symbols; until their official files are imported, the corpus holds only the paragraphs the background documents quote. To add one: ",
      el("code", {}, "wsis fetch ID"), " (downloads it from its official address), or ", el("code", {}, "wsis import FILE --doc ID"), " for a file you have, then ", el("code", {}, "wsis index"), "."),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ["Title", "Symbol", "Date", "Kind", "In the corpus", "Official text"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)))));
}

function renderAbout() {
  document.title = "Sources — wsis-search";
  const sources = (catalog || []).filter((d) => d.full_text);
  main().replaceChildren(el("section", { class: "about" },
    el("h2", {}, "Sources and terms"),
    el("p", {}, "Every paragraph shown here is the text of a source file, with the file and lines it comes from. No text is written by hand. A quote that is only part of a paragraph is marked “partial quote”. A field a document does not give (its publisher, date or address) is left empty."),
    el("ul", {}, sources.map((d) => el("li", {},
      el("strong", {}, d.title), ` (${d.kind})`,
      d.publisher ? ` — published by ${d.publisher}` : " — publisher not given",
      d.date ? `, ${d.date}` : "",
      webAddress(d.source_url) ? [", ", el("a", { href: webAddress(d.source_url), rel: "noopener noreferrer" }, d.source_url)] : ", address not given",
      d.source_file ? ` (carried over from ${d.source_file})` : "")))));
}

// ---------------------------------------------------------------- wiring

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("q");
  box.addEventListener("input", onType);
  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(searchTimer);
    navigate(searchUrl({ ...searchParams(), q: box.value, offset: 0, exact: false }));
  });
  document.addEventListener("click", (e) => {
    const link = e.target.closest("a[data-nav]");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin) return;
    e.preventDefault();
    if (url.pathname === location.pathname && url.search === location.search && url.hash) {
      history.pushState(null, "", url);
      highlightTarget();
      return;
    }
    navigate(url.pathname + url.search + url.hash);
  });
  document.addEventListener("keydown", (e) => {
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
    if (e.key === "/" && !typing) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  });
  window.addEventListener("popstate", route);
  window.addEventListener("hashchange", highlightTarget);
  if (location.pathname === "/") box.focus();
  route();
});
