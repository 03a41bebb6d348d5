"""The sections of HCPCS Level II, named as CMS's code book heads them, by code range."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HcpcsSection:
    first: str
    last: str
    name: str

    def __contains__(self, key: str) -> bool:
        return self.first <= key[:5] <= self.last

    @property
    def span(self) -> str:
        return f"{self.first}-{self.last}"


HCPCS_SECTIONS: tuple[HcpcsSection, ...] = (
    HcpcsSection("A0000", "A0999", "Transportation services, including ambulance"),
    HcpcsSection("A2000", "A8999", "Medical and surgical supplies"),
    HcpcsSection("A9000", "A9999", "Administrative, miscellaneous and investigational"),
    HcpcsSection("B0000", "B9999", "Enteral and parenteral therapy"),
    HcpcsSection("C0000", "C9999", "Outpatient prospective payment system (hospital outpatient)"),
    HcpcsSection("D0000", "D9999", "Dental procedures"),
    HcpcsSection("E0000", "E9999", "Durable medical equipment"),
    HcpcsSection("G0000", "G9999", "Procedures and professional services (temporary)"),
    HcpcsSection("H0000", "H9999", "Alcohol and drug abuse treatment services"),
    HcpcsSection("J0000", "J8499", "Drugs administered other than oral method"),
    HcpcsSection("J8500", "J8999", "Drugs administered by mouth, including oral chemotherapy"),
    HcpcsSection("J9000", "J9999", "Chemotherapy drugs"),
    HcpcsSection("K0000", "K9999", "Temporary codes for durable medical equipment MACs"),
    HcpcsSection("L0000", "L4999", "Orthotic procedures and devices"),
    HcpcsSection("L5000", "L9999", "Prosthetic procedures"),
    HcpcsSection("M0000", "M9999", "Other medical services"),
    HcpcsSection("P0000", "P9999", "Pathology and laboratory services"),
    HcpcsSection("Q0000", "Q9999", "Temporary codes"),
    HcpcsSection("R0000", "R9999", "Diagnostic radiology services"),
    HcpcsSection("S0000", "S9999", "Temporary national codes (non-Medicare, for private payers)"),
    HcpcsSection("T0000", "T9999", "National codes for state Medicaid agencies"),
    HcpcsSection("U0000", "U9999", "Coronavirus (COVID-19) laboratory tests"),
    HcpcsSection("V0000", "V4999", "Vision services"),
    HcpcsSection("V5000", "V9999", "Hearing services"),
)


def hcpcs_section(key: str) -> HcpcsSection | None:
    """The section an HCPCS Level II code belongs to (None for a modifier or a stray key)."""
    if len(key) < 5:
        return None
    return next((section for section in HCPCS_SECTIONS if key in section), None)
