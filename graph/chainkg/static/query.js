// chainkg query page: a SPARQL editor (CodeMirror, bundled in sparql-editor.min.js) with the
// preset prefixes, completion of the ontology's terms and a warning for unknown prefixes;
// named queries from /api/queries; results from /sparql as a sortable table with entity
// links to the local site, a bar chart for label + number answers, and share links that keep
// the whole query and its parameters. All data text is inserted as text, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
let named = [];
let prefixes = {}; // label -> namespace (the server adds these to every query)
let terms = []; // completion options: ontology terms as prefixed names
let editor = null;
let lastData = null;

const INTERNAL = /^gap-/; // building blocks of the gap analysis, listed apart
const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "GRAPH", "UNION",
  "ORDER BY", "GROUP BY", "LIMIT", "OFFSET", "COUNT", "SAMPLE", "GROUP_CONCAT", "VALUES",
  "BIND", "LANG", "STR", "CONTAINS", "EXISTS", "NOT EXISTS", "ASK", "CONSTRUCT", "DESCRIBE",
  "PREFIX", "a"];

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function queryText() {
  return editor ? editor.value : $("query").value;
}

function setQueryText(text) {
  if (editor) editor.value = text;
  $("query").value = text;
}

// ---- prefixes, completion, lint

function declaredPrefixes(text) {
  const found = {};
  for (const m of text.matchAll(/PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>/gi)) {
    found[m[1] || ""] = m[2];
  }
  return found;
}

function stripStrings(text) {
  // Blank out comments, strings and IRIs so that "x:y" inside them is not read as a name.
  return text.replace(/#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>/g,
    (m) => " ".repeat(m.length));
}

function prefixProblems(text) {
  const problems = [];
  const own = declaredPrefixes(text);
  for (const [label, iri] of Object.entries(own)) {
    if (label in prefixes && prefixes[label] !== iri) {
      const at = text.search(new RegExp("PREFIX\\s+" + label + ":", "i"));
      problems.push({ from: Math.max(at, 0), to: Math.max(at, 0) + 7 + label.length,
        message: `前缀 ${label}: 指向 <${iri}>，不是本图谱的 <${prefixes[label]}>` });
    }
  }
  const body = stripStrings(text);
  const seen = new Set();
  for (const m of body.matchAll(/(^|[\s({;,.^/|!=])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)?/g)) {
    const label = m[2] || "";
    if (label in prefixes || label in own || /^(PREFIX|BASE)$/i.test(label)) continue;
    if (seen.has(label)) continue;
    seen.add(label);
    const from = m.index + m[1].length;
    problems.push({ from, to: from + label.length + 1,
      message: `前缀 ${label}: 不是本图谱的前缀（可用：${Object.keys(prefixes).join(", ")}）；` +
        "这样的查询会报错或返回 0 行" });
  }
  return problems;
}

function lint(text) {
  const problems = prefixProblems(text);
  showWarnings(problems);
  return problems.map((p) => ({ from: p.from, to: p.to, severity: "warning", message: p.message }));
}

function showWarnings(problems) {
  const box = $("warnings");
  box.replaceChildren();
  for (const p of problems) {
    const li = document.createElement("li");
    li.textContent = "⚠ " + p.message;
    box.append(li);
  }
  box.hidden = problems.length === 0;
}

function prefixed(iri) {
  for (const [label, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && /^[A-Za-z_][\w-]*$/.test(iri.slice(ns.length))) {
      return label + ":" + iri.slice(ns.length);
    }
  }
  return null;
}

async function loadTerms() {
  const text = `SELECT DISTINCT ?term ?kind ?label WHERE {
  { ?term a ?kind } UNION { GRAPH ?g { ?term a ?kind } }
  FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
  OPTIONAL { ?term rdfs:label ?label . FILTER(LANG(?label) = "zh") }
}`;
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/sparql-results+json" },
    body: new URLSearchParams({ query: text }),
  });
  if (!response.ok) return;
  const data = await response.json();
  const options = new Map();
  for (const row of data.results.bindings) {
    const name = prefixed(row.term.value);
    if (!name || options.has(name)) continue;
    const kind = row.kind.value.endsWith("Class") ? "class" : "property";
    options.set(name, { label: name, type: kind, detail: row.label ? row.label.value : "" });
  }
  terms = [
    ...[...options.values()].sort((a, b) => a.label.localeCompare(b.label)),
    ...Object.keys(prefixes).map((p) => ({ label: p + ":", type: "namespace", detail: prefixes[p] })),
    ...KEYWORDS.map((k) => ({ label: k, type: "keyword" })),
  ];
  $("editor").dataset.terms = String(options.size);
}

// ---- named queries and parameters

function showParams(query, values = {}) {
  const box = $("params");
  box.replaceChildren();
  for (const [name, help] of Object.entries(query ? query.params : {})) {
    const label = document.createElement("label");
    label.textContent = "?" + name;
    const input = document.createElement("input");
    input.dataset.param = name;
    input.placeholder = help || "an IRI in <…>, or text";
    input.value = values[name] || "";
    input.addEventListener("input", updateShareLink);
    label.append(input);
    box.append(label);
  }
}

function pickNamed(values) {
  const query = named.find((q) => q.name === $("named").value);
  $("summary").textContent = query ? query.summary : "";
  if (query) setQueryText(query.text);
  showParams(query, values || {});
  updateShareLink();
}

function currentParams() {
  const params = {};
  for (const input of document.querySelectorAll("#params input")) {
    if (input.value.trim()) params[input.dataset.param] = input.value;
  }
  return params;
}

// The share link keeps the named query, its parameters and the text as edited.
function shareUrl() {
  const url = new URL(location.href);
  url.search = "";
  url.hash = "";
  const name = $("named").value;
  if (name) url.searchParams.set("q", name);
  for (const [k, v] of Object.entries(currentParams())) url.searchParams.set("p." + k, v);
  const query = named.find((q) => q.name === name);
  if (!query || query.text !== queryText()) url.searchParams.set("query", queryText());
  return url.toString();
}

function updateShareLink() {
  const url = shareUrl();
  $("share").href = url;
  history.replaceState(null, "", url);
}

async function boundQuery() {
  const params = currentParams();
  const text = queryText();
  if (!Object.keys(params).length) return text;
  const response = await fetch("/api/bind", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: text, params }),
  });
  if (!response.ok) throw new Error(await response.text());
  return (await response.json()).query;
}

// ---- results

function localName(iri) {
  return iri.split("#").pop().split("/").pop();
}

function siteKey(iri) {
  return localName(iri).replace(/[^A-Za-z0-9._-]/g, "_") || "_";
}

let siteKeys = null; // the keys of the site's entity pages (site/entities/index.json)
async function localPage(iri) {
  // The site's page for an entity IRI, if the site has one.
  if (prefixed(iri)) return null; // a vocabulary term, not an entity
  if (siteKeys === null) {
    siteKeys = fetch("/site/entities/index.json")
      .then((r) => (r.ok ? r.json() : []))
      .then((keys) => new Set(keys))
      .catch(() => new Set());
  }
  const key = siteKey(iri);
  return (await siteKeys).has(key) ? "/site/entities/" + encodeURIComponent(key) + ".html" : null;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.textContent = prefixed(term.value) || term.value;
    a.title = term.value;
    a.href = term.value;
    a.target = "_blank";
    a.rel = "noopener";
    a.dataset.iri = term.value;
    td.append(a);
  } else {
    td.textContent = term.value; // language tags are not shown; the tooltip has them
    if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
    else if (term.datatype) td.title = prefixed(term.datatype) || term.datatype;
    if (isNumber(term)) td.className = "num";
  }
  return td;
}

async function linkEntities(table) {
  const links = [...table.querySelectorAll("a[data-iri]")].slice(0, 2000);
  await Promise.all(links.map(async (a) => {
    const href = await localPage(a.dataset.iri);
    if (href) {
      a.href = href;
      a.removeAttribute("target");
      a.classList.add("local");
    }
  }));
}

const NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;

function isNumber(term) {
  // A literal typed as a number (what a chart may draw).
  return Boolean(term && term.type !== "uri" && term.datatype && NUMERIC.test(term.datatype) &&
    !isNaN(Number(term.value)));
}

function looksNumeric(term) {
  return Boolean(term && term.type !== "uri" && term.value.trim() !== "" && !isNaN(Number(term.value)));
}

function sortValue(term) {
  if (!term) return [2, ""];
  if (looksNumeric(term)) return [0, Number(term.value)];
  return [1, term.value];
}

function renderTable(data) {
  const vars = data.head.vars;
  const rows = data.results.bindings.slice();
  const table = document.createElement("table");
  table.className = "results";
  const head = table.createTHead().insertRow();
  const body = table.createTBody();
  let sortState = { column: null, dir: 1 };
  function fill() {
    body.replaceChildren();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.append(cell(row[v]));
    }
    linkEntities(table);
  }
  for (const v of vars) {
    const th = document.createElement("th");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = v;
    button.title = "点击排序";
    button.addEventListener("click", () => {
      sortState = { column: v, dir: sortState.column === v ? -sortState.dir : 1 };
      rows.sort((a, b) => {
        const x = sortValue(a[v]), y = sortValue(b[v]);
        if (x[0] !== y[0]) return x[0] - y[0];
        return (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) * sortState.dir;
      });
      for (const other of head.querySelectorAll("th")) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", sortState.dir > 0 ? "ascending" : "descending");
      fill();
    });
    th.append(button);
    head.append(th);
  }
  fill();
  return table;
}

// Two columns, the second numeric: a bar per row (label, value).
function renderChart(data) {
  const vars = data.head.vars;
  const rows = data.results.bindings;
  if (vars.length !== 2 || !rows.length || rows.length > 100) return null;
  if (!rows.every((r) => isNumber(r[vars[1]]))) return null;
  const max = Math.max(...rows.map((r) => Number(r[vars[1]].value)), 0) || 1;
  const chart = document.createElement("div");
  chart.className = "chart";
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `${vars[1]} by ${vars[0]}`);
  for (const r of rows) {
    const line = document.createElement("div");
    line.className = "bar-row";
    const name = document.createElement("span");
    name.className = "bar-label";
    const term = r[vars[0]];
    name.textContent = term ? (term.type === "uri" ? prefixed(term.value) || localName(term.value) : term.value) : "";
    const track = document.createElement("span");
    track.className = "bar-track";
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = (100 * Math.max(Number(r[vars[1]].value), 0) / max).toFixed(1) + "%";
    const value = document.createElement("span");
    value.className = "bar-value";
    value.textContent = r[vars[1]].value;
    track.append(bar);
    line.append(name, track, value);
    chart.append(line);
  }
  return chart;
}

async function run() {
  const out = $("result");
  out.replaceChildren();
  setStatus("running…");
  const started = performance.now();
  try {
    updateShareLink();
    const text = await boundQuery();
    $("sent").hidden = text === queryText();
    $("sent-text").textContent = text;
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query: text }),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      const pre = document.createElement("pre");
      pre.className = "error-box";
      pre.textContent = await response.text();
      out.append(pre);
      setStatus(`HTTP ${response.status} after ${seconds} s`, true);
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      lastData = data;
      if ("boolean" in data) {
        const pre = document.createElement("pre");
        pre.textContent = "ASK → " + data.boolean;
        out.append(pre);
        setStatus(`1 answer in ${seconds} s`);
        return;
      }
      const n = data.results.bindings.length;
      const chart = renderChart(data);
      if (chart) out.append(chart);
      out.append(renderTable(data));
      const warn = n === 0 && prefixProblems(queryText()).length ? " — 检查上面的前缀警告" : "";
      setStatus(`${n} row(s) in ${seconds} s${warn}`, Boolean(warn));
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      out.append(pre);
      setStatus(`${type.split(";")[0]} in ${seconds} s`);
    }
  } catch (error) {
    setStatus(String(error.message || error), true);
  }
}

async function download(format) {
  try {
    const form = $("download");
    form.elements.query.value = await boundQuery();
    form.elements.format.value = format;
    form.submit();
  } catch (error) {
    setStatus(String(error.message || error), true);
  }
}

function fillNamedList() {
  const select = $("named");
  const showInternal = $("show-internal").checked;
  const keep = select.value;
  for (const el of [...select.querySelectorAll("optgroup")]) el.remove();
  const groups = [["查询 (questions)", named.filter((q) => !INTERNAL.test(q.name))]];
  if (showInternal) groups.push(["缺口分析内部查询 (building blocks)", named.filter((q) => INTERNAL.test(q.name))]);
  for (const [title, items] of groups) {
    const group = document.createElement("optgroup");
    group.label = title;
    for (const q of items) {
      const option = document.createElement("option");
      option.value = q.name;
      const first = q.summary.split(/(?<=[.。;；])\s|\s—\s|, with |,/)[0];
      option.textContent = `${q.name} — ${first.length > 70 ? first.slice(0, 69) + "…" : first}`;
      option.title = q.summary;
      group.append(option);
    }
    select.append(group);
  }
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

async function init() {
  $("run").addEventListener("click", run);
  $("named").addEventListener("change", () => pickNamed());
  $("show-internal").addEventListener("change", fillNamedList);
  $("copy-share").addEventListener("click", async () => {
    updateShareLink();
    try {
      await navigator.clipboard.writeText($("share").href);
      setStatus("链接已复制");
    } catch (error) {
      setStatus("复制失败：请右键复制“分享链接”");
    }
  });
  for (const button of document.querySelectorAll("[data-format]")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }
  try {
    prefixes = await (await fetch("/static/prefixes.json")).json();
  } catch (error) {
    setStatus("could not load the prefixes: " + error, true);
  }
  $("prefix-list").textContent = Object.keys(prefixes).map((p) => p + ":").join(" ");
  if (window.ChainkgEditor) {
    const box = $("editor");
    $("query").hidden = true;
    editor = window.ChainkgEditor.create(box, {
      doc: $("query").value,
      completions: () => terms,
      lint,
      onRun: run,
      onChange: (text) => { $("query").value = text; updateShareLink(); },
    });
    window.chainkgEditor = editor;
  } else {
    $("query").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run();
    });
    $("query").addEventListener("input", () => { lint($("query").value); updateShareLink(); });
  }
  try {
    named = await (await fetch("/api/queries")).json();
  } catch (error) {
    setStatus("could not load the named queries: " + error, true);
  }
  const params = new URL(location.href).searchParams;
  const wanted = params.get("q");
  if (wanted && INTERNAL.test(wanted)) $("show-internal").checked = true;
  fillNamedList();
  const values = {};
  for (const [k, v] of params) if (k.startsWith("p.")) values[k.slice(2)] = v;
  if (wanted && named.some((q) => q.name === wanted)) {
    $("named").value = wanted;
    pickNamed(values);
  } else if (!params.get("query") && named.length) {
    $("named").value = named.find((q) => !INTERNAL.test(q.name)).name;
    pickNamed();
  } else {
    $("named").value = "";
    showParams(null);
  }
  if (params.get("query") !== null) setQueryText(params.get("query"));
  lint(queryText());
  updateShareLink();
  document.body.dataset.ready = "1";
  loadTerms().catch(() => {});
}

init();
