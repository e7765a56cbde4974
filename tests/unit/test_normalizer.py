import unicodedata

import pytest

from korean_nlu.normalizer import normalize


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ㅋㅋㅋㅋㅋ 민증 어케해요ㅠㅠㅠㅠ", "ㅋㅋ 민증 어케해요ㅠㅠ"),
        ("  재발급   수수료\t\n얼마  ", "재발급 수수료 얼마"),
        ("ＩＤ　ｃａｒｄ！", "ID card!"),
        ("수수료 5000원??!!!!", "수수료 5000원??!!"),  # digits are never folded
        ("재발급 1111번", "재발급 1111번"),
    ],
)
def test_normalizes_how_people_type(text, expected):
    assert normalize(text).text == expected


def test_composes_decomposed_hangul_and_maps_back():
    decomposed = unicodedata.normalize("NFD", "민증 분실")
    norm = normalize(decomposed)
    assert norm.text == "민증 분실"
    start, end = norm.original_span(0, 2)
    assert unicodedata.normalize("NFC", decomposed[start:end]) == "민증"


def test_every_character_maps_to_the_original_text():
    text = " ＡＢ ㅋㅋㅋㅋ\u200b민증!!!!  ㅠ"
    norm = normalize(text)
    assert len(norm.spans) == len(norm.text)
    previous_end = 0
    for start, end in norm.spans:
        assert previous_end <= start < end <= len(text)
        previous_end = end


def test_empty_and_blank_input():
    assert normalize("").text == ""
    assert normalize(" \n\t ").text == ""
