"""Which fact answers a message: a linear classifier over character n-grams of the facts'
paraphrases, narrowed by the card the conversation is about.

Character n-grams of the text with spaces removed are robust to the ways citizens type Korean
(no spaces, typos, 반말 endings). The classifier is fitted when the action server starts (about
a second for ~2,000 paraphrases), so the ranking always matches the knowledge data it answers
from. Every card name is folded to its canonical value first, so 민증 and 주민등록증 share
n-grams.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from typing import Dict, FrozenSet, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from actions import facts

VOCABULARY = facts.ROOT / "knowledge" / "vocabulary.yml"
# Cards whose questions are answered together: the temporary ID belongs to the reissue.
FAMILY = {"발급신청 확인서": "주민등록증", "나라사랑카드": "국방전자카드"}
# A message naming the 주민등록증 may mean its mobile form ("폰에 있는 주민증"): its facts compete,
# without the preference the named card gets.
KINDS = {"주민등록증": {"모바일 주민등록증"}}
DEFAULT_CARD = "주민등록증"  # what a message about "the card" means with nothing else said
# Score adjustments (LinearSVC margins), measured on tests/answers with `make bench-answers`.
CARD_BONUS = float(os.environ.get("DOUMI_CARD_BONUS", 0.6))  # for facts of the card the conversation is about
# Added to the ranking of the previous and the current message read together: a short follow-up
# ("그럼 온라인은요?") is read in the context of the question before it.
FOLLOW_UP_BONUS = float(os.environ.get("DOUMI_FOLLOW_UP_BONUS", 0.15))
INTENT_WEIGHT = float(os.environ.get("DOUMI_INTENT_WEIGHT", 0.5))  # times the intent's confidence


class Ranked(NamedTuple):
    fact_id: str
    score: float  # for ordering: the classifier's margin plus the card preference
    margin: float  # the classifier's own margin, for judging confidence


# Lone jamo (ㅋㅋ, ㅠㅠ, ㅇㅇ) carry no topic: left in, they make gibberish look like a question.
NOISE = re.compile(r"\s+|[\u1100-\u11ff\u3131-\u318e]+")  # after NFKC, ㅋ is U+110F


def _fold(text: str) -> str:
    return NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=1)
def card_names() -> Tuple[re.Pattern[str], Dict[str, str], FrozenSet[str]]:
    """A pattern of every folded card name, longest first (모바일 신분증 before 신분증), the card
    each name stands for, and the generic names (신분증), which name any ID."""
    with open(VOCABULARY, encoding="utf-8") as f:
        vocabulary = yaml.safe_load(f)
    cards = vocabulary["entities"]["card_type"]
    names = {_fold(s): t["value"] for t in cards for s in t["synonyms"] + [t["value"]]}
    generic = frozenset(_fold(s) for t in cards for s in t.get("generic", []))
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return pattern, names, generic


def family(card: Optional[str]) -> Optional[str]:
    return FAMILY.get(card, card) if card else None


def cards_in(text: str, specific: bool = False) -> List[str]:
    """The cards a message names, in canonical form, each once, in order; with `specific`, only
    those named by more than a generic word ("폰에 있던 신분증" may mean the mobile ID)."""
    pattern, names, generic = card_names()
    found = [m.group() for m in pattern.finditer(_fold(text))]
    return list(dict.fromkeys(names[n] for n in found if not (specific and n in generic)))


def canonical(text: str) -> str:
    """Folded text with every card name replaced by its card's folded canonical name."""
    pattern, names, _ = card_names()
    return pattern.sub(lambda m: _fold(names[m.group()]), _fold(text))


class Ranker:
    def __init__(self, pairs: Sequence[Tuple[str, str]]) -> None:
        self.vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), preprocessor=canonical, sublinear_tf=True
        )
        features = self.vectorizer.fit_transform([text for text, _ in pairs])
        self.model = LinearSVC(C=1.0).fit(features, [label for _, label in pairs])
        self.labels: List[str] = list(self.model.classes_)

    def scores(self, text: str) -> np.ndarray:
        return self.model.decision_function(self.vectorizer.transform([text]))[0]

    def rank(
        self,
        text: str,
        named: Optional[str] = None,
        conversation: Optional[str] = None,
        previous: Optional[str] = None,
        intents: Optional[Dict[str, float]] = None,
        limit: int = 5,
    ) -> List[Ranked]:
        """Facts for `text`, best first. A card the message names narrows the facts to that card;
        otherwise the conversation's card (or the reissue) is preferred. `previous`, the last
        question, helps a follow-up that names no topic ("그럼 온라인은요?"). `intents`, the NLU's
        intent ranking, favours the facts of the intents it finds likely."""
        scores = self.scores(text)
        if conversation and not named:
            # "얼마예요?" in a conversation about the 국방전자카드 asks about that card.
            scores = np.maximum(scores, self.scores(conversation + " " + text))
        if previous:
            scores = np.maximum(scores, self.scores(previous + " " + text) + FOLLOW_UP_BONUS)
        preferred = family(named or conversation) or DEFAULT_CARD
        ranked = []
        for label, score in zip(self.labels, scores):
            if label == facts.OTHER_DOCUMENTS:
                # "나라사랑카드 재발급" names a card yet asks about another document.
                bonus = INTENT_WEIGHT * (intents or {}).get("out_of_scope", 0.0)
                ranked.append(Ranked(label, float(score) + bonus, float(score)))
                continue
            fact = facts.get(label)
            card = family(fact.card)
            if named and card != family(named) and card not in KINDS.get(family(named), ()):
                continue
            # The intent classifier reads the message alone: in a conversation about one card, its
            # card-specific intents (mobile_id_usage) do not pull the answer to another card.
            intent = INTENT_WEIGHT * (intents or {}).get(fact.intent, 0.0)
            if card != preferred and (named or conversation):
                intent = 0.0
            bonus = (CARD_BONUS if card == preferred else 0.0) + intent
            ranked.append(Ranked(label, float(score) + bonus, float(score)))
        return sorted(ranked, key=lambda r: -r.score)[:limit]


@lru_cache(maxsize=1)
def ranker() -> Ranker:
    return Ranker(facts.paraphrases())
