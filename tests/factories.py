from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group, Permission, User

from verification import roles
from verification.models import Article, Claim, Extraction, ExtractionState, Flag, Speaker, flag_codes_of
from verification.services import content_hash

PASSWORD = "correct horse battery staple"


def role_group(name: str) -> Group:
    """The role's group as migration 0002 makes it; rebuilt when a transactional test flushed it."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        codenames = roles.ROLE_PERMISSIONS[name]
        group.permissions.set(Permission.objects.filter(content_type__app_label="verification", codename__in=codenames))
    return group


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create and extracted:
            obj.groups.add(role_group(extracted))
        if create:
            obj.save()


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = "The Daily Test"
    body = factory.Sequence(lambda n: f"The minister said on Monday that {n} schools would close. Critics disagreed.")
    content_hash = factory.LazyAttribute(lambda o: content_hash(o.body))
    submitted_by = factory.SubFactory(UserFactory, role=roles.EDITOR)
    language = "en"


class ExtractionFactory(factory.django.DjangoModelFactory[Extraction]):
    class Meta:
        model = Extraction

    article = factory.SubFactory(ArticleFactory)
    state = ExtractionState.DONE
    engine_version = "test"


class SpeakerFactory(factory.django.DjangoModelFactory[Speaker]):
    class Meta:
        model = Speaker
        django_get_or_create = ("key",)

    name = "Jane Minister"
    key = factory.LazyAttribute(lambda o: Speaker.key_for(o.name))


class ClaimFactory(factory.django.DjangoModelFactory[Claim]):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    index = 0
    start = 0
    end = factory.LazyAttribute(lambda o: len(o.article.body.split(". ")[0]) + 1)
    text = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])
    speaker = factory.SubFactory(SpeakerFactory)
    cue = "say"
    quote = "indirect"
    kind = "quantity"
    checkworthiness = 0.8


class FlagFactory(factory.django.DjangoModelFactory[Flag]):
    class Meta:
        model = Flag

    claim = factory.SubFactory(ClaimFactory)
    code = "hedged"
    text = "reportedly"
    start = 0
    end = 10
    explanation = "The claim is hedged."

    @classmethod
    def _create(cls, model_class: type[Flag], *args: Any, **kwargs: Any) -> Flag:
        """A flag, and its code in the claim's flag_codes, as the extraction store writes both."""
        flag = super()._create(model_class, *args, **kwargs)
        claim = flag.claim
        claim.flag_codes = flag_codes_of(Flag.objects.filter(claim=claim).values_list("code", flat=True))
        Claim.objects.filter(pk=claim.pk).update(flag_codes=claim.flag_codes)
        return flag
