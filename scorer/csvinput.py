"""A whole CSV file the user names (labelled claims, Emergent, WikiWeasel), read with pandas.

Every way such a file can fail to read (a folder, an empty file, bytes that are not UTF-8, a quote left
open) is an InputError naming the file and the fix, so the commands that train on it print one line
instead of a pandas traceback.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from scorer.errors import CONVERT_TO_UTF8, InputError


def read_csv(path: Path, what: str, **options: Any) -> pd.DataFrame:
    """`path` as a frame; `what` says what the file should be ("a labelled-claims CSV")."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give {what}")
    try:
        return pd.read_csv(path, encoding="utf-8", **options)
    except UnicodeDecodeError as exc:
        # exc.start counts from pandas' read buffer, not the file, so no byte is named.
        raise InputError(f"{path}: not UTF-8; {CONVERT_TO_UTF8}") from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{path}: the file is empty; give {what}, header line first") from exc
    except pd.errors.ParserError as exc:
        # pandas' message may run over lines; the error is one line.
        raise InputError(f"{path}: not a readable CSV ({' '.join(str(exc).split())}); "
                         "check its quotes and commas") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def read_report_table(source: Path | BinaryIO, name: str, what: str) -> pd.DataFrame:
    """A CSV given whole (a file, or standard input as `source`'s bytes) as a frame of strings, every
    cell as written (blank, not NaN). `name` names it in errors ("standard input" or the path).

    pandas reads a record with more fields than the header by moving the first columns into the
    index (a trailing comma on every line, as spreadsheets export, shifted every column one to the
    left: claims read "bbc.co.uk"), and fills a short record with blanks; neither is what the
    writer meant. Every record's field count is checked first: extra fields that are all blank (the
    trailing comma) are dropped, any other count is an error naming the record's line.
    """
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source.read()
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 (byte {exc.start + 1:,}); {CONVERT_TO_UTF8}") from exc
    if not text.strip():
        raise InputError(f"{name}: the input is empty; give {what}, header line first")
    # A report may be a whole article, past the module's 128 KB default; --max-chars bounds it later.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    line = 1
    try:
        header = next(reader)
        while not header:  # blank lines before the header
            header = next(reader)
        while header and not header[-1].strip():  # the header's own trailing comma
            header.pop()
        width = len(header)
        line = reader.line_num + 1  # the line the next record starts on
        for record in reader:
            if not record:  # a blank line holds no record
                line = reader.line_num + 1
                continue
            if len(record) > width and not any(f.strip() for f in record[width:]):
                record = record[:width]  # a trailing comma
            if len(record) != width:
                raise InputError(f"{name}: the record at line {line:,} has {len(record)} fields where the "
                                 f"header has {width} (a stray comma or quote?); fix that line")
            records.append(record)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{name}: not a readable CSV at line {line:,} ({exc}); check its quotes") from exc
    if len(set(header)) < len(header):
        repeated = sorted({c for c in header if header.count(c) > 1})
        raise InputError(f"{name}: the header names {', '.join(map(repr, repeated))} more than once; "
                         "give each column its own name")
    return pd.DataFrame(records, columns=header, dtype=object).astype(str) if records else \
        pd.DataFrame({c: pd.Series(dtype=str) for c in header})
