/* conflictmap: draws a report's claims from JSON data.
 * Every string from input files reaches the page through textContent or as a DOM
 * text node, never through innerHTML, so nothing in a report can run as code. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var cfg = { styles: {}, source: {} };
  var placed = {};

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

  function icon(claim, lat, lon) {
    /* markers within ~1.5 km of each other are drawn side by side (in pixels only;
       the position stays exact): count earlier markers in the neighbouring grid cells */
    var gy = Math.round(lat / 0.015), gx = Math.round(lon / 0.015), n = 0;
    for (var i = -1; i <= 1; i++) { for (var j = -1; j <= 1; j++) { n += placed[(gy + i) + "," + (gx + j)] || 0; } }
    placed[gy + "," + gx] = (placed[gy + "," + gx] || 0) + 1;
    var shift = n * 22;
    var box = el("div", "cm-marker cm-kind-" + claim.kind);
    box.setAttribute("data-claim", claim.id);
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", (cfg.styles[claim.kind] || {}).label + ": " + claim.places[0].name);
    box.appendChild(glyph(claim.kind, 26));
    return L.divIcon({ html: box, className: "cm-divicon", iconSize: [26, 26],
                       iconAnchor: [13 - shift, 13], popupAnchor: [shift, -12],
                       tooltipAnchor: [shift + 12, 0] });
  }

  function row(dl, label, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }

  function placeText(p) {
    var t = p.name;
    if (p.query && p.query !== p.name) { t += " (written \u201c" + p.query + "\u201d)"; }
    return t;
  }

  function precisionText(p) {
    var t = p.precision_label;
    if (p.uncertainty_km) { t += "; position known to \u00b1" + p.uncertainty_km + " km"; }
    if (p.confidence && p.confidence !== "verified") { t += "; " + p.confidence; }
    if (p.status === "ambiguous") { t += "; AMBIGUOUS name: " + p.reason; }
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
    row(dl, "Actors", claim.actors.join("; "));
    row(dl, "Date", claim.date ? claim.date + (claim.time_precision > 1 ? " (approximate)" : "") : "not given");
    claim.places.forEach(function (p) {
      var role = { place: "Place", from: "From", to: "To" }[p.role] || "Place";
      row(dl, role, placeText(p));
      row(dl, "Precision", precisionText(p));
      row(dl, "Gazetteer", p.source);
    });
    var src = cfg.source, cite = el("span");
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
    box.appendChild(dl);
    box.appendChild(el("div", "cm-caveat", "Claim as reported by the source, not verified."));
    return box;
  }

  function tooltip(text) { return el("span", null, text); }

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

  function addArea(layer, p, claim, color, pop) {
    if (!p.outline) { return; }
    var poly = L.polygon(p.outline, { color: color, weight: 2, dashArray: "6 4", fillColor: color,
                                      fillOpacity: 0.12, className: "cm-area" });
    poly.bindTooltip(tooltip(p.name + " \u00b7 approximate outline"),
                     { permanent: true, direction: "center", className: "cm-area-label" });
    poly.bindPopup(pop, { maxWidth: 340 });
    layer.addLayer(poly);
  }

  function addUncertainty(layer, p, color) {
    if (!p.uncertainty_km) { return; }
    var c = L.circle([p.lat, p.lon], { radius: p.uncertainty_km * 1000, color: color, weight: 1,
                                       dashArray: "3 4", fill: false, interactive: false,
                                       className: "cm-uncertainty" });
    layer.addLayer(c);
  }

  function addClaim(layer, claim) {
    var color = (cfg.styles[claim.kind] || cfg.styles.mention).color;
    var pop = popup(claim);
    var first = claim.places[0];
    addArea(layer, first, claim, color, pop);
    addUncertainty(layer, first, color);
    var marker = L.marker([first.lat, first.lon], { icon: icon(claim, first.lat, first.lon),
                                                  keyboard: true, title: first.name });
    marker.bindPopup(pop, { maxWidth: 340 });
    marker.bindTooltip(tooltip(first.name), { direction: "right" });
    layer.addLayer(marker);
    if (claim.kind !== "movement") { return; }
    claim.places.slice(1).forEach(function (d) {
      var a = [first.lat, first.lon], b = [d.lat, d.lon];
      var line = L.polyline([a, b], { color: color, weight: 3, dashArray: "8 6", className: "cm-movement" });
      line.bindPopup(pop, { maxWidth: 340 });
      line.bindTooltip(tooltip(first.name + " \u2192 " + d.name), { sticky: true });
      layer.addLayer(line);
      layer.addLayer(L.polygon(arrowHead(a, b), { color: color, weight: 1, fillColor: color,
                                                  fillOpacity: 1, className: "cm-arrowhead" })
                     .bindPopup(pop, { maxWidth: 340 }));
      var end = L.circleMarker(b, { radius: 5, color: "#fff", weight: 2, fillColor: color, fillOpacity: 1 });
      end.bindTooltip(tooltip(d.name), { direction: "right" });
      end.bindPopup(pop, { maxWidth: 340 });
      layer.addLayer(end);
      addUncertainty(layer, d, color);
    });
  }

  window.conflictmap = {
    configure: function (config) { cfg = config; placed = {}; },
    addClaims: function (layer, claims) { claims.forEach(function (c) { addClaim(layer, c); }); },
    safeHref: safeHref
  };
}());
