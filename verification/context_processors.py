from typing import Any

from django.http import HttpRequest

from . import roles
from .models import EvidenceStatus, Stance


def role_flags(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may offer; each view still checks the permission it needs."""
    user = request.user
    return {
        "can_submit": roles.can_submit(user),
        "can_review": roles.can_review(user),
        "can_read": roles.can_read(user),
        # From the permissions already loaded for the flags above, not a query for the groups.
        "role_name": roles.role_name(user),
        "status_choices": EvidenceStatus.choices,
        "stance_choices": Stance.choices,
    }
