"""`manage.py extract_claims FILE [FILE ...] --format json`: the workers' engine, offline, as JSON on stdout."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from verification.extraction import ENGINE_VERSION, MODEL_PACKAGE, MODEL_VERSION, Engine, html_to_text, looks_like_html
from verification.extraction.text import normalize_text


def read_source(path: str) -> str:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"cannot read {path}: it is not UTF-8 text") from None
    if "\x00" in text:
        raise CommandError(f"cannot read {path}: it contains binary data, not text")
    return html_to_text(text) if looks_like_html(text) else normalize_text(text)


class Command(BaseCommand):
    help = "Extract claims from text or HTML files (or - for standard input) without touching the database."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[str] = options["paths"]
        texts = [read_source(p) for p in paths]
        engine = Engine()
        articles = [r.to_dict(source=p) for p, r in zip(paths, engine.extract_many(texts), strict=True)]
        output = {
            "engine": {"version": ENGINE_VERSION, "model": f"{MODEL_PACKAGE} {MODEL_VERSION}"},
            "articles": articles,
        }
        # Only JSON goes to stdout; progress and errors go to stderr.
        sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=options["indent"] or None) + "\n")
        sys.stdout.flush()
