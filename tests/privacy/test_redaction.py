"""Each kind of personal number is found in the forms people type it, and ordinary numbers are not."""

import logging

import pytest

from privacy.logs import RedactingFilter, ThirdPartyDeprecations, redact_record
from privacy.redaction import find, redact, redact_value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("제 주민번호는 900101-1234567이에요", "제 주민번호는 [주민등록번호]이에요"),
        ("9001011234567", "[주민등록번호]"),
        ("900101 1234567 입니다", "[주민등록번호] 입니다"),
        ("900101 - 2234567", "[주민등록번호]"),
        ("991399-1234567", "[주민등록번호]"),  # not a valid birth date: still removed
        ("９００１０１－１２３４５６７", "[주민등록번호]"),  # full-width, as some keyboards type it
        ("등록번호 880808-5123456", "등록번호 [외국인등록번호]"),
        ("8808086123456", "[외국인등록번호]"),
    ],
)
def test_resident_and_foreigner_registration_numbers(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("010-1234-5678로 연락 주세요", "[전화번호]로 연락 주세요"),
        ("01012345678", "[전화번호]"),
        ("010 1234 5678", "[전화번호]"),
        ("010.1234.5678", "[전화번호]"),
        ("02-123-4567", "[전화번호]"),
        ("031-987-6543", "[전화번호]"),
        ("+82 10 1234 5678", "[전화번호]"),
        ("+82-10-1234-5678", "[전화번호]"),
        ("hong.gildong@example.co.kr 로 보내 주세요", "[이메일] 로 보내 주세요"),
        ("카드 4123-4567-8901-2345", "카드 [카드번호]"),
        ("4123 4567 8901 2345", "[카드번호]"),
        ("4123456789012345", "[카드번호]"),
        ("3782-822463-10005", "[카드번호]"),
        ("여권 M12345678", "여권 [여권번호]"),
        ("여권번호 m12345678이요", "여권번호 [여권번호]이요"),
        ("M123A4567", "[여권번호]"),
        ("군번 21-12345678", "군번 [군번]"),
        ("12-70012345", "[군번]"),
        ("부사관 군번 15-123456", "부사관 군번 [군번]"),
        ("장교 군번 06-12345", "장교 군번 [군번]"),
        ("제 군번은 2112345678이에요", "제 군번은 [군번]이에요"),
    ],
)
def test_phone_email_card_passport_and_service_numbers(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024-12-27부터 시범 서비스예요",
        "2025.01.15에 받았어요",
        "20241227",
        "수수료 5,000원이에요",
        "11월 3일에 발급받았어요",
        "사진은 3.5x4.5cm예요",
        "1~2주 걸려요",
        "30일 동안 유효해요",
        "2/6단계",
        "군번 1번은 10001번이었어요",
        "오후 2시 30분",
        "주민등록증 재발급 얼마예요?",
        "",
    ],
)
def test_dates_fees_and_ordinary_numbers_are_kept(text):
    assert find(text) == []
    assert redact(text) == text


def test_several_numbers_in_one_message_are_each_replaced():
    text = "주민번호 900101-1234567, 폰 010-9876-5432, 메일 a.b@c.kr, 군번 19-71234567"
    assert redact(text) == "주민번호 [주민등록번호], 폰 [전화번호], 메일 [이메일], 군번 [군번]"


def test_every_string_in_a_serialised_event_is_redacted_and_the_rest_kept():
    event = {
        "event": "user",
        "text": "제 번호 01012345678",
        "timestamp": 1700000000.5,
        "parse_data": {
            "entities": [{"entity": "x", "value": "900101-1234567", "start": 5}],
            "intent": {"name": "personal_data"},
        },
    }
    assert redact_value(event) == {
        "event": "user",
        "text": "제 번호 [전화번호]",
        "timestamp": 1700000000.5,
        "parse_data": {
            "entities": [{"entity": "x", "value": "[주민등록번호]", "start": 5}],
            "intent": {"name": "personal_data"},
        },
    }


def record(msg, args=(), exc_info=None):
    return logging.LogRecord("rasa.core.processor", logging.DEBUG, __file__, 1, msg, args, exc_info)


def test_a_log_record_is_redacted_in_its_message_args_and_exception():
    try:
        raise ValueError("bad slot value 010-1234-5678")
    except ValueError:
        import sys

        exc = sys.exc_info()
    rec = redact_record(record("Received user message '%s' from %s", ("주민번호 900101-1234567", "me"), exc))
    formatted = logging.Formatter("%(message)s").format(rec)
    assert "Received user message '주민번호 [주민등록번호]' from me" in formatted
    assert "bad slot value [전화번호]" in formatted
    assert "1234567" not in formatted and "5678" not in formatted


def test_a_record_with_arguments_that_do_not_fit_is_still_redacted():
    rec = redact_record(record("%d items", ("010-1234-5678",)))
    assert "5678" not in rec.getMessage()


def test_the_handler_filter_passes_every_record_redacted():
    rec = record("%s", ("hong@example.com",))
    assert RedactingFilter().filter(rec) is True
    assert rec.getMessage() == "[이메일]"


def test_a_structured_log_line_with_escaped_text_is_redacted():
    # Rasa's structured DEBUG lines are JSON: Korean and full-width digits arrive \u-escaped.
    line = '{"parse_data_text": "\\uff10\\uff11\\uff10\\uff19\\uff18\\uff17\\uff16\\uff15\\uff14\\uff13\\uff12 \\uad70\\ubc88\\uc740 2112345678", "a": "\\"q\\""}'  # noqa: E501 (one log line as written)
    message = redact_record(record(line)).getMessage()
    assert message == '{"parse_data_text": "[전화번호] 군번은 [군번]", "a": "\\"q\\""}'


@pytest.mark.parametrize("text", ['"confidence": 0.4123456789012345}', "<UserMessage object at 0x7f0a01098765432>"])
def test_scores_and_object_addresses_in_log_lines_are_kept(text):
    assert redact(text) == text


def test_overlapping_finds_are_merged_so_no_digit_is_left():
    # ko-pii sees a phone number in the first 13 characters, our card pattern 16 digits from the 5th.
    assert redact("010 1234 5678 9012 3456") == "[카드번호]"
    assert find("주민 900101-1234567 끝") == [(3, 17, "주민등록번호")]


@pytest.mark.parametrize(
    "message, kept",
    [
        ("/x/.venv/lib/python3.10/site-packages/typer/__init__.py:25: DeprecationWarning: old click", False),
        ("/x/.venv/lib/python3.10/site-packages/pkg_resources/__init__.py:1: PyparsingDeprecationWarning: x", False),
        ("/x/.venv/lib/python3.10/site-packages/rasa/shared/utils/io.py:100: UserWarning: a real one", True),
        ("actions/answers.py:10: DeprecationWarning: our own", True),
    ],
)
def test_only_third_party_deprecation_notices_are_dropped(message, kept):
    record = logging.LogRecord("py.warnings", logging.WARNING, __file__, 1, message, None, None)
    assert ThirdPartyDeprecations().filter(record) is kept
