"""Pasting articles: saved once per content, with their first extraction queued on commit."""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from ..models import (
    Article,
)
from .extraction import extraction_queue


def content_hash(body: str) -> str:
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def article_submit(
    *,
    user: User,
    title: str,
    outlet: str,
    body: str,
    original_html: str = "",
    url: str = "",
    published_on: date | None = None,
) -> tuple[Article, bool]:
    """Save a pasted article and queue its extraction. The same content twice gives the existing article."""
    digest = content_hash(body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=title,
                outlet=outlet,
                url=url,
                published_on=published_on,
                body=body,
                original_html=original_html,
                content_hash=digest,
                submitted_by=user,
            )
            extraction_queue(article=article)
    except IntegrityError:
        # Submitted twice at once: the other request won the unique hash, and that is the article.
        return Article.objects.get(content_hash=digest), False
    return article, True
