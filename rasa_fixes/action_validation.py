"""Rasa validates every action-server response with `jsonschema.validate`, which first checks the
whole events schema against the JSON Schema metaschema, on every call: about half of the Rasa
server's CPU under load. The same validation with a validator built once for the schema.

Installed on import (channels/edge.py imports it, so every Rasa server with our channels has
it). If Rasa no longer has the method or the schema this replaces, the import fails loudly.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

if not callable(getattr(RemoteAction, "_validate_action_result", None)) or not callable(
    getattr(RemoteAction, "action_response_format_spec", None)
):
    raise ImportError("rasa_fixes.action_validation: RemoteAction changed; review this replacement")


@lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on every call
    return cls(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as e:  # the same message as Rasa's own
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


RemoteAction._validate_action_result = validate_action_result
