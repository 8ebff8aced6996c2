"""The summary workbook's sheets and columns, declared once: the writer lays them out from here and the reader
(``xltool report SUMMARY.xlsx``) finds each column by its header from here, so neither knows the other's
positions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.layout import col_letter


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def widths(self) -> tuple[float, ...]:
        return tuple(c.width for c in self.columns)

    def col(self, key: str) -> int:
        """The 0-based column of ``key``."""
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def letter(self, key: str) -> str:
        return col_letter(self.col(key))

    def reader(self, header_row: list[Any]) -> dict[str, int]:
        """Where each declared column stands in a sheet as read back, found by its header text."""
        found = {str(text).strip(): i for i, text in enumerate(header_row) if text is not None}
        return {c.key: found[c.header] for c in self.columns if c.header in found}


#: rows above the first data row of every sheet: title, subtitle, header
HEADER_ROW = 2
FIRST = 3
#: What the 等次 column shows for a unit whose form has no scores (县级专项资金、转移支付 forms).
UNSCORED = "不计分"

UNITS = Sheet(
    "汇总表",
    (
        Column("no", "序号", 6),
        Column("unit", "单位名称", 36),
        Column("code", "单位代码", 14),
        Column("region", "所属地区", 26),
        Column("year", "年度", 7),
        Column("form", "表样", 9),
        Column("adjusted", "全年预算数", 14),
        Column("executed", "全年执行数", 14),
        Column("rate", "执行率", 10),
        Column("total", "总分", 9),
        Column("grade", "等次", 7),
        Column("errors", "错误", 6),
        Column("warnings", "警告", 6),
        Column("status", "状态", 18),
    ),
)
FINDINGS = Sheet(
    "问题清单",
    (
        Column("unit", "单位", 30),
        Column("code", "单位代码", 12),
        Column("file", "文件", 30),
        Column("rule", "规则代码", 24),
        Column("severity", "级别", 6),
        Column("place", "位置", 14),
        Column("message", "说明", 70),
        Column("explained", "已说明", 7),
    ),
)
UNUSABLE = Sheet(
    "不可用文件",
    (Column("file", "文件", 40), Column("code", "代码", 20), Column("message", "原因", 80)),
)
