"""The training data, the held-out data and the knowledge vocabulary agree with each other."""

import re
from pathlib import Path

import yaml

from korean_nlu import lexicon, synonyms
from tests.support.nlu import HELD_OUT

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\]\(([a-z_]+)\)")
MAIN_INTENTS = [
    "reissue_card",
    "lost_card",
    "ask_fee",
    "military_card",
    "mobile_id",
    "overseas_id",
    "ask_documents",
    "temporary_id",
    "pickup_proxy",
    "processing_time",
    "cancel_application",
]


def examples(path):
    out = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" in item:
            out += [(item["intent"], line[2:].strip()) for line in item["examples"].splitlines() if line.strip()]
    return out


def training():
    return [e for p in sorted((ROOT / "data" / "nlu").glob("*.yml")) for e in examples(p)]


def plain(text):
    return re.sub(r"[\s?!.~,]", "", ANNOTATION.sub(r"\1", text)).lower()


def test_every_main_intent_has_at_least_40_examples():
    counts = {}
    for intent, _ in training():
        counts[intent] = counts.get(intent, 0) + 1
    assert {i: counts.get(i, 0) for i in MAIN_INTENTS if counts.get(i, 0) < 40} == {}


def test_held_out_examples_are_never_in_the_training_data():
    seen = {plain(t) for _, t in training()}
    leaked = [t for path in HELD_OUT for _, t in examples(path) if plain(t) in seen]
    assert leaked == []


def test_held_out_files_do_not_repeat_each_other():
    texts = [plain(t) for path in HELD_OUT for _, t in examples(path)]
    assert len(HELD_OUT) > 1 and len(texts) == len(set(texts))


def test_the_benchmark_scores_every_held_out_file():
    assert sorted(HELD_OUT) == sorted((ROOT / "tests" / "nlu").glob("heldout*.yml"))


def test_every_annotated_surface_is_known_to_the_vocabulary():
    """So the entity ruler and the synonym mapper give the canonical value for it."""
    known = {(t.entity, t.surface.lower()) for t in lexicon.terms()}
    unknown = set()
    for path in [*(ROOT / "data" / "nlu").glob("*.yml"), *HELD_OUT]:
        for _, text in examples(path):
            for surface, entity in ANNOTATION.findall(text):
                # "서울 강남구": a place given with its province, word by word.
                words = [surface] if (entity, surface.lower()) in known else surface.split()
                unknown |= {(entity, w) for w in words if (entity, w.lower()) not in known}
    assert unknown == set()


def test_synonym_file_is_generated_from_the_current_vocabulary():
    assert synonyms.TARGET.read_text(encoding="utf-8") == synonyms.render()
