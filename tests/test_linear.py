"""Models as text: the rebuilt estimator and the numpy predictor agree; files round-trip."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from sklearn.linear_model import LogisticRegression

from scorer.errors import RuleError
from scorer.linear import LinearModel
from scorer.scoring import FEATURES, corroboration_model


@pytest.mark.parametrize("n_classes", [2, 3])
def test_round_trip_matches_sklearn(tmp_path: Path, n_classes: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (n_classes == 3) * (X[:, 2] > 1).astype(int)
    est = LogisticRegression(max_iter=500).fit(X, y)
    model = LinearModel.from_estimator(est, ["a", "b", "c", "d"], "toy")
    path = tmp_path / "toy_model.yaml"
    model.save(path, header="toy")
    again = LinearModel.load(path)
    np.testing.assert_allclose(again.predict_proba(X), est.predict_proba(X), atol=1e-8)
    np.testing.assert_allclose(again.to_sklearn().predict_proba(X), est.predict_proba(X), atol=1e-8)
    assert path.read_text() == again.to_yaml(header="toy")


def test_unknown_model_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad_model.yaml"
    text = corroboration_model().to_yaml() + "pickle: yes\n"
    path.write_text(text)
    with pytest.raises(RuleError, match="unknown model key"):
        LinearModel.load(path)


def test_shipped_corroboration_model_matches_features() -> None:
    model = corroboration_model()
    assert model.features == FEATURES
    contributions = model.contributions(np.ones(len(FEATURES)))
    assert [c.feature for c in contributions] == list(FEATURES)


def _toy(n_classes: int = 2) -> tuple[LinearModel, np.ndarray]:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] > 0).astype(int) + (n_classes == 3) * (X[:, 1] > 1).astype(int)
    est = LogisticRegression(max_iter=500).fit(X, y)
    return LinearModel.from_estimator(est, ["w=said", "cls=X|w+1=,", "lem=tell"], "toy"), X


@pytest.mark.parametrize("n_classes", [2, 3])
def test_weights_table_round_trips_every_number(tmp_path: Path, n_classes: int) -> None:
    model, X = _toy(n_classes)
    path = tmp_path / "toy_model.yaml"
    model.save(path, header="toy", weights_table=True)
    table = tmp_path / "toy_model.weights.tsv"
    assert "features:" not in path.read_text() and "weights_file: toy_model.weights.tsv" in path.read_text()
    assert table.read_text().splitlines()[1].startswith("w=said\t")
    again = LinearModel.load(path)
    assert again.features == model.features
    # The numbers the YAML form keeps (rounded to 10 places), bit for bit.
    inline = tmp_path / "inline_model.yaml"
    model.save(inline)
    assert np.array_equal(again.coefficients, LinearModel.load(inline).coefficients)
    np.testing.assert_array_equal(again.predict_proba(X), LinearModel.load(inline).predict_proba(X))


@pytest.mark.parametrize(("table", "message"), [
    ("feature\tweight\na\t0.5\nb\n", r":3: expected 2 tab-separated fields, found 1"),
    ("feature\tweight\na\t0.5\na\t0.1\n", r"feature 'a' appears more than once"),
    ("feature\tweight\na\t0.5\nb\tnan\n", r"finite"),
    ("feature\tweight\na\t0.5\nb\tlots\n", r"bad weight"),
    ("name,weight\na,0.5\n", r":1: expected the header line"),
    ("feature\tweight_0\tweight_1\na\t0.5\t0.1\n", r"2 classes need 1 coefficient row"),
])
def test_a_damaged_weights_table_is_a_clear_error(tmp_path: Path, table: str, message: str) -> None:
    model, _ = _toy()
    path = tmp_path / "toy_model.yaml"
    model.save(path, weights_table=True)
    (tmp_path / "toy_model.weights.tsv").write_text(table)
    with pytest.raises(RuleError, match=message):
        LinearModel.load(path)


def test_weights_file_must_sit_beside_the_model(tmp_path: Path) -> None:
    model, _ = _toy()
    path = tmp_path / "toy_model.yaml"
    model.save(path, weights_table=True)
    path.write_text(path.read_text().replace("toy_model.weights.tsv", "../elsewhere.weights.tsv"))
    with pytest.raises(RuleError, match="beside the model"):
        LinearModel.load(path)
    path.write_text(path.read_text().replace("../elsewhere.weights.tsv", "absent.weights.tsv"))
    with pytest.raises(RuleError, match="cannot read the weights table"):
        LinearModel.load(path)


def test_a_feature_name_a_table_cannot_hold_is_refused() -> None:
    model, _ = _toy()
    bad = LinearModel(model.name, model.classes, ("a\tb", "c", "d"), model.coefficients, model.intercept)
    with pytest.raises(RuleError, match="tab or line break"):
        bad.weights_table()


@pytest.mark.parametrize(("key", "value", "message"), [
    ("coefficients", [[float("nan"), 0.1, 0.2]], "must be finite numbers"),
    ("coefficients", [[0.1, float("inf"), 0.2]], "must be finite numbers"),
    ("intercept", [float("-inf")], "must be finite numbers"),
    ("threshold", 7, "threshold 7.0 is not a probability"),
    ("threshold", -0.1, "threshold -0.1 is not a probability"),
    ("features", ["a", "b", "a"], r"feature\(s\) \['a'\] appear more than once"),
])
def test_a_model_file_with_numbers_no_model_can_use_is_refused(
        tmp_path: Path, key: str, value: Any, message: str) -> None:
    # `rules check` once said "ok" to each of these, and a nan weight made the JSON report invalid.
    model, _ = _toy()
    data = {**yaml.safe_load(model.to_yaml()), key: value}
    path = tmp_path / "toy_model.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RuleError, match=f"{re.escape(str(path))}: .*{message}"):
        LinearModel.load(path)


def test_every_shipped_threshold_is_a_probability() -> None:
    # Why thresholds outside [0, 1] are refused: every model scores a probability against its threshold.
    for path in sorted((Path(__file__).resolve().parents[1] / "rules").glob("*_model.yaml")):
        assert 0.0 <= LinearModel.load(path).threshold <= 1.0, path


def test_a_duplicate_key_in_a_model_file_is_refused(tmp_path: Path) -> None:
    # The last `threshold:` would win silently; the file holds two, so which one was meant is unknown.
    path = tmp_path / "corroboration_model.yaml"
    path.write_text(corroboration_model().to_yaml() + "threshold: 0.9\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        LinearModel.load(path)
    expected = rf"^\[E100\] {re.escape(str(path))}: duplicate key 'threshold' at line \d+; "
    assert re.search(expected, str(info.value))
    assert "\n" not in str(info.value)


def test_a_model_file_that_is_no_yaml_names_the_file_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "corroboration_model.yaml"
    path.write_text("schema: [\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        LinearModel.load(path)
    assert str(path) in str(info.value) and "<unicode string>" not in str(info.value)
    assert "\n" not in str(info.value)
