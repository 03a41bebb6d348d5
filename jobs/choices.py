"""The fixed vocabularies of the job board: credentials, settings, pay periods, states."""

from __future__ import annotations

from django.db import models


class Credential(models.TextChoices):
    CPC = "CPC", "CPC"
    CPC_A = "CPC-A", "CPC-A"
    COC = "COC", "COC"
    CIC = "CIC", "CIC"
    CRC = "CRC", "CRC"
    CPMA = "CPMA", "CPMA"
    CDEO = "CDEO", "CDEO"
    CCS = "CCS", "CCS"
    CCS_P = "CCS-P", "CCS-P"
    CCA = "CCA", "CCA"
    RHIT = "RHIT", "RHIT"
    RHIA = "RHIA", "RHIA"
    CDIP = "CDIP", "CDIP"
    APPRENTICE = "apprentice", "Apprentice welcome"


class WorkSetting(models.TextChoices):
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"
    ON_SITE = "on-site", "On-site"


class EmploymentType(models.TextChoices):
    # Values are schema.org's employmentType words, lower-cased for addresses.
    FULL_TIME = "full-time", "Full-time"
    PART_TIME = "part-time", "Part-time"
    CONTRACT = "contract", "Contract"
    PER_DIEM = "per-diem", "Per diem"


SCHEMA_EMPLOYMENT_TYPE = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.PER_DIEM: "PER_DIEM",
}


class Experience(models.TextChoices):
    ENTRY = "entry", "Entry level (0–1 years)"
    MID = "mid", "Experienced (2–4 years)"
    SENIOR = "senior", "Senior (5+ years)"


class Specialty(models.TextChoices):
    PROFESSIONAL = "professional", "Professional fee"
    INPATIENT = "inpatient", "Inpatient facility"
    OUTPATIENT = "outpatient", "Outpatient facility"
    EM = "em", "E/M"
    EMERGENCY = "emergency", "Emergency department"
    SURGERY = "surgery", "Surgery"
    RADIOLOGY = "radiology", "Radiology"
    ONCOLOGY = "oncology", "Oncology"
    CARDIOLOGY = "cardiology", "Cardiology"
    RISK_ADJUSTMENT = "risk-adjustment", "Risk adjustment"
    AUDITING = "auditing", "Auditing"
    CDI = "cdi", "Clinical documentation"
    BILLING = "billing", "Billing and revenue cycle"
    OTHER = "other", "Other"


class PayPeriod(models.TextChoices):
    HOUR = "hour", "per hour"
    YEAR = "year", "per year"


# A full-time year of hours: hourly pay is sorted and filtered as if annual.
HOURS_PER_YEAR = 2080

SCHEMA_PAY_UNIT = {PayPeriod.HOUR: "HOUR", PayPeriod.YEAR: "YEAR"}


US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("PR", "Puerto Rico"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"),
    ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip
