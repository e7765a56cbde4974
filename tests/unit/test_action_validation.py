"""The cached validator (rasa_fixes/action_validation.py) accepts and rejects what Rasa's own
`jsonschema.validate` call does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import channels.edge  # noqa: F401  (installs it, as in the Rasa server)
from rasa_fixes.action_validation import validate_action_result

SPEC = RemoteAction.action_response_format_spec()
GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "fact", "value": "x"}], "responses": [{"text": "안녕"}]},
]
BAD = [{"events": [{"event": "slot"}]}, {"events": "x"}, {"responses": [1]}, [], {"events": [{"event": "nope"}]}]


def test_it_is_installed():
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("result", GOOD)
def test_valid_responses_pass_both(result):
    jsonschema.validate(result, SPEC)
    assert RemoteAction("action_x", None)._validate_action_result(result)


@pytest.mark.parametrize("result", BAD)
def test_malformed_responses_are_rejected_by_both(result):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, SPEC)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(result)
