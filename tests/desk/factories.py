from __future__ import annotations

import factory
from django.contrib.auth.models import User

from tests.factories import ClaimFactory, UserFactory
from verification import roles
from verification.models import Assignment, Priority, Queue


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
    # The claim's state, mirrored as services.desk does when it creates an assignment.
    done_at = factory.LazyAttribute(lambda a: a.claim.updated_at if a.claim.workflow_state == "done" else None)
