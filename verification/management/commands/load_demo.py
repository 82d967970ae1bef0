"""`manage.py load_demo`: demo accounts (an editor and a reviewer) and the sample article, for a laptop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from verification import roles, services
from verification.extraction import normalize_text

DEMO_ARTICLE = Path(settings.BASE_DIR) / "demo" / "nato-baltic-2014.txt"
DEMO_PASSWORD = "newsroom-demo"  # noqa: S105  (published in the README; load_demo refuses to run without DEBUG)
DEMO_USERS = [("editor", "Edith", "Editor", roles.EDITOR), ("reviewer", "Rita", "Reviewer", roles.REVIEWER)]


class Command(BaseCommand):
    help = "Create the demo editor and reviewer and submit the sample article (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument("--no-article", action="store_true", help="Only the accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts have a published password: load_demo runs only with DJANGO_DEBUG=1.")
        with transaction.atomic():
            users = {}
            for username, first, last, role in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username, defaults={"first_name": first, "last_name": last}
                )
                if created:
                    user.set_password(options["password"])
                    user.save()
                user.groups.add(Group.objects.get(name=role))
                users[role] = user
            if not options["no_article"]:
                article, created = services.article_submit(
                    user=users[roles.EDITOR],
                    title="NATO Turns Baltic States Into De-Facto Area of Standoff With Russia",
                    outlet="Sputnik",
                    body=normalize_text(DEMO_ARTICLE.read_text(encoding="utf-8")),
                )
                verb = "Submitted" if created else "Already there:"
                self.stderr.write(f"{verb} the sample article (#{article.pk}).")
        self.stderr.write(f"Demo accounts: editor / {options['password']} and reviewer / {options['password']}")
