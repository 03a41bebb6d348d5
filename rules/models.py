"""Coding rules from CMS files: NCCI procedure-to-procedure edits, medically unlikely edits
(MUEs) and the General Equivalence Mappings (GEMs).

Each loaded file is an `EditRelease`; the current edits are rows of `PtpEdit`, `Mue` and
`GemMapping`, and what a later release added, deleted or revised is kept in `EditChange`.
Codes are stored as CMS writes them (five characters, no dots), not as foreign keys: the
files name codes we may not hold (CPT without a licence file), and the pair lookup must not
join. No AMA text is ever stored: only code numbers, dates and indicators.
"""

from __future__ import annotations

from django.db import models


class EditRelease(models.Model):
    """One imported CMS file (a quarter's PTP or MUE table, or a GEM file)."""

    class Kind(models.TextChoices):
        PTP_PRACTITIONER = "ptp-practitioner", "NCCI PTP edits, practitioner services"
        PTP_OUTPATIENT = "ptp-outpatient", "NCCI PTP edits, hospital outpatient services"
        MUE_PRACTITIONER = "mue-practitioner", "MUEs, practitioner services"
        MUE_OUTPATIENT = "mue-outpatient", "MUEs, outpatient hospital services"
        MUE_DME = "mue-dme", "MUEs, DME supplier services"
        GEM_I9_I10CM = "gem-i9-i10cm", "GEMs, ICD-9-CM to ICD-10-CM"
        GEM_I10CM_I9 = "gem-i10cm-i9", "GEMs, ICD-10-CM to ICD-9-CM"
        GEM_I9_I10PCS = "gem-i9-i10pcs", "GEMs, ICD-9-CM procedures to ICD-10-PCS"
        GEM_I10PCS_I9 = "gem-i10pcs-i9", "GEMs, ICD-10-PCS to ICD-9-CM procedures"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.CharField(max_length=40, help_text="Release label, such as 32.0 or 2026-01")
    date = models.DateField(help_text="When the release takes effect")
    source_name = models.CharField(max_length=200, help_text="File it was imported from")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the data rows, to spot another file")
    imported_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["kind", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="edit_release_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"


class Rationale(models.Model):
    """A CMS rationale text ("Mutually exclusive procedures"): a few dozen, shared by millions of rows."""

    text = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.text


class PtpEdit(models.Model):
    """One procedure-to-procedure edit: column 2 is not paid with column 1 on the same day."""

    class Setting(models.TextChoices):
        PRACTITIONER = "P", "Practitioner"
        OUTPATIENT = "O", "Hospital outpatient"

    class ModifierIndicator(models.TextChoices):
        NOT_ALLOWED = "0", "No modifier breaks this edit"
        ALLOWED = "1", "A modifier may break this edit when the services were distinct"
        NOT_APPLICABLE = "9", "Not applicable (the edit was deleted)"

    setting = models.CharField(max_length=1, choices=Setting.choices)
    # Byte order ("C"): codes need no language rules, and sorting 2.4 million of them for an
    # index, or joining two quarters, is several times faster without.
    column1 = models.CharField(max_length=5, db_collation="C")
    column2 = models.CharField(max_length=5, db_collation="C")
    before_1996 = models.BooleanField(default=False, help_text="'*': the edit existed before 1996")
    effective_date = models.DateField()
    deletion_date = models.DateField(null=True, blank=True)
    modifier_indicator = models.CharField(max_length=1, choices=ModifierIndicator.choices)
    # No index or database constraint: millions of rows share a few dozen texts, and checking
    # each row on import cost more than the import itself. The importer gives every id.
    rationale = models.ForeignKey(
        Rationale, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )

    # The edit's key is its primary key: a surrogate id would be one more index on 2.4 million rows.
    pk = models.CompositePrimaryKey("column1", "column2", "setting", "effective_date")

    class Meta:
        # The primary key's index serves "this pair" and "column 1 = X"; this one "column 2 = X".
        indexes = [models.Index(fields=["column2", "column1"], name="ptp_edit_column2")]

    def __str__(self) -> str:
        return f"{self.column1}/{self.column2} ({self.setting})"


class Mue(models.Model):
    """A medically unlikely edit: the most units of a code one patient gets on one day."""

    class Setting(models.TextChoices):
        PRACTITIONER = "P", "Practitioner services"
        OUTPATIENT = "O", "Outpatient hospital services"
        DME = "D", "DME supplier services"

    class Adjudication(models.TextChoices):
        LINE = "1", "Line edit: each claim line is checked on its own"
        POLICY = "2", "Date-of-service edit (policy): all lines of the day count together; an absolute limit"
        CLINICAL = "3", "Date-of-service edit (clinical): all lines of the day count together; appealable"

    setting = models.CharField(max_length=1, choices=Setting.choices)
    code = models.CharField(max_length=5)
    units = models.PositiveIntegerField()
    adjudication = models.CharField(max_length=1, choices=Adjudication.choices)
    rationale = models.ForeignKey(Rationale, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "setting"], name="mue_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.units} ({self.setting})"


class GemMapping(models.Model):
    """One line of a 2018 GEM file: a source code, a target code and the five flags."""

    direction = models.CharField(max_length=20, choices=EditRelease.Kind.choices)
    source = models.CharField(max_length=8, help_text="As the file writes it: no dots")
    target = models.CharField(max_length=8, help_text="As the file writes it; NoDx or NoPCS for no map")
    approximate = models.BooleanField()
    no_map = models.BooleanField()
    combination = models.BooleanField()
    scenario = models.PositiveSmallIntegerField()
    choice_list = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["source", "direction"], name="gem_source"),
            models.Index(fields=["target", "direction"], name="gem_target"),
        ]

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


class EditChange(models.Model):
    """What a later release did to one edit (the first release of a kind is the baseline)."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        DELETED = "deleted", "Deleted"
        REVISED = "revised", "Revised"

    release = models.ForeignKey(EditRelease, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=8, help_text="Column 1, or the MUE's code")
    other = models.CharField(max_length=8, blank=True, help_text="Column 2 of a PTP edit")
    before = models.CharField(max_length=100, blank=True)
    after = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["code"], name="edit_change_code"),
            models.Index(fields=["other"], name="edit_change_other"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.other} {self.kind} in {self.release}"
