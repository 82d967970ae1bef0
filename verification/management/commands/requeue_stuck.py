"""`manage.py requeue_stuck`: what the extraction queue holds, and the lost runs sent again.

Beat runs the same sweep every two minutes (verification.requeue_stuck_extractions). This is
for an operator: after Redis lost its data, with beat stopped, or to see why an article waits.
`--dry-run` only reports.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from verification import broker, services
from verification.selectors.runs import runs_lost, runs_now


class Command(BaseCommand):
    help = "Report the extraction runs waiting, running and lost, and send the lost ones again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, default=120, metavar="SECONDS",
            help="a waiting run with no message is lost after this long (default 120)",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="report only; send nothing")
        parser.add_argument(
            "--force", action="store_true",
            help="send every run waiting longer than --older-than even when the broker's queue cannot be read",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than is a number of seconds, 0 or more.")
        older_than = timedelta(seconds=options["older_than"])
        now = runs_now()
        in_broker = broker.runs_with_a_message()
        waiting = f"waiting: {now.waiting}"
        if now.oldest_waiting is not None:
            waiting += f" (the oldest for {_age(timezone.now() - now.oldest_waiting)})"
        self.stdout.write(waiting)
        if in_broker is None:
            self.stdout.write(
                f"  the broker's queue could not be read: every run waiting over {options['older_than']} s is lost"
            )
        else:
            self.stdout.write(f"  extraction messages in Redis (waiting, or held by a worker): {len(in_broker)}")
        self.stdout.write(f"running: {now.running} (a dead worker's, its lease ran out: {now.lease_ran_out})")
        self.stdout.write(f"failed in the last 24 hours: {now.failed_last_day}")
        lost = runs_lost(older_than=older_than, in_broker=in_broker)
        self.stdout.write(f"lost: {len(lost)}{_ids(lost)}")
        if options["dry_run"]:
            self.stdout.write("nothing sent (--dry-run)")
            return
        if in_broker is None and not options["force"]:
            raise CommandError(
                "The broker's queue could not be read, so nothing was sent: is REDIS_URL the workers' Redis? "
                "--force sends every waiting run anyway (a run sent twice is run once)."
            )
        sent = services.extraction_send_again(lost)  # the runs reported above, not a second look
        self.stdout.write(self.style.SUCCESS(f"sent again: {len(sent)}{_ids(sent)}"))
        if len(sent) < len(lost):
            raise CommandError(f"{len(lost) - len(sent)} could not be sent: the broker is not answering (see the log).")


def _ids(ids: list[int]) -> str:
    return f"; run ids: {', '.join(map(str, ids[:20]))}{' ...' if len(ids) > 20 else ''}" if ids else ""


def _age(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
