"""130 hostile strings of our own making (tests/data/hostile.json) built into maps and
opened in headless Chromium: no dialog, no script runs, no element is injected, the
map still renders, and every string shows literally in popups, tooltips, the title
block, the not-located list, the correction panel and an embedding page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conflictmap.claims.read import text_problem
from conflictmap.cli import main

pytestmark = pytest.mark.browser
CORPUS = json.loads((Path(__file__).parent / "data" / "hostile.json").read_text("utf-8"))
#: The strings a map may show; control characters (a bell, escapes) are refused at input
#: with their line instead (see the last test).
HOSTILE = [s for s in CORPUS if not text_problem(s)]

# What may be on the page: our own scripts and styles, nothing an input string adds.
INJECTED = ("img, iframe, object, embed, video, audio, source, form, "
            "input:not(.leaflet-control-layers-selector):not(.cm-timeline input), "
            "button:not(.cm-editor button):not(.cm-legend-toggle), marquee, "
            "details:not(.cm-title details), math, "
            "svg[onload], base, meta[http-equiv=refresh i], "
            "link[rel=stylesheet], b, i, u, h1:not(.cm-title h1), blink, plaintext, xmp, template, "
            "noscript, a[href^='javascript' i], textarea")


def test_corpus_is_large_and_varied() -> None:
    assert len(HOSTILE) >= 100 and len(CORPUS) - len(HOSTILE) == 1
    for needle in ("<script", "onerror", "javascript:", "</script>", "`", "${", "\\", "{{",
                   "{%", "\u2028", "\u202e"):
        assert any(needle in s for s in HOSTILE), needle
    assert max(map(len, HOSTILE)) > 1800


def _claims_file(tmp_path: Path) -> Path:
    claims = []
    for i, s in enumerate(HOSTILE):
        claims.append({"id": f"h{i:03d}", "kind": ["captured", "retreat", "control", "mention"][i % 4],
                       "date": "2020-02-18", "summary": s, "actors": [s[:200], "Plain actor"],
                       "note": s[:1500],
                       "place": {"name": s[:300] or "x", "lat": 35 + (i % 12) * 0.15,
                                 "lon": 36 + (i // 12) * 0.15}})
    for i, s in enumerate(HOSTILE[:20]):  # names nobody can locate: the title's list
        claims.append({"id": f"u{i:03d}", "kind": "mention", "summary": "unlocated",
                       "place": f"Qqzx {s[:200]}"})
    doc = {"report": {"title": HOSTILE[0] + " " + HOSTILE[15], "outlet": HOSTILE[5],
                      "author": HOSTILE[30], "url": "https://example.org/a?b=<c>&d=\"e\"".replace(
                          "<", "%3C").replace(">", "%3E").replace('"', "%22"),
                      "published": "2020-02-18", "region": HOSTILE[40][:300]},
           "claims": claims}
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    src = _claims_file(tmp)
    out = tmp / "hostile.html"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "--no-tiles"])
    assert r.exit_code == 0, r.output
    assert f"{len(HOSTILE)} of {len(HOSTILE) + 20} claims mapped" in r.stdout
    return out


def _check_clean(page) -> None:
    p = page.page
    assert page.dialogs == []
    assert p.evaluate("window.__pwned") is None
    assert p.evaluate("window.parent.__pwned") is None
    assert p.locator(INJECTED).count() == 0
    on_attrs = p.evaluate("""Array.from(document.querySelectorAll('*')).filter(function (e) {
        return Array.from(e.attributes).some(function (a) { return /^on/i.test(a.name); });
    }).length""")
    assert on_attrs == 0
    assert page.blocked == []  # nothing tried to load from anywhere
    assert page.script_errors() == []


def test_every_string_shows_literally_and_nothing_runs(hostile_map, offline_page) -> None:
    page = offline_page()
    page.open(hostile_map)
    p = page.page
    p.wait_for_selector(f"html[data-cm-ready='{len(HOSTILE)}']", state="attached")
    assert p.locator(".cm-marker").count() == len(HOSTILE)
    # every popup: summary, actors and note exactly as written
    seen = p.evaluate("""(function () {
        var out = {};
        document.querySelectorAll('.cm-marker').forEach(function (m) {
            conflictmap.map.closePopup();
            m.dispatchEvent(new MouseEvent('click', {bubbles: true}));
            var box = document.querySelector('.cm-popup[data-claim="' + m.getAttribute('data-claim') + '"]');
            var dds = Array.from(box.querySelectorAll('dd')).map(function (d) { return d.textContent; });
            out[m.getAttribute('data-claim')] = {
                summary: box.querySelector('.cm-summary').textContent, dds: dds};
            m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
            var tips = document.querySelectorAll('.leaflet-tooltip');
            out[m.getAttribute('data-claim')].tooltip = tips.length ? tips[tips.length - 1].textContent : null;
            m.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
        });
        return out; }())""")
    for i, s in enumerate(HOSTILE):  # the loader trims spaces at either end, nothing else
        got = seen[f"h{i:03d}"]
        assert got["summary"] == s.strip()
        assert f"{s[:200].strip()}; Plain actor" in got["dds"]
        assert s[:1500].strip() in got["dds"]
        assert got["tooltip"] == (s[:300].strip() or "x")
    title = p.locator(".cm-title h1").text_content()
    assert title == HOSTILE[0] + " " + HOSTILE[15]
    assert HOSTILE[5] in p.locator(".cm-title").text_content()
    unlocated = p.locator(".cm-title details li").all_text_contents()
    assert len(unlocated) == 20
    assert all(f"Qqzx {HOSTILE[i][:200]}".strip() in unlocated[i] for i in range(20))
    # the correction panel lists the names as options, as text
    p.locator(".cm-edit-toggle").click()
    options = p.locator(".cm-edit-place option").all_text_contents()
    assert HOSTILE[1][:300].strip() in options
    assert p.title().startswith(HOSTILE[0][:20])
    _check_clean(page)


def test_embedding_page_with_hostile_summary(hostile_map, offline_page, tmp_path) -> None:
    snippet = CliRunner().invoke(main, ["embed", str(hostile_map)]).stdout
    host = tmp_path / "host.html"
    host.write_text("<!doctype html><html><body><h2>Report</h2>" + snippet + "</body></html>",
                    encoding="utf-8")
    host_map = tmp_path / hostile_map.name
    host_map.write_bytes(hostile_map.read_bytes())
    page = offline_page()
    page.open(host)
    p = page.page
    p.frame_locator("iframe").locator("html[data-cm-ready]").wait_for(state="attached")
    items = p.locator("figcaption li").all_text_contents()
    assert len(items) == len(HOSTILE) + 20
    assert any(HOSTILE[0] in t for t in items) and any(HOSTILE[20] in t for t in items)
    assert p.evaluate("window.__pwned") is None and page.dialogs == []
    assert p.locator("figcaption img, figcaption script, figcaption svg, figcaption iframe").count() == 0


def test_hostile_csv_cells(offline_page, tmp_path) -> None:
    import csv

    src = tmp_path / "hostile.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        fh.write("# title: " + HOSTILE[0].replace("\n", " ") + "\n")
        w = csv.writer(fh)
        w.writerow(["name", "kind", "date", "actor", "note", "lat", "lon"])
        for i, s in enumerate(HOSTILE[:60]):
            w.writerow([s[:300] or "x", "mention", "2020-02-18", s[:200], s[:1500],
                        35 + i * 0.02, 36 + i * 0.02])
    page = offline_page()
    page.open_built(src)
    p = page.page
    p.wait_for_selector("html[data-cm-ready='60']", state="attached")
    # close enough that no two claims share a badge: a marker a badge stands for is not on the
    # page until the badge opens
    p.evaluate("conflictmap.map.setZoom(13, {animate: false})")
    p.wait_for_function("document.querySelectorAll('.cm-marker').length === 60")
    texts = p.evaluate("""Array.from(document.querySelectorAll('.cm-marker')).map(function (m) {
        conflictmap.map.closePopup();
        m.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        var id = m.getAttribute('data-claim');
        return document.querySelector('.cm-popup[data-claim="' + id + '"]').textContent; })""")
    for i, s in enumerate(HOSTILE[:60]):
        assert s[:200].strip() in texts[i]
    _check_clean(page)


def test_control_characters_are_refused_where_they_stand(tmp_path) -> None:
    [bell] = [s for s in CORPUS if text_problem(s)]
    src = tmp_path / "c.yaml"
    src.write_text(yaml.safe_dump({"report": {"title": "t"}, "claims": [
        {"id": "a", "kind": "mention", "place": "Idlib", "summary": bell}]}), encoding="utf-8")
    out = tmp_path / "m.html"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(out)])
    assert r.exit_code == 2 and "c.yaml:" in r.stderr and "control character (\\x07)" in r.stderr
    assert not out.exists()
