"""Top-level paths: the coming apps' prefixes are kept, and no code system may take one."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from codeahead.routes import RESERVED, check_top_level_paths, routed_top_level_paths
from lookup.models import CodeSystem

pytestmark = pytest.mark.usefixtures("demo_codes")


def test_the_shipped_code_systems_collide_with_no_top_level_path():
    assert check_top_level_paths() == []
    call_command("check")  # raises SystemCheckError on an error


def test_the_coming_apps_prefixes_are_reserved():
    assert {"casepilot", "consultant", "jobs", "api", "modifiers", "check", "pos"} <= set(RESERVED)
    assert {"admin", "accounts", "search", "code", "healthz", "static"} <= set(RESERVED)


def test_routed_paths_are_read_from_the_url_patterns():
    assert {"admin", "accounts", "healthz", "search", "code"} <= routed_top_level_paths()


@pytest.mark.parametrize(
    ("slug", "aliases", "taken"),
    [
        ("jobs", "", "jobs"),  # a coming app's
        ("my-codes", "other,API", "api"),  # an alias, in any case
        ("search", "", "search"),  # lookup's own page
        ("modifiers", "", "modifiers"),
    ],
)
def test_a_code_system_named_like_a_top_level_path_fails_the_check(slug, aliases, taken):
    CodeSystem.objects.create(
        slug=slug, name="Mine", full_name="Mine", publisher="Us", copyright_line="", aliases=aliases
    )

    errors = check_top_level_paths()

    assert [error.id for error in errors] == ["codeahead.E001"]
    assert f"/{taken}/" in errors[0].msg.lower() and "Mine" in errors[0].msg
    assert any(message.id == "codeahead.E001" for message in run_checks())
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_a_code_system_with_a_fresh_name_passes():
    CodeSystem.objects.create(
        slug="snomed", name="SNOMED", full_name="SNOMED CT", publisher="x", copyright_line="", aliases="sct"
    )

    assert check_top_level_paths() == []


# The other prefixes are served by their apps (their own tests).
@pytest.mark.parametrize("prefix", ["api"])
def test_a_reserved_prefix_no_app_serves_yet_is_a_404_even_for_a_code_system_named_so(client, prefix):
    # A code system that slipped past the check (say, renamed in the admin while the site runs).
    CodeSystem.objects.create(slug=prefix, name="Mine", full_name="Mine", publisher="Us", copyright_line="")

    assert client.get(f"/{prefix}/").status_code == 404
    assert client.get(f"/{prefix}/changes/").status_code == 404


def test_a_served_prefix_belongs_to_its_app_even_with_a_code_system_named_so(client):
    CodeSystem.objects.create(slug="jobs", name="Mine", full_name="Mine", publisher="Us", copyright_line="")

    assert "CareerCenter" in client.get("/jobs/").content.decode()  # the job board's list
    assert client.get("/jobs/changes/").status_code == 404  # what jobs does not serve is no code page


def test_a_code_system_not_named_like_a_reserved_prefix_is_served(client):
    CodeSystem.objects.create(slug="jobsx", name="Mine", full_name="Mine", publisher="Us", copyright_line="")

    assert client.get("/jobsx/").status_code == 200


def test_lookup_pages_under_the_root_still_answer(client):
    assert client.get("/icd-10-cm/").status_code == 200
    assert client.get("/search", {"q": "e11"}).status_code == 200
    assert client.get("/code/77307/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_casepilot_serves_its_prefix_and_what_it_does_not_serve_is_a_404(client):
    CodeSystem.objects.create(
        slug="casepilot", name="Mine", full_name="Mine", publisher="Us", copyright_line=""
    )

    assert client.get("/casepilot/").status_code == 200
    assert client.get("/casepilot/changes/").status_code == 404


@pytest.mark.parametrize("prefix", ["pos", "check", "modifiers"])
def test_rules_prefixes_never_reach_a_code_system_named_so(client, prefix):
    # rules serves these now (its pages have their own tests); what it does not serve is a 404.
    CodeSystem.objects.create(slug=prefix, name="Mine", full_name="Mine", publisher="Us", copyright_line="")

    assert client.get(f"/{prefix}/changes/").status_code == 404
    assert "Mine" not in client.get(f"/{prefix}/").content.decode()
