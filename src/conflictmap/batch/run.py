"""Running a batch: find the reports, skip those already done, analyse the rest on this
process, a pool of worker processes, or a Dask cluster, and write ``errors.jsonl``."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from conflictmap.batch.inputs import (
    TASK_BYTES,
    BadReport,
    Report,
    Task,
    count_reports,
    input_files,
    read_reports,
    tasks,
)
from conflictmap.batch.store import Store
from conflictmap.batch.work import TaskResult, run_task, worker_gazetteer
from conflictmap.errors import UsageError
from conflictmap.progress import Progress, log

if TYPE_CHECKING:
    from conflictmap.batch.cluster import Cluster  # distributed: the dask extra

MIN_TASK_BYTES = 50_000  #: the smallest task a small corpus is cut into


@dataclass
class BatchResult:
    """What a run did: reports analysed now, skipped as done, failed; rows written."""

    out: str
    total: int = 0
    done_before: int = 0
    reports: int = 0
    failed: int = 0
    mentions: int = 0
    claims: int = 0
    chars: int = 0
    seconds: float = 0.0
    tidied: int = 0  #: files of an interrupted run removed
    errors: int = 0  #: lines of errors.jsonl (every run's failures)
    workers: dict[int, float] = field(default_factory=dict)  #: pid -> peak MB

    @property
    def reports_per_s(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.chars / 1e6 / self.seconds if self.seconds else 0.0


def _in_process(pending: Iterable[Task], out: str, drafts: bool) -> Iterator[TaskResult]:
    for task in pending:
        yield run_task(task, out, drafts)


def _pool(pending: Iterable[Task], out: str, drafts: bool, workers: int) -> Iterator[TaskResult]:
    """Worker processes (started fresh, each opening the gazetteer once), a few tasks
    each in flight."""
    context = multiprocessing.get_context("spawn")
    pool = cf.ProcessPoolExecutor(workers, mp_context=context, initializer=worker_gazetteer)
    try:
        running: set[cf.Future] = set()
        for task in pending:
            running.add(pool.submit(run_task, task, out, drafts))
            if len(running) >= 2 * workers:
                finished, running = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                yield from (f.result() for f in finished)
        for f in cf.as_completed(running):
            yield f.result()
    finally:  # every result is in: the workers need not be waited for while they exit
        pool.shutdown(wait=False, cancel_futures=True)


def run_batch(inputs: Sequence[str | Path], out: str | Path, *, workers: int | None = None,
              scheduler: str | Cluster | None = None, drafts: bool = False,
              progress: bool = True, task_bytes: int = TASK_BYTES) -> BatchResult:
    """Analyse every report of ``inputs`` into the output folder ``out`` (see
    :mod:`conflictmap.batch`). ``workers`` processes on this machine (default: one per
    core), or the Dask cluster ``scheduler`` (an address, a
    :class:`~conflictmap.batch.cluster.Cluster` with TLS certificates, or
    ``$DASK_SCHEDULER_ADDRESS`` when ``scheduler`` is None and it is set). A second run on
    the same output while one is writing there is refused. A task holds about
    ``task_bytes`` characters of reports."""
    started = time.perf_counter()
    files = input_files([str(i) for i in inputs])
    store = Store(str(out))
    scheduler = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if isinstance(scheduler, str):
        from conflictmap.batch.cluster import Cluster  # distributed: the dask extra

        scheduler = Cluster(scheduler)
    if scheduler is not None:
        scheduler.check()
    if "memory" in store.fs.protocol:  # a memory filesystem is this process's alone
        if (workers or 1) > 1 or scheduler is not None:
            raise UsageError("a memory:// output lives in this process only: worker processes "
                             "and clusters cannot write to it; use --workers 1, or a folder "
                             "or URL they share")
        workers = 1
    with store.lock():
        return _run(files, store, started, workers=workers, scheduler=scheduler,
                    drafts=drafts, progress=progress, task_bytes=task_bytes)


def _run(files: list[Path], store: Store, started: float, *, workers: int | None,
         scheduler: Cluster | None, drafts: bool, progress: bool, task_bytes: int) -> BatchResult:
    out = store.url
    done_tasks, done = store.done()
    result = BatchResult(str(out), total=count_reports(files))
    result.tidied = store.tidy(done_tasks)
    if result.tidied:
        log.info("removed %d files of an interrupted run; their reports are redone",
                 result.tidied)

    def counted(reports: Iterable[Report | BadReport]) -> Iterator[Report | BadReport]:
        for r in reports:
            if r.digest in done:
                result.done_before += 1
            yield r

    size = sum(f.stat().st_size for f in files)

    def pending(parallel: int) -> Iterator[Task]:
        """Tasks of ``task_bytes``, or smaller for a smaller corpus: about sixteen per
        worker, so that no worker waits long for the last one."""
        per = min(task_bytes, max(MIN_TASK_BYTES, size // (16 * parallel)))
        return tasks(counted(read_reports(files)), done, per)

    if scheduler is not None:
        from conflictmap.batch.cluster import run_on_cluster  # distributed: the dask extra

        results = run_on_cluster(pending, str(out), drafts, scheduler)
    elif (workers or os.cpu_count() or 1) <= 1:
        results = _in_process(pending(1), str(out), drafts)
    else:
        n = workers or os.cpu_count() or 1
        results = _pool(pending(n), str(out), drafts, n)
    meter = Progress(progress)
    for r in results:
        result.reports += r.reports
        result.failed += r.failed
        result.mentions += r.mentions
        result.claims += r.claims
        result.chars += r.chars
        result.workers[r.pid] = max(result.workers.get(r.pid, 0.0), r.peak_mb)
        elapsed = time.perf_counter() - started
        left = result.total - result.done_before
        rate = result.reports / elapsed if elapsed else 0.0
        eta = (left - result.reports) / rate if rate else 0.0
        meter.update(result.reports, left, f"{result.reports:,}/{left:,} reports, "
                     f"{rate:,.0f} reports/s, ETA {int(eta) // 60}:{int(eta) % 60:02d}")
    result.errors = store.write_errors()
    result.seconds = time.perf_counter() - started
    return result
