"""The REST channel (POST {"sender": "...", "message": "..."} to /webhooks/rest/webhook), checked
at the edge (channels/edge.py) and answering every fault.

It replaces Rasa's built-in `rest` channel at the same address. Rasa's channel turns a missing
sender into the conversation "default" that every such client shares, answers a non-object body
with a 500, passes any text to the tracker store, and answers a failed action with silence.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import edge


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> RestInput:
        edge.server_secret()  # fail at start-up, not at the first message
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            edge.fail_loudly(request.app)
            try:
                body = edge.parse_object(request.body)
                sender = edge.sender_of(body.get("sender"))
                text = edge.message_text(body.get("message"))
                metadata = body.get("metadata")
                if metadata is not None and not isinstance(metadata, dict):
                    raise edge.BadRequest("metadata must be an object")
            except edge.BadRequest as error:
                return edge.bad_request(str(error))
            conversation = edge.conversation_id(self.name(), sender)
            if edge.too_long(text):
                return response.json(edge.refuse_too_long(conversation))
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, conversation, input_channel=self.name(), metadata=edge.clean(metadata)
            )
            return response.json(await edge.answer(on_new_message, message, collector))

        return rest
