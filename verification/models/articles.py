"""Articles as pasted, and the extraction runs over them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ExtractionState(models.TextChoices):
    QUEUED = "queued", "Queued"
    EXTRACTING = "extracting", "Extracting"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Article(models.Model):
    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # The stored text: every claim offset points into it.
    body = models.TextField()
    # What was pasted when it was HTML: kept for the record, never rendered.
    original_html = models.TextField(blank=True)
    language = models.CharField(max_length=12, blank=True)
    content_hash = models.CharField(max_length=64, unique=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("submit_article", "Can submit articles and retry extractions")]
        # The claim search lists the outlets on every page: a DISTINCT read from the index (issue 6).
        indexes = [
            models.Index(fields=["outlet"], name="article_outlet"),
            # Claim search without words lists the newest articles' claims first: walk articles by
            # date instead of sorting 50,000 of them on every search (issue 6).
            models.Index(fields=["created_at"], name="article_created"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article_detail", args=[self.pk])


class Extraction(models.Model):
    """One run of the engine over an article. The article shows its latest."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="extractions")
    state = models.CharField(max_length=12, choices=ExtractionState.choices, default=ExtractionState.QUEUED)
    engine_version = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    sentences = models.PositiveIntegerField(default=0)
    headlines = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Until when the worker that took this run owns it; a later worker may take it over after.
    leased_until = models.DateTimeField(null=True, blank=True)
    # The Celery task (message) that holds the lease. The same message delivered again means its
    # first run died with its worker (acks_late + reject_on_worker_lost), so it may take over at once.
    leased_by = models.CharField(max_length=64, blank=True)
    engine_seconds = models.FloatField(null=True, blank=True)
    save_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.state}"

    @property
    def is_finished(self) -> bool:
        return self.state in (ExtractionState.DONE, ExtractionState.FAILED)

    @property
    def error_code(self) -> str:
        return self.error.split(":", 1)[0] if self.error else ""
