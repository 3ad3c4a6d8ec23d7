"""Claims files: load and validate (YAML claims files, CSV place lists)."""

from conflictmap.claims.load import load_report

__all__ = ["load_report"]
