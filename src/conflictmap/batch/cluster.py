"""Running a batch on a Dask distributed cluster (the ``dask`` extra). Imported only when
a scheduler is given.

A Dask scheduler runs whatever code its clients send, so one that listens without TLS on
an address others can reach lets them run code on every worker. Use ``tls://`` with
certificates (``Cluster(tls_ca_file, tls_cert, tls_key)``, as ``--tls-ca-file``,
``--tls-cert``, ``--tls-key`` give them) or keep the scheduler on 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import socket
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import Client, WorkerPlugin, as_completed

from conflictmap.batch import work
from conflictmap.batch.inputs import Task
from conflictmap.batch.work import TaskResult, run_task, worker_gazetteer
from conflictmap.claims.read import read_text
from conflictmap.errors import InputError, UsageError
from conflictmap.progress import log

_ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})")
PROBE_SECONDS = 10.0


@dataclass(frozen=True)
class Cluster:
    """Where a Dask scheduler listens, and the certificates to reach it over TLS."""

    address: str
    tls_ca_file: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None

    @classmethod
    def from_file(cls, path: str | Path, **tls: str | None) -> Cluster:
        """A scheduler file (``dask scheduler --scheduler-file``): JSON with an address."""
        text = read_text(Path(path), "a Dask scheduler file", limit=1_000_000)
        try:
            address = json.loads(text).get("address")
        except (ValueError, AttributeError):
            address = None
        if not isinstance(address, str):
            raise InputError("a scheduler file is JSON with an 'address'", path=str(path))
        return cls(address, **tls)

    def security(self) -> Any:
        files = (self.tls_ca_file, self.tls_cert, self.tls_key)
        if not any(files):
            if self.address.startswith("tls://"):
                raise UsageError("a tls:// scheduler needs --tls-ca-file, --tls-cert and --tls-key")
            return None
        if not all(files):
            raise UsageError("TLS needs all three of --tls-ca-file, --tls-cert and --tls-key")
        from distributed.security import Security

        return Security(tls_ca_file=self.tls_ca_file, tls_client_cert=self.tls_cert,
                        tls_client_key=self.tls_key, require_encryption=True)

    def check(self) -> None:
        """Refuse an address that is none, and a plain TCP peer that is no Dask scheduler
        (a scheduler speaks first: a frame count and lengths, small numbers)."""
        found = _ADDRESS.fullmatch(self.address)
        if not found:
            raise UsageError(f"--scheduler {self.address[:100]!r} is not a scheduler address; "
                             "expected tcp://HOST:PORT or tls://HOST:PORT")
        protocol, host, port = found.group(1), found.group(2).strip("[]"), int(found.group(3))
        if protocol == "tls":
            return
        try:
            with socket.create_connection((host, port), timeout=PROBE_SECONDS) as sock:
                sock.settimeout(PROBE_SECONDS)
                head = b""
                while len(head) < 8:
                    piece = sock.recv(8 - len(head))
                    if not piece:
                        break
                    head += piece
        except TimeoutError:
            head = b""
        except OSError as exc:
            raise UsageError(f"cannot reach a Dask scheduler at {self.address}: "
                             f"{exc.strerror or exc}") from None
        if len(head) < 8 or struct.unpack("<Q", head)[0] > 1_000_000:
            raise UsageError(f"{self.address} does not answer as a Dask scheduler does")

    def client(self) -> Any:
        """A client of the cluster (call :meth:`check` first)."""
        try:
            return Client(self.address, security=self.security(), timeout="30s")
        except (OSError, TimeoutError, MemoryError, ValueError) as exc:
            raise UsageError(f"cannot connect to the Dask scheduler at {self.address}: "
                             f"{str(exc)[:200]}") from None


class GazetteerPlugin(WorkerPlugin):
    """Each worker opens the gazetteer and its name finder once, when it starts (or when
    the plugin is registered with a running worker)."""

    name = "conflictmap-gazetteer"

    def setup(self, worker: Any) -> None:
        worker_gazetteer()


def run_on_cluster(pending: Callable[[int], Iterable[Task]], out: str, drafts: bool,
                   cluster: Cluster) -> Iterator[TaskResult]:
    """The results of the tasks ``pending(workers)`` gives, as the cluster finishes them (a
    few tasks per worker in flight, so a corpus of any size streams through)."""
    with cluster.client() as client:
        client.register_plugin(GazetteerPlugin())
        if client.dashboard_link:
            log.info("Dask dashboard: %s", client.dashboard_link)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = 2 * workers
        queue = as_completed()
        running = 0
        for task in pending(workers):
            queue.add(client.submit(run_task, task, out, drafts, pure=False,
                                    key=f"conflictmap-task-{task.id}"))
            running += 1
            while running >= limit:
                yield next(queue).result()
                running -= 1
        for future in queue:
            yield future.result()


def opened_per_worker(address: str, security: Any = None) -> dict[str, int]:
    """How often each worker of the cluster opened the gazetteer (for tests and checks)."""
    with Client(address, security=security) as client:
        return client.run(lambda: work.STATE["opened"])
