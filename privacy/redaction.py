"""Find personal numbers in text and replace each with a labelled placeholder such as [주민등록번호].

ko-pii (rule-based, Korean formats, full-width digits folded) finds 주민등록번호, 외국인등록번호,
phone numbers, e-mail addresses, card numbers and passport numbers. Our own patterns add what
it leaves alone on purpose (it wants a valid birth date, a card's Luhn checksum, an upper-case
passport letter) but a citizen may still type, and 군번, which it does not know. Redaction errs
on the side of removing: a mistyped 주민등록번호 is still one.
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any, List, NamedTuple, Tuple

from ko_pii import detect_all
from ko_pii.labels import LABEL_INFO

KO_PII_LABELS = ("RRN", "FRN", "PHONE", "EMAIL", "CARD", "PASSPORT")

RESIDENT = "주민등록번호"
FOREIGNER = "외국인등록번호"
SERVICE = "군번"

# 6 + 7 digits; the 7th digit tells a foreigner's number (5-8) from a citizen's.
_REGISTRATION = re.compile(r"(?<!\d)\d{6}[ \t]*-?[ \t]*(\d)\d{6}(?!\d)")
_OWN = [
    # 16 digits in groups of four (or run together), and the 15-digit 4-6-5 of Amex.
    ("카드번호", re.compile(r"(?<!\d)\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?![\d-])|(?<!\d)\d{4}([ -]?)\d{6}\2\d{5}(?!\d)")),
    # A letter (M, S, R, O, D, G) and 8 digits, or the 2021 format M123A4567, in any case.
    ("여권번호", re.compile(r"(?<![A-Za-z0-9])[MSRODG](?:\d{8}|\d{3}[A-Z]\d{4})(?![A-Za-z0-9])", re.I)),
    # Since 1991: two digits of the year of enlistment, a hyphen, then 5 (officer), 6 (NCO) or
    # 8 (enlisted) digits. The hyphen is required unless the word 군번 comes just before.
    (SERVICE, re.compile(r"(?<![\d-])\d{2}-\d{5,8}(?![\d-])")),
    (SERVICE, re.compile(r"군번[^\d\n]{0,8}?(?P<number>\d{2}[ -]?\d{5,8})(?!\d)")),
]


class Found(NamedTuple):
    start: int
    end: int
    label: str


def find(text: str) -> List[Found]:
    """Personal numbers in `text`, in order, as spans of `text`. Detection runs on the NFKC form
    (a full-width ＠ or ０ is an @ or a 0), mapped back character by character."""
    folded, origin = _nfkc(text)
    if folded == text:
        return _find(text)
    return [Found(origin[f.start], origin[f.end - 1] + 1, f.label) for f in _find(folded)]


def _nfkc(text: str) -> Tuple[str, List[int]]:
    """NFKC of each character, and for each folded character the index it came from."""
    if text.isascii():
        return text, []
    pieces, origin = [], []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char)
        pieces.append(folded)
        origin += [i] * len(folded)
    return "".join(pieces), origin


def _find(text: str) -> List[Found]:
    """Overlapping finds are merged into one, labelled by the longest, so that no part of a
    number is left out."""
    if not _may_contain(text):
        return []
    candidates = [Found(d.start, d.end, LABEL_INFO[d.label][0]) for d in detect_all(text, include=KO_PII_LABELS)]
    candidates += [
        Found(m.start(), m.end(), FOREIGNER if m.group(1) in "5678" else RESIDENT) for m in _REGISTRATION.finditer(text)
    ]
    candidates += [Found(*_span(m), label) for label, pattern in _OWN for m in pattern.finditer(text)]
    chosen: List[Found] = []
    for found in sorted(candidates, key=lambda f: (f.start, f.start - f.end)):
        if _machine_number(text, found):
            continue
        if chosen and found.start < chosen[-1].end:
            last = chosen[-1]
            longest = max(last, found, key=lambda f: f.end - f.start)
            chosen[-1] = Found(last.start, max(last.end, found.end), longest.label)
        else:
            chosen.append(found)
    return chosen


def redact(text: str) -> str:
    """`text` with every personal number replaced by its placeholder, e.g. [전화번호]."""
    out, last = [], 0
    for found in find(text):
        out += [text[last : found.start], f"[{found.label}]"]
        last = found.end
    return "".join(out) + text[last:] if out else text


def redact_value(value: Any) -> Any:
    """Every string inside a JSON-like value (dicts, lists, their keys too) redacted; numbers kept."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_value(key): redact_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(item) for item in value)
    return value


# Log lines carry numbers no one typed: object addresses (0x7f0a...) and scores (0.1234567890123456).
_MACHINE = re.compile(r"0x[0-9a-fA-F]+|0\.\d+")
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + ".")


def _machine_number(text: str, found: Found) -> bool:
    start, end = found.start, found.end
    while start > 0 and text[start - 1] in _TOKEN_CHARS:
        start -= 1
    while end < len(text) and text[end] in _TOKEN_CHARS:
        end += 1
    return bool(_MACHINE.fullmatch(text, start, end))


def _span(match: re.Match) -> tuple:
    # A pattern anchored on a keyword marks the number itself as the group "number".
    return match.span("number") if "number" in match.re.groupindex else match.span()


def _may_contain(text: str) -> bool:
    # Every pattern needs a digit or an @; most log lines and messages have neither.
    return "@" in text or any(c.isdigit() for c in text)
