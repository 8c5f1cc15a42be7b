"""The DTI framework edition as data: a pydantic model of the YAML in ``config/frameworks/``.

One validated ``Framework`` object flows through the rest of the package (load → score → compare).
Structural checks that pydantic cannot express field by field (sums, unique codes, references) live in
``dti.framework.validation`` so that every problem is reported at once, each as a path plus the fix.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, model_validator

from dti.text import clean_text


class Strict(BaseModel):
    """Base for every YAML node: unknown keys are typos, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data):
        # Titles and texts come from uploaded catalogues too: control characters never enter an edition.
        # (Nested nodes are Strict too and clean their own fields.)
        if not isinstance(data, dict):
            return data
        return {k: clean_text(v) if isinstance(v, str)
                else [clean_text(x) if isinstance(x, str) else x for x in v] if isinstance(v, list) else v
                for k, v in data.items()}


class ProvenanceStatus(StrEnum):
    """How far a title, point value or rule can be trusted.

    official: from the legal text or a source that reproduces it;
    from_file: read from a file the user loaded (an appendix, a tracker) that nobody stated is the legal text;
    derived: inferred from a related official document, not verified;
    provisional: a placeholder of this project, to be replaced by the official catalogue.
    """

    official = "official"
    from_file = "from_file"
    derived = "derived"
    provisional = "provisional"


_TRUST_ORDER = {ProvenanceStatus.official: 3, ProvenanceStatus.from_file: 2, ProvenanceStatus.derived: 1,
                ProvenanceStatus.provisional: 0}


class Provenance(Strict):
    title: ProvenanceStatus = ProvenanceStatus.provisional
    points: ProvenanceStatus = ProvenanceStatus.provisional
    rule: ProvenanceStatus = ProvenanceStatus.provisional
    source: str = Field(default="", description="Where the title, points and rule come from.")

    @property
    def status(self) -> ProvenanceStatus:
        """The weakest of title, points and rule: one provisional part makes the item provisional."""
        return min((self.title, self.points, self.rule), key=_TRUST_ORDER.__getitem__)

    @property
    def is_official(self) -> bool:
        return self.status is ProvenanceStatus.official


# --- Scoring rules: small declarative specs, one per idiom of the official tables -----------------


class Level(Strict):
    key: str = Field(min_length=1, description="Stable key stored in assessments, e.g. 'full'.")
    label_vi: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    share: float = Field(ge=0, le=1, description="Share of the component's maximum, 0..1.")


class LevelsRule(Strict):
    """A choice among labelled levels, each worth a share of the maximum."""

    type: Literal["levels"]
    levels: list[Level] = Field(min_length=2)


class RatioRule(Strict):
    """points = a / b × maximum, capped at the maximum; b = 0 follows an explicit choice."""

    type: Literal["ratio"]
    a_label_vi: str = "Số đạt được (a)"
    a_label_en: str = "Achieved (a)"
    b_label_vi: str = "Số phải đạt (b)"
    b_label_en: str = "Required (b)"
    on_zero_denominator: Literal["zero", "full"] = Field(
        description="What b = 0 earns: 'zero' (0 points) or 'full' (nothing was required, full points)."
    )


class Step(Strict):
    min: NonNegativeFloat = Field(description="Smallest count that reaches this step.")
    share: float = Field(ge=0, le=1)


class SteppedRule(Strict):
    """A count mapped to steps, e.g. meetings in the year: 4 → 100 %, 3 → 75 %, …, otherwise 0."""

    type: Literal["stepped"]
    unit_vi: str = "lần"
    unit_en: str = "times"
    steps: list[Step] = Field(min_length=1)


class Part(Strict):
    key: str = Field(min_length=1)
    label_vi: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    share: float = Field(gt=0, le=1)


class PartsRule(Strict):
    """Parts that add up: each part met (fully or by a fraction) earns its share of the maximum."""

    type: Literal["parts"]
    parts: list[Part] = Field(min_length=2)


class YesNoRule(Strict):
    type: Literal["yes_no"]


class DirectRule(Strict):
    """The points are entered directly (0..maximum)."""

    type: Literal["direct"]


class NotScoredRule(Strict):
    """Collected for information, worth 0 points (e.g. main index 6, Đô thị thông minh)."""

    type: Literal["not_scored"]


Rule = Annotated[
    Union[LevelsRule, RatioRule, SteppedRule, PartsRule, YesNoRule, DirectRule, NotScoredRule],
    Field(discriminator="type"),
]
RULE_TYPES = ("levels", "ratio", "stepped", "parts", "yes_no", "direct", "not_scored")


# --- Structure ------------------------------------------------------------------------------------


class Component(Strict):
    code: str = Field(pattern=r"^\d+(?:\.\d+)+$", description="'main.component', e.g. '2.4', or deeper ('2.4.1') "
                      "when the catalogue has more levels: the deepest level is scored.")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    max_points: NonNegativeFloat
    rule: Rule
    evidence_vi: str = ""
    evidence_en: str = ""
    data_source_vi: str = ""
    data_source_en: str = ""
    verifier_vi: str = Field(default="", description="Unit that verifies the figure.")
    verifier_en: str = ""
    scoring_vi: str = Field(default="", description="The official scoring method as written in the catalogue "
                            "(cách xác định và tính điểm), shown to users beside the rule that applies it.")
    scoring_en: str = ""
    scoring_review_vi: str = Field(default="", description="Why the scoring method was not read into a rule with "
                                   "confidence; the coordinator reviews the rule. Empty when it was read.")
    scoring_review_en: str = ""
    measured_by: Literal["province", "ministry"] = "province"
    provenance: Provenance = Provenance()

    @property
    def main_code(self) -> str:
        return self.code.split(".", 1)[0]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


class MainIndex(Strict):
    code: str = Field(pattern=r"^\d+$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    group: str
    max_points: NonNegativeFloat | None = Field(
        default=None, description="Required in a complete edition; may be left out while the points are unknown."
    )
    scored: bool = True
    published_measure: str = Field(
        default="", description="Measure name of this main index in the published results, e.g. 'the_che_so'."
    )
    expected_components: int | None = Field(
        default=None, ge=0, description="Official number of components, when known (checked against the list)."
    )
    provenance: Provenance = Provenance(
        title=ProvenanceStatus.official, points=ProvenanceStatus.official, rule=ProvenanceStatus.official
    )
    components: list[Component] = Field(default_factory=list)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


class Pillar(Strict):
    code: str = Field(min_length=1)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    main_indices: list[str] = Field(min_length=1)
    max_points: NonNegativeFloat | None = Field(
        default=None, description="Required in a complete edition; may be left out while the points are unknown."
    )
    published_measure: str = ""

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


class Group(Strict):
    code: str = Field(min_length=1)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)


class GeneralInfoField(Strict):
    """An unscored field of *Thông tin chung* (population, number of agencies, …)."""

    code: str = Field(min_length=1)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: Literal["number", "text"] = "number"
    unit_vi: str = ""
    unit_en: str = ""
    provenance: ProvenanceStatus = ProvenanceStatus.provisional


class Framework(Strict):
    """One edition of the provincial DTI, as published in a Decision."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"title": "DTI framework edition"})

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title_vi: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    legal_basis: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    status: Literal["in_force", "superseded", "draft"]
    complete: bool = Field(
        default=True,
        description="False when points or components are not known yet: such an edition cannot be scored.",
    )
    missing_vi: str = Field(default="", description="What is missing, when complete is false.")
    missing_en: str = ""
    total_points: float = Field(gt=0)
    expected_components: int | None = Field(
        default=None, ge=0, description="Official number of components of the whole edition, when known."
    )
    sources: list[str] = Field(default_factory=list)
    official_appendix: str = Field(
        default="", description="The Decision whose official appendix the user stated the loaded file is, e.g. "
        "'405/QĐ-BKHCN'. Empty when the file was not stated to be official.")
    groups: list[Group] = Field(min_length=1)
    pillars: list[Pillar] = Field(default_factory=list, description="Optional: a province's own index may have "
                                  "no pillars.")
    main_indices: list[MainIndex] = Field(min_length=1)
    general_info: list[GeneralInfoField] = Field(default_factory=list)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    # Lookups are derived once; the model is frozen so they cannot go stale.
    @cached_property
    def components(self) -> list[Component]:
        return [c for m in self.main_indices for c in m.components]

    @cached_property
    def component_by_code(self) -> dict[str, Component]:
        return {c.code: c for c in self.components}

    @cached_property
    def main_index_by_code(self) -> dict[str, MainIndex]:
        return {m.code: m for m in self.main_indices}

    @cached_property
    def pillar_by_code(self) -> dict[str, Pillar]:
        return {p.code: p for p in self.pillars}

    @property
    def scored_main_indices(self) -> list[MainIndex]:
        return [m for m in self.main_indices if m.scored]

    @property
    def provisional_components(self) -> list[Component]:
        return [c for c in self.components if not c.provenance.is_official]
