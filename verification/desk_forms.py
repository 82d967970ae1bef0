"""The desk's forms: queues, assignment, completing a claim from My queue."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from . import selectors
from .models import EvidenceStatus, Priority, Queue


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        return user.get_full_name() or user.username


class QueueForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For example “Politics” or “Breaking”.")
    description = forms.CharField(max_length=300, required=False)
    members = UserChoices(queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.assignable_users()  # type: ignore[attr-defined]


class MembersForm(forms.Form):
    members = UserChoices(queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.assignable_users()  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    """One form for every bulk action: assign, send to a queue, unassign; on chosen claims or a whole article."""

    ACTIONS = {"assign": "Assign", "queue": "Send to queue", "unassign": "Unassign"}

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)
    whole_article = forms.BooleanField(required=False, label="Every claim of this article")
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="— choose a reviewer —")
    queue = forms.ModelChoiceField(queryset=Queue.objects.none(), required=False, empty_label="— keep as is —")
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    due_on = forms.DateField(required=False, label="Due date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.assignable_users()  # type: ignore[attr-defined]
        self.fields["queue"].queryset = Queue.objects.all()  # type: ignore[attr-defined]

    def clean_due_on(self) -> datetime.date | None:
        due: datetime.date | None = self.cleaned_data.get("due_on")
        if due and due < timezone.localdate():
            raise forms.ValidationError("The due date is in the past: choose today or a later day.")
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The chosen claims' ids, as checkboxes send them; the view checks each exists and may be read.
        raw = self.data.getlist("claims") if hasattr(self.data, "getlist") else []
        data["claims"] = [int(v) for v in raw if str(v).isdigit()][:5000]
        action = data.get("action")
        if not data.get("claims") and not (data.get("whole_article") and data.get("article")):
            raise forms.ValidationError("Select at least one claim, or tick “Every claim of this article”.")
        if action == "assign" and not data.get("assignee"):
            raise forms.ValidationError("Choose the reviewer to assign to.")
        if action == "queue" and not data.get("queue"):
            raise forms.ValidationError("Choose the queue to send the claims to.")
        return data


class CompleteForm(forms.Form):
    evidence_status = forms.ChoiceField(choices=[c for c in EvidenceStatus.choices if c[0] != "unreviewed"])
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, min_value=0)
