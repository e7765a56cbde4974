"""The answer evaluation set (tests/answers): kept out of training, and a fixed sample of it
answered through the REST channel of the trained model at least as well as bench/README.md says,
less a small margin."""

import re
from pathlib import Path

import pytest

from tests.support.answers import converse, judge, load_cases

ROOT = Path(__file__).resolve().parents[1]
# The latest `make bench-answers` figure on the whole set (bench/README.md), less 5 points: a
# sample of a fifth of the cases varies by a few points around the whole set's figure.
MINIMUM = 0.89 - 0.05


def _squeeze(text):
    return re.sub(r"\s+", "", text)


def test_no_evaluation_message_is_in_the_training_data():
    """No message of the set is a training example (entity synonyms, single words, aside)."""
    trained = {
        _squeeze(line.strip()[2:])
        for path in (ROOT / "data").rglob("*.yml")
        if path.name != "synonyms.yml"
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    }
    leaked = [turn for case in load_cases() for turn in case["turns"] if _squeeze(turn) in trained]
    assert leaked == []


@pytest.mark.parametrize("case", [{"expect": ["5,000원"]}], ids=["judge"])
def test_the_judge_ignores_spacing_and_honours_forbidden_words(case):
    assert judge("수수료는 5,000 원이에요", case)
    assert not judge("수수료는 오천원이에요", case)
    assert not judge("5,000원이에요", {**case, "forbid": ["이에요"]})
    assert judge("무료예요", {"expect": [["면제", "무료"]]})


def test_a_sample_of_the_set_is_answered(rasa_url):
    sample = load_cases()[::5]
    answered = [case["id"] for case in sample if judge(converse(rasa_url, case["turns"])[0], case)]
    assert len(answered) / len(sample) >= MINIMUM, f"{len(answered)} of {len(sample)} answered"
