// chainkg query page: named queries from /api/queries, results from /sparql as a table.
"use strict";

const $ = (id) => document.getElementById(id);
let named = [];

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function showParams(query) {
  const box = $("params");
  box.replaceChildren();
  for (const [name, help] of Object.entries(query ? query.params : {})) {
    const label = document.createElement("label");
    label.textContent = "?" + name;
    const input = document.createElement("input");
    input.dataset.param = name;
    input.placeholder = help || "an IRI in <…>, or text";
    label.append(input);
    box.append(label);
  }
}

function pickNamed() {
  const query = named.find((q) => q.name === $("named").value);
  $("summary").textContent = query ? query.summary : "";
  if (query) $("query").value = query.text;
  showParams(query);
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query.name); else url.searchParams.delete("q");
  history.replaceState(null, "", url);
}

async function boundQuery() {
  const params = {};
  for (const input of document.querySelectorAll("#params input")) {
    if (input.value.trim()) params[input.dataset.param] = input.value;
  }
  const text = $("query").value;
  if (!Object.keys(params).length) return text;
  const response = await fetch("/api/bind", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: text, params }),
  });
  if (!response.ok) throw new Error(await response.text());
  return (await response.json()).query;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = term.value;
    a.textContent = term.value;
    a.target = "_blank";
    a.rel = "noopener";
    td.append(a);
  } else {
    td.textContent = term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
    if (term.datatype) td.title = term.datatype;
  }
  return td;
}

function renderTable(data) {
  if ("boolean" in data) {
    const pre = document.createElement("pre");
    pre.textContent = "ASK → " + data.boolean;
    return [pre, "1 answer"];
  }
  const vars = data.head.vars;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of data.results.bindings) {
    const tr = body.insertRow();
    for (const v of vars) tr.append(cell(row[v]));
  }
  return [table, data.results.bindings.length + " row(s)"];
}

async function run() {
  const out = $("result");
  out.replaceChildren();
  setStatus("running…");
  const started = performance.now();
  try {
    const text = await boundQuery();
    $("sent").hidden = text === $("query").value;
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
      const [node, count] = renderTable(await response.json());
      out.append(node);
      setStatus(`${count} in ${seconds} s`);
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

async function init() {
  $("run").addEventListener("click", run);
  $("named").addEventListener("change", pickNamed);
  $("query").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run();
  });
  for (const button of document.querySelectorAll("[data-format]")) {
    button.addEventListener("click", () => download(button.dataset.format));
  }
  try {
    named = await (await fetch("/api/queries")).json();
  } catch (error) {
    setStatus("could not load the named queries: " + error, true);
  }
  for (const q of named) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = `${q.name} — ${q.summary}`;
    $("named").append(option);
  }
  const wanted = new URL(location.href).searchParams.get("q");
  if (wanted && named.some((q) => q.name === wanted)) {
    $("named").value = wanted;
    pickNamed();
  } else if (named.length) {
    $("named").value = named[0].name;
    pickNamed();
  }
}

init();
