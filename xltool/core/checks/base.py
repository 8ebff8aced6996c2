"""What every check works with: the document, the reading notes, the scores, the profile and its scheme, and
:meth:`Context.add`, which refuses a code the running check has not declared."""

from __future__ import annotations

from decimal import Decimal

from ..document import Document, Note
from ..findings import Finding
from ..schemes import Scheme, scheme_for
from ..scores import Scores, round_half_up
from ..spec import FormSpec, Profile
from ..values import shortest

GRADE_ALIASES = (("优", "优秀"), ("良", "良好"), ("中", "中等", "合格"), ("差", "较差", "不合格"))
SUSPECT_RATIO = Decimal(1000)


def is_scored(absent: frozenset[str] | set[str]) -> bool:
    """Whether a form is scored at all: it has a 分值 or a 得分 column."""
    return not {"weight", "score"} <= absent


class Context:
    """One document under check. ``declared`` is the running check's ``CODES``."""

    def __init__(
        self,
        doc: Document,
        notes: list[Note],
        scores: Scores,
        profile: Profile,
        form: FormSpec,
        official: bool = False,
    ):
        self.doc, self.notes, self.scores, self.profile, self.form = doc, notes, scores, profile, form
        #: read from a unit's official form (no live sheet computes its totals: its own figures are the measure)
        self.official = official
        self.scheme: Scheme = scheme_for(profile)
        self.out: list[Finding] = []
        self.declared: tuple[str, ...] = ()
        #: cells typed with something that is not the value asked for, or answered with 无/—: not "empty"
        self.typed = {n.path for n in notes if n.code in ("type", "formula", "marked")}
        #: inputs the unit's form has no column for (an official layout): never required of it
        self.absent = frozenset(n.expect for n in notes if n.code == "absent" and n.expect)
        #: the form has no 分值 column: weights are neither required nor added up
        self.no_weights = "weight" in self.absent
        #: False for a form with neither 分值 nor 得分 (转移支付, some 县级专项资金 forms): no total, no grade
        self.scored = is_scored(self.absent)
        self.tol = profile.money_tolerance

    def add(
        self,
        code: str,
        severity: str,
        field: str | None,
        expected: object = None,
        found: object = None,
        **params: object,
    ) -> Finding:
        if code not in self.declared:
            raise ValueError(f"a check emitted {code!r}, which its CODES do not declare")
        anchor = params.pop("anchor_name", None)
        variant = params.pop("variant", None)
        finding = Finding(
            code,
            severity,
            field,
            expected,
            found,
            dict(params),
            anchor=str(anchor) if anchor else None,
            variant=str(variant) if variant else None,
        )
        self.out.append(finding)
        return finding

    def row(self, i: int) -> dict[str, object]:
        """The message parameters naming indicator row ``i``."""
        return {"row_field": f"indicators[{i}]", "name": self.doc.indicators[i].name}

    def source_path(self, i: int, key: str) -> str:
        """The field path of fund source ``i``'s ``key``: sources sit in the profile's order on the sheet."""
        name = self.doc.budget.sources[i].name
        k = self.profile.fund_sources.index(name) if name in self.profile.fund_sources else i
        return f"budget.sources[{k}].{key}"


def pct(value: Decimal, places: int = 2) -> str:
    return f"{round_half_up(value * 100, places)}%"


def num(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return ""
    return shortest(round_half_up(value, places))


def plain(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def raw(value: object) -> object:
    if isinstance(value, str | int | float) or value is None:
        return value
    return str(value)


def key_of(text: str | None) -> str:
    """A name compared without spaces or case."""
    return "".join((text or "").split()).casefold()


def same_grade(stated: str, computed: str) -> bool:
    """优秀 is 优, 良好 is 良…"""
    if stated == computed:
        return True
    return any(stated in group and computed in group for group in GRADE_ALIASES)
