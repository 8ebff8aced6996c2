"""What block modules share: the shortest text of a number, and what a block's 填表说明 lines are written from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...labels import FormWords, form_words, label
from ...schemes import Scheme, scheme_for
from ...spec import BlockSpec, FormSpec, Profile
from ...values import shortest


def fmt_num(value: Decimal | None) -> str:
    """A Decimal as the shortest plain text: ``10.0`` → ``10``, ``0.50`` → ``0.5``."""
    return "" if value is None else shortest(value)


@dataclass(frozen=True)
class HelpContext:
    """One block of one form under one profile, for its 填表说明 lines."""

    form: FormSpec
    profile: Profile
    block: BlockSpec
    words: FormWords
    scheme: Scheme

    @classmethod
    def each(cls, form: FormSpec, profile: Profile, blocks: list[BlockSpec]) -> list[HelpContext]:
        """One context per block, the form's words and the profile's scheme looked up once."""
        words, scheme = form_words(form), scheme_for(profile)
        return [cls(form, profile, block, words, scheme) for block in blocks]

    def name(self, path: str) -> str:
        """What the form calls a field or an indicator column (``indicators.actual`` → 全年完成值 on 重庆's)."""
        return label(path, "zh", words=self.words, bare="." in path and path.split(".")[0] == "indicators")

    def columns(self) -> set[str]:
        """The indicator table's columns on this form (the template's own when the form lists none)."""
        from ..model import INDICATOR_COLUMNS

        return set(self.words.columns.get("indicators", {})) or {key for key, _, _ in INDICATOR_COLUMNS}
