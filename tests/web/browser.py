"""A small stand-in for a browser: an httpx client that keeps cookies, reads pages' forms and
posts them back with their CSRF token."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from uuid import uuid4

import httpx

from tests.api.conftest import PASSWORD, LiveApi


@dataclass
class Field:
    tag: str
    attrs: dict[str, str]


@dataclass
class PageParser(HTMLParser):
    """Collects form fields, the labels' targets, and the text a person would see."""

    fields: list[Field] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)
    labelled_by_nesting: set[int] = field(default_factory=set)
    text: list[str] = field(default_factory=list)
    _open_labels: int = 0
    _hidden_depth: int = 0

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("script", "style", "title"):
            self._hidden_depth += 1
        if tag == "label":
            self._open_labels += 1
            if "for" in values:
                self.label_targets.add(values["for"])
        if tag in ("input", "select", "textarea"):
            if self._open_labels:
                self.labelled_by_nesting.add(len(self.fields))
            self.fields.append(Field(tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._hidden_depth -= 1
        if tag == "label":
            self._open_labels -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.text.append(data)

    def visible_text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))

    def unlabelled(self) -> list[Field]:
        """Fields a person can fill in that no label names."""
        return [
            item
            for index, item in enumerate(self.fields)
            if item.attrs.get("type") not in ("hidden", "submit", "button")
            and index not in self.labelled_by_nesting
            and item.attrs.get("id", "") not in self.label_targets
        ]

    def csrf_token(self) -> str:
        for item in self.fields:
            if item.attrs.get("name") == "csrf_token":
                return item.attrs["value"]
        raise AssertionError("the page has no CSRF token")


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


class Browser:
    """One browser: its own cookies."""

    def __init__(self, api: LiveApi) -> None:
        self.api = api
        self.http = httpx.Client(base_url=api.base_url, timeout=30, follow_redirects=False)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.http.get(path, **kwargs)  # type: ignore[arg-type]

    def page(self, path: str) -> PageParser:
        response = self.http.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return parse(response.text)

    def submit(self, page_path: str, action: str, data: Mapping[str, Any]) -> httpx.Response:
        """Post ``data`` to ``action`` with the CSRF token of the page at ``page_path``."""
        token = self.page(page_path).csrf_token()
        return self.http.post(action, data={"csrf_token": token, **data})

    def log_in(self, who: str) -> httpx.Response:
        data = {"email": self.api.emails[who], "password": PASSWORD, "next": "/"}
        response = self.submit("/login", "/login", data)
        assert response.status_code == 303, response.text
        return response


def new_client(api: LiveApi, **fields: object) -> int:
    """A client of the home clinic, created through the API by its practitioner."""
    body = {"given_name": "Vera", "family_name": f"Test{uuid4().hex[:8]}", **fields}
    with api.as_("practitioner") as http:
        response = http.post("/api/clients", json=body)
        response.raise_for_status()
        client_id: int = response.json()["id"]
    return client_id
