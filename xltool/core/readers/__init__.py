"""Block readers of official forms, one module each: ``applies(family)`` says from the family's data whether the
family has the block, ``read(section)`` reads it into the section (values, their cells, anchors, remarks). A new
layout family is a data file (``xltool/specs/layouts``); a block no family has yet is one module here and its
place in :data:`READERS`.
"""

from __future__ import annotations

from types import ModuleType

from . import fields, goals, indicators, money, narrative, remarks, tasks
from .section import Place, Remark, Section

#: In reading order: the indicator reader stops at rows the money and task readers have read; the remarks look
#: at everything read before them.
READERS: tuple[ModuleType, ...] = (fields, money, goals, tasks, indicators, narrative, remarks)

__all__ = ["READERS", "Place", "Remark", "Section"]
