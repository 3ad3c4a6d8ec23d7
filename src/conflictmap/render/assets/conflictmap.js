/* conflictmap: draws a report's claims from JSON data.
 * Every string from input files reaches the page through textContent or as a DOM
 * text node, never through innerHTML, so nothing in a report can run as code. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var cfg = { styles: {}, sources: [{}], timeline: false, fast: false };
  var leaders = null;  /* the leader lines of fanned-out markers */
  var entries = [];  /* one per claim: {claim, group, objs, marker, shown} */
  var canvas = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function safeHref(url) {
    return (typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url)) ? url : null;
  }

  function glyph(kind, size) {
    var st = cfg.styles[kind] || cfg.styles.mention;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("aria-hidden", "true");
    var c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", "12"); c.setAttribute("cy", "12"); c.setAttribute("r", "11");
    c.setAttribute("fill", st.color); c.setAttribute("stroke", "#fff");
    c.setAttribute("stroke-width", "1.5");
    var p = document.createElementNS(SVG, "path");
    p.setAttribute("d", st.glyph); p.setAttribute("fill", "none");
    p.setAttribute("stroke", "#fff"); p.setAttribute("stroke-width", "2");
    p.setAttribute("stroke-linecap", "round"); p.setAttribute("stroke-linejoin", "round");
    svg.appendChild(c); svg.appendChild(p);
    return svg;
  }

  /* a marker's glyph is its kind's image, one CSS rule per kind (drawn once per kind, not
     an SVG tree per marker); the kinds, colours and glyphs are the build's own table. The
     images are drawn on a canvas and kept as PNG: an SVG image costs the page a document of
     its own per kind, made while the first style is computed (about 9 ms for seven kinds) */
  var kindImages = false;
  function kindImage(st) {
    var scale = Math.min(3, Math.ceil(window.devicePixelRatio || 1)), side = 26 * scale;
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = side;
    var g = canvas.getContext("2d");
    if (!g || typeof Path2D === "undefined") { return null; }
    g.scale(side / 24, side / 24);  /* the glyphs are drawn on a 24-unit square */
    g.beginPath();
    g.arc(12, 12, 11, 0, 2 * Math.PI);
    g.fillStyle = st.color;
    g.fill();
    g.strokeStyle = "#fff";
    g.lineWidth = 1.5;
    g.stroke();
    g.lineWidth = 2;
    g.lineCap = "round";
    g.lineJoin = "round";
    g.stroke(new Path2D(st.glyph));
    return canvas.toDataURL("image/png");
  }
  function kindSvg(st) {
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 24 24">' +
              '<circle cx="12" cy="12" r="11" fill="' + st.color + '" stroke="#fff" stroke-width="1.5"/>' +
              '<path d="' + st.glyph + '" fill="none" stroke="#fff" stroke-width="2" ' +
              'stroke-linecap="round" stroke-linejoin="round"/></svg>';
    return "data:image/svg+xml," + encodeURIComponent(svg);
  }
  function kindStyles() {
    if (kindImages) { return; }
    kindImages = true;
    var rules = Object.keys(cfg.styles).filter(function (k) { return /^[a-z_-]+$/.test(k); }).map(function (k) {
      var st = cfg.styles[k], url = null;
      try { url = kindImage(st); } catch (e) { url = null; }  /* a canvas refused: the SVG */
      /* printed (and PDF figures): the SVG, drawn sharp at any scale; loaded only for print */
      return ".cm-kind-" + k + " { background-image: url(\"" + (url || kindSvg(st)) + "\"); }\n" +
             "@media print { .cm-kind-" + k + " { background-image: url(\"" + kindSvg(st) + "\"); } }";
    });
    var style = document.createElement("style");
    style.textContent = rules.join("\n");
    document.head.appendChild(style);
  }

  function icon(claim) {
    /* markers that would share pixels are fanned out around their point at each zoom
       (see declutter); the marker's position stays exact */
    kindStyles();
    var box = el("div", "cm-marker cm-kind-" + (cfg.styles[claim.kind] ? claim.kind : "mention"));
    box.setAttribute("data-claim", claim.id);
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", (cfg.styles[claim.kind] || {}).label + ": " + claim.places[0].name);
    return L.divIcon({ html: box, className: "cm-divicon", iconSize: [26, 26],
                       iconAnchor: [13, 13], popupAnchor: [0, -12], tooltipAnchor: [12, 0] });
  }

  function row(dl, label, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }

  function written(p) { return p.query || p.name; }  /* the name as the input file has it */

  function placeText(p) {
    var t = p.name;
    if (p.query && p.query !== p.name) { t += " (written \u201c" + p.query + "\u201d)"; }
    return t;
  }

  function precisionText(p) {
    var t = (cfg.precision || {})[String(p.precision)] || String(p.precision);
    if (p.uncertainty_km) { t += "; position known to \u00b1" + p.uncertainty_km + " km"; }
    if (p.confidence && p.confidence !== "verified") { t += "; " + p.confidence; }
    if (p.status === "ambiguous") { t += "; AMBIGUOUS name: " + ((cfg.reasons || [])[p.r] || ""); }
    return t;
  }

  function popup(claim) {
    var st = cfg.styles[claim.kind] || {};
    var box = el("div", "cm-popup");
    box.setAttribute("data-claim", claim.id);
    var head = el("div", "cm-popup-kind");
    head.appendChild(glyph(claim.kind, 18));
    head.appendChild(el("span", null, st.label));
    box.appendChild(head);
    box.appendChild(el("p", "cm-summary", claim.summary));
    var dl = el("dl");
    row(dl, "Actors", (claim.actors || []).join("; "));
    row(dl, "Date", claim.date ? claim.date + (claim.until ? " to " + claim.until : "")
                               + (claim.time_precision > 1 ? " (approximate)" : "") : "not given");
    claim.places.forEach(function (p) {
      var role = { place: "Place", from: "From", to: "To" }[p.role] || "Place";
      row(dl, role, placeText(p));
      row(dl, "Precision", precisionText(p));
      row(dl, "Gazetteer", (cfg.gazetteers || [])[p.g]);
    });
    var src = cfg.sources[claim.source || 0] || {}, cite = el("span");
    var href = safeHref(src.url);
    var outlet = src.outlet || src.title;
    if (href) {
      var a = el("a", null, outlet); a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
      cite.appendChild(a);
    } else { cite.appendChild(document.createTextNode(outlet)); }
    if (src.published) { cite.appendChild(document.createTextNode(", " + src.published)); }
    if (src.title && src.outlet) { cite.appendChild(document.createTextNode(": \u201c" + src.title + "\u201d")); }
    row(dl, "Source", cite);
    row(dl, "Note", claim.note);
    (claim.checks || []).forEach(function (t) { row(dl, "Check", t); });
    row(dl, "Control", claim.control);
    if (claim.conflict) { row(dl, "Disagrees", claim.conflict); }
    box.appendChild(dl);
    box.appendChild(el("div", "cm-caveat", "Claim as reported by the source, not verified."));
    return box;
  }

  function tooltip(text) { return el("span", null, text); }

  /* a popup fits the screen, phones included: narrower, scrolling when long; the window's
     size is read once, not once per claim (each read may lay the page out), and again
     after the window is resized */
  var screenPopup = null;
  window.addEventListener("resize", function () { screenPopup = null; });
  function popupOptions() {
    if (!screenPopup) {
      screenPopup = { maxWidth: Math.min(340, window.innerWidth - 70),
                      maxHeight: Math.max(160, Math.round(window.innerHeight * 0.6)) };
    }
    return { maxWidth: screenPopup.maxWidth, maxHeight: screenPopup.maxHeight,
             autoPanPadding: [12, 12] };
  }

  function arrowHead(a, b) {
    var k = Math.cos(b[0] * Math.PI / 180);
    var dx = (b[1] - a[1]) * k, dy = b[0] - a[0];
    var len = Math.sqrt(dx * dx + dy * dy) || 1e-9;
    var size = Math.min(0.035, len * 0.18);
    var ux = dx / len, uy = dy / len, pts = [];
    [0.45, -0.45].forEach(function (t) {
      var rx = ux * Math.cos(t) - uy * Math.sin(t), ry = ux * Math.sin(t) + uy * Math.cos(t);
      pts.push([b[0] - ry * size, b[1] - rx * size / k]);
    });
    return [b, pts[0], pts[1]];
  }



  function addClaim(layer, claim) {
    var color = (cfg.styles[claim.kind] || cfg.styles.mention).color;
    var pop = function () { return popup(claim); };  /* built when opened */
    var first = claim.places[0];
    var entry = { claim: claim, group: layer, objs: [], marker: null, shown: true, parked: false };
    var add = function (obj) { entry.objs.push(obj); layer.addLayer(obj); return obj; };
    if (cfg.fast) {
      /* many claims: one canvas for all, no per-claim DOM until a popup opens */
      canvas = canvas || L.canvas({ padding: 0.5 });
      entry.marker = add(L.circleMarker([first.lat, first.lon], {
        renderer: canvas, radius: 6, color: "#fff", weight: 1.5, fillColor: color, fillOpacity: 0.95
      }).bindPopup(pop, popupOptions()));
      claim.places.slice(1).forEach(function (d) {
        add(L.polyline([[first.lat, first.lon], [d.lat, d.lon]],
                       { renderer: canvas, color: color, weight: 2, dashArray: "6 5" }).bindPopup(pop));
      });
      entries.push(entry);
      return;
    }
    if (first.outline) {
      var real = first.outline_kind === "boundary";
      var poly = add(L.polygon(first.outline, { color: color, weight: 2, dashArray: real ? null : "6 4",
                                               fillColor: color, fillOpacity: 0.12,
                                               className: "cm-area" + (real ? " cm-area-boundary" : "") }));
      labelArea(poly, tooltip(first.name + (real ? " \u00b7 boundary" : " \u00b7 approximate outline")),
                { permanent: true, direction: "center", className: "cm-area-label" });
      poly.bindPopup(pop, popupOptions());
      entry.area = poly;
    }
    uncertainty(first, color).forEach(add);
    var marker = add(L.marker([first.lat, first.lon], { icon: icon(claim),
                                                       keyboard: true, title: first.name }));
    marker.bindPopup(pop, popupOptions());
    marker.bindTooltip(tooltip(first.name), { direction: "right" });
    entry.marker = marker;
    entries.push(entry);
    if (claim.kind !== "movement") { return; }
    claim.places.slice(1).forEach(function (d) {
      var a = [first.lat, first.lon], b = [d.lat, d.lon];
      var line = add(L.polyline([a, b], { color: color, weight: 3, dashArray: "8 6", className: "cm-movement" }));
      line.bindPopup(pop, popupOptions());
      line.bindTooltip(tooltip(first.name + " \u2192 " + d.name), { sticky: true });
      add(L.polygon(arrowHead(a, b), { color: color, weight: 1, fillColor: color,
                                       fillOpacity: 1, className: "cm-arrowhead" }).bindPopup(pop, popupOptions()));
      var end = add(L.circleMarker(b, { radius: 5, color: "#fff", weight: 2, fillColor: color, fillOpacity: 1 }));
      end.bindTooltip(tooltip(d.name), { direction: "right" });
      end.bindPopup(pop, popupOptions());
      uncertainty(d, color).forEach(add);
    });
  }

  /* an area's permanent label; until the map's first view the labels wait, to be opened
     together after every marker is placed (a label measures itself when it opens: one
     layout of the page for all of them, not one per label) */
  var firstView = false, waitingLabels = [];
  function labelArea(layer, content, options) {
    if (firstView) { layer.bindTooltip(content, options); } else { waitingLabels.push([layer, content, options]); }
  }
  function openWaitingLabels() {
    firstView = true;
    /* Leaflet places a tooltip as it opens, reading its size right after the previous one
       was written (a layout of the whole page per label): the labels are opened unplaced,
       measured together, then placed with the sizes read */
    var opened = [], proto = L.Tooltip.prototype, place = proto._updatePosition;
    proto._updatePosition = function () { opened.push(this); };
    try { waitingLabels.forEach(function (w) { w[0].bindTooltip(w[1], w[2]); }); }
    finally { proto._updatePosition = place; }
    waitingLabels = [];
    var sizes = opened.map(function (t) {
      return t._container ? [t._container.offsetWidth, t._container.offsetHeight] : null;
    });
    opened.forEach(function (t, i) {
      var c = t._container;
      if (!sizes[i] || !t._map) { return; }
      Object.defineProperty(c, "offsetWidth", { value: sizes[i][0], configurable: true });
      Object.defineProperty(c, "offsetHeight", { value: sizes[i][1], configurable: true });
      try { place.call(t); } finally { delete c.offsetWidth; delete c.offsetHeight; }
    });
  }

  function uncertainty(p, color) {
    if (!p.uncertainty_km) { return []; }
    return [L.circle([p.lat, p.lon], { radius: p.uncertainty_km * 1000, color: color, weight: 1,
                                       dashArray: "3 4", fill: false, interactive: false,
                                       className: "cm-uncertainty" })];
  }

  /* --- time slider: each claim is shown from its date on --- */
  function show(entry, on) {
    if (entry.shown === on) { return; }
    entry.shown = on;
    entry.parked = false;  /* all of it shown or none; the next declutter parks again */
    entry.objs.forEach(function (o) { if (on) { entry.group.addLayer(o); } else { entry.group.removeLayer(o); } });
    if (on && editing && entry.marker && entry.marker.dragging) { entry.marker.dragging.enable(); }
  }

  function claimOn(claim, day) { return !claim.date || (claim.date <= day && (!claim.until || day <= claim.until)); }

  /* what is shown: the slider's day (null: every claim, the latest control areas) and the
     actor picked (""; all) */
  var view = { day: null, actor: "" };

  function applyView() {
    entries.forEach(function (e) {
      show(e, (!view.day || claimOn(e.claim, view.day))
              && (!view.actor || (e.claim.sides || []).indexOf(view.actor) >= 0));
    });
    var cd = controlOf();
    if (cd) { showControl(view.day || cd.dates[cd.dates.length - 1], view.actor); }
    if (window.conflictmap && window.conflictmap.map) { declutter(window.conflictmap.map); }
  }

  function actorFilter(map) {
    var names = cfg.actors || [];
    if (names.length < 2 || (!entries.length && (controlOf() || {}).compare)) { return; }
    var c = L.control({ position: "bottomleft" });
    c.onAdd = function () {
      var box = L.DomUtil.create("div", "cm-panel cm-actor-filter");
      var label = el("label", null, "Actor ");
      var pick = el("select");
      pick.setAttribute("aria-label", "Show only the claims and areas of one actor");
      var all = el("option", null, "all actors"); all.value = ""; pick.appendChild(all);
      names.forEach(function (n) { var o = el("option", null, n); o.value = n; pick.appendChild(o); });
      pick.addEventListener("change", function () { view.actor = pick.value; applyView(); });
      label.appendChild(pick); box.appendChild(label);
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    c.addTo(map);
  }

  function timeline(map) {
    var dates = [];
    entries.forEach(function (e) { if (e.claim.date && dates.indexOf(e.claim.date) < 0) { dates.push(e.claim.date); } });
    var cd = controlOf() || {};
    if (!cd.compare) {  /* the compare view fixes its two dates */
      (cd.dates || []).forEach(function (d) { if (dates.indexOf(d) < 0) { dates.push(d); } });
    }
    dates.sort();
    if (dates.length < 2) { return; }
    var c = L.control({ position: "bottomleft" });
    c.onAdd = function () {
      var box = L.DomUtil.create("div", "cm-panel cm-timeline");
      var label = el("label", null, "Claims up to ");
      var out = el("output", "cm-timeline-date", dates[dates.length - 1]);
      var input = el("input");
      input.type = "range"; input.min = "0"; input.max = String(dates.length - 1);
      input.value = String(dates.length - 1); input.step = "1";
      input.setAttribute("aria-label", "Show claims reported up to this date");
      label.appendChild(out);
      box.appendChild(label); box.appendChild(input);
      box.appendChild(el("div", "cm-timeline-range", dates[0] + " \u2013 " + dates[dates.length - 1]));
      function update() {
        view.day = dates[Number(input.value)];
        out.textContent = view.day;
        applyView();
      }
      input.addEventListener("input", update);
      update();  /* a claim whose span ended before the last date starts hidden */
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    c.addTo(map);
  }

  /* --- corrections: drag a marker or draw an area, then export the places --- */
  var fixes = Object.create(null);  /* place names as keys, "__proto__" included */

  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name; document.body.appendChild(a); a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function csvCell(v) {
    var t = String(v === undefined || v === null ? "" : v);
    if (/^[=+\-@\t\r]/.test(t)) { t = "'" + t; }  /* no formulas in spreadsheets */
    return /[",\n\r]/.test(t) ? "\"" + t.replace(/"/g, "\"\"") + "\"" : t;
  }

  function exportGeoJSON() {
    var features = Object.keys(fixes).sort().map(function (name) {
      var f = fixes[name];
      var geom = f.ring ? { type: "Polygon", coordinates: [f.ring.map(function (p) { return [p[1], p[0]]; })] }
                        : { type: "Point", coordinates: [f.lon, f.lat] };
      return { type: "Feature", properties: { name: name, note: "corrected in the map" }, geometry: geom };
    });
    download("conflictmap-places.geojson", "application/geo+json",
             JSON.stringify({ type: "FeatureCollection", features: features }, null, 1));
  }

  function exportCSV() {
    var rows = ["name,lat,lon,wkt"];
    Object.keys(fixes).sort().forEach(function (name) {
      var f = fixes[name], wkt = "";
      if (f.ring) {
        wkt = "POLYGON ((" + f.ring.map(function (p) { return p[1].toFixed(5) + " " + p[0].toFixed(5); }).join(", ") + "))";
      }
      rows.push([csvCell(name), f.lat.toFixed(5), f.lon.toFixed(5), csvCell(wkt)].join(","));
    });
    download("conflictmap-places.csv", "text/csv", rows.join("\n") + "\n");
  }

  /* the corrections tool: its button now, the rest when it is first opened (the place list
     and a drag listener per marker are work a reader who never corrects should not wait for) */
  var editing = false;  /* markers are draggable while the tool is open */
  function editor(map) {
    var c = L.control({ position: "topleft" });
    c.onAdd = function () {
      var box = L.DomUtil.create("div", "cm-panel cm-editor");
      var toggle = el("button", "cm-edit-toggle", "Correct places");
      toggle.type = "button";
      var body = el("div", "cm-edit-body"); body.hidden = true;
      box.appendChild(toggle); box.appendChild(body);
      var built = false;
      toggle.addEventListener("click", function () {
        if (!built) { built = true; editorBody(map, body); }
        body.hidden = !body.hidden;
        editing = !body.hidden;
        toggle.setAttribute("aria-pressed", String(editing));
        entries.forEach(function (e) {
          if (!e.marker || !e.marker.dragging) { return; }
          if (editing) { e.marker.dragging.enable(); } else { e.marker.dragging.disable(); }
        });
      });
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    c.addTo(map);
  }

  function editorBody(map, body) {
    var list = el("ul", "cm-edit-list");
    var names = [];
    entries.forEach(function (e) { var q = written(e.claim.places[0]); if (names.indexOf(q) < 0) { names.push(q); } });
    var pick = el("select", "cm-edit-place");
    pick.setAttribute("aria-label", "Place to draw an area for");
    names.forEach(function (n) { var o = el("option", null, n); o.value = n; pick.appendChild(o); });
    var draw = el("button", "cm-draw", "Draw area"); draw.type = "button";
    var finish = el("button", "cm-finish", "Finish area"); finish.type = "button"; finish.disabled = true;
    var gj = el("button", "cm-export-geojson", "Export GeoJSON"); gj.type = "button";
    var csv = el("button", "cm-export-csv", "Export CSV"); csv.type = "button";
    body.appendChild(el("p", null, "Drag a marker, or pick a place and draw its area by clicking the map; then export the corrections and rebuild with --places FILE."));
    [pick, draw, finish, list, gj, csv].forEach(function (x) { body.appendChild(x); });
    var ring = [], preview = null;
    function refresh() {
      list.textContent = "";
      Object.keys(fixes).sort().forEach(function (n) {
        var f = fixes[n];
        list.appendChild(el("li", null, n + ": " + (f.ring ? "area of " + f.ring.length + " points"
                                                            : f.lat.toFixed(4) + ", " + f.lon.toFixed(4))));
      });
    }
    function addPoint(ev) {
      ring.push([ev.latlng.lat, ev.latlng.lng]);
      if (preview) { preview.setLatLngs(ring); } else { preview = L.polygon(ring, { color: "#000", dashArray: "4 4", className: "cm-drawing" }).addTo(map); }
      finish.disabled = ring.length < 3;
    }
    entries.forEach(function (e) {  /* a marker's dragging exists once it is on the map */
      if (!(e.marker instanceof L.Marker)) { return; }
      e.marker.on("dragend", function () {
        var ll = e.marker.getLatLng(), q = written(e.claim.places[0]);
        fixes[q] = { lat: ll.lat, lon: ll.lng };
        refresh();
      });
    });
    draw.addEventListener("click", function () {
      ring = []; if (preview) { map.removeLayer(preview); preview = null; }
      map.on("click", addPoint); draw.disabled = true;
      /* while drawing, areas and lines let clicks through to the map (they would open popups) */
      map.getContainer().classList.add("cm-drawing-mode");
    });
    finish.addEventListener("click", function () {
      map.off("click", addPoint);
      map.getContainer().classList.remove("cm-drawing-mode");
      var lat = 0, lon = 0;
      ring.forEach(function (p) { lat += p[0]; lon += p[1]; });
      fixes[pick.value] = { lat: lat / ring.length, lon: lon / ring.length, ring: ring.concat([ring[0]]) };
      draw.disabled = false; finish.disabled = true; refresh();
    });
    gj.addEventListener("click", exportGeoJSON);
    csv.addEventListener("click", exportCSV);
  }



  /* --- areas of control: who holds what, frontlines, changes, two dates compared --- */
  var controlData, controlEntries = [], patternBox = null, patternIds = {};

  function controlOf() {
    if (controlData === undefined) {
      var block = document.getElementById("cm-control");
      controlData = block ? JSON.parse(block.textContent) : null;
    }
    return controlData;
  }

  function pattern(colour, cross) {
    /* a hatch (claimed) or cross-hatch (contested) in the actor's colour, as an SVG pattern */
    var key = colour + (cross ? "x" : "/");
    if (patternIds[key]) { return patternIds[key]; }
    if (!patternBox) {
      patternBox = document.createElementNS(SVG, "svg");
      patternBox.setAttribute("width", "0"); patternBox.setAttribute("height", "0");
      patternBox.setAttribute("aria-hidden", "true");
      patternBox.style.position = "absolute";
      patternBox.appendChild(document.createElementNS(SVG, "defs"));
      document.body.appendChild(patternBox);
    }
    var id = "cm-hatch-" + Object.keys(patternIds).length;
    var p = document.createElementNS(SVG, "pattern");
    p.setAttribute("id", id); p.setAttribute("patternUnits", "userSpaceOnUse");
    p.setAttribute("width", "8"); p.setAttribute("height", "8");
    p.setAttribute("patternTransform", "rotate(45)");
    var bg = document.createElementNS(SVG, "rect");
    bg.setAttribute("width", "8"); bg.setAttribute("height", "8");
    bg.setAttribute("fill", colour); bg.setAttribute("fill-opacity", "0.12");
    p.appendChild(bg);
    [[0, 0, 0, 8]].concat(cross ? [[0, 0, 8, 0]] : []).forEach(function (l) {
      var line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", l[0]); line.setAttribute("y1", l[1]);
      line.setAttribute("x2", l[2]); line.setAttribute("y2", l[3]);
      line.setAttribute("stroke", colour); line.setAttribute("stroke-width", "3");
      p.appendChild(line);
    });
    patternBox.firstChild.appendChild(p);
    patternIds[key] = id;
    return id;
  }

  function areaStyle(a, extra) {
    var st = { color: a.colour, weight: 1.5, fillOpacity: 0.35, fillColor: a.colour,
               className: "cm-control cm-control-" + a.status };
    if (a.status === "claimed") { st.fillColor = "url(#" + pattern(a.colour, false) + ")"; st.fillOpacity = 1; st.dashArray = "6 3"; }
    if (a.status === "contested") { st.fillColor = "url(#" + pattern(a.colour, true) + ")"; st.fillOpacity = 1; }
    return Object.assign(st, extra || {});
  }

  function areaPopup(a) {
    var box = el("div", "cm-popup");
    box.appendChild(el("div", "cm-popup-kind", a.actor));
    var dl = el("dl");
    row(dl, "Status", { assessed: "assessed as held", claimed: "claimed as held", contested: "contested" }[a.status] || a.status);
    row(dl, "From", a.from);
    row(dl, "Until", a.until || "the latest date mapped");
    row(dl, "Source", a.source);
    row(dl, "Note", a.note);
    box.appendChild(dl);
    if (a.status === "claimed") { box.appendChild(el("div", "cm-caveat", "Claimed, not verified: " + a.source + ".")); }
    return box;
  }

  function validOn(item, day) { return (!item.from || item.from <= day) && (!item.until || day <= item.until); }

  function areaLayer(a, options) {
    var rings = a.rings.map(function (poly) { return poly.map(decode); });
    var layer = L.polygon(rings, areaStyle(a, options));
    layer.bindPopup(function () { return areaPopup(a); }, popupOptions());
    if (a.status === "claimed") {
      /* the areas of claims (when few) carry their label; a layer's, on hover */
      var few = a.claim && !controlOf().compare
                && controlOf().areas.filter(function (x) { return x.claim; }).length <= 12;
      var text = el("span", null, a.actor);
      text.appendChild(el("br"));
      text.appendChild(document.createTextNode("claimed by " + a.source.replace(/^claimed by /, "")));
      /* above the centre, where the claim's own area label sits */
      if (few) {
        labelArea(layer, text, { permanent: true, direction: "center", offset: [0, -40],
                                 className: "cm-area-label cm-claimed-label" });
      } else {
        layer.bindTooltip(text, { sticky: true, className: "cm-area-label" });
      }
    } else {
      layer.bindTooltip(tooltip(a.actor + " \u00b7 " + a.status), { sticky: true });
    }
    return layer;
  }

  function controlAreas(map, group, data, actor) {
    if (data.compare) { return; }  /* drawn in the two halves of the compare view instead */
    pane(map, "cm-control", 350);
    data.areas.forEach(function (a) {
      if (a.actor !== actor) { return; }
      var layer = areaLayer(a, { pane: "cm-control" });
      controlEntries.push({ item: a, layer: layer, group: group, shown: false });
    });
  }

  function frontline(f, options) {
    var layer = L.polyline(f.lines.map(decode), Object.assign({ color: "#111", weight: 3.5,
                                                                className: "cm-frontline" }, options));
    layer.bindTooltip(tooltip("Frontline: " + f.actors.join(" / ") + " (" + f.from + ", " + f.km + " km)"),
                      { sticky: true });
    return layer;
  }

  function controlFrontlines(map, group, data) {
    pane(map, "cm-front", 395);
    data.frontlines.forEach(function (f) {
      controlEntries.push({ item: f, layer: frontline(f, { pane: "cm-front" }), group: group, shown: false });
    });
  }

  function controlChanges(map, group, data) {
    /* shown from the later of the two dates on (the changes up to it) */
    pane(map, "cm-changes", 340);  /* under the areas: a gain shows as a deeper fill */
    data.changes.forEach(function (c) {
      if (c.gained.length) {
        var g = L.polygon(c.gained.map(function (p) { return p.map(decode); }),
                          { pane: "cm-changes", color: c.colour, weight: 2, fillColor: c.colour, fillOpacity: 0.55,
                            className: "cm-change-gained" });
        g.bindTooltip(tooltip(c.actor + " gained " + c.gained_km2 + " km\u00b2 since " + data.since), { sticky: true });
        controlEntries.push({ item: { actor: c.actor, from: data.until }, layer: g, group: group, shown: false });
      }
      if (c.lost.length) {
        var l = L.polygon(c.lost.map(function (p) { return p.map(decode); }),
                          { pane: "cm-changes", color: c.colour, weight: 2, dashArray: "3 2",
                            fillColor: "url(#" + pattern("#555555", false) + ")", fillOpacity: 1,
                            className: "cm-change-lost" });
        l.bindTooltip(tooltip(c.actor + " lost " + c.lost_km2 + " km\u00b2 since " + data.since), { sticky: true });
        controlEntries.push({ item: { actor: c.actor, from: data.until }, layer: l, group: group, shown: false });
      }
    });
  }

  function showControl(day, actor) {
    controlEntries.forEach(function (e) {
      var its = e.item.actors || [e.item.actor];
      var on = validOn(e.item, day) && (!actor || its.indexOf(actor) >= 0);
      if (on === e.shown) { return; }
      e.shown = on;
      if (on) { e.group.addLayer(e.layer); } else { e.group.removeLayer(e.layer); }
    });
  }

  function compareView(map, data) {
    if (!data || !data.compare || !L.control.sideBySide) { return; }
    var sides = data.compare.map(function (day, i) {
      var name = pane(map, "cm-compare-" + i, 350);
      map.getPane(name).style.pointerEvents = "auto";
      var renderer = L.svg({ pane: name });
      var group = L.layerGroup().addTo(map);
      data.areas.forEach(function (a) {
        if (validOn(a, day)) { group.addLayer(areaLayer(a, { pane: name, renderer: renderer })); }
      });
      data.frontlines.forEach(function (f) {
        if (validOn(f, day)) { group.addLayer(frontline(f, { pane: name, renderer: renderer })); }
      });
      group.getContainer = function () { return map.getPane(name); };
      return group;
    });
    L.control.sideBySide(sides[0], sides[1]).addTo(map);
    var label = L.control({ position: "topright" });
    label.onAdd = function () {
      var box = L.DomUtil.create("div", "cm-panel cm-compare");
      box.appendChild(el("span", "cm-compare-left", "\u2190 " + data.compare[0]));
      box.appendChild(el("span", "cm-compare-right", data.compare[1] + " \u2192"));
      return box;
    };
    label.addTo(map);
  }

  /* --- the offline geographic context: land, coasts, borders, admin lines, place names --- */
  var contextData;
  var LINE_STYLES = {
    coast: { color: "#5f7a92", weight: 1, minZoom: 0 },
    border: { color: "#3d3d3d", weight: 2, minZoom: 0 },
    admin1: { color: "#6e6e6e", weight: 1.1, dashArray: "6 4", minZoom: 5 },
    admin3: { color: "#8c8c8c", weight: 0.7, dashArray: "2 3", minZoom: 8 }
  };

  function contextOf() {
    if (contextData === undefined) {
      var block = document.getElementById("cm-context");
      contextData = block ? JSON.parse(block.textContent) : null;
    }
    return contextData;
  }



  function pane(map, name, z) {
    if (!map.getPane(name)) {
      var p = map.createPane(name);
      p.style.zIndex = String(z);
      p.style.pointerEvents = "none";
    }
    return name;
  }

  function decode(flat) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; out.push([y / 1e4, x / 1e4]); }
    return out;
  }

  /* --- the offline context drawn as SVG: the coordinates are projected once (Web
     Mercator, 0..1), and each view writes one path per kind from them, rounded to whole
     pixels and without the vertices that fall on the pixel before; no Leaflet object per
     vertex. A sheet covers the view and a tenth of it around, like Leaflet's renderer.
     (SVG, not canvas: a canvas's pixels are copied to the compositor on the page's main
     thread, an SVG is rastered off it) --- */
  function projected(flat) {
    var out = new Float64Array(flat.length), x = 0, y = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      var lat = Math.max(-85.0511, Math.min(85.0511, y / 1e4)) * Math.PI / 180;
      out[i] = (x / 1e4 + 180) / 360;
      out[i + 1] = 0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / (2 * Math.PI);
    }
    return boxed(out);
  }

  /* a path's bounding box (projected units), worked out once: a view tests it, not every
     vertex, to skip the paths it does not show */
  function boxed(pts) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    for (var i = 0; i + 1 < pts.length; i += 2) {
      if (pts[i] < b[0]) { b[0] = pts[i]; } if (pts[i] > b[2]) { b[2] = pts[i]; }
      if (pts[i + 1] < b[1]) { b[1] = pts[i + 1]; } if (pts[i + 1] > b[3]) { b[3] = pts[i + 1]; }
    }
    pts.box = b;
    return pts;
  }

  /* the SVG path data of one path in sheet pixels (a dot: a circle at its first point) */
  function pathData(pts, scale, ox, oy, close, dot) {
    var px = Math.round(pts[0] * scale - ox), py = Math.round(pts[1] * scale - oy), qx, qy;
    if (dot) {
      return "M" + (px - dot) + " " + py + "a" + dot + " " + dot + " 0 1 0 " + (2 * dot) + " 0" +
             "a" + dot + " " + dot + " 0 1 0 " + (-2 * dot) + " 0";
    }
    var d = "M" + px + " " + py;
    for (var i = 2; i < pts.length; i += 2) {
      qx = Math.round(pts[i] * scale - ox); qy = Math.round(pts[i + 1] * scale - oy);
      if (qx === px && qy === py) { continue; }
      d += "L" + qx + " " + qy; px = qx; py = qy;
    }
    return close ? d + "Z" : d;
  }

  /* an SVG sheet over the view and a tenth of it around, placed in the map's layer
     pixels: its padding, full size and top left */
  function placeSheet(map, sheet) {
    var size = map.getSize(), pad = size.multiplyBy(0.1).round(), full = size.add(pad.multiplyBy(2));
    var topLeft = map.containerPointToLayerPoint([0, 0]).subtract(pad).round();
    sheet.setAttribute("width", full.x); sheet.setAttribute("height", full.y);
    sheet.setAttribute("viewBox", "0 0 " + full.x + " " + full.y);
    L.DomUtil.setPosition(sheet, topLeft);
    return { pad: pad, full: full, topLeft: topLeft };
  }

  var ContextSheet = L.Layer.extend({
    /* items: [{paths: [Float64Array...] (or source: a function giving them), close, fill,
                stroke, weight, dash, minZoom, kind}] */
    initialize: function (paneName, items, className) {
      this._paneName = paneName; this._items = items; this._className = className;
      this.drawn = {};
    },
    onAdd: function (map) {
      this._sheet = document.createElementNS(SVG, "svg");
      this._sheet.setAttribute("class", "cm-context-sheet " + this._className);
      this._sheet.setAttribute("aria-hidden", "true");
      map.getPane(this._paneName).appendChild(this._sheet);
      map.on("moveend zoomend viewreset resize", this._schedule, this);
      map.on("zoomstart", this._hide, this);
      this._schedule();
    },
    onRemove: function (map) {
      map.off("moveend zoomend viewreset resize", this._schedule, this);
      map.off("zoomstart", this._hide, this);
      if (this._frame) { L.Util.cancelAnimFrame(this._frame); this._frame = null; }
      L.DomUtil.remove(this._sheet);
      this.drawn = {};
    },
    /* one drawing per frame, however many moves the frame saw (a page fits its view,
       then limits it, while it loads) */
    _schedule: function () {
      if (this._frame) { return; }
      this._frame = L.Util.requestAnimFrame(function () {
        this._frame = null;
        if (this._map) { this._draw(); }
      }, this);
    },
    _hide: function () { this._sheet.style.visibility = "hidden"; },
    /* drawn at once (the page's first view), not in the next frame */
    drawNow: function () {
      if (this._frame) { L.Util.cancelAnimFrame(this._frame); this._frame = null; }
      if (this._map) { this._draw(); }
    },
    _draw: function () {
      var map = this._map, sheet = this._sheet, at = placeSheet(map, sheet);
      var pad = at.pad, full = at.full, topLeft = at.topLeft;
      var zoom = map.getZoom(), scale = map.options.crs.scale(zoom), origin = map.getPixelOrigin();
      var ox = origin.x + topLeft.x, oy = origin.y + topLeft.y, w = full.x, h = full.y;
      var drawn = {}, paths = document.createDocumentFragment();
      this._items.forEach(function (it) {
        if (zoom < (it.minZoom || 0)) { return; }
        if (!it.paths) { it.paths = it.source(); }
        var d = [], box = [Infinity, Infinity, -Infinity, -Infinity];
        it.paths.forEach(function (pts) {
          /* a path wholly outside the sheet is skipped */
          var x0 = pts.box[0] * scale - ox, y0 = pts.box[1] * scale - oy;
          var x1 = pts.box[2] * scale - ox, y1 = pts.box[3] * scale - oy;
          if (x1 < 0 || y1 < 0 || x0 > w || y0 > h) { return; }
          box = [Math.min(box[0], x0), Math.min(box[1], y0), Math.max(box[2], x1), Math.max(box[3], y1)];
          d.push(pathData(pts, scale, ox, oy, it.close, it.dot));
        });
        if (!d.length) { return; }
        var path = document.createElementNS(SVG, "path");
        path.setAttribute("d", d.join(""));
        path.setAttribute("class", "cm-context-" + it.kind);
        path.setAttribute("fill", it.fill || "none");
        path.setAttribute("fill-rule", "evenodd");
        if (it.stroke) {
          path.setAttribute("stroke", it.stroke); path.setAttribute("stroke-width", String(it.weight || 1));
          path.setAttribute("stroke-linejoin", "round"); path.setAttribute("stroke-linecap", "round");
          if (it.dash) { path.setAttribute("stroke-dasharray", it.dash.join(" ")); }
        }
        paths.appendChild(path);
        /* what was drawn, in container pixels: for tests and for the curious */
        drawn[it.kind] = [box[0] - pad.x, box[1] - pad.y, box[2] - pad.x, box[3] - pad.y];
      });
      sheet.textContent = "";
      sheet.appendChild(paths);
      this.drawn = drawn;
      sheet.style.visibility = "";
    }
  });

  function rings(polys) {
    var out = [];
    polys.forEach(function (poly) { poly.forEach(function (ring) { out.push(projected(ring)); }); });
    return out;
  }

  function contextLines(map, group, data) {
    pane(map, "cm-land", 150);   /* under the tiles: seen only when no tiles load */
    pane(map, "cm-water", 160);  /* lakes and rivers on the land, under the tiles */
    pane(map, "cm-lines", 380);  /* over the tiles, under the claims */
    var coarse = data.coarse || {}, water = data.water || {};
    /* the coarse land out to the map's limits first, the detailed land over it */
    /* each kind is projected when a view first draws it (sub-district lines only from
       zoom 8, say) */
    var land = [{ kind: "land-coarse", source: function () { return rings(coarse.land || []); },
                  close: true, fill: "#f2eee4" },
                { kind: "land", source: function () { return rings(data.land || []); }, close: true, fill: "#f2eee4" }];
    var wet = [{ kind: "lake", source: function () { return rings(water.lakes || []); }, close: true,
                 fill: "#d4e3ec", stroke: "#7d9fbd", weight: 0.8 },
               { kind: "river", source: function () { return (water.rivers || []).map(projected); },
                 stroke: "#7d9fbd", weight: 1.3 }];
    var lines = Object.keys(LINE_STYLES).map(function (kind) {
      var st = LINE_STYLES[kind];
      return { kind: kind, stroke: st.color, weight: st.weight, minZoom: st.minZoom,
               source: function () {
                 return ((data.lines || {})[kind] || []).concat((coarse.lines || {})[kind] || []).map(projected);
               },
               dash: st.dashArray ? st.dashArray.split(" ").map(Number) : null };
    });
    var layers = { land: new ContextSheet("cm-land", land, "cm-land-sheet"),
                   water: new ContextSheet("cm-water", wet, "cm-water-sheet"),
                   lines: new ContextSheet("cm-lines", lines, "cm-lines-sheet") };
    Object.keys(layers).forEach(function (k) { group.addLayer(layers[k]); });
    contextLayers = layers;
  }
  var contextLayers = null, placeNamesNow = null, layerList = null;

  /* population a place needs to be named at a zoom (more places as one zooms in) */
  function minPopulation(z) {
    return z <= 4 ? 2e6 : z <= 5 ? 1e6 : z <= 6 ? 4e5 : z <= 7 ? 1.5e5 : z <= 8 ? 5e4 : z <= 9 ? 2e4 : 5000;
  }

  /* place names: only those the zoom calls for, inside the view and with room beside
     their point are written, as SVG text on one sheet in their own pane (rewritten after
     each move; no Leaflet object per name) */
  var NameSheet = L.Layer.extend({
    onAdd: function (map) {
      this._sheet = document.createElementNS(SVG, "svg");
      this._sheet.setAttribute("class", "cm-context-sheet cm-names-sheet");
      map.getPane("cm-labels").appendChild(this._sheet);
      map.on("zoomstart", this._hide, this);
    },
    onRemove: function (map) {
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._sheet);
    },
    _hide: function () { this._sheet.style.visibility = "hidden"; },
    /* names: [{text, big, size, x, y}] in container pixels, x, y the top left of the name */
    write: function (names) {
      var sheet = this._sheet, pad = placeSheet(this._map, sheet).pad;
      var out = document.createDocumentFragment();
      names.forEach(function (n) {
        var t = document.createElementNS(SVG, "text");
        t.setAttribute("class", "cm-place cm-place-label" + (n.big ? " cm-place-big" : ""));
        t.setAttribute("x", String(Math.round(n.x + pad.x + 2)));
        t.setAttribute("y", String(Math.round(n.y + pad.y + 2 + n.size * 0.8)));  /* baseline */
        t.setAttribute("font-size", String(n.size));
        t.textContent = n.text;
        out.appendChild(t);
      });
      sheet.textContent = "";
      sheet.appendChild(out);
      sheet.style.visibility = "";
    }
  });

  /* rectangles already taken, filed by the 64-pixel cells they cover: a name tests only
     those near it */
  function Taken(rects) { this.cells = {}; rects.forEach(this.add, this); }
  Taken.prototype.each = function (r, fn) {
    for (var cx = Math.floor(r.x / 64); cx <= Math.floor((r.x + r.w) / 64); cx++) {
      for (var cy = Math.floor(r.y / 64); cy <= Math.floor((r.y + r.h) / 64); cy++) {
        if (fn(cx + "," + cy) === false) { return false; }
      }
    }
    return true;
  };
  Taken.prototype.add = function (r) {
    var cells = this.cells;
    this.each(r, function (k) { (cells[k] = cells[k] || []).push(r); });
  };
  Taken.prototype.free = function (r) {
    var cells = this.cells;
    return this.each(r, function (k) {
      return (cells[k] || []).every(function (t) { return !overlaps(r, t); });
    });
  };

  function contextLabels(map, group, data) {
    pane(map, "cm-labels", 390);
    var measure = null, font = "", sheet = new NameSheet();
    group.addLayer(sheet);
    var labels = (data.labels || []).map(function (row) { return { row: row, w: 0, h: 0 }; });
    function size(lb) {
      if (lb.w) { return; }
      lb.big = lb.row[3] >= 1e6;
      lb.size = lb.big ? 13 : lb.row[3] >= 1e5 ? 12 : 11;
      measure = measure || document.createElement("canvas").getContext("2d");
      var want = (lb.big ? "600 " : "") + lb.size + "px system-ui, sans-serif";
      if (font !== want) { measure.font = font = want; }  /* setting a font parses it */
      lb.w = Math.ceil(measure.measureText(lb.row[0]).width) + 4;
      lb.h = lb.size + 4;
    }
    function place() {
      if (!map.hasLayer(group) || !map.hasLayer(sheet)) { return; }
      var z = map.getZoom(), need = minPopulation(z), taken = new Taken(obstacles), names = [];
      var view = map.getBounds().pad(0.05);
      labels.forEach(function (lb) {
        if (lb.row[3] < need || !view.contains([lb.row[1], lb.row[2]])) { return; }
        size(lb);
        var pt = map.latLngToContainerPoint([lb.row[1], lb.row[2]]);
        /* right of the point, left, above or below it; or the same beside a marker on it */
        var spots = [0, 12].reduce(function (out, gap) {
          return out.concat([[4 + gap, -lb.h / 2], [-4 - gap - lb.w, -lb.h / 2],
                             [-lb.w / 2, -lb.h - 2 - gap], [-lb.w / 2, 2 + gap]].map(function (d) {
            return { x: pt.x + d[0], y: pt.y + d[1], w: lb.w, h: lb.h };
          }));
        }, []);
        var r = null;
        for (var i = 0; i < spots.length && !r; i++) { if (taken.free(spots[i])) { r = spots[i]; } }
        if (!r) { return; }
        names.push({ text: lb.row[0], big: lb.big, size: lb.size, x: r.x, y: r.y });
        taken.add(r);
      });
      sheet.write(names);
    }
    var frame = null;
    function later() {  /* the claims first; names in the next frame */
      if (frame === null) { frame = L.Util.requestAnimFrame(function () { frame = null; place(); }); }
    }
    placeNamesNow = function () {
      if (frame !== null) { L.Util.cancelAnimFrame(frame); frame = null; }
      place();
    };
    map.on("cm-decluttered", later);
    map.on("overlayadd", function (ev) { if (ev.layer === group) { later(); } });
    map.whenReady(later);
  }

  function inset(map, data) {
    if (!data || !data.paths || !data.paths.length) { return; }
    var c = L.control({ position: "topleft" });
    c.onAdd = function () {
      var box = L.DomUtil.create("div", "cm-panel cm-inset");
      box.setAttribute("aria-label", "Locator map: the mapped area (box) in its region");
      var svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("width", data.width); svg.setAttribute("height", data.height);
      svg.setAttribute("viewBox", "0 0 " + data.width + " " + data.height);
      var sea = document.createElementNS(SVG, "rect");
      sea.setAttribute("width", data.width); sea.setAttribute("height", data.height);
      sea.setAttribute("fill", "#d4e3ec");
      svg.appendChild(sea);
      data.paths.forEach(function (p) {
        var path = document.createElementNS(SVG, "path");
        path.setAttribute("d", p.d);
        path.setAttribute("fill", p.held ? "#cfc6b0" : "#f2eee4");
        path.setAttribute("stroke", "#7a7a7a"); path.setAttribute("stroke-width", "0.6");
        svg.appendChild(path);
      });
      var frame = document.createElementNS(SVG, "rect");
      frame.setAttribute("class", "cm-inset-frame");
      frame.setAttribute("fill", "none"); frame.setAttribute("stroke", "#c0392b");
      frame.setAttribute("stroke-width", "2");
      svg.appendChild(frame);
      box.appendChild(svg);
      var b = data.bounds;
      function update() {
        var v = map.getBounds();
        var kx = data.width / (b[2] - b[0]), ky = data.height / (b[3] - b[1]);
        var x = Math.max(0, (v.getWest() - b[0]) * kx), y = Math.max(0, (b[3] - v.getNorth()) * ky);
        var w = Math.min(data.width, (v.getEast() - b[0]) * kx) - x;
        var h = Math.min(data.height, (b[3] - v.getSouth()) * ky) - y;
        frame.setAttribute("x", x.toFixed(1)); frame.setAttribute("y", y.toFixed(1));
        frame.setAttribute("width", Math.max(3, w).toFixed(1)); frame.setAttribute("height", Math.max(3, h).toFixed(1));
      }
      map.on("moveend zoomend", update);
      map.whenReady(update);  /* the page fits the map's first view after the panels */
      return box;
    };
    c.addTo(map);
  }

  /* --- phones: the legend folds into a button; the layer list is collapsed --- */
  function narrow() { return window.matchMedia("(max-width: 700px)").matches; }

  /* --- the fitted view leaves the panels' space free --- */
  function cornerPads(map) {
    /* for each panel in a map corner, the cheaper of its width (from the side) and its
       height (from the top or bottom), as padding: the claims are fitted beside it */
    var box = map.getContainer().getBoundingClientRect();
    var pad = { left: 0, right: 0, top: 0, bottom: 0 };
    document.querySelectorAll(".leaflet-control-container .cm-panel, .leaflet-control-layers, " +
                              ".cm-inset").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width || !r.height || el.offsetParent === null) { return; }
      var left = r.left - box.left < box.width / 2, top = r.top - box.top < box.height / 2;
      var w = (left ? r.right - box.left : box.right - r.left) + 8;
      var h = (top ? r.bottom - box.top : box.bottom - r.top) + 8;
      if (w / box.width <= h / box.height) { pad[left ? "left" : "right"] = Math.max(pad[left ? "left" : "right"], w); }
      else { pad[top ? "top" : "bottom"] = Math.max(pad[top ? "top" : "bottom"], h); }
    });
    return { pad: pad, box: box };
  }

  function fitView(map) {
    if (!cfg.bounds) { map.setView([20, 0], 2, { animate: false }); return; }  /* nothing located */
    var b = L.latLngBounds(cfg.bounds), c = b.getCenter();
    /* a small area still shows its surroundings: at least about 30 km across */
    b.extend(L.latLngBounds([c.lat - 0.14, c.lng - 0.17], [c.lat + 0.14, c.lng + 0.17]));
    var fit = cornerPads(map), pad = fit.pad, box = fit.box;
    function cramped() {
      return box.width - pad.left - pad.right < box.width * 0.45 || box.height - pad.top - pad.bottom < box.height * 0.45;
    }
    /* the panels would leave the claims too little room: fold the legend to its button
       (it opens again on a click) */
    var figure = document.documentElement.classList.contains("cm-figure");  /* all open */
    var legend = document.querySelector(".cm-legend.cm-foldable");
    if (figure && legend) { legend.classList.remove("cm-folded", "cm-roomfold"); fit = cornerPads(map); pad = fit.pad; }
    /* then, while still cramped, the layer list, the title's details and the inset fold
       too; each opens again on a click */
    var folds = [
      function () {
        if (!legend || legend.classList.contains("cm-folded")) { return false; }
        legend.classList.add("cm-folded", "cm-roomfold");
        var t = legend.querySelector(".cm-legend-toggle");
        if (t) { t.setAttribute("aria-expanded", "false"); }
        return true;
      },
      function () {
        var layers = document.querySelector(".leaflet-control-layers-expanded");
        if (!layers) { return false; }
        layers.classList.remove("leaflet-control-layers-expanded");
        return true;
      },
      function () { return foldTitle(); },
      function () {
        var box = document.querySelector(".cm-inset");
        if (!box || box.offsetParent === null) { return false; }
        box.classList.add("cm-roomfold-hidden");
        return true;
      }
    ];
    for (var f = 0; !figure && f < folds.length && cramped(); f++) {
      if (folds[f]()) { fit = cornerPads(map); pad = fit.pad; }
    }

    var options = { paddingTopLeft: [pad.left + 20, pad.top + 20],
                    paddingBottomRight: [pad.right + 20, pad.bottom + 20], maxZoom: 13, animate: false };
    if (!map._loaded) { parkAtFirstView(map, map._getBoundsCenterZoom(b, options)); }
    map.fitBounds(b, options);
  }

  /* --- declutter: markers that would share pixels fan out around their point, with a
     leader line to it; then area labels and place names go where no marker, other label or
     panel is (a label that cannot be placed is left out at this zoom) --- */
  var MARKER_PX = 26, FAN_GAP = 4;

  function containerRect(node, box) {
    var r = node.getBoundingClientRect();
    return { x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height };
  }
  function overlaps(a, b) { return !(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y); }

  function panelRects(map) {
    var box = map.getContainer().getBoundingClientRect(), out = [];
    document.querySelectorAll(".leaflet-control-container .cm-panel, .leaflet-control-layers, " +
                              ".leaflet-control-zoom, .leaflet-control-attribution, " +
                              ".leaflet-control-scale").forEach(function (node) {
      if (node.offsetParent === null) { return; }
      var r = containerRect(node, box);
      if (r.w && r.h) { out.push(r); }
    });
    return out;
  }

  /* pairs of indices of points closer than a marker's size (a grid of cells one marker
     wide keeps it linear in the number of points) */
  function closePairs(pts) {
    var cells = Object.create(null), out = [];
    pts.forEach(function (p, i) {
      var cx = Math.floor(p.x / MARKER_PX), cy = Math.floor(p.y / MARKER_PX);
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          (cells[(cx + dx) + "," + (cy + dy)] || []).forEach(function (j) {
            if (Math.abs(pts[j].x - p.x) < MARKER_PX && Math.abs(pts[j].y - p.y) < MARKER_PX) { out.push([i, j]); }
          });
        }
      }
      (cells[cx + "," + cy] = cells[cx + "," + cy] || []).push(i);
    });
    return out;
  }

  /* where each marker goes: groups of markers that would touch fan out on a circle around
     their centre; groups whose fans touch are merged and fanned again (a few rounds). A
     group of more than MAX_FAN markers is a crowd (a fan of dozens would carry markers far
     from their places): its markers are gathered by 56-pixel cells into badges with their
     count, a badge at its markers' centre, a marker alone in its cell at its place; a
     badge the reader opened (spread: its markers' ids) fans out around its centre. ids
     name the markers */
  var MAX_FAN = 8, CELL = 56, BADGE_PX = 30, spread = Object.create(null);
  function fanPositions(pts, ids) {
    var parent = pts.map(function (_, i) { return i; });
    function root(i) { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; }
    function join(pairs) {
      var joined = false;
      pairs.forEach(function (p) { var a = root(p[0]), b = root(p[1]); if (a !== b) { parent[a] = b; joined = true; } });
      return joined;
    }
    var at = pts, clusters = [], covered = [], corner = MARKER_PX * Math.SQRT2 / 2;  /* a square marker's half diagonal */
    /* neighbours on the circle a square marker's diagonal (and a gap) apart */
    function fanRadius(n) { return Math.max(MARKER_PX, (MARKER_PX * Math.SQRT2 + FAN_GAP) / (2 * Math.sin(Math.PI / n))); }
    function fan(g, cx, cy) {
      var radius = fanRadius(g.length);
      g.forEach(function (i, n) {
        var a = -Math.PI / 2 + 2 * Math.PI * n / g.length;
        at[i] = { x: cx + radius * Math.cos(a), y: cy + radius * Math.sin(a) };
      });
    }
    function centre(g) {
      var cx = 0, cy = 0;
      g.forEach(function (i) { cx += pts[i].x; cy += pts[i].y; });
      return { x: cx / g.length, y: cy / g.length };
    }
    function crowd(g) {
      var cells = Object.create(null);
      g.forEach(function (i) {
        var k = Math.floor(pts[i].x / CELL) + "," + Math.floor(pts[i].y / CELL);
        (cells[k] = cells[k] || []).push(i);
      });
      function item(members) {
        var c = centre(members);
        return { members: members, x: c.x, y: c.y, open: members.some(function (i) { return spread[ids[i]]; }),
                 reach: members.length > 1 ? BADGE_PX / 2 : corner };
      }
      var items = Object.keys(cells).map(function (k) { return item(cells[k]); });
      /* closed items that would touch are one badge */
      for (var merged = true; merged;) {
        merged = false;
        for (var a = 0; a < items.length && !merged; a++) {
          for (var b = a + 1; b < items.length && !merged; b++) {
            var dx = items[a].x - items[b].x, dy = items[a].y - items[b].y;
            if (!items[a].open && !items[b].open
                && Math.sqrt(dx * dx + dy * dy) < items[a].reach + items[b].reach + FAN_GAP) {
              items[a] = item(items[a].members.concat(items[b].members));
              items.splice(b, 1);
              merged = true;
            }
          }
        }
      }
      /* an opened badge fans out over what lies under its fan (hidden until it closes) */
      items.forEach(function (it) {
        if (!it.open) { return; }
        fan(it.members, it.x, it.y);
        var r = fanRadius(it.members.length) + corner;
        items.forEach(function (o) {
          var dx = o.x - it.x, dy = o.y - it.y;
          if (!o.open && Math.sqrt(dx * dx + dy * dy) < r + o.reach + FAN_GAP) { o.covered = true; }
        });
      });
      items.forEach(function (it) {
        if (it.open) { return; }
        if (it.covered) { it.members.forEach(function (i) { covered.push(i); }); return; }
        if (it.members.length === 1) { return; }  /* at its place */
        clusters.push(it);
        it.members.forEach(function (i) { at[i] = { x: it.x, y: it.y }; });
      });
    }
    join(closePairs(pts));
    for (var round = 0; round < 6; round++) {
      var groups = Object.create(null);
      pts.forEach(function (_, i) { (groups[root(i)] = groups[root(i)] || []).push(i); });
      at = pts.slice();
      clusters = [];
      covered = [];
      Object.keys(groups).forEach(function (k) {
        var g = groups[k];
        if (g.length < 2) { return; }
        if (g.length > MAX_FAN) { crowd(g); return; }
        var c = centre(g);
        fan(g, c.x, c.y);
      });
      if (!join(closePairs(at))) { break; }
    }
    return { at: at, clusters: clusters, covered: covered };
  }

  /* the badges of the groups drawn as one: the count, a click (or Enter) opens the group */
  var badges = null;
  function badgeFor(map, c, members) {
    var n = members.length;
    var box = el("div", "cm-cluster", String(n));
    box.setAttribute("role", "button");
    box.setAttribute("aria-label", n + " claims here, drawn as one: open to show each");
    var badge = L.marker(map.containerPointToLatLng([c.x, c.y]), {
      icon: L.divIcon({ html: box, className: "cm-divicon", iconSize: [BADGE_PX, BADGE_PX],
                        iconAnchor: [BADGE_PX / 2, BADGE_PX / 2] }),
      keyboard: true, title: n + " claims: click to show each", zIndexOffset: 500
    });
    badge.on("click", function () {
      members.forEach(function (e) { spread[e.claim.id] = true; });
      declutter(map);
    });
    return badge;
  }

  /* returns the markers' rectangles in container pixels, worked out (not measured) */
  /* the claims on the map (or parked: drawn as a badge), their container points at a view
     (the map's own, or the first view before it is set: {center, zoom}) and which of them a
     badge stands for */
  function fanAt(map, target) {
    var shown = entries.filter(function (e) {
      return e.marker && e.shown && map.hasLayer(e.group) && (e.parked || map.hasLayer(e.marker));
    });
    var origin = target && map.project(target.center, target.zoom).subtract(map.getSize().divideBy(2)).round();
    var pts = shown.map(function (e) {
      return target ? map.project(e.marker.getLatLng(), target.zoom).subtract(origin)
                    : map.latLngToContainerPoint(e.marker.getLatLng());
    });
    var fan = fanPositions(pts, shown.map(function (e) { return e.claim.id; }));
    var inBadge = {};  /* drawn as a badge, or under an opened badge's fan */
    fan.clusters.forEach(function (c) { c.members.forEach(function (i) { inBadge[i] = true; }); });
    fan.covered.forEach(function (i) { inBadge[i] = true; });
    return { shown: shown, pts: pts, fan: fan, inBadge: inBadge };
  }

  /* a marker a badge stands for is taken off the map (parked), not made and hidden: at the
     first view, before the map makes the markers, and at every declutter after it */
  function park(e, on) {
    if (on && !e.parked) { e.group.removeLayer(e.marker); e.parked = true; }
    else if (!on && e.parked) {
      e.parked = false;
      e.group.addLayer(e.marker);
      if (editing && e.marker.dragging) { e.marker.dragging.enable(); }
    }
  }
  function parkAtFirstView(map, target) {
    if (cfg.fast || !entries.length) { return; }
    var f = fanAt(map, target);
    f.shown.forEach(function (e, i) { if (f.inBadge[i]) { park(e, true); } });
  }

  function fanOut(map) {
    var f = fanAt(map, null), shown = f.shown, pts = f.pts, fan = f.fan, at = fan.at, inBadge = f.inBadge;
    pane(map, "cm-leaders", 590);
    if (!leaders) { leaders = new ContextSheet("cm-leaders", [], "cm-leaders-sheet").addTo(map); }
    if (!badges) {
      badges = L.layerGroup().addTo(map);
      map.on("zoomstart", function () { spread = Object.create(null); });  /* groups change */
      map.on("click", function () {  /* a click on the map closes an opened badge */
        if (Object.keys(spread).length) { spread = Object.create(null); declutter(map); }
      });
    }
    badges.clearLayers();
    var scale = map.options.crs.scale(map.getZoom());
    var lines = [], dots = [];
    var rects = [];
    shown.forEach(function (e, i) {
      park(e, !!inBadge[i]);
      if (inBadge[i]) { return; }
      var node = e.marker.getElement();
      var ox = at[i].x - pts[i].x, oy = at[i].y - pts[i].y;
      rects.push({ x: at[i].x - MARKER_PX / 2, y: at[i].y - MARKER_PX / 2, w: MARKER_PX, h: MARKER_PX });
      node.style.marginLeft = (ox - MARKER_PX / 2) + "px";
      node.style.marginTop = (oy - MARKER_PX / 2) + "px";
      var opts = e.marker.options.icon.options;  /* popups and tooltips at the icon */
      opts.popupAnchor = [ox, oy - 12];
      opts.tooltipAnchor = [ox + 12, oy];
      if (ox || oy) {  /* a leader line from the true point to the icon, in projected units */
        var from = map.project(e.marker.getLatLng()), f = [from.x / scale, from.y / scale];
        lines.push(boxed(new Float64Array([f[0], f[1], f[0] + ox / scale, f[1] + oy / scale])));
        dots.push(boxed(new Float64Array(f)));
      }
    });
    fan.clusters.forEach(function (c) {
      badges.addLayer(badgeFor(map, c, c.members.map(function (i) { return shown[i]; })));
      rects.push({ x: c.x - BADGE_PX / 2, y: c.y - BADGE_PX / 2, w: BADGE_PX, h: BADGE_PX });
    });
    leaders._items = [{ kind: "leader", paths: lines, stroke: "#333", weight: 1 },
                      { kind: "leader-point", paths: dots, dot: 2.5, fill: "#fff", stroke: "#333", weight: 1 }];
    leaders._schedule();
    return rects;
  }

  /* area and control labels (permanent tooltips): where they stand, else a line or two
     lower or higher, else left out at this zoom */
  function placeAreaLabels(map, taken) {
    var box = map.getContainer().getBoundingClientRect();
    var nodes = Array.prototype.slice.call(map.getContainer().querySelectorAll(".leaflet-tooltip.cm-area-label"));
    /* all writes, then all reads, then all writes: one layout, not one per label */
    nodes.forEach(function (node) { node.style.marginTop = "0px"; node.style.display = ""; });
    var rects = nodes.map(function (node) { return containerRect(node, box); });
    var moves = rects.map(function (r) {
      var step = r.h + 6;
      var dy = [0, step, -step, 2 * step, -2 * step].filter(function (d) {
        var moved = { x: r.x, y: r.y + d, w: r.w, h: r.h };
        return taken.every(function (t) { return !overlaps(moved, t); });
      })[0];
      if (dy !== undefined) { taken.push({ x: r.x, y: r.y + dy, w: r.w, h: r.h }); }
      return dy;
    });
    nodes.forEach(function (node, i) {
      if (moves[i] === undefined) { node.style.display = "none"; } else { node.style.marginTop = moves[i] + "px"; }
    });
  }

  var lastDeclutter = "";
  function declutter(map, again) {
    if (cfg.fast) { return; }
    var c = map.getCenter(), key = [map.getZoom(), c.lat, c.lng, map.getSize().x, map.getSize().y,
                                    entries.filter(function (e) { return e.shown && e.marker && (e.parked || map.hasLayer(e.marker)); }).length,
                                    map.getContainer().querySelectorAll(".cm-area-label").length].join(",");
    if (again && key === lastDeclutter) { return; }  /* this view is done already */
    lastDeclutter = key;
    var taken = panelRects(map).concat(fanOut(map));
    placeAreaLabels(map, taken);
    obstacles = taken;
    map.fire("cm-decluttered");
  }
  var obstacles = [];  /* what a place name may not cover: markers, area labels, panels */

  /* the reader may pan and zoom out only as far as the land is drawn */
  function limitView(map) {
    var data = contextOf();
    if (!data || !data.outer) { return; }
    var o = data.outer, outer = L.latLngBounds([o[1], o[0]], [o[3], o[2]]);
    map.options.maxBoundsViscosity = 1;
    map.setMaxBounds(outer);
    map.setMinZoom(Math.min(map.getZoom(), Math.max(map.getMinZoom(), map.getBoundsZoom(outer, true))));
  }

  /* the title keeps its heading and warning; the rest folds behind a button */
  function foldTitle() {
    var title = document.querySelector(".cm-title");
    if (!title || title.classList.contains("cm-folded")) { return false; }
    var toggle = title.querySelector(".cm-title-toggle");
    if (!toggle) {
      toggle = el("button", "cm-title-toggle", "Source and details");
      toggle.type = "button";
      var head = title.querySelector("h1");
      if (head && head.nextSibling) { title.insertBefore(toggle, head.nextSibling); } else { title.appendChild(toggle); }
      toggle.addEventListener("click", function () {
        var folded = title.classList.toggle("cm-folded");
        toggle.setAttribute("aria-expanded", folded ? "false" : "true");
      });
    }
    title.classList.add("cm-folded");
    toggle.setAttribute("aria-expanded", "false");
    return true;
  }

  /* an open popup is drawn over the panels: those it would meet step aside until it closes */
  function popupsOverPanels(map) {
    map.on("popupopen", function (ev) {
      var node = ev.popup.getElement();
      if (!node) { return; }
      var box = map.getContainer().getBoundingClientRect(), r = containerRect(node, box);
      document.querySelectorAll(".leaflet-control-container .cm-panel, .leaflet-control-layers, " +
                                ".leaflet-control-zoom").forEach(function (panel) {
        if (panel.offsetParent !== null && overlaps(r, containerRect(panel, box))) { panel.classList.add("cm-under-popup"); }
      });
    });
    map.on("popupclose", function () {
      document.querySelectorAll(".cm-under-popup").forEach(function (panel) { panel.classList.remove("cm-under-popup"); });
    });
  }

  function foldLegend() {
    var legend = document.querySelector(".cm-legend");
    if (!legend || legend.querySelector(".cm-legend-toggle")) { return; }
    var toggle = el("button", "cm-legend-toggle", "Legend");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    legend.insertBefore(toggle, legend.firstChild);
    legend.classList.add("cm-foldable");
    if (narrow()) { legend.classList.add("cm-folded"); }
    toggle.addEventListener("click", function () {
      var folded = legend.classList.toggle("cm-folded");
      toggle.setAttribute("aria-expanded", String(!folded));
    });
  }

  /* --- embedded in another page: the wheel scrolls the page until the map is clicked --- */
  function embedded(map) {
    var inFrame = false;
    try { inFrame = window.self !== window.top; } catch (e) { inFrame = true; }
    if (!inFrame && !/[?&]embed=1\b/.test(window.location.search)) { return; }
    document.documentElement.classList.add("cm-embedded");
    map.scrollWheelZoom.disable();
    var box = map.getContainer();
    var on = function () { map.scrollWheelZoom.enable(); };
    box.addEventListener("mousedown", on, true);
    box.addEventListener("touchstart", on, true);
    box.addEventListener("focus", on, true);
    box.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); });
  }

  window.conflictmap = {
    configure: function (config) { cfg = config; editing = false; kindImages = false; leaders = null; badges = null; spread = Object.create(null); firstView = false; waitingLabels = []; contextLayers = null; placeNamesNow = null; layerList = null; entries = []; canvas = null; fixes = Object.create(null); view = { day: null, actor: "" }; },
    addClaims: function (layer, claims) {
      claims.forEach(function (c) { addClaim(layer, c); });
    },
    context: function (map, group, part) {
      var data = contextOf();
      if (!data) { return; }
      if (part === "lines") { contextLines(map, group, data); } else { contextLabels(map, group, data); }
    },
    control: function (map, group, part, actor) {
      var data = controlOf();
      if (!data) { return; }
      if (part === "areas") { controlAreas(map, group, data, actor); }
      else if (part === "frontlines") { controlFrontlines(map, group, data); }
      else { controlChanges(map, group, data); }
    },
    narrow: narrow,
    /* the map's layer list, kept so that the first view does not rebuild it once per layer */
    layerList: function (control) { layerList = control; return control; },
    ready: function (map) {
      var cd = controlOf();
      applyView();
      if (cd) { compareView(map, cd); }
      actorFilter(map);
      if (cfg.timeline) { timeline(map); }
      if (!cfg.fast && entries.length) { editor(map); }
      if (contextOf()) { inset(map, contextOf().inset); }
      foldLegend();
      /* the map's first view: every layer added so far is drawn now, once, at it */
      /* the layers wait for the first view and are added with it; the list, built with
         them already checked, is not rebuilt for each (Leaflet 1.9's layer control skips
         its rebuild while it handles a click of its own) */
      if (layerList) { layerList._handlingClick = true; }
      try { fitView(map); } finally { if (layerList) { layerList._handlingClick = false; } }
      openWaitingLabels();
      /* the claims are on the map (for benchmarks: as the naive map's markers are) */
      document.documentElement.setAttribute("data-cm-shown", String(entries.length));
      limitView(map);
      popupsOverPanels(map);
      declutter(map);
      /* after Leaflet has moved the markers and labels of the new view */
      var pending = null;
      map.on("zoomend moveend overlayadd overlayremove", function () {
        if (pending === null) { pending = setTimeout(function () { pending = null; declutter(map, true); }, 0); }
      });
      embedded(map);
      window.conflictmap.map = map;
      /* the first view's context, leader lines and place names are drawn now, with the
         claims, not in a frame of their own: the page is then ready */
      Object.keys(contextLayers || {}).forEach(function (k) { contextLayers[k].drawNow(); });
      if (leaders) { leaders.drawNow(); }
      if (placeNamesNow) { placeNamesNow(); }
      document.documentElement.setAttribute("data-cm-ready", String(entries.length));
    },
    fit: function () { fitView(window.conflictmap.map); },
    /* per context layer, the pixel box of what each kind drew in the last frame */
    contextDrawn: function () {
      var out = {};
      Object.keys(contextLayers || {}).forEach(function (k) { out[k] = contextLayers[k].drawn; });
      return out;
    },  /* again, once a figure's panels are set */
    corrections: function () { return JSON.parse(JSON.stringify(fixes)); },
    safeHref: safeHref
  };
}());
