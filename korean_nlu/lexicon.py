"""Entity vocabulary read from the knowledge data (knowledge/vocabulary.yml, regions.yml)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
_FILES = ("vocabulary.yml", "regions.yml")


class Term(NamedTuple):
    entity: str
    value: str  # canonical value, as the sources name it
    surface: str  # what a user may type


def _load(name: str) -> dict:
    with open(KNOWLEDGE_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def fingerprint() -> str:
    """Hash of the vocabulary files: what the segmentation and the entity patterns depend on."""
    digest = hashlib.sha256()
    for name in _FILES:
        digest.update((KNOWLEDGE_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def _region_terms() -> List[Term]:
    terms = []
    for province in _load("regions.yml")["provinces"]:
        names = [province["name"], *province.get("aliases", [])]
        terms += [Term("region", province["name"], n) for n in names]
        for district in province.get("districts", []):
            names = [district["name"], *district.get("aliases", [])]
            terms += [Term("region", district["name"], n) for n in names]
    return terms


# The vocabulary a loaded model was trained with (korean_nlu.pipeline.use_vocabulary), which
# wins over the knowledge files: a model never runs with another vocabulary than its own.
_model_terms: Optional[Tuple[Term, ...]] = None


def use_model_terms(saved: Tuple[Term, ...]) -> bool:
    """Use a loaded model's vocabulary from now on; whether that changed the vocabulary in use."""
    global _model_terms
    changed = saved != terms()
    _model_terms = saved
    return changed


def terms() -> Tuple[Term, ...]:
    """Every (entity, canonical value, surface form): the loaded model's, else the files'."""
    return _model_terms if _model_terms is not None else file_terms()


@cache
def file_terms() -> Tuple[Term, ...]:
    """Every (entity, canonical value, surface form) of the files, vocabulary first, then regions."""
    result = []
    for entity, values in _load("vocabulary.yml")["entities"].items():
        for item in values:
            surfaces = dict.fromkeys([item["value"], *item.get("synonyms", [])])
            result += [Term(entity, item["value"], s) for s in surfaces]
    return tuple(result + _region_terms())


def synonyms() -> Dict[str, List[str]]:
    """Canonical value -> surface forms that differ from it, for Rasa's synonym data."""
    table: Dict[str, List[str]] = {}
    seen = set()
    for term in file_terms():
        key = term.surface.lower()
        if key in seen:
            continue  # the first meaning of a surface wins (vocabulary before regions)
        seen.add(key)
        if term.surface != term.value:
            table.setdefault(term.value, []).append(term.surface)
    return table
