/* conflictmap review page - MIT licence.
   Every string from the report, the gazetteer or the file is written as a text node
   (textContent) or an attribute value, never parsed as HTML. */
(function () {
  "use strict";
  var TOKEN = document.querySelector('meta[name="conflictmap-review-token"]').content;
  var PAGE = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var S = null;            // the state: text, mentions, claims, log, revision
  var undo = [];           // snapshots of {mentions, claims, log} before each change
  var selected = null;     // the selected mention's id
  var placing = false;     // the next click on the map places the selected mention
  var map, landLayer, markers, candidateLayer;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function api(method, path, body) {
    var opts = {method: method, headers: {"X-Review-Token": TOKEN}, cache: "no-store"};
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      return r.json().then(function (j) { return {status: r.status, body: j}; });
    });
  }
  function say(text, bad) {
    var s = $("status");
    s.textContent = text;
    s.className = bad ? "bad" : "";
  }
  function now() { return new Date().toISOString().slice(0, 19) + "Z"; }
  function mention(id) {
    for (var i = 0; i < S.mentions.length; i++) { if (S.mentions[i].id === id) { return S.mentions[i]; } }
    return null;
  }
  function change(target, action, before, after, fn) {
    undo.push(JSON.stringify({mentions: S.mentions, claims: S.claims, log: S.log}));
    if (undo.length > 500) { undo.shift(); }
    fn();
    S.log.push({at: now(), target: target, action: action, before: before || "", after: after || ""});
    S.dirty = true;
    render();
  }
  function placeText(p) { return p ? p.name + (p.country ? " (" + p.country + ")" : "") : "no place"; }

  // ------------------------------------------------------------------ decisions
  // A decision on a name holds for every mention of that name not yet decided by hand
  // ("Gao" in the dateline and in the text): one click, one decision.
  function same(m) {
    var key = m.text.toLowerCase();
    return S.mentions.filter(function (x) { return x === m || (x.text.toLowerCase() === key && x.by !== "hand"); });
  }
  function targets(m) { return same(m).map(function (x) { return x.id; }).join(" "); }
  function accept(m) {
    if (!m) { return; }
    change(targets(m), "accepted", placeText(m.place), placeText(m.place), function () {
      same(m).forEach(function (x) {
        x.decision = m.place ? "accepted" : "not a place";
        if (!m.place) { x.role = "other"; } else { x.place = m.place; }
        x.by = "hand";
      });
    });
    next(1);
  }
  function choose(m, cand) {
    if (!m || !cand) { return; }
    change(targets(m), "chosen", placeText(m.place), placeText(cand), function () {
      same(m).forEach(function (x) {
        x.place = cand; x.decision = "chosen"; x.by = "hand"; x.status = "reviewed";
        if (x.role !== "location" && x.role !== "region") { x.role = "location"; }
      });
    });
  }
  function notAPlace(m) {
    if (!m) { return; }
    change(targets(m), "not a place", m.role, "other", function () {
      same(m).forEach(function (x) { x.decision = "not a place"; x.role = "other"; x.by = "hand"; });
    });
    next(1);
  }
  function setRole(m, role) {
    change(targets(m), "role", m.role, role, function () {
      same(m).forEach(function (x) { x.role = role; x.decision = "role"; x.by = "hand"; });
    });
  }
  function placeAt(m, latlng) {
    var radius = parseFloat(($("radius") || {}).value) || 5;
    var p = {name: m.text, lat: Math.round(latlng.lat * 1e5) / 1e5, lon: Math.round(latlng.lng * 1e5) / 1e5,
             kind: "placed by hand", country: "", uncertainty_km: radius, source: "placed by hand in review",
             geonameid: null};
    change(targets(m), "placed", placeText(m.place), p.lat + ", " + p.lon + " ± " + radius + " km", function () {
      same(m).forEach(function (x) {
        x.place = p; x.decision = "placed"; x.by = "hand"; x.status = "reviewed";
        if (x.role !== "location" && x.role !== "region") { x.role = "location"; }
      });
    });
  }
  function addMention(start, end) {
    var text = S.text.slice(start, end).trim();
    if (!text) { return; }
    start = S.text.indexOf(text, start);
    end = start + text.length;
    var clash = S.mentions.some(function (m) { return m.start < end && start < m.end; });
    if (clash) { say("The selection overlaps a mention already marked.", true); return; }
    var id = "m" + start + "-" + end;
    change(id, "added", "", text, function () {
      S.mentions.push({id: id, start: start, end: end, text: text, query: text, role: "location",
                       status: "unresolved", reason: "added by hand in review", place: null,
                       candidates: [], decision: "added", by: "hand"});
      S.mentions.sort(function (a, b) { return a.start - b.start; });
      S.claims.push({id: "hand-" + start, kind: "mention", mention: id, destinations: [], actors: [],
                     date: "", prospect: false, summary: "", note: "Added in review.", checks: [], by: "hand"});
    });
    select(id);
    search(text);
  }
  function setClaim(c, key, value) {
    var before = JSON.stringify(c[key]);
    change(c.id, key, before, JSON.stringify(value), function () { c[key] = value; c.by = "hand"; });
  }

  function splitClaim(c) {
    var n = 2;
    while (S.claims.some(function (o) { return o.id === c.id + "-" + n; })) { n += 1; }
    var copy = JSON.parse(JSON.stringify(c));
    copy.id = c.id + "-" + n; copy.by = "hand";
    change(c.id, "split", c.id, copy.id, function () { S.claims.splice(S.claims.indexOf(c) + 1, 0, copy); });
  }
  function mergeClaims(keep, gone) {
    change(keep.id, "merge", gone.id, keep.id, function () {
      gone.actors.forEach(function (a) { if (keep.actors.indexOf(a) < 0) { keep.actors.push(a); } });
      keep.by = "hand";
      S.claims.splice(S.claims.indexOf(gone), 1);
    });
  }

  // ------------------------------------------------------------------ rendering
  function renderText() {
    var box = $("text");
    box.textContent = "";
    var at = 0;
    S.mentions.forEach(function (m) {
      if (m.start < at) { return; }
      if (m.start > at) { box.appendChild(piece(at, m.start)); }
      var span = piece(m.start, m.end);
      span.className = "m role-" + m.role + " st-" + (m.decision ? "done" : m.status) +
        (m.id === selected ? " sel" : "");
      span.dataset.id = m.id;
      span.title = m.role + ", " + (m.decision || m.status) + ": " + placeText(m.place);
      box.appendChild(span);
      at = m.end;
    });
    if (at < S.text.length) { box.appendChild(piece(at, S.text.length)); }
  }
  function piece(a, b) {
    var s = el("span", {}, S.text.slice(a, b));
    s.dataset.offset = String(a);
    return s;
  }
  function renderDetail() {
    var box = $("detail");
    box.textContent = "";
    var m = mention(selected);
    if (!m) { box.appendChild(el("p", {class: "hint"}, "Select a highlighted name in the text (or press j).")); return; }
    var head = el("div", {class: "head"});
    head.appendChild(el("strong", {}, m.text));
    var role = el("select", {id: "role", "aria-label": "role"});
    S.roles.forEach(function (r) { var o = el("option", {value: r}, r); if (r === m.role) { o.selected = true; } role.appendChild(o); });
    role.addEventListener("change", function () { setRole(m, role.value); });
    head.appendChild(role);
    head.appendChild(el("span", {class: "badge"}, m.decision ? m.decision + " (" + m.by + ")" : m.status + " (by the tool)"));
    box.appendChild(head);
    box.appendChild(el("p", {class: "place"}, "Place: " + placeText(m.place) +
      (m.place && m.place.probability != null ? " · probability " + Math.round(m.place.probability * 100) + " %" : "")));
    if (m.reason) { box.appendChild(el("p", {class: "reason"}, m.reason)); }
    var actions = el("div", {class: "actions"});
    [["accept", "Accept (a)", function () { accept(m); }],
     ["not-place", "Not a place (n)", function () { notAPlace(m); }],
     ["place-map", "Place on map (p)", function () { startPlacing(); }]].forEach(function (b) {
      var btn = el("button", {type: "button", id: b[0]}, b[1]);
      btn.addEventListener("click", b[2]);
      actions.appendChild(btn);
    });
    var radius = el("input", {id: "radius", type: "number", min: "0.1", step: "0.1", value: "5", "aria-label": "uncertainty, km"});
    actions.appendChild(el("label", {for: "radius"}, "± km"));
    actions.appendChild(radius);
    box.appendChild(actions);
    var form = el("form", {id: "search-form", role: "search"});
    var q = el("input", {id: "search", type: "search", placeholder: "Search the gazetteer (/)", value: m.query || m.text});
    form.appendChild(q);
    form.appendChild(el("button", {type: "submit"}, "Search"));
    form.addEventListener("submit", function (ev) { ev.preventDefault(); search(q.value); });
    box.appendChild(form);
    var list = el("ol", {id: "candidates"});
    (m.candidates || []).forEach(function (c, i) {
      var li = el("li", {});
      var b = el("button", {type: "button", class: "cand", "data-index": String(i)}, (i + 1) + ". " + placeText(c));
      b.addEventListener("click", function () { choose(m, c); });
      li.appendChild(b);
      var bits = [c.kind, c.population ? "pop. " + c.population.toLocaleString("en") : "",
                  c.km_to_others != null ? c.km_to_others + " km from the report's other places" : "",
                  c.probability != null ? Math.round(c.probability * 100) + " %" : "", c.source];
      li.appendChild(el("span", {class: "meta"}, bits.filter(Boolean).join(" · ")));
      list.appendChild(li);
    });
    if (!(m.candidates || []).length) { list.appendChild(el("li", {class: "hint"}, "No candidate: search, or place it on the map.")); }
    box.appendChild(list);
  }
  function renderClaims() {
    var box = $("claims");
    box.textContent = "";
    box.appendChild(el("h2", {}, "Claims"));
    var table = el("div", {class: "claim-list"});
    S.claims.forEach(function (c) {
      var m = mention(c.mention);
      if (!m) { return; }
      var row = el("div", {class: "claim" + (c.mention === selected ? " sel" : ""), "data-id": c.id});
      var name = el("button", {type: "button", class: "claim-place"}, m.text);
      name.addEventListener("click", function () { select(m.id); });
      row.appendChild(name);
      var kind = el("select", {"aria-label": "kind", class: "claim-kind"});
      S.kinds.forEach(function (k) { var o = el("option", {value: k.value}, k.label); if (k.value === c.kind) { o.selected = true; } kind.appendChild(o); });
      kind.addEventListener("change", function () { setClaim(c, "kind", kind.value); });
      row.appendChild(kind);
      var actors = el("input", {type: "text", class: "claim-actors", "aria-label": "actors", placeholder: "actors, comma separated", value: c.actors.join(", ")});
      actors.addEventListener("change", function () {
        setClaim(c, "actors", actors.value.split(",").map(function (a) { return a.trim(); }).filter(Boolean));
      });
      row.appendChild(actors);
      var date = el("input", {type: "date", class: "claim-date", "aria-label": "date", value: c.date || ""});
      date.addEventListener("change", function () { setClaim(c, "date", date.value); });
      row.appendChild(date);
      var summary = el("input", {type: "text", class: "claim-summary", "aria-label": "summary, with who says so",
                                 placeholder: "summary (who says so: \u201caccording to \u2026\u201d)", value: c.summary || ""});
      summary.addEventListener("change", function () { setClaim(c, "summary", summary.value.trim()); });
      row.appendChild(summary);
      var hedge = el("label", {class: "claim-hedge"});
      var box2 = el("input", {type: "checkbox"});
      box2.checked = !!c.prospect;
      box2.addEventListener("change", function () { setClaim(c, "prospect", box2.checked); });
      hedge.appendChild(box2);
      hedge.appendChild(document.createTextNode(" prospect"));
      row.appendChild(hedge);
      var split = el("button", {type: "button", class: "claim-split", title: "Split: a second claim at this place"}, "Split");
      split.addEventListener("click", function () { splitClaim(c); });
      row.appendChild(split);
      var twin = S.claims.filter(function (o) { return o !== c && o.mention === c.mention; })[0];
      if (twin) {
        var merge = el("button", {type: "button", class: "claim-merge", title: "Merge the other claim at this place into this one"}, "Merge");
        merge.addEventListener("click", function () { mergeClaims(c, twin); });
        row.appendChild(merge);
      }
      if (m.decision === "not a place" || m.role === "actor" || m.role === "other") { row.className += " dropped"; }
      table.appendChild(row);
    });
    box.appendChild(table);
  }
  function renderMap() {
    markers.clearLayers();
    candidateLayer.clearLayers();
    var m = mention(selected);
    S.mentions.forEach(function (x) {
      if (!x.place || x.role === "actor" || x.role === "other") { return; }
      var mk = L.circleMarker([x.place.lat, x.place.lon], {radius: x.id === selected ? 9 : 6,
        color: x.decision ? "#1b7837" : "#b35806", weight: 2, fillOpacity: 0.6});
      mk.bindTooltip(document.createTextNode(x.text));
      mk.on("click", function () { select(x.id); });
      markers.addLayer(mk);
    });
    if (!m) { return; }
    (m.candidates || []).forEach(function (c, i) {
      var icon = L.divIcon({className: "cand-icon", html: el("span", {}, String(i + 1)), iconSize: [22, 22]});
      var mk = L.marker([c.lat, c.lon], {icon: icon, title: (i + 1) + ". " + placeText(c), keyboard: false});
      mk.on("click", function () { choose(m, c); });
      candidateLayer.addLayer(mk);
    });
    if (m.place && m.place.uncertainty_km) {
      candidateLayer.addLayer(L.circle([m.place.lat, m.place.lon], {radius: m.place.uncertainty_km * 1000, weight: 1, fill: false}));
    }
  }
  function render() {
    renderText();
    renderDetail();
    renderClaims();
    renderMap();
    $("title").textContent = S.title || S.report;
    $("undo").disabled = !undo.length;
  }
  function select(id) {
    selected = id;
    placing = false;
    $("map").classList.remove("placing");
    render();
    var m = mention(id);
    var span = document.querySelector('#text [data-id="' + CSS.escape(id) + '"]');
    if (span && span.scrollIntoView) { span.scrollIntoView({block: "nearest"}); }
    if (m) {
      var pts = (m.candidates || []).map(function (c) { return [c.lat, c.lon]; });
      if (m.place) { pts.push([m.place.lat, m.place.lon]); }
      if (pts.length === 1) { map.setView(pts[0], Math.max(map.getZoom(), 8)); }
      else if (pts.length > 1) { map.fitBounds(pts, {padding: [30, 30], maxZoom: 10}); }
    }
  }
  function next(step) {
    var ids = S.mentions.map(function (m) { return m.id; });
    var i = ids.indexOf(selected);
    var j = i < 0 ? 0 : Math.min(ids.length - 1, Math.max(0, i + step));
    if (ids.length) { select(ids[j]); }
  }
  function startPlacing() {
    if (!mention(selected)) { return; }
    placing = true;
    $("map").classList.add("placing");
    say("Click the map where the place is.");
  }
  function search(q) {
    var m = mention(selected);
    if (!m || !q) { return; }
    api("GET", "/api/search?q=" + encodeURIComponent(q)).then(function (r) {
      if (r.status !== 200) { say(r.body.error || "search failed", true); return; }
      m.candidates = r.body;
      say(r.body.length + " candidate(s) for " + q);
      render();
    });
  }
  function save() {
    say("Saving…");
    return api("POST", "/api/save", {revision: S.revision, mentions: S.mentions, claims: S.claims, log: S.log})
      .then(function (r) {
        if (r.status === 200) {
          S.revision = r.body.revision; S.dirty = false;
          say("Saved " + r.body.claims + " claims to " + r.body.path + " (revision " + r.body.revision + ")");
          return true;
        }
        say(r.body.error || "not saved", true);
        return false;
      }, function () { say("Not saved: the review server is gone.", true); return false; });
  }
  function buildMap() {
    save().then(function (ok) {
      if (!ok) { return; }
      say("Building the map…");
      api("POST", "/api/build", {}).then(function (r) {
        if (r.status === 200) {
          say("Map written to " + r.body.path + ": " + r.body.claims + " of " + r.body.total + " claims mapped, " + r.body.kib + " KiB");
        } else { say(r.body.error || "no map built", true); }
      });
    });
  }
  function doUndo() {
    if (!undo.length) { return; }
    var back = JSON.parse(undo.pop());
    S.mentions = back.mentions; S.claims = back.claims; S.log = back.log;
    S.log.push({at: now(), target: selected || "", action: "undo", before: "", after: ""});
    render();
  }

  // ------------------------------------------------------------------ land
  function decode(flat) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; out.push([y / 1e4, x / 1e4]); }
    return out;
  }
  function drawLand(p) {
    (p.land || []).forEach(function (rings) {
      landLayer.addLayer(L.polygon(rings.map(decode), {stroke: false, fillColor: "#f2efe6", fillOpacity: 1, interactive: false}));
    });
    Object.keys(p.lines || {}).forEach(function (kind) {
      p.lines[kind].forEach(function (line) {
        landLayer.addLayer(L.polyline(decode(line), {color: kind === "admin0" ? "#777" : "#bbb", weight: kind === "admin0" ? 1.2 : 0.6, interactive: false}));
      });
    });
    if (p.bounds) { map.fitBounds([[p.bounds[1], p.bounds[0]], [p.bounds[3], p.bounds[2]]]); }
  }

  // ------------------------------------------------------------------ start
  function start() {
    map = L.map("map", {zoomControl: true, attributionControl: true, preferCanvas: false});
    map.attributionControl.addAttribution("Natural Earth; GeoNames (CC BY 4.0)");
    map.getContainer().style.background = "#cfe3ee";
    landLayer = L.layerGroup().addTo(map);
    markers = L.layerGroup().addTo(map);
    candidateLayer = L.layerGroup().addTo(map);
    map.setView([20, 0], 2);
    map.on("click", function (ev) {
      if (!placing) { return; }
      placing = false;
      $("map").classList.remove("placing");
      placeAt(mention(selected), ev.latlng);
      say("Placed by hand.");
    });
    api("GET", "/api/state").then(function (r) {
      if (r.status !== 200) { say(r.body.error || "cannot load the review", true); return; }
      S = r.body;
      S.log = S.log || [];
      document.body.dataset.ready = "1";
      say(S.resumed ? "Resumed the review saved in " + S.output : "Draft of " + S.report + "; saving to " + S.output);
      render();
      api("GET", "/api/land").then(function (l) { if (l.status === 200) { drawLand(l.body); } });
    });
    api("POST", "/api/hello", {page: PAGE});
    window.addEventListener("pagehide", function () {
      fetch("/api/goodbye", {method: "POST", keepalive: true, headers: {"X-Review-Token": TOKEN, "Content-Type": "application/json"},
                             body: JSON.stringify({page: PAGE})});
    });
    window.addEventListener("beforeunload", function (ev) { if (S && S.dirty) { ev.preventDefault(); ev.returnValue = ""; } });
    $("text").addEventListener("click", function (ev) {
      var t = ev.target;
      if (t && t.dataset && t.dataset.id && !String(window.getSelection())) { select(t.dataset.id); }
    });
    document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      var ok = sel && !sel.isCollapsed && $("text").contains(sel.anchorNode) && String(sel).trim().length > 1;
      $("selection-bar").hidden = !ok;
    });
    $("add-mention").addEventListener("click", addSelection);
    $("undo").addEventListener("click", doUndo);
    $("save").addEventListener("click", save);
    $("build").addEventListener("click", buildMap);
    document.addEventListener("keydown", function (ev) {
      var tag = (ev.target && ev.target.tagName) || "";
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); save(); return; }
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "z") { ev.preventDefault(); doUndo(); return; }
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || ev.ctrlKey || ev.metaKey || ev.altKey || !S) { return; }
      var m = mention(selected);
      if (ev.key === "j") { next(1); } else if (ev.key === "k") { next(-1); }
      else if (ev.key === "a") { accept(m); } else if (ev.key === "n") { notAPlace(m); }
      else if (ev.key === "p") { startPlacing(); } else if (ev.key === "u") { doUndo(); }
      else if (ev.key === "s") { save(); } else if (ev.key === "m") { addSelection(); }
      else if (ev.key === "/") { ev.preventDefault(); var q = $("search"); if (q) { q.focus(); q.select(); } }
      else if (/^[1-9]$/.test(ev.key) && m && m.candidates && m.candidates[+ev.key - 1]) { choose(m, m.candidates[+ev.key - 1]); }
      else if (ev.key === "Escape") { placing = false; $("map").classList.remove("placing"); }
      else { return; }
      ev.preventDefault();
    });
  }
  function offsetOf(node, off) {
    var span = node.nodeType === 3 ? node.parentNode : node;
    if (!span || span.dataset.offset === undefined) { return null; }
    return parseInt(span.dataset.offset, 10) + off;
  }
  function addSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed) { return; }
    var a = offsetOf(sel.anchorNode, sel.anchorOffset), b = offsetOf(sel.focusNode, sel.focusOffset);
    if (a === null || b === null) { say("Select words of the text (not of a marked name).", true); return; }
    sel.removeAllRanges();
    $("selection-bar").hidden = true;
    addMention(Math.min(a, b), Math.max(a, b));
  }
  start();
}());
