"""Nothing is lost: outputs, the gazetteer index and the online answer cache survive a
process killed mid-write, and damaged files are detected on load and rebuilt with a
message."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conflictmap.errors import GazetteerError
from conflictmap.gazetteer import bulk
from conflictmap.gazetteer import index as index_mod
from conflictmap.gazetteer.online import AnswerCache

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _start(code: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=SRC)
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen, ready: Path, after: float) -> None:
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)


@pytest.mark.parametrize("after", [0.05, 0.2, 0.45])
def test_a_killed_build_leaves_a_whole_map(tmp_path, after) -> None:
    """A writer replacing a big map over and over is killed at some moment: the file
    is always one whole version, never a mix or a stub."""
    out = tmp_path / "map.html"
    out.write_bytes(b"old" * 1000)
    ready = tmp_path / "started"
    proc = _start(f"""
        from pathlib import Path
        from conflictmap.atomic import write_bytes_atomic
        Path({str(ready)!r}).touch()
        for version in range(1000):
            write_bytes_atomic(Path({str(out)!r}), bytes([65 + version % 26]) * 20_000_000)
    """)
    _kill_when(proc, ready, after)
    data = out.read_bytes()
    assert data == b"old" * 1000 or (len(data) == 20_000_000 and data == data[:1] * len(data))


def test_stale_temporary_files_of_killed_writers_are_removed(tmp_path) -> None:
    from conflictmap.atomic import write_bytes_atomic

    out = tmp_path / "map.html"
    stale = tmp_path / ".map.html.abc123.tmp"
    stale.write_bytes(b"half")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = tmp_path / ".map.html.def456.tmp"  # maybe another build at work: kept
    fresh.write_bytes(b"half")
    write_bytes_atomic(out, b"new")
    assert out.read_bytes() == b"new" and not stale.exists() and fresh.exists()


def _small_index(path: Path, fingerprint: str = "test") -> None:
    rows = [bulk.Row(1, "Testville", 36.0, 37.0, "SY", "01", 5000, bulk.POPULATED,
                     names={"Testville"})]
    index_mod.write_index(path, rows, {"fingerprint": fingerprint})


def test_a_killed_index_build_keeps_the_old_index(tmp_path) -> None:
    path = tmp_path / "gazetteer-v2.sqlite"
    _small_index(path)
    before = path.read_bytes()
    ready = tmp_path / "started"
    proc = _start(f"""
        import time
        from pathlib import Path
        from conflictmap.gazetteer import bulk, index
        def rows():
            Path({str(ready)!r}).touch()
            for i in range(10_000_000):
                if i % 5000 == 0:
                    time.sleep(0.01)
                yield bulk.Row(i + 10, f"Place {{i}}", 35.0, 36.0, "SY", "01", 0, bulk.POPULATED,
                               names={{f"Place {{i}}"}})
        index.write_index(Path({str(path)!r}), rows(), {{"fingerprint": "new"}})
    """)
    _kill_when(proc, ready, 0.5)
    assert path.read_bytes() == before
    assert index_mod.GazetteerIndex(path).meta["fingerprint"] == "test"
    leftovers = list(tmp_path.glob(".gazetteer-v2.sqlite.*.tmp*"))
    assert leftovers  # the killed build's temporary file...
    old = time.time() - 7200
    for f in leftovers:
        os.utime(f, (old, old))
    index_mod._tidy(path)  # ...is removed by the next build
    assert not list(tmp_path.glob(".gazetteer-v2.sqlite.*.tmp*"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_index_is_detected_and_rebuilt_with_a_message(tmp_path, monkeypatch, caplog,
                                                                  damage) -> None:
    monkeypatch.setenv("CONFLICTMAP_CACHE_DIR", str(tmp_path))
    path = tmp_path / index_mod.INDEX_FILE
    _small_index(path)
    data = path.read_bytes()
    path.write_bytes({"garbage": b"this is not a database" * 100,
                      "truncated": data[: len(data) // 2], "empty": b""}[damage])
    with pytest.raises(GazetteerError, match="unreadable"):
        index_mod.GazetteerIndex(path)
    want = index_mod.fingerprint(bulk.source_files())
    built: list[Path] = []

    def fake_build(p: Path, *, progress: bool = True) -> None:  # the real one takes ~30 s
        built.append(p)
        p.unlink(missing_ok=True)
        _small_index(p, want)

    monkeypatch.setattr(index_mod, "build_index", fake_build)
    opened = index_mod.GazetteerIndex.open_default(progress=True)
    assert built == [path] and opened.meta["fingerprint"] == want
    assert "rebuilding the gazetteer index: the file is corrupt" in caplog.text


def test_a_damaged_answer_cache_is_replaced_with_a_message(tmp_path, caplog) -> None:
    path = tmp_path / "online.sqlite"
    path.write_bytes(b"\x00garbage" * 500)
    cache = AnswerCache(path)
    assert "is corrupt; starting a new one" in caplog.text
    cache.put("q", [{"lat": "1"}])
    assert cache.get("q") == [{"lat": "1"}]


def test_a_killed_cache_writer_leaves_a_readable_cache(tmp_path) -> None:
    path = tmp_path / "online.sqlite"
    ready = tmp_path / "started"
    proc = _start(f"""
        from pathlib import Path
        from conflictmap.gazetteer.online import AnswerCache
        cache = AnswerCache(Path({str(path)!r}))
        Path({str(ready)!r}).touch()
        for i in range(10_000_000):
            cache.put(f"request {{i}}", [{{"lat": str(i), "pad": "x" * 500}}])
    """)
    _kill_when(proc, ready, 0.4)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = con.execute("SELECT count(*) FROM answers").fetchone()[0]
    con.close()
    assert n > 0
    cache = AnswerCache(path)
    assert cache.get("request 0") == [{"lat": "0", "pad": "x" * 500}]
