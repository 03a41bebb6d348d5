"""What CasePilot's tools return and its answers are made of: facts, each with its source."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Source:
    """The page a fact comes from, and which release of our data it was read from."""

    url: str
    label: str
    release: str = ""


@dataclass
class Fact:
    text: str
    source: Source
    # Short lines under the fact (notes, candidates), each shown as its own item.
    details: list[str] = field(default_factory=list)


@dataclass
class Link:
    url: str
    label: str


@dataclass
class ToolResult:
    """What one tool found: facts with sources, and the codes it was about (for follow-ups)."""

    tool: str
    facts: list[Fact] = field(default_factory=list)
    focus: str = ""  # "system:key" of the code the result is about
    found: bool = True
    not_loaded: bool = False  # the rule file this tool reads is not loaded: it states no rule
    verdict: str = ""  # a pair check's verdict ("bundled", "modifier may apply", "no edit")

    def for_model(self) -> dict:
        """The facts as the language model sees them: our words and our sources only."""
        return {
            "tool": self.tool,
            "found": self.found,
            "not_loaded": self.not_loaded,
            "facts": [
                {
                    "text": fact.text,
                    "details": fact.details,
                    "source": fact.source.url,
                    "release": fact.source.release,
                }
                for fact in self.facts
            ],
        }


@dataclass
class Answer:
    question: str
    kind: str
    headline: str
    facts: list[Fact] = field(default_factory=list)
    summary: str = ""  # a language model's summary, checked like everything else
    flags: list[str] = field(default_factory=list)
    suggestions: list[Link] = field(default_factory=list)
    ask_expert: bool = False
    focus: str = ""
    tools_used: list[str] = field(default_factory=list)
    used_model: bool = False
    refused: bool = False

    def add(self, result: ToolResult) -> None:
        # Two tools may cite the same sentence of the same page (a modifier's guide): once is enough.
        seen = {(fact.text, fact.source.url) for fact in self.facts}
        self.facts.extend(fact for fact in result.facts if (fact.text, fact.source.url) not in seen)
        if result.tool not in self.tools_used:
            self.tools_used.append(result.tool)
        if result.focus and not self.focus:
            self.focus = result.focus

    @property
    def citations(self) -> list[Source]:
        """Every page the answer used, once each, in the order first used."""
        seen: dict[tuple[str, str], Source] = {}
        for fact in self.facts:
            seen.setdefault((fact.source.url, fact.source.label), fact.source)
        return list(seen.values())

    def citation_number(self, source: Source) -> int:
        return self.citations.index(source) + 1

    @property
    def numbered_facts(self) -> list[tuple[Fact, int]]:
        numbers = {(s.url, s.label): n for n, s in enumerate(self.citations, start=1)}
        return [(fact, numbers[(fact.source.url, fact.source.label)]) for fact in self.facts]

    def all_text(self) -> str:
        """Everything a reader sees, for the checker's tests and the admin."""
        parts = [self.headline, self.summary, *self.flags]
        for fact in self.facts:
            parts.append(fact.text)
            parts.extend(fact.details)
        parts.extend(link.label for link in self.suggestions)
        return "\n".join(part for part in parts if part)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Answer:
        data = dict(data)
        data["facts"] = [
            Fact(text=f["text"], source=Source(**f["source"]), details=list(f.get("details", [])))
            for f in data.get("facts", [])
        ]
        data["suggestions"] = [Link(**link) for link in data.get("suggestions", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})
