/* sitroom dashboard: a small vanilla-JS app over the JSON API.
 *
 * State lives in the address bar (the same parameter names as the API), so every view can be
 * bookmarked and shared. Every string that comes from an article or an extraction is put in
 * the page as text (textContent, setAttribute), never as HTML.
 */
(function () {
  "use strict";

  var TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"];
  var COLORS = ["#c0392b", "#e67e22", "#8e44ad", "#27ae60", "#7f5539", "#2c7fb8"];
  var FILTERS = ["from", "to", "type", "sub_type", "country", "admin1", "actor", "modality", "source", "bbox",
                 "min_fatalities", "q"];
  var CLAIM_FILTERS = ["claimant", "certainty", "stance"];
  var VIEWS = ["overview", "claims", "hypotheses", "event", "article"];
  var PER_PAGE = 25;

  var subTypes = {};
  var map = null, outlines = null, clusters = null, lastPointsKey = null;
  var renderSeq = 0;

  // -- small helpers ------------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k.slice(0, 2) === "on" && typeof v === "function") node.addEventListener(k.slice(2), v);
        else if (k === "dataset") Object.keys(v).forEach(function (d) { node.dataset[d] = v[d]; });
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function $(id) { return document.getElementById(id); }
  function typeIndex(t) { var i = TYPES.indexOf(t); return i < 0 ? 5 : i; }
  function swatch(t) { return el("span", { class: "swatch", style: "background:" + COLORS[typeIndex(t)] }); }

  function params() { return new URLSearchParams(window.location.search); }

  function pick(p, keys) {
    var out = new URLSearchParams();
    keys.forEach(function (k) { p.getAll(k).forEach(function (v) { if (v !== "") out.append(k, v); }); });
    return out;
  }

  function href(changes, base) {
    var p = base ? new URLSearchParams(base) : params();
    Object.keys(changes).forEach(function (k) {
      p.delete(k);
      var v = changes[k];
      if (v === null || v === undefined || v === "") return;
      (Array.isArray(v) ? v : [v]).forEach(function (x) { p.append(k, x); });
    });
    var s = p.toString();
    return s ? "?" + s : "?";
  }

  // a link inside the app: a real href (open in new tab works), a plain click navigates in place
  function link(text, url, attrs) {
    var a = el("a", Object.assign({ href: url }, attrs || {}), text);
    a.addEventListener("click", function (e) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      go(url);
    });
    return a;
  }

  function viewLink(text, changes) {
    var keep = pick(params(), FILTERS.concat(CLAIM_FILTERS));
    return link(text, href(changes, keep));
  }

  function go(url, replace) {
    if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    render();
  }

  function status(text, isError) {
    var s = $("status");
    s.textContent = text || "";
    s.className = isError ? "error" : "";
  }

  function api(path, query) {
    var url = path + (query && query.toString() ? "?" + query.toString() : "");
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) throw new Error(body.message || ("request failed: " + r.status));
        return body;
      });
    });
  }

  function dateText(r) {
    if (r.event_date) return r.event_date;
    if (r.date_start && r.date_end && r.date_start !== r.date_end) return r.date_start + " – " + r.date_end;
    return r.date_start || "undated";
  }

  function fatalText(r) {
    if (r.fatalities !== null && r.fatalities !== undefined) {
      var range = (r.fatalities_min !== null && r.fatalities_max !== null && r.fatalities_min !== undefined &&
                   r.fatalities_min !== r.fatalities_max) ? " (" + r.fatalities_min + "–" + r.fatalities_max + ")" : "";
      return String(r.fatalities) + range;
    }
    if (r.fatalities_min !== null && r.fatalities_min !== undefined) return "≥" + r.fatalities_min;
    return "";
  }

  function placeText(r) {
    return [r.location, r.admin1 !== r.location ? r.admin1 : null, r.country !== r.location ? r.country : null]
      .filter(Boolean).join(", ");
  }

  function badge(text, cls) { return el("span", { class: "badge " + (cls || "") }, text); }

  // -- filters form -------------------------------------------------------------------------

  function buildTypeBoxes() {
    var box = $("type-boxes");
    TYPES.forEach(function (t, i) {
      box.appendChild(el("label", null,
        el("input", { type: "checkbox", name: "type", value: t, id: "f-type-" + i }),
        swatch(t), t));
    });
    box.addEventListener("change", fillSubTypes);
  }

  function fillSubTypes() {
    var sel = $("f-sub_type");
    var current = sel.value || params().get("sub_type") || "";
    var chosen = Array.prototype.slice.call(document.querySelectorAll("#type-boxes input:checked"))
      .map(function (x) { return x.value; });
    var types = chosen.length ? chosen : TYPES;
    clear(sel).appendChild(el("option", { value: "" }, "any"));
    types.forEach(function (t) {
      (subTypes[t] || []).forEach(function (s) { sel.appendChild(el("option", { value: s }, s)); });
    });
    sel.value = Array.prototype.some.call(sel.options, function (o) { return o.value === current; }) ? current : "";
  }

  function formToUrl() {
    var form = $("filters");
    var p = pick(params(), ["view"].concat(CLAIM_FILTERS, ["csort"]));
    if (!p.get("view") || p.get("view") === "event" || p.get("view") === "article") p.set("view", "overview");
    form.querySelectorAll("#type-boxes input:checked").forEach(function (x) { p.append("type", x.value); });
    ["sub_type", "from", "to", "q", "country", "admin1", "actor", "source", "modality", "min_fatalities", "bbox"]
      .forEach(function (k) {
        var v = $("f-" + k).value.trim();
        if (v) p.set(k, v);
      });
    return "?" + p.toString();
  }

  function urlToForm(p) {
    var types = p.getAll("type");
    document.querySelectorAll("#type-boxes input").forEach(function (x) { x.checked = types.indexOf(x.value) >= 0; });
    fillSubTypes();
    ["sub_type", "from", "to", "q", "country", "admin1", "actor", "source", "modality", "min_fatalities", "bbox"]
      .forEach(function (k) { $("f-" + k).value = p.get(k) || ""; });
    $("c-claimant").value = p.get("claimant") || "";
    $("c-certainty").value = p.get("certainty") || "";
    $("c-stance").value = p.get("stance") || "";
    $("c-sort").value = p.get("csort") || "claimant";
  }

  function fillDatalist(id, values) {
    var dl = clear($(id));
    (values || []).forEach(function (v) { dl.appendChild(el("option", { value: v })); });
  }

  function wireForms() {
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); go(formToUrl()); });
    $("reset").addEventListener("click", function () {
      var v = params().get("view") || "overview";
      go("?view=" + encodeURIComponent(v === "event" || v === "article" ? "overview" : v));
    });
    $("use-map-area").addEventListener("click", function () {
      if (!map) return;
      var b = map.getBounds();
      var clamp = function (x, lo, hi) { return Math.max(lo, Math.min(hi, x)).toFixed(3); };
      $("f-bbox").value = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
                           clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].join(",");
      go(formToUrl());
    });
    $("clear-dates").addEventListener("click", function () { go(href({ from: null, to: null, page: null })); });
    $("claim-filters").addEventListener("submit", function (e) {
      e.preventDefault();
      go(href({ view: "claims", claimant: $("c-claimant").value.trim(), certainty: $("c-certainty").value,
                stance: $("c-stance").value, csort: $("c-sort").value === "claimant" ? null : $("c-sort").value,
                cpage: null }));
    });
    $("filters-toggle").addEventListener("click", function () {
      var f = $("filters");
      var open = !f.classList.contains("open");
      f.classList.toggle("open", open);
      this.setAttribute("aria-expanded", String(open));
    });
    document.querySelectorAll("[data-nav]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
        e.preventDefault();
        go(href({ view: a.dataset.nav, id: null, doc: null, hl: null }, pick(params(), FILTERS.concat(CLAIM_FILTERS))));
      });
    });
    window.addEventListener("popstate", render);
  }

  // -- map ----------------------------------------------------------------------------------

  function topoToGeo(topo, name) {
    var tf = topo.transform;
    var arcs = topo.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (p) {
        if (!tf) return p;
        x += p[0]; y += p[1];
        return [x * tf.scale[0] + tf.translate[0], y * tf.scale[1] + tf.translate[1]];
      });
    });
    function ring(ids) {
      var pts = [], shift = 0, prev = null;
      ids.forEach(function (i, k) {
        var a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
        a.forEach(function (p, j) {
          if (k > 0 && j === 0) return;
          // unwrap rings that cross the antimeridian (Russia, Fiji) instead of drawing across the map
          if (prev !== null && Math.abs(p[0] - prev) > 180) shift += p[0] < prev ? 360 : -360;
          prev = p[0];
          pts.push([p[0] + shift, p[1]]);
        });
      });
      return pts;
    }
    function geom(g) {
      if (g.type === "Polygon") return { type: "Polygon", coordinates: g.arcs.map(ring) };
      if (g.type === "MultiPolygon") return { type: "MultiPolygon", coordinates: g.arcs.map(function (p) { return p.map(ring); }) };
      return null;
    }
    return {
      type: "FeatureCollection",
      features: topo.objects[name].geometries.filter(function (g) {
        return g.id !== "010";  // Antarctica: a ring around the pole that a flat map cannot close
      }).map(function (g) {
        return { type: "Feature", properties: g.properties || {}, geometry: geom(g) };
      }).filter(function (f) { return f.geometry; })
    };
  }

  function ensureMap() {
    if (map) { map.invalidateSize(); return; }
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 }).setView([25, 20], 2);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Outlines: Natural Earth (world-atlas)");
    fetch("/static/vendor/world-atlas/countries-110m.json").then(function (r) { return r.json(); }).then(function (topo) {
      outlines = L.geoJSON(topoToGeo(topo, "countries"), {
        interactive: false,
        style: { color: "#9aa3a8", weight: 0.7, fillColor: "#f7f5ee", fillOpacity: 1 }
      }).addTo(map);
      outlines.bringToBack();
    }).catch(function () { /* outlines are decoration: the markers still work without them */ });
    clusters = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
      iconCreateFunction: clusterIcon
    });
    map.addLayer(clusters);
  }

  function clusterIcon(cluster) {
    var counts = [0, 0, 0, 0, 0, 0];
    cluster.getAllChildMarkers().forEach(function (m) { counts[m.options.typeIndex] += 1; });
    var n = cluster.getChildCount(), acc = 0, stops = [];
    counts.forEach(function (c, i) {
      if (!c) return;
      var a = acc / n * 360, b = (acc + c) / n * 360;
      stops.push(COLORS[i] + " " + a.toFixed(1) + "deg " + b.toFixed(1) + "deg");
      acc += c;
    });
    var size = n < 10 ? 32 : n < 100 ? 38 : 46;
    // only numbers and our own colour constants go into this HTML
    return L.divIcon({
      html: '<div class="ev-cluster" style="width:' + size + "px;height:" + size + "px;background:conic-gradient(" +
            stops.join(",") + ')"><span>' + Number(n) + "</span></div>",
      className: "ev-cluster-icon", iconSize: [size, size]
    });
  }

  function popupContent(pt, marker) {
    var box = el("div", { class: "popup", dataset: { eventId: pt.event_id } },
      el("h3", null, swatch(pt.event_type), " ", pt.sub_event_type),
      el("div", { class: "meta" }, pt.event_type + " · " + dateText(pt) +
         (pt.fatalities !== null && pt.fatalities !== undefined ? " · " + pt.fatalities + " killed" : "")),
      el("div", { class: "meta" }, [pt.location, pt.country].filter(Boolean).join(", ")),
      el("p", { class: "notes" }, "…"));
    var links = el("div", { class: "links" }, viewLink("Event details", { view: "event", id: pt.event_id }));
    box.appendChild(links);
    api("/events/" + encodeURIComponent(pt.event_id)).then(function (ev) {
      box.querySelector(".notes").textContent = ev.notes || "(no notes)";
      var first = (ev.evidence || [])[0];
      if (first) {
        links.appendChild(viewLink("Article", { view: "article", doc: first.doc_id, hl: first.start + "-" + first.end,
                                                id: ev.event_id }));
      }
      if (marker.getPopup()) marker.getPopup().update();
    }).catch(function (err) { box.querySelector(".notes").textContent = err.message; });
    return box;
  }

  function drawPoints(data, fit) {
    clusters.clearLayers();
    var markers = data.points.map(function (pt) {
      var ti = typeIndex(pt.event_type);
      var m = L.marker([pt.latitude, pt.longitude], {
        icon: L.divIcon({ className: "ev-marker ev-t" + ti, iconSize: [14, 14] }),
        title: pt.sub_event_type + " — " + (pt.location || pt.country || ""),
        alt: pt.event_type, typeIndex: ti, riseOnHover: true
      });
      m.on("add", function () {
        var node = m.getElement();
        if (node) node.dataset.eventId = pt.event_id;
      });
      var box = null;  // built on first opening, then reused (Leaflet asks again on every update)
      m.bindPopup(function () { return box || (box = popupContent(pt, m)); }, { maxWidth: 300, minWidth: 200 });
      return m;
    });
    clusters.addLayers(markers);
    if (fit && markers.length) {
      var bounds = L.latLngBounds(markers.map(function (m) { return m.getLatLng(); }));
      map.fitBounds(bounds.pad(0.3), { maxZoom: 6 });
    }
  }

  // -- timeline -----------------------------------------------------------------------------

  var DAY = 86400000;
  function toDay(s) { return Math.round(Date.parse(s + "T00:00:00Z") / DAY); }
  function fromDay(d) { return new Date(d * DAY).toISOString().slice(0, 10); }

  function svg(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  function drawTimeline(stats, p) {
    var host = clear($("timeline"));
    var width = Math.max(280, host.clientWidth || 600), height = 130, top = 6, bottom = 20;
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img",
                            "aria-label": "events per day by type; drag to select a date range" });
    host.appendChild(root);
    if (!stats.per_day.length) {
      root.appendChild(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty",
                                     text: "no dated events match these filters" }));
      return;
    }
    var lo = toDay(stats.per_day[0].date), hi = toDay(stats.per_day[stats.per_day.length - 1].date);
    var from = p.get("from"), to = p.get("to");
    if (from) lo = Math.min(lo, toDay(from));
    if (to) hi = Math.max(hi, toDay(to));
    lo -= 1; hi += 1;
    var days = hi - lo + 1;
    var bin = Math.max(1, Math.ceil(days / (width / 3)));
    var nb = Math.ceil(days / bin);
    var bins = [];
    for (var i = 0; i < nb; i++) bins.push([0, 0, 0, 0, 0, 0]);
    stats.per_day.forEach(function (r) {
      var b = Math.floor((toDay(r.date) - lo) / bin);
      bins[b][typeIndex(r.event_type)] += r.count;
    });
    var max = Math.max.apply(null, bins.map(function (b) { return b.reduce(function (s, x) { return s + x; }, 0); }));
    var bw = width / nb, plotH = height - top - bottom;
    var x = function (day) { return (day - lo) / days * width; };
    var bars = svg("g", { class: "bars" });
    bins.forEach(function (b, k) {
      var y = height - bottom;
      var total = b.reduce(function (s, v) { return s + v; }, 0);
      if (!total) return;
      var start = fromDay(lo + k * bin), end = fromDay(lo + (k + 1) * bin - 1);
      b.forEach(function (c, ti) {
        if (!c) return;
        var h = Math.max(1.5, c / max * plotH);
        y -= h;
        var rect = svg("rect", { x: (k * bw).toFixed(2), y: y.toFixed(2), width: Math.max(1, bw - 0.5).toFixed(2),
                                 height: h.toFixed(2), fill: COLORS[ti], "data-date": start });
        rect.appendChild(svg("title", { text: (bin > 1 ? start + " – " + end : start) + ": " + c + " × " + TYPES[ti] }));
        bars.appendChild(rect);
      });
    });
    root.appendChild(bars);
    var axis = svg("g", { class: "axis" });
    axis.appendChild(svg("line", { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, stroke: "#bbb" }));
    var ticks = Math.max(1, Math.min(6, days, Math.floor(width / 95)));
    for (var t = 0; t <= ticks; t++) {
      var d = lo + Math.round(t / ticks * (days - 1));
      var tx = Math.min(width - 32, Math.max(32, x(d)));
      axis.appendChild(svg("text", { x: tx, y: height - 5, "text-anchor": "middle", text: fromDay(d) }));
    }
    axis.appendChild(svg("text", { x: 4, y: 12, "text-anchor": "start",
                                   text: "max " + max + (bin > 1 ? " per " + bin + " days" : " per day") }));
    root.appendChild(axis);
    var sel = svg("rect", { class: "sel", x: 0, y: top, width: 0, height: plotH, visibility: "hidden" });
    root.appendChild(sel);
    if (from || to) {
      var a = x(from ? toDay(from) : lo), z = x((to ? toDay(to) : hi) + 1);
      sel.setAttribute("x", a); sel.setAttribute("width", Math.max(2, z - a)); sel.setAttribute("visibility", "visible");
    }
    // brushing: drag across the bars to pick a date range; a click picks one bin
    var toSvgX = function (ev) {
      var r = root.getBoundingClientRect();
      return Math.max(0, Math.min(width, (ev.clientX - r.left) / r.width * width));
    };
    var startX = null;
    root.addEventListener("pointerdown", function (ev) {
      startX = toSvgX(ev);
      root.setPointerCapture(ev.pointerId);
      sel.setAttribute("x", startX); sel.setAttribute("width", 0); sel.setAttribute("visibility", "visible");
    });
    root.addEventListener("pointermove", function (ev) {
      if (startX === null) return;
      var cx = toSvgX(ev);
      sel.setAttribute("x", Math.min(startX, cx)); sel.setAttribute("width", Math.abs(cx - startX));
    });
    root.addEventListener("pointerup", function (ev) {
      if (startX === null) return;
      var endX = toSvgX(ev), a = Math.min(startX, endX), z = Math.max(startX, endX);
      startX = null;
      var d0, d1;
      if (z - a < 3) {
        var k = Math.floor(a / bw);
        d0 = lo + k * bin; d1 = d0 + bin - 1;
      } else {
        d0 = lo + Math.floor(a / width * days); d1 = lo + Math.ceil(z / width * days) - 1;
      }
      go(href({ from: fromDay(d0), to: fromDay(Math.max(d0, d1)), page: null }));
    });
  }

  // -- events table -------------------------------------------------------------------------

  var COLUMNS = [
    { key: "date", label: "Date" }, { key: "type", label: "Type" }, { key: "actor1", label: "Actors" },
    { key: "location", label: "Place" }, { key: "fatalities", label: "Deaths", num: true },
    { key: "modality", label: "Modality" }, { key: null, label: "Sources" }
  ];

  function drawTable(page, p) {
    var table = clear($("events-table"));
    var sort = p.get("sort") || "-date";
    var head = el("tr");
    COLUMNS.forEach(function (c) {
      if (!c.key) { head.appendChild(el("th", null, c.label)); return; }
      var active = sort.replace(/^-/, "") === c.key, desc = sort.charAt(0) === "-";
      var next = active ? (desc ? c.key : "-" + c.key) : (c.key === "date" || c.key === "fatalities" ? "-" + c.key : c.key);
      var th = el("th", active ? { "aria-sort": desc ? "descending" : "ascending" } : null,
        el("button", { type: "button", "data-sort": c.key, title: "sort by " + c.label.toLowerCase(),
                       onclick: function () { go(href({ sort: next === "-date" ? null : next, page: null })); } },
           c.label + (active ? (desc ? " ▼" : " ▲") : "")));
      head.appendChild(th);
    });
    table.appendChild(el("thead", null, head));
    var body = el("tbody");
    page.items.forEach(function (r) {
      body.appendChild(el("tr", { dataset: { eventId: r.event_id } },
        el("td", null, viewLink(dateText(r), { view: "event", id: r.event_id })),
        el("td", null, el("div", { class: "type-cell" }, swatch(r.event_type),
          el("span", null, r.sub_event_type, el("span", { class: "sub" }, r.event_type)))),
        el("td", null, r.actor1 || "", r.actor2 ? el("span", { class: "sub" }, "vs " + r.actor2) : null),
        el("td", null, placeText(r)),
        el("td", { class: "num" }, fatalText(r)),
        el("td", null, badge(r.modality, "m-" + r.modality), r.claimed_by ? el("span", { class: "sub" }, "by " + r.claimed_by) : null),
        el("td", null, (r.sources || []).join("; "))));
    });
    if (!page.items.length) body.appendChild(el("tr", null, el("td", { colspan: COLUMNS.length, class: "empty-note" },
                                                                  "No events match these filters.")));
    table.appendChild(body);
    pager($("events-pager"), page, "page");
  }

  function pager(node, page, key) {
    clear(node);
    node.appendChild(el("span", null, page.total + " records · page " + page.page + " of " + page.pages));
    if (page.page > 1) {
      var prev = {}; prev[key] = page.page - 1 === 1 ? null : page.page - 1;
      node.appendChild(link("← previous", href(prev), { rel: "prev" }));
    }
    if (page.page < page.pages) {
      var next = {}; next[key] = page.page + 1;
      node.appendChild(link("next →", href(next), { rel: "next" }));
    }
  }

  // -- views --------------------------------------------------------------------------------

  function renderOverview(p, seq) {
    ensureMap();
    var f = pick(p, FILTERS);
    var undated = pick(p, FILTERS); undated.delete("from"); undated.delete("to");
    var q = new URLSearchParams(f);
    q.set("page", p.get("page") || "1"); q.set("per_page", String(PER_PAGE));
    if (p.get("sort")) q.set("sort", p.get("sort"));
    $("dl-events-csv").setAttribute("href", "/events.csv" + (f.toString() ? "?" + f : ""));
    $("dl-events-geojson").setAttribute("href", "/events.geojson" + (f.toString() ? "?" + f : ""));
    return Promise.all([api("/stats", f), api("/events/points", f), api("/events", q)]).then(function (res) {
      if (seq !== renderSeq) return;
      var stats = res[0], points = res[1], page = res[2];
      facets(stats);
      var s = clear($("summary"));
      append(s, [el("b", null, String(stats.events)), " of " + stats.totals.events + " events match · ",
                 el("b", null, String(points.total)), " on the map",
                 points.truncated ? " (showing " + points.points.length + ")" : "",
                 " · " + stats.totals.documents + " articles · " + stats.totals.claims + " claims"]);
      var key = f.toString();
      drawPoints(points, key !== lastPointsKey && !p.get("bbox"));
      lastPointsKey = key;
      drawTimeline(stats, p);
      drawTable(page, p);
    });
  }

  function facets(stats) {
    subTypes = stats.event_types || subTypes;
    fillDatalist("dl-countries", stats.facets.countries);
    fillDatalist("dl-admin1", stats.facets.admin1);
    fillDatalist("dl-actors", stats.facets.actors);
    fillDatalist("dl-sources", stats.facets.sources);
    fillSubTypes();
  }

  function claimQuery(p) {
    var q = pick(p, ["from", "to", "source", "q"].concat(CLAIM_FILTERS));
    return q;
  }

  function renderClaims(p, seq) {
    var f = claimQuery(p);
    var q = new URLSearchParams(f);
    q.set("page", p.get("cpage") || "1"); q.set("per_page", "60");
    q.set("sort", p.get("csort") || "claimant");
    $("dl-claims-csv").setAttribute("href", "/claims.csv" + (f.toString() ? "?" + f : ""));
    return api("/claims", q).then(function (page) {
      if (seq !== renderSeq) return;
      var board = clear($("claims-board"));
      var counts = {};
      page.items.forEach(function (c) {
        counts[c.certainty] = (counts[c.certainty] || 0) + 1;
        counts[c.author_stance] = (counts[c.author_stance] || 0) + 1;
      });
      var chips = clear($("claims-summary"));
      chips.appendChild(el("span", null, page.total + " claims"));
      if (page.pages > 1) chips.appendChild(el("span", null, "· on this page:"));
      Object.keys(counts).sort().forEach(function (k) { chips.appendChild(badge(k + ": " + counts[k])); });
      page.items.forEach(function (c) {
        var ev = c.evidence || {};
        board.appendChild(el("div", { class: "card", id: "claim-" + c.claim_id, dataset: { claimId: c.claim_id } },
          el("div", { class: "who" }, c.claimant, " ", el("span", { class: "sub" }, c.claimant_type + (c.cue ? " · “" + c.cue + "”" : ""))),
          el("div", { class: "what" }, c.text),
          el("div", { class: "meta" },
            badge(c.certainty, "c-" + c.certainty),
            c.polarity === "negative" ? badge("denial", "p-negative") : null,
            badge("writer " + c.author_stance, "s-" + c.author_stance),
            el("span", null, [ev.source, ev.published].filter(Boolean).join(", ")),
            viewLink("article", { view: "article", doc: c.doc_id, hl: ev.start + "-" + ev.end, id: c.claim_id }),
            c.event_id ? viewLink("event", { view: "event", id: c.event_id }) : null)));
      });
      if (!page.items.length) board.appendChild(el("p", { class: "empty-note" }, "No claims match these filters."));
      pager($("claims-pager"), page, "cpage");
    });
  }

  function renderHypotheses(p, seq) {
    var q = pick(p, ["q"]); q.set("per_page", "200");
    $("dl-hyp-csv").setAttribute("href", "/hypotheses.csv" + (p.get("q") ? "?q=" + encodeURIComponent(p.get("q")) : ""));
    return api("/hypotheses", q).then(function (page) {
      if (seq !== renderSeq) return;
      var host = clear($("hypotheses"));
      if (!page.items.length) {
        host.appendChild(el("p", { class: "empty-note" },
          "No hypotheses are stored yet: competing explanations appear here once claims are grouped into hypotheses."));
        return;
      }
      var byQuestion = {};
      page.items.forEach(function (h) { (byQuestion[h.question] = byQuestion[h.question] || []).push(h); });
      Object.keys(byQuestion).forEach(function (question) {
        var hs = byQuestion[question];
        var sources = [];
        hs.forEach(function (h) { Object.keys(h.matrix || {}).forEach(function (s) { if (sources.indexOf(s) < 0) sources.push(s); }); });
        sources.sort();
        var head = el("tr", null, el("th", null, "Answer"), sources.map(function (s) { return el("th", null, s); }),
                      el("th", null, "for"), el("th", null, "against"), el("th", null, "seen"));
        var rows = hs.map(function (h) {
          return el("tr", { dataset: { hypothesisId: h.hypothesis_id } }, el("td", null, h.statement),
            sources.map(function (s) {
              var cell = (h.matrix || {})[s] || { "for": [], against: [] };
              var nf = cell["for"].length, na = cell.against.length;
              var text = (nf ? "✔" + (nf > 1 ? nf : "") : "") + (nf && na ? " " : "") + (na ? "✘" + (na > 1 ? na : "") : "");
              return el("td", { class: nf && na ? "both" : nf ? "for" : na ? "against" : "",
                                title: "for: " + (cell["for"].join(", ") || "none") + "\nagainst: " + (cell.against.join(", ") || "none") },
                        text);
            }),
            el("td", { class: "num" }, String((h.claims_for || []).length)),
            el("td", { class: "num" }, String((h.claims_against || []).length)),
            el("td", null, [h.first_seen, h.last_seen].filter(Boolean).join(" – ")));
        });
        host.appendChild(el("div", { class: "matrix" }, el("h3", null, question),
          el("div", { class: "table-wrap" }, el("table", { class: "grid" }, el("thead", null, head), el("tbody", null, rows)))));
      });
    });
  }

  function field(dl, name, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, Array.isArray(value) ? value.join("; ") : String(value)));
  }

  function renderEvent(p, seq) {
    var id = p.get("id") || "";
    return api("/events/" + encodeURIComponent(id)).then(function (ev) {
      if (seq !== renderSeq) return;
      var box = clear($("event-detail"));
      box.appendChild(el("p", null, viewLink("← back to events", { view: "overview", id: null, doc: null, hl: null })));
      box.appendChild(el("h1", null, swatch(ev.event_type), " ", ev.sub_event_type));
      box.appendChild(el("div", { class: "sub" }, ev.event_type + " · " + ev.event_id));
      if (ev.notes) box.appendChild(el("p", null, ev.notes));
      var dl = el("dl", { class: "fields" });
      field(dl, "date", dateText(ev) + (ev.time_precision ? " (precision " + ev.time_precision + ")" : ""));
      field(dl, "actor 1", ev.actor1); field(dl, "associated", ev.assoc_actor_1);
      field(dl, "actor 2", ev.actor2); field(dl, "associated ", ev.assoc_actor_2);
      field(dl, "place", placeText(ev));
      if (ev.latitude !== null && ev.latitude !== undefined) {
        field(dl, "coordinates", ev.latitude + ", " + ev.longitude + (ev.geo_precision ? " (precision " + ev.geo_precision + ")" : ""));
      }
      field(dl, "deaths", fatalText(ev));
      field(dl, "modality", ev.modality + (ev.claimed_by ? ", claimed by " + ev.claimed_by : ""));
      field(dl, "sources", ev.sources);
      box.appendChild(dl);
      box.appendChild(el("h2", null, "Evidence"));
      (ev.evidence || []).forEach(function (e) {
        var doc = (ev.documents || {})[e.doc_id] || {};
        box.appendChild(el("blockquote", { dataset: { docId: e.doc_id } }, e.text));
        box.appendChild(el("div", { class: "evidence-meta" },
          [doc.title || e.doc_id, e.source, e.published].filter(Boolean).join(" · ") + " · ",
          viewLink("open in article", { view: "article", doc: e.doc_id, hl: e.start + "-" + e.end, id: ev.event_id })));
      });
      if (ev.merge) {
        var ms = ev.merge.mentions || [], ex = ev.merge.explanation || {};
        box.appendChild(el("h2", null, "How this event was merged"));
        box.appendChild(el("p", { class: "sub" }, ms.length === 1 ? "Reported by one article; nothing merged." :
          ms.length + " reports joined" + (ex.threshold !== undefined ? " (links scoring at least " + ex.threshold + ")" : "")));
        box.appendChild(el("ol", { class: "merge-reports" }, ms.map(function (m) {
          return el("li", null, [m.mention_id, m.sub_event_type, m.date_start, m.location,
                                 m.fatalities !== null && m.fatalities !== undefined ? m.fatalities + " killed" : null,
                                 m.published ? "published " + m.published : null].filter(Boolean).join(" · "), " ",
                    m.doc_id ? viewLink("article", { view: "article", doc: m.doc_id, id: ev.event_id, hl: null }) : null);
        })));
        (ex.links || []).forEach(function (l) {
          var parts = Object.keys(l).filter(function (k) { return k !== "a" && k !== "b"; }).map(function (k) {
            var v = l[k];
            return k + " " + (typeof v === "number" ? v.toFixed(2) : String(v));
          });
          box.appendChild(el("div", { class: "merge-link sub" }, l.a + " ↔ " + l.b + ": " + parts.join(", ")));
        });
      }
      box.appendChild(el("h2", null, "Claims about it"));
      if (!(ev.claims || []).length) box.appendChild(el("p", { class: "empty-note" }, "none linked"));
      (ev.claims || []).forEach(function (c) {
        box.appendChild(el("div", { class: "card" },
          el("div", { class: "who" }, c.claimant, " ", el("span", { class: "sub" }, c.cue || "")),
          el("div", { class: "what" }, c.text),
          el("div", { class: "meta" }, badge(c.certainty, "c-" + c.certainty), badge("writer " + c.author_stance, "s-" + c.author_stance))));
      });
    });
  }

  function renderArticle(p, seq) {
    var docId = p.get("doc") || "";
    return api("/documents/" + encodeURIComponent(docId)).then(function (doc) {
      if (seq !== renderSeq) return;
      var art = clear($("article")), side = clear($("article-records"));
      art.appendChild(el("h1", null, doc.title || "(untitled article)"));
      var meta = el("div", { class: "article-meta" }, [doc.source, doc.published, doc.author].filter(Boolean).join(" · "));
      if (doc.url && /^https?:\/\//i.test(doc.url)) {
        append(meta, [" · ", el("a", { href: doc.url, rel: "noopener noreferrer nofollow", target: "_blank" }, "original")]);
      }
      art.appendChild(meta);
      art.appendChild(el("div", { class: "legend" }, el("mark", { class: "hl hl-event" }, "event evidence"),
                         el("mark", { class: "hl hl-claim" }, "claim evidence"),
                         el("span", null, doc.spans.length + " highlighted spans — click one to see its records")));
      var body = el("div", { class: "article-text", id: "article-text" });
      var text = doc.text, spans = doc.spans;
      var cuts = [0, text.length];
      spans.forEach(function (s) { cuts.push(s.start, s.end); });
      cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
      for (var i = 0; i + 1 < cuts.length; i++) {
        var a = cuts[i], b = cuts[i + 1];
        var cover = spans.filter(function (s) { return s.start <= a && s.end >= b; });
        var piece = text.slice(a, b);
        if (!cover.length) { body.appendChild(document.createTextNode(piece)); continue; }
        var kinds = {};
        cover.forEach(function (s) { kinds[s.kind] = true; });
        var ids = cover.map(function (s) { return s.record_id; });
        body.appendChild(el("mark", {
          class: "hl" + (kinds.event ? " hl-event" : "") + (kinds.claim ? " hl-claim" : ""),
          tabindex: "0", role: "button", title: cover.map(function (s) { return s.label; }).join("\n"),
          dataset: { records: ids.join(" "), start: String(a), end: String(b) },
          onclick: function () { selectRecords(this.dataset.records.split(" "), true); },
          onkeydown: function (e) { if (e.key === "Enter") selectRecords(this.dataset.records.split(" "), true); }
        }, piece));
      }
      art.appendChild(body);

      side.appendChild(el("div", { class: "records" },
        el("h3", null, "Events (" + doc.events.length + ")"),
        el("ol", null, doc.events.map(function (ev) {
          return el("li", { id: "rec-" + ev.event_id, dataset: { record: ev.event_id },
                            onclick: function (e) { if (e.target.tagName !== "A") selectRecords([ev.event_id], false); } },
            swatch(ev.event_type), " ", el("b", null, ev.sub_event_type), " · " + dateText(ev),
            placeText(ev) ? " · " + placeText(ev) : "", fatalText(ev) ? " · " + fatalText(ev) + " killed" : "",
            el("div", { class: "sub" }, ev.notes || ""),
            viewLink("event details →", { view: "event", id: ev.event_id, doc: null, hl: null }));
        })),
        el("h3", null, "Claims (" + doc.claims.length + ")"),
        el("ol", null, doc.claims.map(function (c) {
          return el("li", { id: "rec-" + c.claim_id, dataset: { record: c.claim_id },
                            onclick: function (e) { if (e.target.tagName !== "A") selectRecords([c.claim_id], false); } },
            el("b", null, c.claimant), c.cue ? " " + c.cue + ": " : ": ", c.text, " ",
            badge(c.certainty, "c-" + c.certainty), " ", badge("writer " + c.author_stance, "s-" + c.author_stance),
            c.polarity === "negative" ? [" ", badge("denial", "p-negative")] : null);
        }))));

      var hl = (p.get("hl") || "").split("-").map(Number);
      var focusId = p.get("id");
      if (hl.length === 2 && !isNaN(hl[0]) && !isNaN(hl[1])) {
        var marks = Array.prototype.filter.call(body.querySelectorAll("mark.hl"), function (m) {
          return Number(m.dataset.start) >= hl[0] && Number(m.dataset.end) <= hl[1];
        });
        marks.forEach(function (m) { m.classList.add("focus"); });
        if (marks.length) marks[0].scrollIntoView({ block: "center" });
        if (focusId) markEntries([focusId]);
      } else if (focusId) {
        selectRecords([focusId], false);
      }
    });
  }

  function markEntries(ids) {
    document.querySelectorAll(".records li.active").forEach(function (li) { li.classList.remove("active"); });
    ids.forEach(function (id) {
      var li = document.getElementById("rec-" + id);
      if (li) li.classList.add("active");
    });
  }

  function selectRecords(ids, fromText) {
    markEntries(ids);
    var marks = document.querySelectorAll("#article-text mark.hl");
    var first = null;
    marks.forEach(function (m) {
      var on = m.dataset.records.split(" ").some(function (r) { return ids.indexOf(r) >= 0; });
      m.classList.toggle("focus", on);
      if (on && !first) first = m;
    });
    if (fromText) {
      var li = document.getElementById("rec-" + ids[0]);
      if (li) li.scrollIntoView({ block: "nearest" });
    } else if (first) {
      first.scrollIntoView({ block: "center" });
    }
  }

  // -- render -------------------------------------------------------------------------------

  function render() {
    var p = params();
    var view = VIEWS.indexOf(p.get("view")) >= 0 ? p.get("view") : "overview";
    var seq = ++renderSeq;
    document.body.dataset.state = "loading";
    document.body.dataset.view = view;
    urlToForm(p);
    VIEWS.forEach(function (v) { $("view-" + v).hidden = v !== view; });
    document.querySelectorAll(".tabs a[data-nav]").forEach(function (a) {
      a.classList.toggle("active", a.dataset.nav === view);
      var keep = pick(p, FILTERS.concat(CLAIM_FILTERS));
      a.setAttribute("href", href({ view: a.dataset.nav }, keep));
    });
    status("loading…");
    var run = { overview: renderOverview, claims: renderClaims, hypotheses: renderHypotheses,
                event: renderEvent, article: renderArticle }[view];
    run(p, seq).then(function () {
      if (seq !== renderSeq) return;
      status("");
      document.body.dataset.state = "ready";
    }).catch(function (err) {
      if (seq !== renderSeq) return;
      status(err.message, true);
      document.body.dataset.state = "error";
    });
  }

  buildTypeBoxes();
  wireForms();
  api("/stats").then(facets).catch(function () { /* the view reports its own errors */ });
  render();
})();
