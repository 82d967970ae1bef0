"""Reads. Views and tasks fetch through here so that access rules and query shapes live in one place."""

from .articles import (
    article_get_for_user,
    article_list,
    claim_get_for_user,
    claims_for_article,
    latest_extraction,
)

__all__ = [
    "article_get_for_user",
    "article_list",
    "claim_get_for_user",
    "claims_for_article",
    "latest_extraction",
]
