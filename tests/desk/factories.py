from __future__ import annotations

import factory
from django.contrib.auth.models import Permission, User

from tests.factories import ClaimFactory, UserFactory, role_group
from verification import roles
from verification.desk_roles import DESK_PERMISSIONS
from verification.models import Assignment, Priority, Queue


def grant_desk_permissions() -> None:
    """What migration 0004 does, again: a transactional test's flush drops the groups' permissions."""
    for role, codenames in DESK_PERMISSIONS.items():
        role_group(role).permissions.add(
            *Permission.objects.filter(content_type__app_label="verification", codename__in=codenames)
        )


class QueueFactory(factory.django.DjangoModelFactory[Queue]):
    class Meta:
        model = Queue
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Queue {n}")
    created_by = factory.SubFactory(UserFactory, role=roles.EDITOR)

    @factory.post_generation
    def members(obj: Queue, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.members.set(extracted)


class AssignmentFactory(factory.django.DjangoModelFactory[Assignment]):
    class Meta:
        model = Assignment

    claim = factory.SubFactory(ClaimFactory)
    priority = Priority.NORMAL
