"""What search indexes: the stored documents behind Code.search_vector and Note.search_vector.

Both are generated columns, so PostgreSQL keeps them right on every write, bulk imports
included. Only text the site may show goes in: official text of public codes, and our own
plain-language words. Licensed text (CPT, CDT) is never indexed, so it can never be found
or leak through a snippet.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When

SEARCH_CONFIG = "english"
# Notes that say what a code covers; excludes notes say what it does not, so they stay out.
SEARCHABLE_NOTE_KINDS = ("includes", "inclusion_term")

# unaccent() is only STABLE (its dictionary could change); a generated column needs an
# IMMUTABLE function, so migration 0003 wraps it with the dictionary named explicitly.
UNACCENT_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION codeahead_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


class Unaccent(Func):
    function = "codeahead_unaccent"
    output_field = TextField()


def SearchText(expression) -> Func:  # noqa: N802 - reads as the expression it builds
    """Text as search reads it: without accents, and "COVID-19" as "COVID 19" (PostgreSQL's
    parser would read "-19" as a negative number, which "covid 19" never finds)."""
    return Func(
        Unaccent(expression),
        Value("-([0-9])"),
        Value(" \\1"),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _public(field: str) -> Case:
    return Case(When(Q(text_licence=""), then=F(field)), default=Value(""), output_field=TextField())


def code_search_document() -> SearchVector:
    """Weight A: the official title and description (public codes only); C: our own words."""
    return SearchVector(
        SearchText(_public("title")),
        SearchText(_public("official_description")),
        config=SEARCH_CONFIG,
        weight="A",
    ) + SearchVector(SearchText("plain_description"), config=SEARCH_CONFIG, weight="C")


def note_search_document() -> SearchVector:
    return SearchVector(SearchText("text"), config=SEARCH_CONFIG, weight="B")


def _word_count(text) -> Func:
    """How many distinct words a text has for search, leaving out ICD's short "nonessential
    modifiers" in parentheses: "Essential (primary) hypertension" counts 2. Long
    parentheses, such as HCPCS's "(e.g., ...)" lists, still count."""
    core = Func(
        text,
        Value(r"\([^()]{0,30}\)"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return Func(
        SearchVector(SearchText(core), config=SEARCH_CONFIG), function="length", output_field=IntegerField()
    )


def code_title_size() -> Func:
    """Words in the official description (or title): a query that covers more of it is closer."""
    described = Case(
        When(~Q(official_description=""), then=F("official_description")),
        default=F("title"),
        output_field=TextField(),
    )
    return _word_count(
        Case(When(Q(text_licence=""), then=described), default=Value(""), output_field=TextField())
    )


def note_size() -> Func:
    return _word_count(F("text"))


# The vocabulary for typo correction: every word of the public descriptions (not CMS's
# abbreviated short titles, whose "fract" would beat "fracture") and of our own words, with
# how many codes use it. Statement-level triggers read the rows a statement wrote, so bulk_create and
# bulk_update keep it filled without any step in the importers.
def search_words_sql() -> str:
    """The vocabulary's function and triggers, and the words of the codes already loaded."""
    from lookup.models import Code, SearchWord  # this module is imported while models load

    codes, words = Code._meta.db_table, SearchWord._meta.db_table
    return f"""
-- The words of one code's public text, as the vocabulary counts them.
CREATE OR REPLACE FUNCTION lookup_code_words(title text, official text, plain text, licence text)
RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT word FROM regexp_split_to_table(lower(codeahead_unaccent(
        CASE WHEN licence <> '' THEN '' WHEN official <> '' THEN official ELSE title END
        || ' ' || plain)), '[^a-z]+') AS word
    WHERE length(word) BETWEEN 3 AND 60
$$;

{search_words_function_sql()}
CREATE TRIGGER lookup_code_search_words_insert AFTER INSERT ON {codes}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lookup_code_search_words();
CREATE TRIGGER lookup_code_search_words_update AFTER UPDATE ON {codes}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION lookup_code_search_words();

-- Codes already loaded before this migration.
INSERT INTO {words} (word, uses)
SELECT word, count(*)
FROM {codes} c, lookup_code_words(c.title, c.official_description, c.plain_description, c.text_licence) AS word
GROUP BY word
ON CONFLICT (word) DO NOTHING;
"""


def drop_search_words_sql() -> str:
    from lookup.models import Code

    codes = Code._meta.db_table
    return f"""
DROP TRIGGER IF EXISTS lookup_code_search_words_insert ON {codes};
DROP TRIGGER IF EXISTS lookup_code_search_words_update ON {codes};
DROP FUNCTION IF EXISTS lookup_code_search_words();
DROP FUNCTION IF EXISTS lookup_code_words(text, text, text, text);
"""


def search_words_function_sql() -> str:
    """The trigger function that counts the words of the rows one statement wrote.

    Its statements run through EXECUTE, so each is planned for the rows that statement
    wrote: PL/pgSQL would otherwise keep, for the whole session, the plan made at its
    first run (a one-row admin save or import step), and join a later 40,000-row update's
    old and new rows in a nested loop, quadratically (issue 17).
    """
    from lookup.models import SearchWord

    words = SearchWord._meta.db_table
    return f"""
CREATE OR REPLACE FUNCTION lookup_code_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE $sql$
        INSERT INTO {words} (word, uses)
        SELECT word, count(*)
        FROM new_rows n,
            lookup_code_words(n.title, n.official_description, n.plain_description, n.text_licence) AS word
        GROUP BY word
        ON CONFLICT (word) DO UPDATE SET uses = {words}.uses + excluded.uses
        $sql$;
    ELSE
        EXECUTE $sql$
        INSERT INTO {words} (word, uses)
        SELECT word, count(*)
        FROM new_rows n JOIN old_rows o ON o.id = n.id,
            lookup_code_words(n.title, n.official_description, n.plain_description, n.text_licence) AS word
        WHERE (n.title, n.official_description, n.plain_description, n.text_licence)
            IS DISTINCT FROM (o.title, o.official_description, o.plain_description, o.text_licence)
        GROUP BY word
        ON CONFLICT (word) DO UPDATE SET uses = {words}.uses + excluded.uses
        $sql$;
    END IF;
    RETURN NULL;
END $$;
"""
