"""Named ranges for browsing the flat code sets: HCPCS Level II sections as CMS heads them,
CPT ranges under names of our own (the AMA's descriptors are licensed; these names are
ours), and ICD-10-PCS sections."""

from __future__ import annotations

from dataclasses import dataclass

from lookup.glossary import pcs_structure
from lookup.hcpcs_sections import HCPCS_SECTIONS


@dataclass(frozen=True, slots=True)
class NamedRange:
    first: str
    last: str
    name: str
    parent: str = ""  # the larger range's name, for "Radiation Oncology › Clinical Treatment Planning"

    def __contains__(self, key: str) -> bool:
        return self.first <= key[: len(self.first)] <= self.last

    @property
    def title(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent else self.name


# Our own names for CPT's ranges (Category I by number; Category II, III and PLA by suffix).
CPT_RANGES: tuple[NamedRange, ...] = (
    NamedRange("00100", "01999", "Anesthesia"),
    NamedRange("10004", "19499", "Skin, breast and soft tissue", "Surgery"),
    NamedRange("20005", "29999", "Bones, joints and muscles", "Surgery"),
    NamedRange("30000", "32999", "Nose, airways and lungs", "Surgery"),
    NamedRange("33016", "37799", "Heart and blood vessels", "Surgery"),
    NamedRange("38100", "38999", "Blood-forming and lymph organs", "Surgery"),
    NamedRange("39000", "39599", "Chest centre and diaphragm", "Surgery"),
    NamedRange("40490", "49999", "Digestive system", "Surgery"),
    NamedRange("50010", "53899", "Urinary system", "Surgery"),
    NamedRange("54000", "55899", "Male genital system", "Surgery"),
    NamedRange("56405", "59899", "Female genital system, pregnancy and delivery", "Surgery"),
    NamedRange("60000", "60699", "Hormone glands", "Surgery"),
    NamedRange("61000", "64999", "Nervous system", "Surgery"),
    NamedRange("65091", "68899", "Eye", "Surgery"),
    NamedRange("69000", "69979", "Ear", "Surgery"),
    NamedRange("70010", "76499", "Diagnostic imaging", "Radiology"),
    NamedRange("76506", "76999", "Ultrasound", "Radiology"),
    NamedRange("77001", "77092", "Imaging guidance and bone density", "Radiology"),
    NamedRange("77261", "77299", "Clinical Treatment Planning", "Radiation Oncology"),
    NamedRange("77300", "77370", "Physics, Dosimetry and Treatment Devices", "Radiation Oncology"),
    NamedRange("77371", "77399", "Stereotactic Radiation", "Radiation Oncology"),
    NamedRange("77401", "77499", "Treatment Delivery and Management", "Radiation Oncology"),
    NamedRange("77520", "77525", "Proton Beam Treatment", "Radiation Oncology"),
    NamedRange("77600", "77620", "Hyperthermia", "Radiation Oncology"),
    NamedRange("77750", "77799", "Brachytherapy", "Radiation Oncology"),
    NamedRange("78012", "79999", "Nuclear medicine", "Radiology"),
    NamedRange("80047", "89398", "Pathology and laboratory"),
    NamedRange("90281", "99199", "Medicine"),
    NamedRange("99202", "99499", "Evaluation and management (visits)"),
    NamedRange("99500", "99607", "Home services and medication management", "Medicine"),
    NamedRange("0001F", "9007F", "Category II: performance measures"),
    NamedRange("0042T", "0999T", "Category III: emerging technology"),
    NamedRange("0001U", "0999U", "Proprietary laboratory analyses"),
)

HCPCS_RANGES: tuple[NamedRange, ...] = tuple(
    NamedRange(section.first, section.last, section.name) for section in HCPCS_SECTIONS
)


def pcs_ranges() -> tuple[NamedRange, ...]:
    """ICD-10-PCS by section (the first character)."""
    return tuple(
        NamedRange(prefix, prefix, names.name)
        for prefix, names in pcs_structure().items()
        if len(prefix) == 1
    )


def named_ranges(system_slug: str) -> tuple[NamedRange, ...]:
    if system_slug == "cpt":
        return CPT_RANGES
    if system_slug == "hcpcs":
        return HCPCS_RANGES
    if system_slug == "icd-10-pcs":
        return pcs_ranges()
    return ()


def named_range(system_slug: str, key: str) -> NamedRange | None:
    """The named range a code falls in (the narrowest when ranges nest)."""
    found = [found for found in named_ranges(system_slug) if key in found]
    return min(found, key=lambda item: (item.last, item.first)) if found else None
