"""One hierarchy of errors. Each also inherits the builtin it resembles, so callers
that catch ``ValueError`` or ``LookupError`` keep working.

>>> issubclass(InputError, ValueError) and issubclass(InputError, ConflictMapError)
True
>>> str(InputError("kind must be one of captured, retreat", path="c.yaml", line=7, column=11))
'c.yaml:7:11: kind must be one of captured, retreat'
"""

from __future__ import annotations


class ConflictMapError(Exception):
    """Root of every error conflictmap raises on purpose."""

    exit_code = 1


class InputError(ConflictMapError, ValueError):
    """An input file is missing, unreadable or malformed. Names file, line and column."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class UsageError(ConflictMapError, ValueError):
    """Options that cannot work together or name nothing usable (a scheduler address that
    is none, dates that match no snapshot, an unknown country code)."""

    exit_code = 2


class PlaceNotFound(ConflictMapError, LookupError):
    """A place name could not be resolved (raised only where a caller demands a place)."""

    exit_code = 2


class OutputError(ConflictMapError, OSError):
    """An output file could not be written; the previous file, if any, is untouched."""

    exit_code = 1


class GazetteerError(ConflictMapError, OSError):
    """The gazetteer's data or on-disk index could not be read or built."""

    exit_code = 1
