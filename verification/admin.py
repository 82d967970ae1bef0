from typing import Any

from django.contrib import admin

from . import admin_desk  # noqa: F401  (registers the desk models)
from .models import Article, Claim, EvidenceItem, Extraction, Flag, ReviewEvent, Speaker


class ExtractionInline(admin.TabularInline):
    model = Extraction
    extra = 0
    fields = ("state", "engine_version", "attempts", "error", "created_at", "finished_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "language", "submitted_by", "created_at"]
    search_fields = ["title", "outlet"]
    readonly_fields = ["content_hash", "original_html"]
    inlines = [ExtractionInline]


class FlagInline(admin.TabularInline):
    """Flags are the engine's output, replaced on every extraction (and mirrored in
    Claim.flag_codes for the search): shown here, never edited."""

    model = Flag
    extra = 0
    can_delete = False
    readonly_fields = ["code", "text", "start", "end", "explanation"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "speaker", "evidence_status", "workflow_state", "in_text"]
    list_filter = ["evidence_status", "workflow_state", "in_text"]
    raw_id_fields = ["article", "speaker", "disputed_by"]
    # A reviewer's verdict changes only through the review screens, which write the audit trail
    # (and keep the desk's mirror of the state, Assignment.done_at).
    readonly_fields = ["evidence_status", "workflow_state", "rationale", "version", "updated_at"]
    inlines = [FlagInline]


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """Read-only: the review trail is append-only."""

    list_display = ["claim", "user", "field", "old_value", "new_value", "created_at"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(Speaker)
admin.site.register(EvidenceItem)
