/* chainkg network view: draws the view data embedded in the page with vis-network.
   All text from the data is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view-data").textContent);
  var root = data.root || "";
  var hiddenTypes = data.hiddenTypes || [];
  data.nodes.forEach(function (n) {
    if (hiddenTypes.indexOf(n.group) >= 0) n.hidden = true;
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var view = {
    network: network,
    nodes: nodes,
    edges: edges,
    expected: data.nodes.length,
    ready: false,
    readyMs: null,
    hiddenTypes: hiddenTypes.slice(),
    visibleCount: function () {
      return nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    },
    fit: fit,
  };
  window.chainkgView = view;

  function visibleIds(ids) {
    return ids.filter(function (id) { var n = nodes.get(id); return n && !n.hidden; });
  }
  // Fit the drawing to what matters (a chain map: its segments, firms and count nodes), but
  // never so far out that firms' labels drop below data.minLabelPx on screen: then start at
  // the upstream end at that scale.
  function fit() {
    var ids = data.fit && data.fit.length ? visibleIds(data.fit) : undefined;
    network.fit(ids && ids.length ? { nodes: ids, animation: false } : { animation: false });
    if (data.minLabelPx && data.actorFont) {
      var least = data.minLabelPx / data.actorFont;
      if (network.getScale() < least) {
        var box = null;
        (ids || nodes.getIds()).forEach(function (id) {
          var b = network.getBoundingBox(id);
          if (!b) return;
          box = box ? { left: Math.min(box.left, b.left), top: Math.min(box.top, b.top),
                        bottom: Math.max(box.bottom, b.bottom) } : b;
        });
        var w = container.clientWidth, h = container.clientHeight;
        var x = box ? box.left + (w / 2) / least - 20 / least : 0;
        var y = box ? box.top + (h / 2 - 24) / least : 0;
        network.moveTo({ position: { x: x, y: y }, scale: least, animation: false });
      }
    }
  }

  network.once("afterDrawing", function () {
    fit();
    view.ready = true;
    view.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function entityHref(key) { return root + "entities/" + encodeURIComponent(key) + ".html"; }
  function egoHref(key) { return root + "ego/" + encodeURIComponent(key) + ".html"; }

  // Legend: one button per type with its count; a click hides or shows that type.
  var legend = document.getElementById("legend");
  data.legend.forEach(function (item) {
    var b = el("button", null, "legend-item");
    b.type = "button";
    b.setAttribute("data-type", item.type);
    if (hiddenTypes.indexOf(item.type) >= 0) b.classList.add("off");
    b.setAttribute("aria-pressed", hiddenTypes.indexOf(item.type) >= 0 ? "false" : "true");
    var sw = el("span", null, "swatch");
    sw.style.background = item.color;
    b.appendChild(sw);
    b.appendChild(el("span", item.label + " (" + item.count + ")"));
    b.addEventListener("click", function () {
      var hide = !b.classList.contains("off");
      b.classList.toggle("off", hide);
      b.setAttribute("aria-pressed", hide ? "false" : "true");
      var ids = nodes.getIds({ filter: function (n) {
        return n.group === item.type && !n.collapsed && !n.members;
      } });
      nodes.update(ids.map(function (id) { return { id: id, hidden: hide }; }));
      view.hiddenTypes = Array.prototype.map.call(
        legend.querySelectorAll(".legend-item.off"),
        function (x) { return x.getAttribute("data-type"); });
    });
    legend.appendChild(b);
  });

  // Collapsed projects / programs / events: a click on the count node shows or hides them.
  function toggleGroup(g) {
    var open = !g.open;
    nodes.update([{ id: g.id, open: open,
      label: g.label.replace(/ [▸▾]$/, "") + (open ? " ▾" : " ▸") }]);
    nodes.update(g.members.map(function (id) { return { id: id, hidden: !open }; }));
  }
  view.toggleGroup = function (id) { toggleGroup(nodes.get(id)); };

  // Details panel for the clicked node: links to its page and ego network, and its evidence.
  var info = document.getElementById("info");
  var details = data.details || {};
  function show(id) {
    var n = nodes.get(id);
    if (!n) return;
    info.textContent = "";
    info.appendChild(el("h3", n.label ? n.label.split("\n")[0] : String(n.title).split("\n")[0]));
    info.appendChild(el("pre", n.title, "tip"));
    if (n.members) return;
    if (n.category) {  // a reference category: no entity page; the gap report has its table
      if (data.panoramaHref) {
        var pa = el("a", "全景表（缺链弱链报告）");
        pa.href = root + data.panoramaHref;
        var pp = el("p", null, "links");
        pp.appendChild(pa);
        info.appendChild(pp);
      }
      return;
    }
    var p = el("p", null, "links");
    var a1 = el("a", "实体页面");
    a1.href = entityHref(n.id);
    var a2 = el("a", "关系网络");
    a2.href = egoHref(n.id);
    p.appendChild(a1);
    p.appendChild(document.createTextNode(" · "));
    p.appendChild(a2);
    info.appendChild(p);
    var d = details[n.id];
    if (d) {
      var box = el("div", null, "node-evidence");
      box.appendChild(el("h4", "证据（" + d.total + " 条）"));
      if (!d.quotes.length) box.appendChild(el("p", "无直接证据。", "none"));
      d.quotes.forEach(function (q) {
        var item = el("p", null, "evidence");
        item.appendChild(el("span", "「" + q.quote + "」", "quote"));
        item.appendChild(document.createTextNode(" —"));
        if (q.href) {
          var a = el("a", q.title);
          a.href = root + q.href;
          item.appendChild(a);
        } else {
          item.appendChild(document.createTextNode(q.title));
        }
        if (q.date) item.appendChild(document.createTextNode(" · " + q.date));
        box.appendChild(item);
      });
      if (d.total > d.quotes.length) {
        var more = el("a", "全部 " + d.total + " 条证据");
        more.href = entityHref(n.id);
        box.appendChild(more);
      }
      info.appendChild(box);
    }
  }
  view.show = show;
  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var n = nodes.get(params.nodes[0]);
    if (n && n.members) toggleGroup(n);
    show(params.nodes[0]);
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) return;
    var n = nodes.get(params.nodes[0]);
    if (n && !n.members && !n.category) window.location.href = entityHref(params.nodes[0]);
  });

  // Toolbar: zoom, fit, full screen.
  function zoom(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
  }
  function on(id, f) { var b = document.getElementById(id); if (b) b.addEventListener("click", f); }
  on("zoom-in", function () { zoom(1.25); });
  on("zoom-out", function () { zoom(0.8); });
  on("zoom-fit", function () { network.fit({ animation: false }); });
  on("full-screen", function () {
    var box = document.querySelector(".network-layout");
    if (document.fullscreenElement) document.exitFullscreen();
    else if (box.requestFullscreen) box.requestFullscreen().catch(function () {
      document.body.classList.toggle("maximised");
    });
  });
  on("toggle-side", function () { document.body.classList.toggle("side-open"); });

  // Search within the map: names and aliases; a hit is selected, shown and focused.
  var search = document.getElementById("map-search");
  var hits = document.getElementById("map-hits");
  if (search && hits) {
    var all = data.nodes.concat([]);
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      hits.textContent = "";
      if (!q) return;
      var found = all.filter(function (n) {
        return !n.members && String(n.title || "").toLowerCase().indexOf(q) >= 0;
      }).slice(0, 12);
      found.forEach(function (n) {
        var b = el("button", String(n.title).split("\n")[0], "hit");
        b.type = "button";
        b.setAttribute("data-id", n.id);
        b.addEventListener("click", function () { focusNode(n.id); });
        hits.appendChild(b);
      });
      if (!found.length) hits.appendChild(el("span", "无结果", "none"));
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { var b = hits.querySelector("button"); if (b) b.click(); }
    });
  }
  function focusNode(id) {
    var n = nodes.get(id);
    if (!n) return;
    if (n.hidden) {
      if (n.collapsed) { var g = nodes.get(n.collapsed); if (g && !g.open) toggleGroup(g); }
      nodes.update([{ id: id, hidden: false }]);
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    show(id);
  }
  view.focusNode = focusNode;

  // Chain maps: stage bands (upstream / midstream / downstream) behind the segments.
  if (data.bands && data.bands.length) {
    network.on("beforeDrawing", function (ctx) {
      data.bands.forEach(function (band, i) {
        ctx.fillStyle = i % 2 ? "rgba(148,103,189,0.06)" : "rgba(148,103,189,0.12)";
        ctx.fillRect(band.x0, -60, band.x1 - band.x0, band.y1 + 60);
        ctx.fillStyle = "#6a4c93";
        ctx.font = "bold 20px " + data.options.nodes.font.face;
        ctx.textAlign = "center";
        ctx.fillText(band.label, (band.x0 + band.x1) / 2, -40);
      });
    });
  }
})();
