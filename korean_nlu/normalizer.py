"""Text normalisation that remembers where every character came from.

The NLU works on the normalised text, but tokens and entities must point into the
text the user typed, so each normalised character keeps the span of the original
characters it stands for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import List, Tuple

# Hangul conjoining vowels and final consonants, and combining marks: they compose with
# the character before them under NFC, so they belong to the same cluster.
_JOINERS = re.compile(r"[\u1160-\u11ff\ud7b0-\ud7ff]")
_FULLWIDTH_OFFSET = 0xFEE0  # U+FF01..U+FF5E map onto U+0021..U+007E
_FOLD_AT = 3  # a run of 3+ identical laughter/crying/symbol characters keeps 2


@dataclass(frozen=True)
class Normalized:
    text: str
    spans: Tuple[Tuple[int, int], ...]  # spans[i] = original (start, end) of text[i]

    def original_span(self, start: int, end: int) -> Tuple[int, int]:
        """Map a non-empty span of the normalised text back onto the original."""
        return self.spans[start][0], self.spans[end - 1][1]


def _clusters(text: str):
    """Yield (start, end) of each base character with the marks that compose onto it."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not (unicodedata.combining(text[i]) or _JOINERS.match(text[i])):
            yield start, i
            start = i


def _half_width(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - _FULLWIDTH_OFFSET)
    if ch == "\u3000":
        return " "
    return ch


def _foldable(ch: str) -> bool:
    # Compatibility jamo (ㅋ, ㅠ, ㅎ ...), punctuation and symbols (!, ?, ~, emoji) repeat
    # for emphasis; letters and digits must not be touched (5000원).
    return "\u3131" <= ch <= "\u318e" or unicodedata.category(ch)[0] in "PS"


def normalize(text: str) -> Normalized:
    chars: List[str] = []
    spans: List[Tuple[int, int]] = []
    for start, end in _clusters(text):
        composed = unicodedata.normalize("NFC", text[start:end])
        for ch in composed:
            ch = _half_width(ch)
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                # One space for any run of whitespace or invisible control characters.
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    spans.append((start, end))
                elif chars:
                    spans[-1] = (spans[-1][0], end)
                continue
            if _foldable(ch) and len(chars) >= _FOLD_AT - 1 and all(c == ch for c in chars[-(_FOLD_AT - 1) :]):
                spans[-1] = (spans[-1][0], end)
                continue
            chars.append(ch)
            spans.append((start, end))
    if chars and chars[-1] == " ":
        chars.pop()
        spans.pop()
    return Normalized("".join(chars), tuple(spans))
