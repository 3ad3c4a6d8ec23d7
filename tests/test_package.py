"""The real install: a wheel and an sdist, each in a fresh virtual environment outside
the checkout, run resolve, build and extract; and the package's own structure
(every subpackage listed, no import cycle, local imports only for heavy dependencies)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "src" / "conflictmap"
REPORT_TEXT = ("Government troops took control of Saraqib in Idlib province on 3 March, "
               "while armed opposition fighters withdrew from Kafr Nabl.\n")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    return out


def _install(tmp: Path, artefact: Path) -> Path:
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                    str(artefact)], check=True, capture_output=True, timeout=900)
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFLICTMAP_GEODATA",
                                                                      "PYTHONPATH"))}
    env["CONFLICTMAP_DATA_DIR"] = str(cwd / "data")  # no imports of the developer's
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installed_package_resolves_builds_and_extracts(dist, tmp_path, kind) -> None:
    artefact = next(dist.glob("*.whl" if kind == "wheel" else "*.tar.gz"))
    if kind == "wheel":  # every data file is inside the wheel
        import zipfile

        names = zipfile.ZipFile(artefact).namelist()
        assert "conflictmap/geodata/gazetteer/places.csv" in names
        assert "conflictmap/geodata/gazetteer/admin_areas.tsv.gz" in names
        assert "conflictmap/render/assets/conflictmap.js" in names
    venv = _install(tmp_path, artefact)
    work = tmp_path / "elsewhere"
    work.mkdir()
    version = _run(venv, work, "conflictmap", "--version")
    assert version.returncode == 0 and "0." in version.stdout
    r = _run(venv, work, "conflictmap", "resolve", "--country", "SY", "Darat Izza", "Idleb")
    assert r.returncode == 0, r.stderr
    assert "Darat Izza: resolved -> Darat Izza (36.28247, 36.85216)" in r.stdout
    bundled = _run(venv, work, "python", "-c",
                   "import conflictmap as cm; print(cm.example_path())").stdout.strip()
    assert "site-packages" in bundled and str(ROOT) not in bundled
    b = _run(venv, work, "conflictmap", "build", bundled, "-o", "idlib.html", "--no-tiles")
    assert b.returncode == 0, b.stderr
    assert "8 of 8 claims mapped" in b.stdout and (work / "idlib.html").stat().st_size > 100_000
    (work / "report.txt").write_text(REPORT_TEXT, encoding="utf-8")
    e = _run(venv, work, "conflictmap", "extract", "report.txt", "-o", "draft.yaml")
    assert e.returncode == 0, e.stderr
    d = _run(venv, work, "conflictmap", "build", "draft.yaml", "-o", "draft.csv")
    assert d.returncode == 0 and "Saraqib" in (work / "draft.csv").read_text(), d.stderr


def test_every_subpackage_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(SRC.parent).parts) for p in SRC.rglob("__init__.py")}
    assert found | {"conflictmap.geodata"} == listed


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _top_level_imports(tree: ast.Module, modules: set[str]) -> set[str]:
    """The package's modules a module imports when it is loaded: ``from a import b``
    means module ``a.b`` when that is a module, else (a name from) module ``a``."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and _type_checking(node):
            continue
        for sub in ([node] if not isinstance(node, ast.If | ast.Try) else ast.walk(node)):
            if isinstance(sub, ast.ImportFrom) and sub.module and sub.module.startswith("conflictmap"):
                for a in sub.names:
                    child = f"{sub.module}.{a.name}"
                    found.add(child if child in modules else sub.module)
            elif isinstance(sub, ast.Import):
                found |= {a.name for a in sub.names if a.name.startswith("conflictmap")}
    return found


def test_no_import_cycle_between_the_packages_modules() -> None:
    """No module imports (at its top level, directly or through others) a module that
    imports it back."""
    modules = _modules()
    graph = {name: sorted(m for m in _top_level_imports(tree, set(modules))
                          if m in modules and m != name)
             for name, tree in modules.items()}
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                pytest.fail("import cycle: " + " -> ".join(path[path.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_local_imports_of_the_packages_modules_say_why() -> None:
    """A function imports one of the package's own modules only to defer a heavy
    optional dependency, and says so in a comment on the line."""
    bad = []
    for path in SRC.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("conflictmap"):
                    line = lines[node.lineno - 1]
                    if "#" not in line:
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_version_has_one_source() -> None:
    import conflictmap

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["dynamic"] == ["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", conflictmap.__version__)
