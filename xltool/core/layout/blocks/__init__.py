"""Form blocks, one module each: where its cells go (``place``), how wide its sheet is (``width``) and what the
填表说明 sheet says of it (``help``), so a new block is one module here and its name in :data:`BLOCKS`.

A form spec lists its blocks by ``type``; :class:`~xltool.core.layout.builder.Builder` places each through this
registry, and the help block assembles its text from the blocks actually on the form.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    budget,
    categories,
    category_result,
    deductions,
    explanations,
    fields,
    goals,
    indicators,
    narrative,
    result,
    tasks,
    three_public,
    title,
)
from . import help as help_block

BLOCKS: dict[str, ModuleType] = {
    "title": title,
    "fields": fields,
    "budget": budget,
    "three_public": three_public,
    "goals": goals,
    "result": result,
    "tasks": tasks,
    "indicators": indicators,
    "categories": categories,
    "deductions": deductions,
    "category_result": category_result,
    "narrative": narrative,
    "explanations": explanations,
    "help": help_block,
}

__all__ = ["BLOCKS"]
