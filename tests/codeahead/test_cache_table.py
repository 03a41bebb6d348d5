"""The shared cache table is made by codeahead's migration 0001, also where it already exists."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.cache import caches
from django.db import connection

initial = importlib.import_module("codeahead.migrations.0001_initial")


def cache_table_exists() -> bool:
    return "codeahead_cache" in connection.introspection.table_names()


def test_the_migration_leaves_an_existing_cache_table_and_its_rows(db):
    caches["default"].set("kept", "yes")
    with connection.schema_editor() as editor:
        initial.create_cache_table(apps, editor)  # as on a database where accounts 0003 made it

    assert caches["default"].get("kept") == "yes"


def test_the_migration_makes_the_cache_table_where_there_is_none(db):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE codeahead_cache")
    assert not cache_table_exists()

    with connection.schema_editor() as editor:
        initial.create_cache_table(apps, editor)

    assert cache_table_exists()
    caches["default"].set("new", 1)
    assert caches["default"].get("new") == 1
