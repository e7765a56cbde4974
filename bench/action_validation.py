"""Time Rasa's validation of one action-server response: `jsonschema.validate` as Rasa 3.6 calls
it, against the validator built once (rasa_fixes/action_validation.py).

    python -m bench.action_validation
"""

import timeit

import jsonschema
from rasa.core.actions.action import RemoteAction

RESPONSE = {
    "events": [
        {"event": "slot", "name": "fact", "value": "reissue.fee.general"},
        {"event": "slot", "name": "card_type", "value": "주민등록증"},
    ],
    "responses": [{"text": "주민등록증 재발급 수수료는 일반적으로 5,000원이에요.", "buttons": []}],
}


def per_call_ms(call, number: int = 300) -> float:
    return timeit.timeit(call, number=number) / number * 1000


def main() -> None:
    spec = RemoteAction.action_response_format_spec()
    before = per_call_ms(lambda: jsonschema.validate(RESPONSE, spec))
    import rasa_fixes.action_validation  # noqa: F401  (replaces RemoteAction._validate_action_result)

    after = per_call_ms(lambda: RemoteAction("action_answer", None)._validate_action_result(RESPONSE))
    print(f"jsonschema.validate: {before:.2f} ms per response; cached validator: {after:.3f} ms")


if __name__ == "__main__":
    main()
