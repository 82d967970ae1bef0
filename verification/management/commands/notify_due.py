"""Tell assignees about work due by tomorrow or overdue, once per assignment (run it from cron or beat)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from verification import services


class Command(BaseCommand):
    help = "Create due-soon and overdue notifications (and emails), once per assignment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = services.notify_due(today=options["today"])
        self.stdout.write(f"Due soon: {result.due_soon} assignment(s); overdue: {result.overdue} assignment(s).")
