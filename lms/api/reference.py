"""The API reference page, built from the OpenAPI document (so it cannot drift from the code)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
MAX_DEPTH = 4


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str = ""
    children: list[Field] = field(default_factory=list)


@dataclass
class Parameter:
    name: str
    location: str
    type: str
    required: bool
    description: str


@dataclass
class Answer:
    status: str
    description: str
    fields: list[Field]


@dataclass
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    auth: str
    scope: str | None
    parameters: list[Parameter]
    body: list[Field]
    responses: list[Answer]


@dataclass
class Section:
    tag: str
    anchor: str
    description: str
    operations: list[Operation]


def inline_code(text: str) -> Markup:
    """Escape ``text`` and show `backticked` parts as code."""
    # Safe: the text is escaped first; only the <code> tags added here are markup.
    escaped = str(escape(text or ""))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))  # noqa: S704


class _Builder:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = document.get("components", {})

    def resolve(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        ref = node.get("$ref")
        if not ref:
            return node, None
        kind, name = ref.split("/")[-2:]
        return self.components.get(kind, {}).get(name, {}), name

    def type_of(self, schema: dict[str, Any]) -> str:
        schema, name = self.resolve(schema)
        if name:
            text = name
        elif schema.get("type") == "array":
            text = f"array of {self.type_of(schema.get('items', {}))}"
        else:
            text = str(schema.get("type", "object"))
            if schema.get("format"):
                text += f" ({schema['format']})"
            if schema.get("enum"):
                text += ": " + ", ".join(str(v) for v in schema["enum"] if v is not None)
        if schema.get("nullable"):
            text += " or null"
        return text

    def fields(self, schema: dict[str, Any], depth: int = 0) -> list[Field]:
        schema, _name = self.resolve(schema)
        if schema.get("type") == "array":
            return self.fields(schema.get("items", {}), depth)
        if depth >= MAX_DEPTH:
            return []
        required = set(schema.get("required", []))
        result = []
        for name, prop in (schema.get("properties") or {}).items():
            resolved, _ = self.resolve(prop)
            result.append(
                Field(
                    name=name,
                    type=self.type_of(prop),
                    required=name in required,
                    description=resolved.get("description", "") or prop.get("description", ""),
                    children=self.fields(prop, depth + 1),
                )
            )
        return result

    def operation(self, path: str, method: str, op: dict[str, Any]) -> Operation:
        parameters = []
        for raw in op.get("parameters", []):
            param, _ = self.resolve(raw)
            parameters.append(
                Parameter(
                    name=param.get("name", ""),
                    location=param.get("in", ""),
                    type=self.type_of(param.get("schema", {})),
                    required=bool(param.get("required")),
                    description=param.get("description", ""),
                )
            )
        body: list[Field] = []
        request_body = op.get("requestBody")
        if request_body:
            schema = request_body.get("content", {}).get("application/json", {}).get("schema", {})
            body = self.fields(schema)
        responses = []
        for status, raw in sorted(op.get("responses", {}).items(), key=lambda item: str(item[0])):
            answer, _ = self.resolve(raw)
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            fields = self.fields(schema) if schema and str(status).startswith("2") else []
            responses.append(Answer(str(status), answer.get("description", ""), fields))
        anchor = re.sub(r"[^a-z0-9]+", "-", f"{method}-{path}".lower()).strip("-")
        return Operation(
            anchor=anchor,
            method=method.upper(),
            path=path,
            summary=op.get("summary", ""),
            description=op.get("description", ""),
            auth=op.get("x-auth", "key"),
            scope=op.get("x-required-scope"),
            parameters=parameters,
            body=body,
            responses=responses,
        )

    def sections(self) -> list[Section]:
        tags = [t["name"] for t in self.document.get("tags", [])]
        descriptions = {t["name"]: t.get("description", "") for t in self.document.get("tags", [])}
        by_tag: dict[str, list[Operation]] = {tag: [] for tag in tags}
        for path, item in self.document.get("paths", {}).items():
            for method in METHOD_ORDER:
                if method in item:
                    op = item[method]
                    for tag in op.get("tags", ["Other"]):
                        by_tag.setdefault(tag, []).append(self.operation(path, method, op))
        return [
            Section(tag, re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-"), descriptions.get(tag, ""), ops)
            for tag, ops in by_tag.items()
            if ops
        ]


def build_reference(document: dict[str, Any]) -> list[Section]:
    return _Builder(document).sections()
