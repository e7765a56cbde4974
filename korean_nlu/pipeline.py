"""The spaCy Korean pipeline, built in code: Kiwi tokenizer + an EntityRuler from the knowledge data.

Nothing is downloaded. The vocabulary (user words, entity patterns) is the knowledge files' when
training, and the model's own when a model is loaded (KoreanTokenizer saves it in the model).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Iterable, List

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from korean_nlu import kiwi_tokenizer, lexicon
from korean_nlu.kiwi_tokenizer import segment

# Entity terms are nouns; requiring a nominal tag keeps 열 (heat) from matching 열다 (to open).
_NOMINAL = {"REGEX": r"^(NN|NR|NP|SL|SN|SH|XR|XSN)"}


def patterns() -> List[Dict]:
    """EntityRuler patterns, one per surface form, matched on Kiwi lemmas.

    Each surface is segmented by the same tokenizer the messages go through, so a pattern
    matches exactly the tokens a message produces; the pattern id is the canonical value.
    """
    result, seen = [], set()
    for term in lexicon.terms():
        for surface in dict.fromkeys([term.surface, term.surface.replace(" ", "")]):
            lemmas = tuple(s.lemma for s in segment(surface))
            if not lemmas or lemmas in seen:
                continue  # the first meaning of a surface wins (vocabulary before regions)
            seen.add(lemmas)
            result.append(
                {
                    "label": term.entity,
                    "id": term.value,
                    "pattern": [{"LEMMA": lemma, "TAG": _NOMINAL} for lemma in lemmas],
                }
            )
    return result


@lru_cache(maxsize=1)
def korean_nlp() -> Language:
    """One shared pipeline per process."""
    nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "korean_nlu.KiwiTokenizer.v1"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None})
    ruler.add_patterns(patterns())
    return nlp


def use_vocabulary(saved: Iterable[Iterable[str]]) -> None:
    """Segment and find entities with a model's own vocabulary from now on (its saved terms)."""
    if not lexicon.use_model_terms(tuple(lexicon.Term(*term) for term in saved)):
        return
    kiwi_tokenizer.forget_kiwi()  # its user words came from the other vocabulary
    korean_nlp.cache_clear()
    analyse.cache_clear()


@lru_cache(maxsize=512)
def analyse(text: str) -> Doc:
    """The analysed message; cached because the tokenizer and the entity extractor both need it."""
    return korean_nlp()(text)
