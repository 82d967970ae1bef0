"""Forms: what a person typed, checked, with messages a person understands."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator

from .extraction import html_to_text, looks_like_html, normalize_text
from .models import EvidenceStatus, Stance, WorkflowState

_WORD = re.compile(r"[^\W\d_]{2,}")


def _binary_share(raw: str) -> float:
    """Share of characters that no pasted text contains: NULs, other controls, undecodable bytes."""
    if not raw:
        return 0.0
    sample = raw[:100_000]
    odd = sum(1 for ch in sample if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t"))
    return odd / len(sample)


class PastedTextField(forms.CharField):
    """A CharField that leaves NUL bytes to clean_body, which explains them better than Django does."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=300)
    outlet = forms.CharField(max_length=200, help_text="The publication, for example “Reuters” or “Sputnik”.")
    url = forms.URLField(
        label="URL",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="Optional: where it was published.",
    )
    published_on = forms.DateField(
        label="Publication date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    body = PastedTextField(
        label="Article",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Paste the article as plain text, or as HTML copied from a browser (it is turned into text; "
        f"nothing in it is run). At most {settings.ARTICLE_MAX_CHARS:,} characters.",
        error_messages={"required": "Paste the article's text: the body is empty."},
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data.get("url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https addresses are accepted.")
        return url

    def clean_body(self) -> str:
        raw: str = self.cleaned_data["body"]
        limit = settings.ARTICLE_MAX_CHARS
        if len(raw) > limit:
            raise forms.ValidationError(
                f"The article is {len(raw):,} characters long; the limit is {limit:,}. "
                "Paste the article alone, without comments or page furniture, or split it."
            )
        if "\x00" in raw or _binary_share(raw) > 0.01:
            raise forms.ValidationError(
                "This does not look like text: it contains binary data. Paste the article's words, not a file."
            )
        self.original_html = ""
        if looks_like_html(raw):
            self.original_html = raw
            text = html_to_text(raw)
            if not text:
                raise forms.ValidationError(
                    "No article text was found in the pasted HTML. Copy the article's text itself and paste it again."
                )
        else:
            text = normalize_text(raw)
        if not text:
            raise forms.ValidationError("Paste the article's text: the body is empty.")
        if not _WORD.search(text):
            raise forms.ValidationError("No sentences were found in the body: it contains no words.")
        return text


class ClaimStatusForm(forms.Form):
    evidence_status = forms.ChoiceField(choices=EvidenceStatus.choices, label="Evidence status")
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for Partly supported, Unsupported and False.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WorkflowForm(forms.Form):
    workflow_state = forms.ChoiceField(choices=WorkflowState.choices, label="Workflow state")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(forms.Form):
    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https")
    title = forms.CharField(max_length=300)
    stance = forms.ChoiceField(choices=Stance.choices)
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Quoted excerpt")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Evidence links must start with http:// or https://.")
        return url


class ClaimSearchForm(forms.Form):
    """GET filters for the claim search; every field optional, so the URL carries exactly what was chosen."""

    q = forms.CharField(label="Words", required=False, max_length=300)
    status = forms.ChoiceField(label="Evidence status", required=False, choices=[("", "Any"), *EvidenceStatus.choices])
    workflow = forms.ChoiceField(label="Workflow", required=False, choices=[("", "Any"), *WorkflowState.choices])
    flag = forms.ChoiceField(label="Flag", required=False, choices=[])
    speaker = forms.IntegerField(required=False, widget=forms.HiddenInput)
    outlet = forms.CharField(required=False, max_length=200)
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)
    assignee = forms.IntegerField(required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    min_checkworthiness = forms.IntegerField(
        label="Check-worthiness at least (%)", required=False, min_value=0, max_value=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import FLAG_LABELS

        super().__init__(*args, **kwargs)
        self.fields["flag"].choices = [("", "Any"), *FLAG_LABELS.items()]  # type: ignore[attr-defined]

    def filters(self) -> Any:
        from .selectors.search import ClaimFilters

        data = self.cleaned_data if self.is_valid() else {}
        cw = data.get("min_checkworthiness")
        return ClaimFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            workflow=data.get("workflow") or "",
            flag=data.get("flag") or "",
            speaker=data.get("speaker"),
            outlet=data.get("outlet") or "",
            article=data.get("article"),
            assignee=data.get("assignee"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            min_checkworthiness=None if cw is None else cw / 100,
        )
