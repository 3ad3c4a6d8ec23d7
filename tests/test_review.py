"""Review in the browser (issue 25): a real server on 127.0.0.1 and real Chromium.

The report is ours (invented events at real places); the review accepts one answer,
re-picks another, places a village the gazetteer lacks by clicking the map, adds a missed
name by selecting it in the text, changes a claim's kind, saves, and the saved file is
checked and built. The server's refusals are tested with plain HTTP requests and from a
page of another origin."""

from __future__ import annotations

import http.client
import http.server
import json
import re
import threading
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

import conflictmap as cm
from conflictmap.review import ReviewServer, ReviewSession, export_places, export_training

REPORT = ("Gao, 3 March 2024. Malian army units took Kidal on Monday, residents said. A drone "
          "strike hit a depot near Gao. Fighting was reported in the village of Zerbaouene. "
          "Convoys later reached Ikadewane, a spokesman said.\n")


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "gao.txt"
    path.write_text(REPORT, "utf-8")
    return path


@pytest.fixture
def server(report, gazetteer):
    srv = ReviewServer(ReviewSession.open(report, gazetteer=gazetteer))
    thread = srv.start()
    yield srv
    if not srv.stopped.is_set():
        srv.stop()
    thread.join(10)


def _page(browser, srv, width=1200, height=800):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(srv.url)
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector("#text .m")
    return page, errors


def _mention(page, text: str, nth: int = 0):
    return page.locator("#text .m", has_text=text).nth(nth)


def _select_text(page, word: str) -> None:
    """Select ``word`` in the report's text as a reader does with the mouse."""
    box = page.evaluate("""(word) => {
        const walker = document.createTreeWalker(document.getElementById('text'), NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const i = node.data.indexOf(word);
            if (i >= 0) {
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + word.length);
                const b = r.getBoundingClientRect();
                return {x: b.left, y: b.top + b.height / 2, w: b.width};
            }
        }
        return null;
    }""", word)
    assert box, word
    page.mouse.move(box["x"] + 1, box["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 1, box["y"], steps=5)
    page.mouse.up()


@pytest.mark.browser
def test_a_review_from_text_to_a_built_map(browser, server, report, tmp_path) -> None:
    page, errors = _page(browser, server)
    # accept the tool's answer for Kidal
    _mention(page, "Kidal").click()
    page.keyboard.press("a")
    # Gao, taken for the region: choose the town among the candidates
    _mention(page, "Gao", 1).click()
    assert page.locator("#candidates .cand").count() >= 2
    town = page.locator("#candidates li").filter(
        has=page.locator(".meta", has_text=re.compile("^populated place"))).first
    town.locator("button.cand").click()
    assert "Gao (ML)" in page.locator("#detail .place").inner_text()
    # Zerbaouene is in no gazetteer: place it by clicking the map, 3 km uncertain
    _mention(page, "Zerbaouene").click()
    page.fill("#radius", "3")
    page.click("#place-map")
    page.locator("#map").click(position={"x": 200, "y": 120})
    assert "placed (hand)" in page.locator("#detail .badge").inner_text()
    # Ikadewane was missed: select it in the text and add it
    _select_text(page, "Ikadewane")
    page.wait_for_selector("#selection-bar:not([hidden])")
    page.click("#add-mention")
    assert _mention(page, "Ikadewane").count() == 1
    page.click("#place-map")
    page.locator("#map").click(position={"x": 260, "y": 160})
    # change the kind of the claim at Ikadewane, then save
    row = page.locator(".claim", has=page.locator("button.claim-place", has_text="Ikadewane"))
    row.locator("select.claim-kind").select_option("advance")
    row.locator("input.claim-summary").fill("Convoys are said to have reached Ikadewane, "
                                            "according to a spokesman.")
    row.locator("input.claim-summary").press("Tab")
    # Kidal's capture is split in two (a second claim to give its own actors), then merged back
    kidal = page.locator(".claim", has=page.locator("button.claim-place", has_text="Kidal"))
    kidal.first.locator("button.claim-split").click()
    assert kidal.count() == 2
    kidal.nth(1).locator("input.claim-actors").fill("Invented militia")
    kidal.nth(1).locator("input.claim-actors").press("Tab")
    kidal.first.locator("button.claim-merge").click()
    assert kidal.count() == 1
    assert "Invented militia" in kidal.first.locator("input.claim-actors").input_value()
    page.click("#save")
    expect(page.locator("#status")).to_have_text(re.compile("^Saved"))
    assert not errors, errors
    page.close()

    saved = yaml.safe_load(server.session.output.read_text("utf-8"))
    by_place = {(c["place"] if isinstance(c["place"], str) else c["place"]["name"]): c
                for c in saved["claims"]}
    gao = by_place["Gao"]
    assert gao["kind"] == "strike" and gao["place"]["precision"] == 1
    assert gao["place"]["lat"] == pytest.approx(16.27, abs=0.05)  # the town, not the region
    assert by_place["Zerbaouene"]["kind"] == "clash"
    assert by_place["Zerbaouene"]["place"]["precision"] == 2  # 3 km
    assert by_place["Ikadewane"]["kind"] == "advance"
    assert "Invented militia" in by_place["Kidal"]["actors"]
    assert by_place["Ikadewane"]["summary"].endswith("according to a spokesman.")
    decisions = {m["text"]: (m["decision"], m["by"]) for m in saved["review"]["mentions"]}
    assert decisions["Kidal"] == ("accepted", "hand")
    assert decisions["Zerbaouene"] == ("placed", "hand")
    assert decisions["Ikadewane"] == ("placed", "hand")
    actions = [e["action"] for e in saved["review"]["log"]]
    assert actions[:2] == ["accepted", "chosen"]
    assert {"added", "kind", "split", "actors", "merge"} <= set(actions)
    assert saved["review"]["revision"] == 1

    # the reviewed file builds into the map of what was decided, from the page itself
    page = browser.new_page()
    page.goto(server.url)
    page.wait_for_selector("body[data-ready='1']")
    page.click("#build")
    expect(page.locator("#status")).to_have_text(re.compile("^Map written to .*4 of 4 claims mapped"),
                                                 timeout=60_000)  # a build, not a timing
    page.close()
    built = server.session.output.with_suffix(".html").read_text("utf-8")
    assert "Zerbaouene" in built and "Ikadewane" in built
    cmap = cm.ConflictMap.from_files([server.session.output])
    assert {c.claim.place.name for c in cmap.claims if c.claim.place} >= {
        "Gao", "Zerbaouene", "Ikadewane"}

    # reopening resumes where the review stopped
    again = ReviewSession.open(report, gazetteer=server.session.gazetteer).state()
    assert again["resumed"] and again["revision"] == 2  # the build saved once more
    assert {m["text"]: m["decision"] for m in again["mentions"]}["Ikadewane"] == "placed"
    assert any(c["kind"] == "advance" for c in again["claims"])

    # corrections teach: training data and the user's gazetteer
    corpus = tmp_path / "reviewed.xml"
    n = export_training([(report, server.session.output)], corpus)
    assert n["toponyms"] == 5  # Kidal, Gao (twice: one decision for both), Zerbaouene, Ikadewane
    from conflictmap.evaluate import read_corpus

    [article] = read_corpus(corpus)
    assert {g.phrase for g in article.toponyms} == {"Kidal", "Gao", "Zerbaouene", "Ikadewane"}
    places = tmp_path / "mine.csv"
    assert export_places(server.session.output, places) == 2


@pytest.mark.browser
def test_keys_undo_and_not_a_place(browser, server) -> None:
    page, errors = _page(browser, server)
    page.locator("#text").focus()
    page.keyboard.press("j")  # the first mention: Gao in the dateline
    assert "sel" in (_mention(page, "Gao").get_attribute("class") or "")
    page.keyboard.press("n")
    assert "st-done" in (_mention(page, "Gao").get_attribute("class") or "")
    page.keyboard.press("u")
    assert "st-done" not in (_mention(page, "Gao").get_attribute("class") or "")
    page.keyboard.press("2")  # the second candidate, by its number
    assert "chosen (hand)" in page.locator("#detail .badge").inner_text()
    assert not errors, errors
    page.close()


@pytest.mark.browser
def test_two_tabs_never_lose_an_edit(browser, server) -> None:
    first, _ = _page(browser, server)
    second, _ = _page(browser, server)
    first.locator(".claim select.claim-kind").first.select_option("advance")
    first.click("#save")
    expect(first.locator("#status")).to_have_text(re.compile("^Saved"))
    second.locator(".claim select.claim-kind").first.select_option("retreat")
    second.click("#save")
    expect(second.locator("#status")).to_have_class("bad")
    assert "another page" in second.locator("#status").inner_text()
    saved = yaml.safe_load(server.session.output.read_text("utf-8"))
    assert saved["claims"][0]["kind"] == "advance"  # the first tab's edit is kept
    second.reload()
    second.wait_for_selector("body[data-ready='1']")
    assert second.locator(".claim select.claim-kind").first.input_value() == "advance"
    first.close()
    second.close()


@pytest.mark.browser
def test_works_on_a_phone_sized_screen(browser, server) -> None:
    page, errors = _page(browser, server, 390, 800)
    for sel in ("#text", "#map", "#detail", "#save", "#undo"):
        box = page.locator(sel).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391, (sel, box)
    _mention(page, "Kidal").click()
    page.click("#accept")
    assert "st-done" in (_mention(page, "Kidal").get_attribute("class") or "")
    assert not errors, errors
    page.close()


@pytest.mark.browser
def test_the_server_stops_when_the_page_is_closed(browser, report, gazetteer) -> None:
    srv = ReviewServer(ReviewSession.open(report, gazetteer=gazetteer))
    thread = srv.start()
    page, _ = _page(browser, srv)
    page.close()
    thread.join(15)
    assert not thread.is_alive()


def test_a_goodbye_that_overtakes_its_hello_still_stops_the_server(report, gazetteer) -> None:
    """Hello and goodbye are served on threads of their own: a tab closed at once may have
    its goodbye handled first, and the late hello must not keep the server up."""
    srv = ReviewServer(ReviewSession.open(report, gazetteer=gazetteer))
    thread = srv.start()
    token = {"X-Review-Token": srv.token, "Content-Type": "application/json"}
    for path in ("/api/goodbye", "/api/hello"):
        assert _request(srv, "POST", path, {"page": "p1"}, token)[0] == 200
    thread.join(15)
    assert not thread.is_alive()


# ---------------------------------------------------------------------- refusals
def _request(srv, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers=headers or {})
    r = conn.getresponse()
    out = r.status, r.read()
    conn.close()
    return out


def test_the_server_refuses_other_hosts_origins_and_missing_tokens(server) -> None:
    token = {"X-Review-Token": server.token, "Content-Type": "application/json"}
    state = json.loads(_request(server, "GET", "/api/state", headers=token)[1])
    # a wrong Host (DNS rebinding) gets nothing, not even the page
    assert _request(server, "GET", "/", headers={"Host": "evil.example"})[0] == 421
    assert _request(server, "GET", "/", headers={"Host": f"evil.example:{server.port}"})[0] == 421
    # no token, a wrong token
    assert _request(server, "GET", "/api/state")[0] == 403
    assert _request(server, "GET", "/api/state", headers={"X-Review-Token": "x"})[0] == 403
    assert _request(server, "POST", "/api/save", state,
                    {"Content-Type": "application/json"})[0] == 403
    # another origin, even with the token (as a page of that origin could never have it)
    assert _request(server, "POST", "/api/save", state,
                    {**token, "Origin": "http://evil.example"})[0] == 403
    assert _request(server, "POST", "/api/save", state,
                    {**token, "Sec-Fetch-Site": "cross-site"})[0] == 403
    assert _request(server, "OPTIONS", "/api/save")[0] == 403
    # a form post is not JSON
    assert _request(server, "POST", "/api/save", None,
                    {**token, "Content-Type": "text/plain"})[0] == 415
    # nothing else is served
    for path in ("/etc/passwd", "/assets/../session.py", "/assets/review.py", "/../gao.txt"):
        assert _request(server, "GET", path)[0] == 404, path
    assert not server.session.output.exists()
    # the page itself is guarded
    status, page = _request(server, "GET", "/")
    assert status == 200 and b"Zerbaouene" not in page  # the report reaches it only as data
    status, _ = _request(server, "POST", "/api/save", state, token)
    assert status == 200 and server.session.output.exists()


def test_a_bad_state_is_refused_and_nothing_is_written(server) -> None:
    token = {"X-Review-Token": server.token, "Content-Type": "application/json"}
    state = json.loads(_request(server, "GET", "/api/state", headers=token)[1])
    for bad in ({**state, "claims": "x"},
                {**state, "claims": [{**state["claims"][0], "kind": "{{ 7*7 }}"}]},
                {**state, "claims": [{**state["claims"][0], "date": "yesterday"}]},
                {**state, "mentions": [{**state["mentions"][0], "place": {"lat": 999, "lon": 0}}]}):
        status, body = _request(server, "POST", "/api/save", bad, token)
        assert status == 422, body
    assert not server.session.output.exists()


class _Attacker(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:  # noqa: N802
        url = json.dumps(self.target + "api/save")
        body_js = "JSON.stringify({revision: 0, mentions: [], claims: []})"
        # a simple request (no preflight) and one with the header, which needs a preflight
        page = ("<!doctype html><script>Promise.allSettled(["
                f"fetch({url}, {{method: 'POST', mode: 'no-cors', headers: "
                f"{{'Content-Type': 'text/plain'}}, body: {body_js}}}),"
                f"fetch({url}, {{method: 'POST', headers: {{'Content-Type': 'application/json', "
                f"'X-Review-Token': 'guess'}}, body: {body_js}}})"
                "]).then(() => { document.title = 'sent'; });</script>")
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.browser
def test_a_page_of_another_origin_cannot_save(browser, server) -> None:
    _Attacker.target = server.url
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Attacker)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://localhost:{evil.server_address[1]}/")
        page.wait_for_function("document.title === 'sent'")
        page.close()
    finally:
        evil.shutdown()
    assert not server.session.output.exists()


def test_ctrl_c_stops_the_command(report, tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "conflictmap.cli", "review", str(report),
                             "--no-browser", "-o", str(tmp_path / "out.yaml")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, line
        port = int(re.search(r":(\d+)/", line).group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        proc.send_signal(signal.SIGINT)
        # communicate() drains the pipe while waiting (a full pipe would block the command);
        # 60 s only tells a hang from a slow, loaded machine
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
        assert "review stopped" in out
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
