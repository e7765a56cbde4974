"""A spaCy tokenizer backed by Kiwi, for Korean as people type it.

Tokens are surface segments of the *original* text (so entity offsets stay exact);
each token's lemma is its morpheme form(s) and its tag is Kiwi's POS.
"""

from __future__ import annotations

import threading
from typing import Iterable, List, NamedTuple

from spacy.tokens import Doc
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab

from korean_nlu import lexicon
from korean_nlu.normalizer import normalize

_USER_WORD_TAG = "NNP"
_USER_WORD_SCORE = 10.0  # high enough that Kiwi keeps domain terms whole inside unspaced text
_kiwi = None
_kiwi_lock = threading.Lock()


def kiwi():
    """The process-wide Kiwi instance (loading costs about 1.5 s and 300 MB, so only once)."""
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            instance = Kiwi(load_multi_dict=False)
            for word in user_words(lexicon.terms()):
                instance.add_user_word(word, _USER_WORD_TAG, _USER_WORD_SCORE)
            _kiwi = instance
    return _kiwi


def forget_kiwi() -> None:
    """Build Kiwi again on next use, with the user words of the vocabulary then in use."""
    global _kiwi
    with _kiwi_lock:
        _kiwi = None


def user_words(terms: Iterable[lexicon.Term]) -> List[str]:
    """Space-free Korean domain terms of two or more syllables.

    A one-syllable user word would win over ordinary words (열 in 열어 주세요).
    """
    words = dict.fromkeys(t.surface.replace(" ", "") for t in terms)
    return [w for w in words if len(w) > 1 and not w.isascii()]


class Segment(NamedTuple):
    start: int  # offsets into the original text
    end: int
    lemma: str
    tag: str


def segment(text: str) -> List[Segment]:
    """Split text into non-overlapping, non-empty surface segments with their morphemes."""
    norm = normalize(text)
    if not norm.text:
        return []
    groups: List[list] = []  # [start, end, forms, tags] over the normalised text
    for m in kiwi().tokenize(norm.text, typos="basic"):
        start, end = m.start, m.start + m.len
        form = m.form.lower() if m.tag == "SL" else m.form
        # Kiwi's morphemes can overlap (잃어버리 + 었 in 잃어버렸) or be empty (이/VCP):
        # merge them into the group they touch so that offsets never break.
        if groups and (start < groups[-1][1] or start == end):
            group = groups[-1]
            group[1] = max(group[1], end)
            group[2].append(form)
            group[3].append(m.tag)
        elif start == end:
            continue
        else:
            groups.append([start, end, [form], [m.tag]])
    segments: List[Segment] = []
    for start, end, forms, tags in groups:
        o_start, o_end = norm.original_span(start, end)
        lemma, tag = "+".join(forms), "+".join(tags)
        if segments and o_start < segments[-1].end:
            # Two normalised characters from one original cluster (0 + combining accent).
            last = segments.pop()
            o_start, lemma, tag = last.start, f"{last.lemma}+{lemma}", f"{last.tag}+{tag}"
        segments.append(Segment(o_start, o_end, lemma, tag))
    return segments


class KiwiTokenizer(DummyTokenizer):
    """spaCy's tokenizer interface over `segment`. It keeps no state but the vocab (Kiwi, which
    cannot be pickled, is process-wide), so serialising saves nothing and pickling works."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: List[str] = []
        spaces: List[bool] = []
        lemmas: List[str] = []
        tags: List[str] = []
        position = 0

        def add(word: str, lemma: str, tag: str) -> None:
            words.append(word)
            spaces.append(False)
            lemmas.append(lemma)
            tags.append(tag)

        for seg in segment(text) + [Segment(len(text), len(text), "", "")]:
            gap = text[position : seg.start]
            if gap == " " and words:
                spaces[-1] = True
            elif gap:
                # spaCy needs every character covered: other gaps become their own token.
                add(gap, gap, "_SP" if gap.isspace() else "SW")
            if seg.end > seg.start:
                add(text[seg.start : seg.end], seg.lemma, seg.tag)
            position = seg.end
        return Doc(self.vocab, words=words, spaces=spaces, lemmas=lemmas, tags=tags)


@registry.tokenizers("korean_nlu.KiwiTokenizer.v1")
def create_kiwi_tokenizer():
    def make(nlp) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab)

    return make
