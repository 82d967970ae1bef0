"""`manage.py reextract --outdated`: queue a new extraction for articles an older engine extracted.

Run it after deploying a new engine version. Reviewers' work is kept: claims are matched to the
new ones by text and position, and a reviewed claim that is no longer found is marked, not deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import OuterRef, Subquery

from verification import services
from verification.extraction import ENGINE_VERSION
from verification.models import Article, Extraction, ExtractionState


class Command(BaseCommand):
    help = "Queue re-extraction of articles last extracted by another engine version (or of all, or some)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--outdated", action="store_true", help=f"articles not extracted by engine {ENGINE_VERSION}")
        group.add_argument("--all", action="store_true")
        group.add_argument("--article", type=int, action="append", help="an article id (repeatable)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        latest = Extraction.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-id")
        articles = Article.objects.annotate(
            state=Subquery(latest.values("state")[:1]), version=Subquery(latest.values("engine_version")[:1])
        )
        if options["article"]:
            articles = articles.filter(pk__in=options["article"])
            if articles.count() != len(set(options["article"])):
                raise CommandError("No article with some of those ids.")
        # A run already waiting or under way is left alone.
        articles = articles.exclude(state__in=[ExtractionState.QUEUED, ExtractionState.EXTRACTING])
        if options["outdated"]:
            articles = articles.filter(state=ExtractionState.DONE).exclude(version=ENGINE_VERSION)
        ids = list(articles.values_list("pk", flat=True))
        if not options["dry_run"]:
            for article in Article.objects.filter(pk__in=ids):
                with transaction.atomic():
                    services.extraction_queue(article=article)
        verb = "Would queue" if options["dry_run"] else "Queued"
        self.stdout.write(f"{verb} {len(ids)} article(s) for engine {ENGINE_VERSION}.")
