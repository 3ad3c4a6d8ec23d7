"""Every example of the README and the docs runs in the tests (Sybil): Python blocks (doctest or plain code)
and ``console`` blocks, whose ``$ `` lines are run by bash from a scratch folder holding the
checkout's ``examples/`` and ``geodata/`` and the installed ``conflictmap`` first on PATH. The
lines after a command are its expected output and messages (``...`` matches anything); a command that
should fail says so on a last line ``[exit N]``.

The examples are the ``console`` and ``python`` blocks. ``bash`` blocks are recipes that a
test cannot run (installing the package: CI runs those two commands itself; starting a
cluster: tests/test_hardening2.py starts a real TLS one); nothing else is left out."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sybil import Sybil
from sybil.parsers.myst import CodeBlockParser, PythonCodeBlockParser

ROOT = Path(__file__).resolve().parent
_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_EXIT = re.compile(r"^\[exit (\d+)\]$")
BASH = shutil.which("bash") or "/bin/bash"


def _sandbox(namespace: dict) -> Path:
    """A scratch folder per page, with the examples and bundled data linked in."""
    if "_sandbox" not in namespace:
        tmp = Path(tempfile.mkdtemp(prefix="cm-docs-"))
        for name in ("examples", "geodata", "benchmarks", "src"):
            (tmp / name).symlink_to(ROOT / name)
        (tmp / "out").mkdir()
        namespace["_sandbox"] = tmp
    return namespace["_sandbox"]


def _commands(block: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out:
            out[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"a console block starts with '$ ': {line!r}")
    return out


def run_console(example) -> None:  # noqa: ANN001 - Sybil's Example
    sandbox = _sandbox(example.namespace)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "COLUMNS": "100", "NO_COLOR": "1",
           "CONFLICTMAP_DATA_DIR": str(sandbox / "user-data")}  # imports stay in the page's folder
    for command, expected in _commands(str(example.parsed)):
        while command.endswith("\\"):  # a command continued on the next line
            command = command[:-1] + " " + expected.pop(0).strip()
        want_rc = 0
        status = _EXIT.match(expected[-1].strip()) if expected else None
        if status:
            want_rc = int(status.group(1))
            expected.pop()
        done = subprocess.run([BASH, "-c", command], cwd=sandbox, env=env, capture_output=True,
                              text=True, timeout=600, check=False)
        if done.returncode != want_rc:
            raise AssertionError(f"$ {command}\nexit {done.returncode} (expected {want_rc})\n"
                                 f"{done.stdout}{done.stderr}")
        want = "\n".join(expected).strip()
        got = (done.stdout + done.stderr).strip()  # as a terminal shows them
        if want and not _CHECKER.check_output(want + "\n", got + "\n", _FLAGS):
            raise AssertionError(f"$ {command}\nexpected:\n{want}\ngot:\n{got}")


def _enter(namespace: dict) -> None:
    namespace["_cwd"] = os.getcwd()
    os.chdir(_sandbox(namespace))


def _leave(namespace: dict) -> None:
    os.chdir(namespace["_cwd"])


pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=_FLAGS),
             CodeBlockParser("console", run_console)],
    patterns=["README.md", "docs/*.md", "docs/*/*.md"], excludes=["docs/_build/*"],
    setup=_enter, teardown=_leave).pytest()

#: the docs' Sphinx configuration and extensions are no test modules
collect_ignore = ["docs/conf.py", "docs/_ext", "docs/_build"]
