"""The optional large-language-model writer behind an OpenAI-compatible ``/chat/completions`` endpoint.

It is given only the retrieved passages and the question, must cite them as [n], and must answer
``NOT_COVERED`` when they do not contain the answer. Any failure falls back to the retrieval answer.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from flask import current_app

log = logging.getLogger(__name__)

NOT_COVERED = "NOT_COVERED"
TIMEOUT_SECONDS = 30
LANGUAGE_NAMES = {"en": "English", "ar": "Arabic", "es": "Spanish", "fr": "French", "de": "German", "ja": "Japanese"}

SYSTEM_PROMPT = (
    "You are the mentor of an online course. Answer the learner's question using ONLY the numbered course "
    "passages you are given. Cite every statement with the number of its passage in square brackets, like [1]. "
    "Do not use any other knowledge. If the passages do not answer the question, reply with exactly "
    f"{NOT_COVERED} and nothing else. Answer in {{language}}, in at most 150 words."
)


class ProviderError(RuntimeError):
    pass


@dataclass(frozen=True)
class ProviderPassage:
    number: int
    title: str
    text: str


def configured() -> bool:
    return bool(current_app.config.get("MENTOR_URL") and current_app.config.get("MENTOR_MODEL"))


def model_name() -> str:
    return str(current_app.config.get("MENTOR_MODEL") or "")


def build_request(question: str, passages: list[ProviderPassage], language: str) -> dict:
    context = "\n\n".join(f"[{p.number}] {p.title}\n{p.text}" for p in passages)
    return {
        "model": model_name(),
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT.format(language=LANGUAGE_NAMES.get(language, "English"))},
            {"role": "user", "content": f"Course passages:\n\n{context}\n\nQuestion: {question}"},
        ],
    }


def complete(question: str, passages: list[ProviderPassage], language: str) -> str | None:
    """The model's answer, or None when it says the passages do not cover the question."""
    url = str(current_app.config["MENTOR_URL"]).rstrip("/") + "/chat/completions"
    if not url.startswith(("http://", "https://")):
        raise ProviderError("LMS_MENTOR_URL must be an http(s) URL")
    body = json.dumps(build_request(question, passages, language)).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    api_key = current_app.config.get("MENTOR_API_KEY")
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            payload = json.loads(response.read().decode("utf-8"))
        text = payload["choices"][0]["message"]["content"]
    except (urllib.error.URLError, TimeoutError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ProviderError(f"mentor model call failed: {exc!r}") from exc
    text = (text or "").strip()
    if not text or text.upper().startswith(NOT_COVERED):
        return None
    return text
