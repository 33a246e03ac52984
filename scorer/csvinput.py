"""A whole CSV file the user names (labelled claims, Emergent, WikiWeasel), read with pandas.

Every way such a file can fail to read (a folder, an empty file, bytes that are not UTF-8, a quote left
open) is an InputError naming the file and the fix, so the commands that train on it print one line
instead of a pandas traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from scorer.errors import InputError


def read_csv(path: Path, what: str, **options: Any) -> pd.DataFrame:
    """`path` as a frame; `what` says what the file should be ("a labelled-claims CSV")."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give {what}")
    try:
        return pd.read_csv(path, encoding="utf-8", **options)
    except UnicodeDecodeError as exc:
        # exc.start counts from pandas' read buffer, not the file, so no byte is named.
        raise InputError(f"{path}: not UTF-8; convert it, e.g. `iconv -f latin1 -t utf-8`") from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{path}: the file is empty; give {what}, header line first") from exc
    except pd.errors.ParserError as exc:
        # pandas' message may run over lines; the error is one line.
        raise InputError(f"{path}: not a readable CSV ({' '.join(str(exc).split())}); "
                         "check its quotes and commas") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
