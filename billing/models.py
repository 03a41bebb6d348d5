"""The Medicare Physician Fee Schedule: one release per year, its rows and its payment localities."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from billing import indicators
from lookup.models import Code

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Dollars rounded half up to the cent, as the fee-schedule amounts are published."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def rvu_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=6, decimal_places=2, **kwargs)


class FeeSchedule(models.Model):
    """One calendar year's release of the relative value file (one year, one release)."""

    year = models.PositiveSmallIntegerField(unique=True)
    release = models.CharField(max_length=20, help_text="Release name, such as RVU25A (January)")
    released_on = models.DateField(null=True, blank=True, help_text="The RELEASED date in the file")
    conversion_factor = models.DecimalField(max_digits=8, decimal_places=4)
    source_name = models.CharField(max_length=200, help_text="File the rows were imported from")

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"CY{self.year} Physician Fee Schedule ({self.release})"


class FeeScheduleItem(models.Model):
    """One row of PPRRVU: a code with one modifier (blank, 26, TC or 53) in one year."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="items")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="fee_schedule_items")
    hcpcs = models.CharField(max_length=5, help_text="The code as the file spells it")
    modifier = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=1, blank=True)
    not_used_for_medicare = models.BooleanField(default=False, help_text="'+' in the file")
    work_rvu = rvu_field()
    pe_rvu_nonfacility = rvu_field()
    nonfacility_na = models.BooleanField(default=False)
    pe_rvu_facility = rvu_field()
    facility_na = models.BooleanField(default=False)
    mp_rvu = rvu_field()
    total_nonfacility = rvu_field()
    total_facility = rvu_field()
    pctc = models.CharField("PC/TC indicator", max_length=1, blank=True)
    global_days = models.CharField(max_length=3, blank=True)
    preop_share = models.DecimalField(max_digits=3, decimal_places=2)
    intraop_share = models.DecimalField(max_digits=3, decimal_places=2)
    postop_share = models.DecimalField(max_digits=3, decimal_places=2)
    multiple_procedure = models.CharField(max_length=1, blank=True)
    bilateral_surgery = models.CharField(max_length=1, blank=True)
    assistant_surgery = models.CharField(max_length=1, blank=True)
    co_surgery = models.CharField(max_length=1, blank=True)
    team_surgery = models.CharField(max_length=1, blank=True)
    endoscopic_base = models.CharField(max_length=5, blank=True)
    conversion_factor = models.DecimalField(max_digits=8, decimal_places=4)
    supervision = models.CharField("physician supervision of diagnostic procedures", max_length=2, blank=True)
    imaging_family = models.CharField("diagnostic imaging family", max_length=2, blank=True)
    opps_pe_nonfacility = rvu_field()
    opps_pe_facility = rvu_field()
    opps_mp = rvu_field()

    class Meta:
        ordering = ["schedule", "hcpcs", "modifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "hcpcs", "modifier"], name="fee_schedule_item_unique_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hcpcs}{'-' + self.modifier if self.modifier else ''} ({self.schedule_id})"

    @property
    def is_paid(self) -> bool:
        """Whether CMS uses these RVUs for payment (status A, R or T with RVUs)."""
        return self.status in indicators.PAID_STATUSES and (self.total_nonfacility or self.total_facility) > 0

    @property
    def modifier_label(self) -> str:
        return {
            "": "Global (no modifier)",
            "26": "Professional component (26)",
            "TC": "Technical component (TC)",
            "53": "Discontinued procedure (53)",
        }.get(self.modifier, self.modifier)

    @property
    def national_nonfacility(self) -> Decimal:
        return to_cents(self.total_nonfacility * self.conversion_factor)

    @property
    def national_facility(self) -> Decimal:
        return to_cents(self.total_facility * self.conversion_factor)

    def adjusted_rvus(self, locality: Locality, *, facility: bool) -> Decimal:
        """Geographically adjusted RVUs: each component times its locality's GPCI."""
        pe_rvu = self.pe_rvu_facility if facility else self.pe_rvu_nonfacility
        return self.work_rvu * locality.work_gpci + pe_rvu * locality.pe_gpci + self.mp_rvu * locality.mp_gpci

    def local_payment(self, locality: Locality, *, facility: bool) -> Decimal:
        """[(work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU x MP GPCI)] x CF, to the cent."""
        return to_cents(self.adjusted_rvus(locality, facility=facility) * self.conversion_factor)


class Locality(models.Model):
    """A Medicare payment locality of one year, with its geographic practice cost indices."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="localities")
    mac = models.CharField("Medicare administrative contractor", max_length=5)
    number = models.CharField("locality number", max_length=2)
    state = models.CharField(max_length=2)
    name = models.CharField(max_length=200)
    counties = models.TextField(blank=True)
    work_gpci = models.DecimalField(max_digits=5, decimal_places=3)
    pe_gpci = models.DecimalField(max_digits=5, decimal_places=3)
    mp_gpci = models.DecimalField(max_digits=5, decimal_places=3)
    footnote = models.CharField(max_length=200, blank=True, help_text="A floor the GPCI reflects")

    class Meta:
        ordering = ["schedule", "state", "name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["schedule", "mac", "number"], name="locality_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.display_name}"

    @property
    def slug(self) -> str:
        """The URL value that picks this locality: MAC and locality number, such as 01182-18."""
        return f"{self.mac}-{self.number}"

    @property
    def display_name(self) -> str:
        """CMS writes names in capitals: "DC + MD/VA SUBURBS" reads as "DC + MD/VA Suburbs"."""
        return _NAME_WORD.sub(lambda m: _KEEP_WORDS.get(m.group(), m.group().capitalize()), self.name)


_NAME_WORD = re.compile(r"[A-Z]+")
_KEEP_WORDS = {
    "DC": "DC",
    "MD": "MD",
    "VA": "VA",
    "NJ": "NJ",
    "NYC": "NYC",
    "N": "N",
    "OF": "of",
    "CNTY": "County",
}
