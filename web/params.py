"""Integer parameters of paths and queries, bounded: a number from a URL reaches the database
only inside the range of its INTEGER columns (32 bits on PostgreSQL, 64 on SQLite), so an
out-of-range number is a validation problem (400), never a driver's overflow (500)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter, QueryParameter

DB_INT_MAX = 2**31 - 1

Seq = Annotated[int, QueryParameter(ge=0, le=DB_INT_MAX)]
"""A position in a sequence (the access log's `after`)."""

VersionPath = Annotated[int, PathParameter(ge=1, le=DB_INT_MAX)]
"""An entry's version in a path; versions start at 1."""
