"""The facts (knowledge/facts/*.yml) and their paraphrases (data/nlu/facts/*.yml, metadata.fact).

A fact is the unit the assistant answers with: one idea, its 해요체 answer, its card and topic,
and the seed words it rests on (`quote`, in `source`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
FACTS_DIR = ROOT / "knowledge" / "facts"
PARAPHRASES_DIR = ROOT / "data" / "nlu" / "facts"


class Fact(NamedTuple):
    id: str
    answer: str
    card: str
    topic: str
    intent: str
    quote: str
    source: str
    also: Tuple[str, ...] = ()  # facts a citizen asking this one also needs


def _yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def facts() -> Dict[str, Fact]:
    found: Dict[str, Fact] = {}
    for path in sorted(FACTS_DIR.glob("*.yml")):
        content = _yaml(path)
        for item in content["facts"]:
            found[item["id"]] = Fact(
                id=item["id"],
                answer=item["answer"].strip(),
                card=item.get("card", content["card"]),
                topic=item["topic"],
                intent=item["intent"],
                quote=item["quote"],
                source=item.get("source", content["source"]),
                also=tuple(item.get("also") or ()),
            )
    return found


def get(fact_id: str) -> Fact:
    return facts()[fact_id]


# The label of questions about documents the assistant does not cover (passport, licences, ...):
# taught to the ranker so that such a question is not answered with the nearest 주민등록증 fact.
OTHER_DOCUMENTS = "other_documents"


@lru_cache(maxsize=1)
def paraphrases() -> List[Tuple[str, str]]:
    """(text, fact id) for every example of data/nlu/facts/ that names a fact, and (text,
    OTHER_DOCUMENTS) for its out-of-scope examples."""
    pairs = []
    for path in sorted(PARAPHRASES_DIR.glob("*.yml")):
        for block in _yaml(path)["nlu"]:
            label: Optional[str] = (block.get("metadata") or {}).get("fact")
            if block["intent"] == "out_of_scope":
                label = OTHER_DOCUMENTS
            if label:
                pairs += [(line[2:].strip(), label) for line in block["examples"].splitlines() if line.startswith("- ")]
    return pairs
