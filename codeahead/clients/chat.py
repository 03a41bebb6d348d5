"""A small client for OpenAI-compatible chat-completions endpoints (llama.cpp, vLLM, Ollama, hosted).

Standard library only (urllib): one POST per round, a timeout on each, and every way the
endpoint can fail (refused, slow, an HTTP error, a body that is not the protocol) raised as
ChatError, so the caller has one thing to catch and can fall back.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

MAX_RESPONSE_BYTES = 1_000_000


class ChatError(Exception):
    """The endpoint did not give a usable reply."""


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: dict


@dataclass
class Reply:
    content: str
    tool_calls: list[ToolCall] = field(default_factory=list)
    message: dict = field(default_factory=dict)  # the assistant message, to send back next round


@dataclass
class ChatClient:
    url: str  # the base URL, such as http://127.0.0.1:8080/v1
    model: str
    key: str = ""
    timeout: float = 20.0

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else f"{base}/chat/completions"

    def complete(self, messages: list[dict], *, tools: list[dict] | None = None) -> Reply:
        """One chat-completions round at temperature 0."""
        body = {"model": self.model, "messages": messages, "temperature": 0, "stream": False}
        if tools:
            body["tools"] = tools
            body["tool_choice"] = "auto"
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(
            self.endpoint, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (URL from settings)
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            raise ChatError(f"endpoint failed: {error}") from error
        if len(raw) > MAX_RESPONSE_BYTES:
            raise ChatError("reply too large")
        return parse_reply(raw)


def parse_reply(raw: bytes) -> Reply:
    """A chat-completions body read strictly: anything else is a ChatError."""
    try:
        data = json.loads(raw)
        message = data["choices"][0]["message"]
        if not isinstance(message, dict):
            raise TypeError("message is not an object")
        content = message.get("content") or ""
        if not isinstance(content, str):
            raise TypeError("content is not text")
        calls = []
        for call in message.get("tool_calls") or []:
            function = call["function"]
            arguments = function.get("arguments") or "{}"
            parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
            if not isinstance(parsed, dict):
                raise TypeError("tool arguments are not an object")
            calls.append(ToolCall(id=str(call.get("id", "")), name=str(function["name"]), arguments=parsed))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        raise ChatError(f"not a chat-completions reply: {error}") from error
    return Reply(content=content, tool_calls=calls, message=message)
