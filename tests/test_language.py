"""The English check behind the views' note that the scorer reads English only."""

from __future__ import annotations

import pytest

from scorer.language import reads_as_english
from tests.conftest import require_shared_data


@pytest.mark.parametrize("text", [
    "Die Brücke ist nicht eingestürzt, sagt die Polizei",
    "La policía niega que el puente se haya derrumbado",
    "La police dément que le pont se soit effondré, et le maire est sur place",
    "警方否认大桥倒塌",
    "الشرطة تنفي انهيار الجسر",
    "Полиция опровергает обрушение моста",
])
def test_other_languages_do_not_read_as_english(text: str) -> None:
    assert reads_as_english(text) is False


@pytest.mark.parametrize("text", [
    "Kim Jong-Un bans the name Kim Jong-un",  # "un" is a French article too
    "Man to die in La Paz, officials say",
    "Apple Watch Edition could use platinum: Report",
    "Los Angeles police find Al Qaeda cell in Las Vegas",  # names, not Spanish or Arabic articles
])
def test_english_headlines_are_not_called_foreign(text: str) -> None:
    assert reads_as_english(text) is not False


def test_too_short_to_tell() -> None:
    assert reads_as_english("Bridge collapses") is None


@pytest.mark.shared_data
def test_every_polnear_article_and_nearly_every_emergent_headline_reads_as_english() -> None:
    import pandas as pd

    from scorer.evaluation.polnear import load_split

    require_shared_data()
    assert [a.id for a in load_split("train") if reads_as_english(a.text) is False] == []
    headlines = pd.read_csv(require_shared_data() / "emergent" / "emergent_train.csv")["articleHeadline"]
    flagged = [h for h in headlines if reads_as_english(h) is False]
    assert len(flagged) <= 3, flagged  # Emergent holds a few French headlines
