"""Running a batch on a Dask distributed cluster (the ``dask`` extra). Imported only when
a scheduler is given."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from distributed import Client, WorkerPlugin, as_completed

from conflictmap.batch import work
from conflictmap.batch.inputs import Task
from conflictmap.batch.work import TaskResult, run_task, worker_gazetteer
from conflictmap.progress import log


class GazetteerPlugin(WorkerPlugin):
    """Each worker opens the gazetteer and its name finder once, when it starts (or when
    the plugin is registered with a running worker)."""

    name = "conflictmap-gazetteer"

    def setup(self, worker: Any) -> None:
        worker_gazetteer()


def run_on_cluster(pending: Callable[[int], Iterable[Task]], out: str, drafts: bool,
                   address: str | Any) -> Iterator[TaskResult]:
    """The results of the tasks ``pending(workers)`` gives, as the cluster at ``address``
    finishes them (a few tasks per worker in flight, so a corpus of any size streams
    through)."""
    with Client(address) as client:
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


def opened_per_worker(address: str | Any) -> dict[str, int]:
    """How often each worker of the cluster opened the gazetteer (for tests and checks)."""
    with Client(address) as client:
        return client.run(lambda: work.STATE["opened"])
