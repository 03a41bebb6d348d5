"""ICD-10-CM's chapter numbers. The tabular list numbers its 22 chapters; our Code rows keep
a chapter's range (E00-E89) as its code, so the number comes from where the range starts
(a range's end moves between years: Q00-Q99 became Q00-QA0)."""

from __future__ import annotations

CHAPTER_STARTS = (
    "A00", "C00", "D50", "E00", "F01", "G00", "H00", "H60", "I00", "J00", "K00",
    "L00", "M00", "N00", "O00", "P00", "Q00", "R00", "S00", "V00", "Z00", "U00",
)  # fmt: skip


def chapter_number(chapter_code: str) -> int | None:
    """The number of the chapter whose range is `chapter_code` ("E00-E89" gives 4)."""
    start = chapter_code[:3].upper()
    return CHAPTER_STARTS.index(start) + 1 if start in CHAPTER_STARTS else None
