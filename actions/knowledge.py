"""Read access to the knowledge data (knowledge/*.yml): every fact the bot states lives there."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


@lru_cache(maxsize=1)
def knowledge() -> Dict[str, Any]:
    """All knowledge files, keyed by file stem (reissue, mobile_id, ...)."""
    data = {}
    for path in sorted(KNOWLEDGE_DIR.glob("*.yml")):
        with open(path, encoding="utf-8") as f:
            data[path.stem] = yaml.safe_load(f)
    return data


def get(path: str) -> Any:
    """The value at a dotted path, e.g. ``reissue.fee.amount`` or ``reissue.pickup.4``."""
    node: Any = knowledge()
    for key in path.split("."):
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def source_titles() -> Dict[str, str]:
    """Source file name -> the title the assistant gives it (`source_title` in knowledge/*.yml)."""
    return {k["source"]: k["source_title"] for k in knowledge().values() if "source_title" in k}


def procedures() -> Dict[str, Dict[str, Any]]:
    """Every step-by-step procedure, from whichever file defines it."""
    result = {}
    for stem, content in knowledge().items():
        for name, procedure in (content.get("procedures") or {}).items():
            result[name] = {**procedure, "source": content["source"], "file": stem}
    return result


_PARTICLE = re.compile(r"(?<=(.))(은\(는\)|이\(가\)|을\(를\)|과\(와\))")
_PAIRS = {"은(는)": ("은", "는"), "이(가)": ("이", "가"), "을(를)": ("을", "를"), "과(와)": ("과", "와")}


def _particle(match: re.Match) -> str:
    word_end, pair = match.group(1), _PAIRS[match.group(2)]
    code = ord(word_end) - 0xAC00
    if 0 <= code < 11172:
        return pair[0] if code % 28 else pair[1]
    return match.group(2)  # not a Hangul syllable: keep the neutral form


def render(template: str, **values: str) -> str:
    """Fill a template and choose 은/는-style particles after the inserted words."""
    return _PARTICLE.sub(_particle, template.format(**values))
