"""ICD-10-PCS: what each of a procedure code's seven characters says, derived from the code
set itself, and the code in plain words.

A PCS code is built from a table: its first three characters (section, body system, root
operation) pick the table, the other four a value on each axis. The official titles spell
the values out ("Resection of Appendix, Percutaneous Endoscopic Approach"), so the words
one character contributes are what changes between the title of a code and the titles of
the codes that differ from it in that character only. Section and body system names come
from our glossary (pcs_structure.tsv): the titles do not spell them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lookup.glossary import Glossary, pcs_structure
from lookup.plain_language.facts import Facts, PlainText, sentence
from lookup.plain_language.wording import gloss

# What each character means, by section (the first character), as the PCS tables name them.
_MEDICAL = ("section", "body system", "root operation", "body part", "approach", "device", "qualifier")
AXES: dict[str, tuple[str, ...]] = {
    "0": _MEDICAL,
    "1": _MEDICAL,
    "2": ("section", "body system", "root operation", "body region", "approach", "device", "qualifier"),
    "3": (
        "section",
        "body system",
        "root operation",
        "body system or region",
        "approach",
        "substance",
        "qualifier",
    ),
    "4": (
        "section",
        "body system",
        "root operation",
        "body system",
        "approach",
        "function or device",
        "qualifier",
    ),
    "5": ("section", "body system", "root operation", "body system", "duration", "function", "qualifier"),
    "6": ("section", "body system", "root operation", "body system", "duration", "qualifier", "qualifier"),
    "7": ("section", "body system", "root operation", "body region", "approach", "method", "qualifier"),
    "8": ("section", "body system", "root operation", "body region", "approach", "method", "qualifier"),
    "9": ("section", "body system", "root operation", "body region", "approach", "method", "qualifier"),
    "B": ("section", "body system", "type", "body part", "contrast", "qualifier", "qualifier"),
    "C": ("section", "body system", "type", "body part", "radionuclide", "qualifier", "qualifier"),
    "D": (
        "section",
        "body system",
        "modality",
        "treatment site",
        "modality qualifier",
        "isotope",
        "qualifier",
    ),
    "F": (
        "section",
        "section qualifier",
        "type",
        "body system or region",
        "type qualifier",
        "equipment",
        "qualifier",
    ),
    "G": ("section", "body system", "type", "qualifier", "qualifier", "qualifier", "qualifier"),
    "H": ("section", "body system", "type", "qualifier", "qualifier", "qualifier", "qualifier"),
    "X": (
        "section",
        "body system",
        "root operation",
        "body part",
        "approach",
        "device, substance or technology",
        "qualifier",
    ),
}
# Z is "none" on every axis after the third: no device, no qualifier, no contrast...
_NONE_WORDS = {"device": "No Device", "qualifier": "No Qualifier"}
_APPROACH = re.compile(r"^(?:.+ Approach|Via Natural or Artificial Opening.*|External)$")
_TOKEN = re.compile(r"[^\s,]+|,")
_EDGE_WORDS = {",", "with", "using", "into", "to", "from", "of", "on", "in", "for", "and"}


@dataclass(frozen=True, slots=True)
class Character:
    position: int  # 1 to 7
    value: str
    axis: str  # "body part", "approach"...
    meaning: str  # "Appendix"; "" when the code set does not spell it out

    @property
    def plain(self) -> str:
        return self.meaning or "not spelled out in the title"


def _tokens(title: str) -> list[str]:
    return _TOKEN.findall(title)


def _join(tokens: list[str]) -> str:
    return " ".join(tokens).replace(" ,", ",")


def _difference(mine: list[str], theirs: list[str]) -> list[str]:
    """My words between the words both titles start and end with."""
    start = 0
    while start < min(len(mine), len(theirs)) and mine[start] == theirs[start]:
        start += 1
    end = 0
    while end < min(len(mine), len(theirs)) - start and mine[-1 - end] == theirs[-1 - end]:
        end += 1
    return mine[start : len(mine) - end]


def _trim(tokens: list[str]) -> list[str]:
    while tokens and tokens[0].lower() in _EDGE_WORDS:
        tokens = tokens[1:]
    while tokens and (tokens[-1].lower() in _EDGE_WORDS or tokens[-1] == "Approach"):
        tokens = tokens[:-1]
    return tokens


class PcsTable:
    """The codes of one PCS table (same first three characters) with their titles."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.titles = titles
        self._tokens = {code: _tokens(title) for code, title in titles.items()}
        self._masked: dict[int, dict[str, list[str]]] = {}
        self._meanings: dict[tuple[int, str], str] = {}
        self._root: str | None = None

    def _siblings(self, code: str, index: int) -> list[str]:
        masked = self._masked.get(index)
        if masked is None:
            masked = {}
            for other in self.titles:
                masked.setdefault(other[:index] + "_" + other[index + 1 :], []).append(other)
            self._masked[index] = masked
        return [other for other in masked.get(code[:index] + "_" + code[index + 1 :], []) if other != code]

    def root_operation(self) -> str:
        """What the titles of the table start with: "Resection of Appendix, ..." gives Resection.

        Most titles name it before " of " (the most common wins: "Manual Extraction of" is a
        qualifier's doing); others ("Bypass Stomach to ...") by the words all titles share.
        """
        if self._root is None:
            before_of = Counter(
                title.split(" of ", 1)[0].split(",")[0] for title in self.titles.values() if " of " in title
            )
            if before_of and sum(before_of.values()) * 2 > len(self.titles):
                self._root = before_of.most_common(1)[0][0]
                return self._root
            token_lists = list(self._tokens.values())
            common = token_lists[0]
            for tokens in token_lists[1:]:
                size = 0
                while size < min(len(common), len(tokens)) and common[size] == tokens[size]:
                    size += 1
                common = common[:size]
            if "," in common:
                common = common[: common.index(",")]
            if "of" in common:
                common = common[: common.index("of")]
            self._root = _join(_trim(common))
        return self._root

    def meaning(self, code: str, index: int) -> str:
        """What the character at `index` (0-based, 3 to 6) adds to the code's title."""
        key = (index, code[index])
        if key in self._meanings:
            return self._meanings[key]
        mine = self._tokens[code]
        spans = [_trim(_difference(mine, self._tokens[other])) for other in self._siblings(code, index)]
        longest = max(spans, key=len, default=[])
        meaning = _join(longest)
        if meaning or spans:
            # Seen against at least one neighbour: the same character means the same in the table.
            self._meanings[key] = meaning
        return meaning

    def _spelled_out(self, code: str, axis: str) -> str:
        """A body part, approach or device read from the title's own wording: "Replacement
        of Right Knee Joint with Synthetic Substitute, Cemented, Open Approach"."""
        title = self.titles[code]
        parts = [part.strip() for part in title.split(",")]
        if axis == "approach":
            found = next((part for part in reversed(parts) if _APPROACH.match(part)), "")
            return found.removesuffix(" Approach")
        if axis == "device":
            found = re.search(r" with ([^,]+)", title)
            return found.group(1) if found else ""
        if axis == "body part":
            root = self.root_operation()
            if root and title.startswith(root):
                rest = title[len(root) :].removeprefix(" of ").strip()
                return re.split(r",| with | to | from | into | using | onto ", rest, maxsplit=1)[0].strip()
        return ""

    def _best(self, code: str, index: int, axis: str) -> str:
        """The words that differ between neighbouring codes, or the title's own wording where
        one holds the other and says more: "Right Knee" against "Right Hip" is "Right Knee
        Joint"; "Coronary Artery" is "Coronary Artery, One Artery" against its neighbours."""
        differing = self.meaning(code, index)
        spelled = self._spelled_out(code, axis)
        if axis == "approach" and spelled:
            return spelled
        if not differing or not spelled:
            return differing or spelled
        if spelled in differing or differing in spelled:
            return max(spelled, differing, key=len)
        joined = f"{spelled}, {differing}"
        if joined in self.titles[code]:
            return joined  # "Coronary Artery" then ", One Artery": both belong to the body part
        return differing

    def characters(self, code: str) -> list[Character]:
        axes = AXES.get(code[0], ("character",) * 7)
        structure = pcs_structure()
        characters = []
        for index, value in enumerate(code):
            axis = axes[index]
            if index == 0:
                meaning = structure[code[0]].name if code[0] in structure else ""
            elif index == 1:
                meaning = structure[code[:2]].name if code[:2] in structure else ""
            elif index == 2:
                meaning = self.root_operation()
            elif value == "Z":
                meaning = _NONE_WORDS.get(axis, "None")
            else:
                meaning = self._best(code, index, axis)
            characters.append(Character(index + 1, value, axis, meaning))
        return characters


def describe(facts: Facts, glossary: Glossary, table: PcsTable) -> PlainText:
    used: set[str] = set()
    characters = table.characters(facts.key) if len(facts.key) == 7 else []
    described = [sentence(gloss(facts.text, glossary, used))]
    by_axis = {character.axis: character for character in characters}

    root = by_axis.get("root operation")
    if root and root.meaning:
        entry = glossary.get(root.meaning, "pcs")
        if entry:
            described.append(sentence(f"{root.meaning} means {entry.gloss}"))
    approach = by_axis.get("approach")
    if approach and approach.meaning:
        entry = glossary.get(approach.meaning, "pcs")
        if entry:
            described.append(sentence(f"{approach.meaning.capitalize()} approach: {entry.gloss}"))
    device = by_axis.get("device")
    if device and device.meaning and device.value != "Z":
        entry = glossary.get(device.meaning, "pcs")
        if entry:
            described.append(sentence(f"Device left in the body: {device.meaning} ({entry.gloss})"))
    qualifier = by_axis.get("qualifier")
    if qualifier and qualifier.meaning.lower() == "diagnostic":
        entry = glossary.get("diagnostic", "pcs")
        if entry:
            described.append(sentence(f"Diagnostic: done {entry.gloss}"))

    context = []
    if characters:
        parts = [
            f"{character.value} = {character.meaning} ({character.axis})"
            if character.meaning
            else f"{character.value} ({character.axis})"
            for character in characters
        ]
        context.append(sentence("Its seven characters: " + "; ".join(parts)))
    section = pcs_structure().get(facts.key[:1])
    body_system = pcs_structure().get(facts.key[:2])
    if section:
        where = f"It belongs to the {section.name} section ({section.plain})"
        if body_system:
            plain = "" if body_system.plain.lower() == body_system.name.lower() else f" ({body_system.plain})"
            where += f", body system {body_system.name}{plain}"
        context.append(sentence(where))
    return PlainText(description=" ".join(described), notes=" ".join(context))
