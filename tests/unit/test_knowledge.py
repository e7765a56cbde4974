"""Every fact the bot can say is in the seed file it cites; every procedure is tested."""

import re
from pathlib import Path

import pytest

from actions import knowledge

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "sources"
SEED_NAME = re.compile(r"^0[0-3]\d_[0-9a-f]{16}\.txt$")
# A number with what it counts: fees, periods, dates, sizes ("5,000원", "30일", "2주", "3.5cm").
QUANTITY = re.compile(r"\d[\d,.~]*\s*(?:원|일|주|개월|년|월|cm|회|매)")


def sentences(node, source, path=""):
    """(path, text, cited seed) for every string in a knowledge file."""
    if isinstance(node, dict):
        source = node.get("source", source)
        for key, value in node.items():
            if key != "source":
                yield from sentences(value, source, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from sentences(value, source, f"{path}.{i}")
    elif isinstance(node, str):
        yield path, node, source


FACT_FILES = [stem for stem in knowledge.knowledge() if stem not in ("vocabulary", "regions")]
FACTS = [
    (f"{stem}{path}", text, source)
    for stem in FACT_FILES
    for path, text, source in sentences(knowledge.knowledge()[stem], None)
]


def cited(node):
    if isinstance(node, dict):
        yield from ([node["source"]] if "source" in node else [])
        for value in node.values():
            yield from cited(value)
    elif isinstance(node, list):
        for value in node:
            yield from cited(value)


@pytest.mark.parametrize("stem", sorted(knowledge.knowledge()))
def test_every_knowledge_file_cites_seed_files(stem):
    sources = list(cited(knowledge.knowledge()[stem]))
    assert sources and all(SEED_NAME.match(s) for s in sources)
    assert all((SEEDS / s).is_file() for s in sources)


@pytest.mark.parametrize("path, text, source", FACTS, ids=[f[0] for f in FACTS])
def test_every_quantity_appears_in_the_cited_seed(path, text, source):
    seed = (SEEDS / source).read_text(encoding="utf-8")
    compact_seed = re.sub(r"\s", "", seed)
    for quantity in QUANTITY.findall(text):
        assert re.sub(r"\s", "", quantity) in compact_seed, f"{quantity!r} of {path} is not in {source}"


def test_web_addresses_and_service_names_appear_in_the_cited_seed():
    for path, text, source in FACTS:
        seed = (SEEDS / source).read_text(encoding="utf-8")
        for name in re.findall(r"www\.[\w.]+|[가-힣]+포털|[가-힣]+시스템|정부24", text):
            assert name in seed, f"{name!r} of {path} is not in {source}"


def test_planned_overseas_services_are_never_said_to_be_available():
    overseas = knowledge.get("overseas_id")
    for service in overseas["planned"]:
        for path, text, _ in FACTS:
            if service in text and not path.startswith("overseas_id.planned."):
                assert "예정" in text, f"{path} mentions {service} without saying it is planned"


def test_every_procedure_has_a_conversation_test():
    stories = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "conversations").glob("test_*.yml"))
    missing = [name for name in knowledge.procedures() if f'"procedure":"{name}"' not in stories]
    assert missing == []


def test_the_temporary_id_period_and_fee_used_in_calculations_match_the_text():
    temporary = knowledge.get("reissue.temporary_id")
    assert f"{temporary['valid_days']}일" in temporary["validity"]
    assert knowledge.get("reissue.fee.amount") in knowledge.get("reissue.fee.summary")
