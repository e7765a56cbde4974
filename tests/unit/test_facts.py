"""Facts (knowledge/facts/*.yml): format, quotes from the seed, seed coverage, paraphrases."""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FACT_FILES = sorted((ROOT / "knowledge" / "facts").glob("*.yml"))
NLU_FILES = sorted((ROOT / "data" / "nlu" / "facts").glob("*.yml"))
FIELDS = ("id", "topic", "intent", "answer", "quote")
# Topics are open (a seed may need its own); intents must be ones the domain declares.
INTENTS = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
MIN_EXAMPLES = 8


def squash(text):
    return re.sub(r"\s+", " ", str(text)).strip()


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def facts_of(path):
    return load(path).get("facts") or []


def sentences(text):
    """Seed lines, split after . ? ! and a space; table rows whole; a `Q1.` label stays with its question."""
    out = []
    for line in text.splitlines():
        line = squash(line)
        if not line or re.fullmatch(r"\|?\s*-{3,}\s*(\|\s*-{3,}\s*)*\|?", line):
            continue
        if line.startswith("|"):
            out.append(line)
            continue
        pieces, label = [], ""
        for piece in re.split(r"(?<=[.?!])\s+", line):
            if re.fullmatch(r"[QA]\d+\.", piece):
                label = piece + " "
                continue
            pieces.append(label + piece)
            label = ""
        out.extend(p for p in pieces + ([label.strip()] if label else []) if p)
    return out


def all_facts():
    return [(path.name, fact) for path in FACT_FILES for fact in facts_of(path)]


def nlu_examples():
    """fact id -> list of examples, from every block of data/nlu/facts/*.yml with metadata.fact."""
    examples = {}
    for path in NLU_FILES:
        for block in load(path).get("nlu") or []:
            fact = (block.get("metadata") or {}).get("fact")
            if fact:
                lines = [
                    line.strip()[2:].strip()
                    for line in str(block.get("examples", "")).splitlines()
                    if line.strip().startswith("- ")
                ]
                examples.setdefault(fact, []).extend(lines)
    return examples


def test_fact_files_exist():
    assert FACT_FILES, "no knowledge/facts/*.yml"


def test_fact_ids_unique():
    counts = Counter(fact.get("id") for _, fact in all_facts())
    assert not [i for i, n in counts.items() if n > 1], "duplicate fact ids"


def test_also_links_name_other_existing_facts():
    ids = {fact.get("id") for _, fact in all_facts()}
    problems = [
        f"{name}: {fact.get('id')} also {other}"
        for name, fact in all_facts()
        for other in fact.get("also") or []
        if other not in ids or other == fact.get("id")
    ]
    assert not problems, "also links to unknown facts or to the fact itself:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_fact_format_and_quotes(path):
    data = load(path)
    assert data.get("source") and (ROOT / "sources" / data["source"]).is_file(), "source missing"
    seed = squash((ROOT / "sources" / data["source"]).read_text(encoding="utf-8"))
    problems = []
    for fact in data.get("facts") or []:
        fid = fact.get("id")
        missing = [f for f in FIELDS if not str(fact.get(f) or "").strip()]
        if missing:
            problems.append(f"{fid}: missing {missing}")
            continue
        if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+){2,}", fid):
            problems.append(f"{fid}: id not <area>.<topic>.<name>")
        if not re.fullmatch(r"[a-z_]+", str(fact["topic"])):
            problems.append(f"{fid}: topic not a lowercase word: {fact['topic']}")
        if fact["intent"] not in INTENTS:
            problems.append(f"{fid}: unknown intent {fact['intent']}")
        if not re.search(r"요[.?!]?$", squash(fact["answer"])):
            problems.append(f"{fid}: answer not 해요체")
        if squash(fact["quote"]) not in seed:
            problems.append(f"{fid}: quote not in seed: {fact['quote']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_seed_covered(path):
    data = load(path)
    seed = (ROOT / "sources" / data["source"]).read_text(encoding="utf-8")
    quotes = [squash(f.get("quote", "")) for f in data.get("facts") or []]
    skipped = {squash(s) for s in data.get("not_answerable") or []}
    uncovered = [s for s in sentences(seed) if s not in skipped and not any(q and (q in s or s in q) for q in quotes)]
    assert not uncovered, "uncovered seed sentences:\n" + "\n".join(uncovered)


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda p: p.name)
def test_every_fact_has_paraphrases(path):
    examples = nlu_examples()
    counts = {f.get("id"): len(examples.get(f.get("id"), [])) for f in facts_of(path)}
    thin = {fid: n for fid, n in counts.items() if n < MIN_EXAMPLES}
    assert not thin, f"facts with fewer than {MIN_EXAMPLES} paraphrases: {thin}"


def test_paraphrases_name_existing_facts_with_their_intent():
    intents = {f.get("id"): f.get("intent") for _, f in all_facts()}
    problems = []
    for path in NLU_FILES:
        for block in load(path).get("nlu") or []:
            fid = (block.get("metadata") or {}).get("fact")
            if fid is None:
                continue
            if fid not in intents:
                problems.append(f"{path.name}: unknown fact {fid}")
            elif block.get("intent") != intents[fid]:
                problems.append(f"{path.name}: {fid} labelled {block.get('intent')}, fact says {intents[fid]}")
    assert not problems, "\n".join(problems)
