from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from consultant import services
from consultant.models import CONSULTANTS_GROUP
from lookup.models import Code
from tests.factories import make_account


def make_consultant(email: str = "consultant@example.com"):
    user = make_account(email, is_staff=True)
    # Made by a data migration; transactional tests flush it, so make it again where needed.
    user.groups.add(Group.objects.get_or_create(name=CONSULTANTS_GROUP)[0])
    return user


def ask(
    member,
    text: str = "Which code for type 2 diabetes without complications seen at a routine visit?",
    **fields,
):
    values = {
        "codes": list(Code.objects.filter(system__slug="icd-10-cm", key="E119")),
        "setting": "physician_office",
        "considered": "E11.9 and Z00.00",
        "consent_to_publish": True,
    }
    return services.ask(member=member, question=text, **{**values, **fields})


@pytest.fixture
def member(demo_codes):
    return make_account("member@example.com")


@pytest.fixture
def consultant(demo_codes):
    return make_consultant()
