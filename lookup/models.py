"""Code sets: systems, codes with their hierarchy, and the notes that go with them."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from lookup.search.index import (
    SEARCHABLE_NOTE_KINDS,
    code_search_document,
    code_title_size,
    note_search_document,
    note_size,
)

_NOT_KEY_CHARS = re.compile(r"[^A-Z0-9\-]")
# HCPCS Level II dental codes (D0120...): the American Dental Association's text.
_DENTAL_CODE = re.compile(r"D[0-9]{4}")


def normalize_code(text: str) -> str:
    """The lookup key of a code however it is typed: `e11.9`, `E11 9` -> `E119`."""
    return _NOT_KEY_CHARS.sub("", text.upper())


# A code as it may be typed into an address: e11.9, E11 9, 0DTJ4ZZ, E08-E13. Anything else (a NUL,
# a slash, punctuation) is no code at all, rather than one with those characters dropped.
_CODE_IN_ADDRESS = re.compile(r"[A-Za-z0-9. \-]{1,20}")


def key_from_address(code: str) -> str:
    """The lookup key of a code in an address (a URL), or "" when it cannot be a code."""
    return normalize_code(code) if _CODE_IN_ADDRESS.fullmatch(code) else ""


SYSTEMS_CACHE_SECONDS = 60
# No code set is nested deeper than a dozen levels (ICD-10-CM: chapter, section, then up to
# five levels of codes); every walk up or down the hierarchy stops here, and at a loop.
MAX_HIERARCHY_DEPTH = 30


class CodeSystemManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> CodeSystem:
        return self.get(slug=slug)

    def for_slug(self, text: str) -> CodeSystem | None:
        """The system a URL names, by its slug or one of its aliases."""
        wanted = text.lower()
        # Four rows that change only by migration or a rare admin edit: every code page
        # needs them, so each process keeps them for a minute.
        systems = caches["local"].get_or_set(
            "lookup:code-systems", lambda: list(self.all()), SYSTEMS_CACHE_SECONDS
        )
        for system in systems:
            if wanted == system.slug or wanted in system.alias_list():
                return system
        return None


class CodeSystem(models.Model):
    slug = models.SlugField(unique=True, help_text="URL name, such as icd-10-cm")
    name = models.CharField(max_length=100, help_text="Short name, such as ICD-10-CM")
    full_name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    copyright_line = models.CharField(max_length=300)
    text_licence = models.CharField(
        max_length=10,
        blank=True,
        help_text="Licence needed to show this system's official text (AMA for CPT); blank if public.",
    )
    aliases = models.CharField(max_length=200, blank=True, help_text="Other URL spellings, comma separated")
    position = models.PositiveSmallIntegerField(default=0)

    objects = CodeSystemManager()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("lookup:system", args=[self.slug])

    def alias_list(self) -> list[str]:
        return [alias.strip().lower() for alias in self.aliases.split(",") if alias.strip()]

    def text_licence_for(self, key: str) -> str:
        """The licence a code's official text needs: the one rule every importer applies.

        The system's own licence (AMA for every CPT code), else ADA for an HCPCS D-code
        (dental), else "" (public domain). `key` is the normalized code (D0120, not d0120).
        """
        if self.text_licence:
            return self.text_licence
        if self.slug == "hcpcs" and _DENTAL_CODE.fullmatch(key):
            return "ADA"
        return ""


class CodeQuerySet(models.QuerySet):
    def get_by_natural_key(self, system_slug: str, key: str) -> Code:
        return self.get(system__slug=system_slug, key=key)

    def ancestors_of(self, code: Code) -> list[Code]:
        """The chain of parents from the top of the hierarchy down, in one query."""
        if code.parent_id is None:
            return []
        table = Code._meta.db_table
        return list(
            self.raw(
                f"""
                WITH RECURSIVE chain(id, depth) AS (
                    SELECT parent_id, 1 FROM {table} WHERE id = %s
                    UNION ALL
                    SELECT c.parent_id, chain.depth + 1
                    FROM {table} c JOIN chain ON c.id = chain.id
                    WHERE c.parent_id IS NOT NULL AND chain.depth < %s
                ) CYCLE id SET looped USING path
                SELECT {table}.* FROM {table} JOIN chain ON {table}.id = chain.id
                WHERE NOT chain.looped AND chain.id <> %s
                ORDER BY chain.depth DESC
                """,
                [code.pk, MAX_HIERARCHY_DEPTH, code.pk],
            )
        )


CodeManager = models.Manager.from_queryset(CodeQuerySet)


class Code(models.Model):
    class Kind(models.TextChoices):
        CHAPTER = "chapter", "Chapter"
        SECTION = "section", "Section"
        CATEGORY = "category", "Category"
        SUBCATEGORY = "subcategory", "Subcategory"
        CODE = "code", "Code"
        MODIFIER = "modifier", "Modifier"

    system = models.ForeignKey(CodeSystem, on_delete=models.PROTECT, related_name="codes")
    code = models.CharField(max_length=20, help_text="As published, such as E11.9")
    key = models.CharField(max_length=20, help_text="Normalized for lookup: upper case, no dots or spaces")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CODE)
    title = models.CharField(max_length=300, blank=True, help_text="Short title")
    official_description = models.TextField(blank=True)

    class PlainSource(models.TextChoices):
        # Where Code.plain_description came from. A generated text nobody has reviewed yet
        # is not here but in PlainText, so generating 190,000 never rewrites the code rows.
        NONE = "", "None"
        TEAM = "team", "Written by our coding team"
        REVIEWED = "reviewed", "Generated from the official text, then reviewed by our coding team"

    plain_description = models.TextField(
        "plain-language description",
        blank=True,
        help_text="Our own words; imports never touch a text our coding team wrote or reviewed",
    )
    plain_notes = models.TextField(
        "plain-language notes",
        blank=True,
        help_text="Where the code sits and how its notes read, in plain words (shown, not searched)",
    )
    plain_source = models.CharField(
        "plain-language source",
        max_length=10,
        choices=PlainSource.choices,
        blank=True,
        default="",
        help_text="Who wrote the plain-language text above",
    )
    plain_reviewed_at = models.DateTimeField(
        "plain-language text reviewed", null=True, blank=True, help_text="When staff marked it reviewed"
    )
    official_edited = models.BooleanField(
        default=False,
        help_text="Staff edited the official description; imports keep it and report a conflict",
    )
    text_licence = models.CharField(
        max_length=10,
        blank=True,
        help_text="Licence needed to show this code's official text (AMA, ADA); blank if public",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    billable = models.BooleanField(default=False)
    featured = models.BooleanField(default=False, help_text="Shown among popular codes on the home page")
    sort_order = models.PositiveIntegerField(default=0, help_text="Position in the code set's order")
    effective_date = models.DateField(null=True, blank=True)
    termination_date = models.DateField(null=True, blank=True)

    # What search matches (see lookup/search/index.py); PostgreSQL computes it on every write.
    search_vector = models.GeneratedField(
        expression=code_search_document(), output_field=SearchVectorField(), db_persist=True
    )
    search_title_size = models.GeneratedField(
        expression=code_title_size(), output_field=models.IntegerField(), db_persist=True
    )

    history = HistoricalRecords(excluded_fields=["search_vector", "search_title_size"])
    objects = CodeManager()

    class Meta:
        ordering = ["system", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["system", "key"], name="code_unique_key_per_system"),
        ]
        indexes = [
            models.Index(fields=["system", "sort_order"], name="code_system_order"),
            models.Index(fields=["key"], name="code_key"),
            # Byte order, so prefix (LIKE 'E11%') and range scans use the index in any locale.
            models.Index(Collate("key", "C"), name="code_key_c"),
            GinIndex(fields=["search_vector"], name="code_search_vector"),
            # Closest titles first: lets a search for a common word stop early.
            models.Index(fields=["search_title_size"], name="code_search_title_size"),
        ]

    def __str__(self) -> str:
        return f"{self.system.name} {self.code}"

    def natural_key(self) -> tuple[str, str]:
        return (self.system.slug, self.key)

    natural_key.dependencies = ["lookup.codesystem"]

    def get_absolute_url(self) -> str:
        return reverse("lookup:code", args=[self.system.slug, self.code])

    def clean(self) -> None:
        """A parent from the same code set, never the code itself nor one below it."""
        super().clean()
        if self.parent_id is None:
            return
        parent = self.parent
        if parent.system_id != self.system_id:
            raise ValidationError({"parent": "The parent must be a code of the same code set."})
        if self.pk is not None and (
            parent.pk == self.pk or any(a.pk == self.pk for a in Code.objects.ancestors_of(parent))
        ):
            raise ValidationError({"parent": f"{self.code} would be its own ancestor under {parent.code}."})

    @property
    def official_text_visible(self) -> bool:
        """Whether this site may show the official text (licensed text needs the licence)."""
        return bool(self.official_description) and (
            not self.text_licence or self.text_licence in settings.TEXT_LICENCES
        )

    @property
    def heading_title(self) -> str:
        """The words beside the code in its page's heading. A CPT descriptor (long, and the
        AMA's) is shown in full in its own section below, so the heading takes the short one."""
        if self.official_text_visible and (self.text_licence or self.system.slug == "cpt"):
            return self.title
        return self.display_title

    @property
    def public_title(self) -> str:
        """The official text where the site may show it (CMS's short HCPCS titles are
        abbreviations), else its public title, else "": what every list shows every reader.
        A chapter's or section's range, which CDC repeats at the end of its text, is said once."""
        if self.official_text_visible:
            return self.official_description.removesuffix(f" ({self.code})")
        if self.title and not self.text_licence:
            return self.title
        return ""

    @property
    def display_title(self) -> str:
        """The public title, else our own words, shortened (a CPT code without its licence):
        for readers who may read our words (see lookup/list_titles.py)."""
        return self.public_title or Truncator(self.plain_description).words(14)

    @property
    def is_terminated(self) -> bool:
        return self.termination_date is not None


class PlainText(models.Model):
    """The generator's plain-language text of a code (lookup/plain_language), not yet reviewed.

    A code page shows it while the code has no text of its own (Code.plain_description),
    labelled as generated. Reviewing it in the admin copies it onto the code, marked
    reviewed; generate_plain_texts and imports rewrite only these rows.
    """

    code = models.OneToOneField(
        Code, on_delete=models.CASCADE, primary_key=True, related_name="generated_text"
    )
    description = models.TextField(help_text="What the code is, in everyday words")
    notes = models.TextField(blank=True, help_text="Where it sits and how its notes read, in plain words")
    generated_at = models.DateTimeField()

    class Meta:
        verbose_name = "generated plain-language text"

    def __str__(self) -> str:
        return f"Generated text of {self.code_id}"


class GeneratedTextToReview(PlainText):
    """The editors' queue in the admin: generated texts of codes with no reviewed text yet."""

    class Meta:
        proxy = True
        verbose_name = "generated text to review"
        verbose_name_plural = "review queue: generated texts"

    def __str__(self) -> str:
        return f"Generated text of {self.code.system.name} {self.code.code}"


class NoteManager(models.Manager):
    def get_by_natural_key(self, system_slug: str, key: str, position: int) -> Note:
        return self.get(code__system__slug=system_slug, code__key=key, position=position)


class Note(models.Model):
    class Kind(models.TextChoices):
        # In the order a page shows them, as in the tabular list.
        INCLUDES = "includes", "Includes"
        INCLUSION_TERM = "inclusion_term", "Inclusion terms"
        EXCLUDES1 = "excludes1", "Excludes1"
        EXCLUDES2 = "excludes2", "Excludes2"
        CODE_FIRST = "code_first", "Code first"
        USE_ADDITIONAL_CODE = "use_additional_code", "Use additional code"
        CODE_ALSO = "code_also", "Code also"
        SEVEN_CHR_NOTE = "seven_chr_note", "Seventh character note"
        SEVEN_CHR_DEF = "seven_chr_def", "Seventh characters"
        NOTE = "note", "Note"

    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(
        max_length=10, blank=True, help_text="The character a seventh-character definition gives"
    )
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    search_vector = models.GeneratedField(
        expression=note_search_document(), output_field=SearchVectorField(), db_persist=True
    )
    search_size = models.GeneratedField(
        expression=note_size(), output_field=models.IntegerField(), db_persist=True
    )

    objects = NoteManager()

    class Meta:
        ordering = ["code", "position"]
        constraints = [
            models.UniqueConstraint(fields=["code", "position"], name="note_unique_position"),
        ]
        indexes = [
            GinIndex(
                fields=["search_vector"],
                name="note_search_vector",
                condition=models.Q(kind__in=SEARCHABLE_NOTE_KINDS),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def natural_key(self) -> tuple:
        return (*self.code.natural_key(), self.position)

    natural_key.dependencies = ["lookup.code"]


class Release(models.Model):
    """One imported edition of a code set; its changes are the CodeChange rows."""

    system = models.ForeignKey(CodeSystem, on_delete=models.PROTECT, related_name="releases")
    version = models.CharField(max_length=40, help_text="Release label, such as 2026-04")
    date = models.DateField(help_text="When the publisher's release takes effect")
    imported_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict, blank=True, help_text="Counts the import reported")

    class Meta:
        ordering = ["system", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["system", "version"], name="release_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.system.name} {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("lookup:changes", args=[self.system.slug, self.version])

    @property
    def name(self) -> str:
        """The release as coders say it: ICD-10 by fiscal year (October 1 to September 30) with
        its April 1 update, HCPCS by month; labels that fit no pattern are shown as they are."""
        found = re.fullmatch(r"(\d{4})-(\d{2})", self.version)
        if not found:
            return self.version
        year, month = int(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12:
            return self.version
        month_name = datetime.date(year, month, 1).strftime("%B")
        if self.system.slug in ("icd-10-cm", "icd-10-pcs"):
            fiscal_year = year + 1 if month >= 10 else year
            return f"FY{fiscal_year}" if month == 10 else f"FY{fiscal_year}, {month_name} 1 update"
        return f"{month_name} {year}"

    @property
    def is_baseline(self) -> bool:
        """The first release loaded: the starting point, with no changes of its own."""
        return not Release.objects.filter(system_id=self.system_id, date__lt=self.date).exists()

    def change_counts(self) -> list[tuple[str, str, int]]:
        """(kind, label, how many) for each kind of change, in a fixed order."""
        counts = dict(self.changes.values_list("kind").annotate(n=models.Count("id")).order_by())
        return [(value, label, counts.get(value, 0)) for value, label in CodeChange.Kind.choices]


class CodeChange(models.Model):
    """What one release did to one code, with the official text before and after."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        REVISED = "revised", "Revised"
        DELETED = "deleted", "Deleted"

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="changes")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_text = models.TextField(blank=True)
    new_text = models.TextField(blank=True)

    class Meta:
        ordering = ["release", "code__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="change_unique_per_release"),
        ]

    def __str__(self) -> str:
        return f"{self.code.code} {self.kind} in {self.release}"


class HcpcsDetail(models.Model):
    """The CMS indicators an HCPCS Level II record carries besides its text."""

    code = models.OneToOneField(Code, on_delete=models.CASCADE, related_name="hcpcs_detail")
    pricing_indicators = models.CharField(max_length=20, blank=True, help_text="Up to four, comma separated")
    multiple_pricing_indicator = models.CharField(max_length=1, blank=True)
    coverage_code = models.CharField(max_length=1, blank=True)
    betos_code = models.CharField("BETOS code", max_length=3, blank=True)
    type_of_service = models.CharField(max_length=10, blank=True)
    lab_certification = models.CharField(max_length=40, blank=True, help_text="Up to eight, comma separated")
    asc_payment_group = models.CharField("ASC payment group", max_length=2, blank=True)
    added_date = models.DateField(null=True, blank=True)
    action_code = models.CharField(max_length=1, blank=True)

    def __str__(self) -> str:
        return f"HCPCS details of {self.code.code}"


class SearchWord(models.Model):
    """A word of the indexed code text, for correcting typos by trigram similarity.

    Database triggers on lookup_code fill it (migration 0003), so imports need no extra step.
    """

    word = models.CharField(max_length=60, primary_key=True)
    uses = models.PositiveIntegerField(default=0, help_text="How many codes' text has it")

    class Meta:
        # GiST, not GIN: it finds the nearest words by trigram distance in index order.
        indexes = [GistIndex(OpClass("word", name="gist_trgm_ops"), name="searchword_trgm")]

    def __str__(self) -> str:
        return self.word


class SearchRateCounter(models.Model):
    """Searches one client made in one time window; see lookup/ratelimit.py."""

    client = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "window_start"], name="search_rate_unique_window"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.window_start:%H:%M:%S}: {self.hits}"
