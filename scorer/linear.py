"""Logistic models stored as readable text.

A fitted logistic regression is a handful of numbers. We keep them in YAML beside the rules (feature
names, coefficients, intercept, classes, library versions, training-data hash, cross-validated
metrics) and rebuild the model from that text: no pickle or joblib, which can execute code on load.
Predictions are computed here with numpy so that loading a model never needs scikit-learn, and
`to_sklearn()` rebuilds an equivalent estimator for tests that check both agree.
"""

from __future__ import annotations

import hashlib
import platform
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from scorer.errors import RuleError

MODEL_SCHEMA = "scorer.linear/1"
# The C build of PyYAML's *safe* loader (same rules as yaml.safe_load, ~10x faster on large weight
# tables); the pure-Python SafeLoader where libyaml is missing. Never the unsafe loaders.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictYAMLError(yaml.constructor.ConstructorError):
    """A YAML document the safe loader reads, but not as its author meant (see `SAFE_LOADER`)."""


class StrictSafeLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, refusing what it would read silently otherwise.

    A repeated key keeps only its last value (a second `rules:` once dropped a file's 29 rules), and an
    alias repeats its anchor's value without copying it, so a few lines of nested aliases build
    gigabytes (a "billion laughs"). No rule or model file needs either. Only the construction is
    overridden, so libyaml still does the parsing."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # The composer gives every alias its anchor's node: a node met twice is an alias.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise StrictYAMLError(None, None, "an alias reuses the anchor", node.start_mark)
        return super().construct_object(node, deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                key = (key_node.tag, key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
                if key in seen:
                    raise StrictYAMLError(None, None, f"duplicate key {key_node.value!r}",
                                          key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)


SAFE_LOADER = StrictSafeLoader


def parse_yaml(text: str, origin: str | Path) -> Any:
    """`text` read by `SAFE_LOADER`; any YAML error is a one-line RuleError naming `origin` and the
    line (PyYAML's own message names "<unicode string>" and spans several lines)."""
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        raise RuleError(yaml_error_message(exc, origin)) from exc


def yaml_error_message(exc: yaml.YAMLError, origin: str | Path) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
    line = f" at line {mark.line + 1}" if mark is not None else ""
    if isinstance(exc, StrictYAMLError):
        if problem.startswith("an alias"):
            return (f"{origin}: {problem} defined{line}; anchors and aliases are not allowed: "
                    "write the value out")
        return f"{origin}: {problem}{line}; give each key once"
    column = f", column {mark.column + 1}" if mark is not None else ""
    context = " ".join(str(getattr(exc, "context", None) or "").split())
    return f"{origin}: not valid YAML{line}{column}: {context + ', ' if context else ''}{problem}"
_REQUIRED_KEYS = {"schema", "name", "classes", "features", "coefficients", "intercept"}
_OPTIONAL_KEYS = {"threshold", "versions", "training_data", "cv_metrics", "notes", "calibration", "params"}
# The command that rebuilds each shipped model file (README; `make models` runs them in this order),
# named where a model file is missing or was fitted on other rules.
RETRAIN_COMMANDS = {
    "attribution_cue_model.yaml": "scorer train-attribution",
    "attribution_cue_context_model.yaml": "scorer train-attribution",
    "attribution_source_model.yaml": "scorer train-attribution",
    "hedge_model.yaml": "scorer train-wiki-hedges",
    "hedge_news_model.yaml": "scorer train-hedges",
    "stance_model.yaml": "scorer train-stance",
    "stance_url_model.yaml": "scorer train-stance",
    "veracity_model.yaml": "scorer train-veracity",
    "context_model.yaml": "scorer train-context",
    "contest_model.yaml": "scorer train-contested",
    "corroboration_model.yaml": "scorer train data/labels/claims.csv",
}


def model_mtime(path: Path, retrain: str | None = None) -> int:
    """The file's modification time (the key models are cached by); a missing model file is a
    RuleError naming the command that rebuilds it, not a traceback."""
    try:
        return path.stat().st_mtime_ns
    except OSError as exc:
        raise RuleError(f"{path}: model file not found; rebuild it with `{retrain or retrain_command(path)}` "
                        f"or restore it") from exc


def retrain_command(path: str | Path) -> str:
    """The command that rebuilds a model file, by its name."""
    return RETRAIN_COMMANDS.get(Path(path).name, "the training command that wrote it")


# A model with 10^5 features keeps its features and coefficients in a sidecar table instead
# (`weights_file`): one line per feature, "name<TAB>weight", which reads as the weights it holds and
# loads ~20x faster than the same numbers as YAML lists (libyaml parses fast, but PyYAML still builds
# and type-resolves every scalar in Python).
WEIGHTS_KEY = "weights_file"
WEIGHTS_SUFFIX = ".weights.tsv"
_TABLE_KEYS = {"features", "coefficients"}


@dataclass(frozen=True)
class Contribution:
    """One feature's share of a linear score: `weight * value`, in log-odds."""

    feature: str
    value: float
    weight: float
    contribution: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "value": round(float(self.value), 6),
            "weight": round(float(self.weight), 6),
            "contribution": round(float(self.contribution), 6),
        }


@dataclass(frozen=True)
class LinearModel:
    """A binary or multinomial logistic model rebuilt from text.

    For a binary model `coefficients` has one row and `classes` two entries; the probability of
    `classes[1]` is `sigmoid(coef . x + intercept)`. Multinomial models have one row per class and
    use softmax, as scikit-learn's LogisticRegression does.
    """

    name: str
    classes: tuple[Any, ...]
    features: tuple[str, ...]
    coefficients: np.ndarray
    intercept: np.ndarray
    threshold: float = 0.5
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        coef = np.atleast_2d(np.asarray(self.coefficients, dtype=float))
        intercept = np.atleast_1d(np.asarray(self.intercept, dtype=float))
        object.__setattr__(self, "coefficients", coef)
        object.__setattr__(self, "intercept", intercept)
        if coef.shape[1] != len(self.features):
            raise RuleError(
                f"model {self.name!r}: {coef.shape[1]} coefficients for {len(self.features)} features")
        expected_rows = 1 if len(self.classes) == 2 else len(self.classes)
        if coef.shape[0] != expected_rows or intercept.shape[0] != expected_rows:
            raise RuleError(
                f"model {self.name!r}: {len(self.classes)} classes need {expected_rows} coefficient row(s)"
            )
        # A nan or inf weight makes every score it touches nan (and the JSON report invalid); a
        # threshold outside [0, 1] can never or always be met; a repeated feature name leaves it
        # unclear which weight an explanation quotes. Each is a damaged file, refused when loaded.
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
            raise RuleError(f"model {self.name!r}: coefficients and intercept must be finite numbers, "
                            "not nan or inf; refit the model or restore its file")
        if not 0.0 <= self.threshold <= 1.0:
            raise RuleError(f"model {self.name!r}: threshold {self.threshold} is not a probability; "
                            "give one from 0 to 1")
        if len(set(self.features)) != len(self.features):  # the attribution models hold 10^5 features
            repeated = sorted(f for f, n in Counter(self.features).items() if n > 1)
            raise RuleError(f"model {self.name!r}: feature(s) {repeated} appear more than once; "
                            "give each feature one coefficient")

    # -- prediction -------------------------------------------------------------------------
    def decision_function(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=float))
        scores = X @ self.coefficients.T + self.intercept
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per sample, columns in `classes` order."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = 1.0 / (1.0 + np.exp(-np.clip(scores, -500, 500)))
            return np.column_stack([1.0 - p1, p1])
        shifted = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, X: np.ndarray) -> np.ndarray:
        proba = self.predict_proba(X)
        if len(self.classes) == 2:
            return np.where(proba[:, 1] >= self.threshold, self.classes[1], self.classes[0])
        return np.asarray(self.classes, dtype=object)[proba.argmax(axis=1)]

    def contributions(self, x: Sequence[float], row: int = 0) -> list[Contribution]:
        """Per-feature contributions to the log-odds of `classes[1]` (or of class `row`)."""
        weights = self.coefficients[row].tolist()  # Python floats: float(w) of each, made at once
        out = []
        for name, v, w in zip(self.features, x, weights, strict=True):
            v = float(v)
            out.append(Contribution(name, v, w, v * w))
        return out

    # -- scikit-learn round trip ------------------------------------------------------------
    @classmethod
    def from_estimator(
        cls, estimator: Any, features: Sequence[str], name: str, threshold: float = 0.5, **meta: Any
    ) -> LinearModel:
        """Take the numbers out of a fitted scikit-learn LogisticRegression."""
        import sklearn

        versions = {"scikit-learn": sklearn.__version__, "numpy": np.__version__,
                    "python": platform.python_version()}
        meta = {"versions": versions, **meta}
        classes = tuple(_plain(c) for c in estimator.classes_)
        return cls(name, classes, tuple(features), np.asarray(estimator.coef_),
                   np.asarray(estimator.intercept_), threshold, meta)

    def to_sklearn(self) -> Any:
        """An equivalent scikit-learn LogisticRegression (for tests and interoperability)."""
        from sklearn.linear_model import LogisticRegression

        est = LogisticRegression()
        est.classes_ = np.asarray(self.classes)
        est.coef_ = self.coefficients.copy()
        est.intercept_ = self.intercept.copy()
        est.n_features_in_ = len(self.features)
        est.n_iter_ = np.asarray([0])
        return est

    # -- text round trip --------------------------------------------------------------------
    def to_yaml(self, header: str = "", weights_file: str | None = None) -> str:
        """The model as YAML; with `weights_file`, the features and coefficients are left to that
        table (`weights_table`) and the YAML names it."""
        body: dict[str, Any] = {"schema": MODEL_SCHEMA, "name": self.name,
                                "classes": [_plain(c) for c in self.classes]}
        if weights_file is None:
            body["features"] = list(self.features)
            body["coefficients"] = [[round(float(v), 10) for v in row] for row in self.coefficients]
        else:
            body[WEIGHTS_KEY] = weights_file
        body["intercept"] = [round(float(v), 10) for v in self.intercept]
        body["threshold"] = float(self.threshold)
        for key in sorted(_OPTIONAL_KEYS - {"threshold"}):
            if key in self.meta:
                body[key] = _plain(self.meta[key])
        comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
        return comment + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)

    def weights_table(self) -> str:
        """Features and coefficients as text: a header line, then "name<TAB>weight" per feature (one
        weight column per coefficient row), weights rounded as `to_yaml` rounds them."""
        for name in self.features:
            if any(ch in name for ch in "\t\n\r"):
                raise RuleError(f"model {self.name!r}: feature {name!r} holds a tab or line break; "
                                "a weights table cannot store it")
        n_rows = len(self.coefficients)
        columns = "\t".join(f"weight_{k}" for k in range(n_rows)) if n_rows > 1 else "weight"
        rows = [[repr(round(float(v), 10)) for v in row] for row in self.coefficients]
        lines = [f"feature\t{columns}"]
        lines += ["\t".join((name, *(r[j] for r in rows))) for j, name in enumerate(self.features)]
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path, header: str = "", weights_table: bool = False) -> None:
        """Write the model; `weights_table` puts its features and weights in a sidecar table
        `<stem>.weights.tsv` beside it (for models with very many features)."""
        path = Path(path)
        if not weights_table:
            path.write_text(self.to_yaml(header), encoding="utf-8")
            return
        table = path.with_name(path.stem + WEIGHTS_SUFFIX)
        table.write_text(self.weights_table(), encoding="utf-8")
        path.write_text(self.to_yaml(header, weights_file=table.name), encoding="utf-8")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], origin: str) -> LinearModel:
        if not isinstance(data, Mapping):
            raise RuleError(f"{origin}: a model file must be a mapping")
        missing = _REQUIRED_KEYS - data.keys()
        unknown = data.keys() - _REQUIRED_KEYS - _OPTIONAL_KEYS
        if WEIGHTS_KEY in data:
            raise RuleError(f"{origin}: the model keeps its weights in {data[WEIGHTS_KEY]!r}; "
                            "load it from its file")
        if missing:
            raise RuleError(f"{origin}: model is missing key(s) {sorted(missing)}")
        if unknown:
            raise RuleError(f"{origin}: unknown model key(s) {sorted(unknown)}")
        if data["schema"] != MODEL_SCHEMA:
            raise RuleError(f"{origin}: schema {data['schema']!r}, expected {MODEL_SCHEMA!r}")
        meta = {k: data[k] for k in _OPTIONAL_KEYS - {"threshold"} if k in data}
        try:
            return cls(str(data["name"]), tuple(data["classes"]), tuple(str(f) for f in data["features"]),
                       np.asarray(data["coefficients"], dtype=float),
                       np.asarray(data["intercept"], dtype=float),
                       float(data.get("threshold", 0.5)), meta)
        except (TypeError, ValueError) as exc:
            raise RuleError(f"{origin}: bad model numbers: {exc}") from exc
        except RuleError as exc:  # the model's own checks, which know its name but not its file
            raise RuleError(f"{origin}: {exc.args[0]}") from exc

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise RuleError(f"{path}: not UTF-8 text (byte {exc.start}); a model file is UTF-8 YAML") from exc
        except OSError as exc:
            raise RuleError(f"{path}: cannot read model: {exc.strerror}") from exc
        data = parse_yaml(text, path)
        if isinstance(data, Mapping) and WEIGHTS_KEY in data:
            data = {**data, **_read_weights_table(path, data)}
            del data[WEIGHTS_KEY]
        return cls.from_mapping(data, str(path))


def _read_weights_table(model_path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    """`features` and `coefficients` from the sidecar table a model file names, checked line by line."""
    name = data[WEIGHTS_KEY]
    if not isinstance(name, str) or Path(name).name != name or not name.endswith(WEIGHTS_SUFFIX):
        raise RuleError(f"{model_path}: {WEIGHTS_KEY} must name a *{WEIGHTS_SUFFIX} file beside the model, "
                        f"not {name!r}")
    if _TABLE_KEYS & data.keys():
        inline = sorted(_TABLE_KEYS & data.keys())
        raise RuleError(f"{model_path}: a model with {WEIGHTS_KEY} keeps no {inline}")
    table = model_path.with_name(name)
    try:
        text = table.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{table}: cannot read the weights table of {model_path.name}: {exc}") from exc
    # Split on "\n" only: str.splitlines would also break at characters a feature name may hold.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or not lines[0].startswith("feature\t"):
        raise RuleError(f"{table}:1: expected the header line 'feature<TAB>weight'")
    width = lines[0].count("\t") + 1
    body = lines[1:]
    bad = next(((n, line) for n, line in enumerate(body, start=2) if line.count("\t") != width - 1), None)
    if bad is not None:
        raise RuleError(f"{table}:{bad[0]}: expected {width} tab-separated fields, "
                        f"found {bad[1].count(chr(9)) + 1}")
    # Every line has `width` fields, so one split of the joined lines lays them out row after row: the
    # attribution tables hold 10^5 rows, and a list per row was most of what loading them cost.
    fields = "\t".join(body).split("\t") if body else []
    features = fields[0::width]
    if len(set(features)) != len(features):
        seen: set[str] = set()
        for feature in features:
            if feature in seen:
                raise RuleError(f"{table}: feature {feature!r} appears more than once")
            seen.add(feature)
    try:
        coefficients = np.array([fields[k::width] for k in range(1, width)], dtype=float)
    except ValueError as exc:
        raise RuleError(f"{table}: bad weight: {exc}") from exc
    if not np.isfinite(coefficients).all():
        raise RuleError(f"{table}: weights must be finite numbers")
    return {"features": features, "coefficients": coefficients}


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> LinearModel:
    return LinearModel.load(path)


def load_for_features(path: str | Path, features: Sequence[str], retrain: str) -> LinearModel:
    """A model file the scorer feeds `features` in this order, loaded once per process (again when
    the file changes); a file fitted on other features names the command that refits it."""
    path = Path(path)
    model = _load_cached(str(path), model_mtime(path, retrain))
    if tuple(model.features) != tuple(features):
        raise RuleError(f"{path}: model features {list(model.features)} differ from the scorer's "
                        f"{list(features)}; retrain with `{retrain}`")
    return model


def sha256_of(chunks: Iterable[str | bytes]) -> str:
    """Stable hash of training data, recorded in a model file so a retrain is traceable."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """numpy scalars and tuples to plain YAML-safe Python values."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
