"""Many reports at once: ``conflictmap batch INPUT... -o OUT/``, on this machine or on a
Dask cluster, with the same code.

Every report (a ``.txt``/``.md``/``.html`` file, or a line of JSON Lines) is extracted,
resolved and located as ``conflictmap extract`` would; its mentions and claims become
rows of GeoParquet datasets partitioned by year and month, with a row per report and a
line in ``errors.jsonl`` per report that failed (see :mod:`conflictmap.batch.store`).
A rerun skips the reports already done; an interrupted run leaves nothing that a rerun
would not replace.

Needs the ``batch`` extra (pyarrow, fsspec); a cluster needs the ``dask`` extra.
"""

from conflictmap.batch.run import BatchResult, run_batch

__all__ = ["BatchResult", "run_batch"]
