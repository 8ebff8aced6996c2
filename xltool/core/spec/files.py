"""Finding forms and profiles: the shipped ones, and an office's own files (``--profile ./河南.yaml``) registered
in this process; what a profile changes against another."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..values import shortest
from ..yamldata import load_yaml
from .build import _merge, build_form, build_profile
from .model import (
    KIND_KEYS,
    FormSpec,
    Profile,
    SpecError,
)

# ---------------------------------------------------------------------------------------------- loading


def _specs_dir() -> Any:
    return resources.files("xltool") / "specs"


def _read_yaml(text: str, source: str) -> Any:
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        raise SpecError(source, [f"YAML 格式错误：{exc}"]) from None


def profile_ids() -> list[str]:
    """The ids of every shipped profile, national first."""
    ids = sorted(p.name[:-5] for p in (_specs_dir() / "profiles").iterdir() if p.name.endswith(".yaml"))
    return sorted(ids, key=lambda pid: (pid != "national", pid))


def form_ids() -> list[str]:
    return sorted(p.name[:-5] for p in (_specs_dir() / "forms").iterdir() if p.name.endswith(".yaml"))


#: profiles read from files in this process: id → (YAML text, its path); see :func:`register_profile_file`
_LOCAL: dict[str, tuple[str, str]] = {}
#: the most a profile or form file may hold (a real one is a few KB)
MAX_SPEC_BYTES = 1_000_000
_FILE_SUFFIXES = (".yaml", ".yml")


def is_spec_path(ref: str) -> bool:
    """A ``--profile`` value naming a file rather than a shipped id."""
    return ref.lower().endswith(_FILE_SUFFIXES) or "/" in ref or "\\" in ref


def _read_spec_file(path: Path) -> str:
    source = str(path)
    try:
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise SpecError(source, [f"文件超过 {MAX_SPEC_BYTES} 字节，不像口径或表样文件"])
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpecError(source, ["找不到文件"]) from None
    except UnicodeDecodeError:
        raise SpecError(source, ["不是 UTF-8 编码的文本（请用记事本“另存为”UTF-8）"]) from None
    except OSError as exc:
        raise SpecError(source, [f"无法读取：{exc.strerror or exc}"]) from None


def register_profile_file(path: Path) -> Profile:
    """Read a profile of one's own (``--profile ./河南.yaml``), check it with every mistake reported by path, and
    make it known by its ``id`` in this process, so workbooks made from it resolve. It may ``extends:`` a
    shipped profile (by id) or another file (a path relative to it), and name its own form files in
    ``form_specs`` (paths relative to it)."""
    return register_profile_text(_read_spec_file(path), str(path))


def register_profile_text(text: str, source: str) -> Profile:
    """:func:`register_profile_file` from the file's text (how a worker process receives it)."""
    raw = _read_yaml(text, source)
    if not isinstance(raw, dict):
        raise SpecError(source, ["(根): 应为键值表（id、name、extends…）"])
    pid = str(raw.get("id") or Path(source).stem)
    if pid in profile_ids():
        raise SpecError(source, [f"id: “{pid}”是内置口径的名称，请另取一个（如 {pid}-local）"])
    previous = _LOCAL.get(pid)
    _LOCAL[pid] = (text, source)
    try:
        profile = load_profile(pid) if previous == (text, source) else _reload(pid)
    except SpecError:
        if previous is None:
            del _LOCAL[pid]
        else:
            _LOCAL[pid] = previous
        raise
    return profile


def _reload(pid: str) -> Profile:
    load_profile.cache_clear()
    from ..layout import cached_layout

    cached_layout.cache_clear()
    return load_profile(pid)


def known_profile_ids() -> list[str]:
    """Shipped profile ids, then those registered from files in this process."""
    return [*profile_ids(), *(pid for pid in _LOCAL if pid not in profile_ids())]


def registered_profiles() -> tuple[tuple[str, str], ...]:
    """The profile files registered in this process, as (text, path) pairs to hand to worker processes."""
    return tuple(_LOCAL.values())


def resolve_profile(ref: str) -> Profile:
    """A profile by shipped id, registered id, or file path."""
    if ref not in _LOCAL and is_spec_path(ref):
        return register_profile_file(Path(ref))
    return load_profile(ref)


def _relative(value: str, source: str) -> str:
    """A file named in a profile file, as a path relative to that file."""
    return str((Path(source).parent / value).resolve()) if value.lower().endswith(_FILE_SUFFIXES) else value


def _raw_profile(pid: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    local = _LOCAL.get(pid)
    if local is not None:
        text, source = local
        raw = _read_yaml(text, source)
        if isinstance(raw, dict) and isinstance(raw.get("form_specs"), dict):
            raw["form_specs"] = {k: _relative(str(v), source) for k, v in raw["form_specs"].items()}
        parent = raw.get("extends") if isinstance(raw, dict) else None
        if isinstance(parent, str) and is_spec_path(parent):
            raw["extends"] = register_profile_file(Path(_relative(parent, source))).id
    else:
        source = f"profiles/{pid}.yaml"
        resource = _specs_dir() / "profiles" / f"{pid}.yaml"
        if not resource.is_file():
            known = ", ".join([*profile_ids(), *_LOCAL])
            raise SpecError(source, [f"没有名为“{pid}”的口径，可用：{known}；自己的口径文件用 --profile 文件路径 指定"])
        raw = _read_yaml(resource.read_text(encoding="utf-8"), source)
    if not isinstance(raw, dict):
        raise SpecError(source, ["(根): 应为键值表"])
    own_id = str(raw.get("id") or pid)
    parent = raw.get("extends")
    if parent:
        if parent in seen or parent == pid:
            raise SpecError(source, [f"extends: 循环继承 {' → '.join((*seen, pid, str(parent)))}"])
        raw = _merge(_raw_profile(str(parent), (*seen, pid)), {k: v for k, v in raw.items() if k != "extends"})
        raw["extends"] = parent
    raw["id"] = own_id
    return raw


@cache
def load_profile(pid: str) -> Profile:
    """A profile by id: shipped (``national``, ...) or registered from a file."""
    source = _LOCAL[pid][1] if pid in _LOCAL else f"profiles/{pid}.yaml"
    return build_profile(_raw_profile(pid), source)


def load_profile_file(path: Path) -> Profile:
    """A profile from a file of one's own (it may extend a shipped one), registered under its id."""
    return register_profile_file(path)


@cache
def load_form(form_id: str) -> FormSpec:
    """A form spec by id (``department``, ``project``) or, named by a profile file, by path."""
    if form_id.lower().endswith(_FILE_SUFFIXES):
        return build_form(_read_yaml(_read_spec_file(Path(form_id)), form_id), form_id)
    source = f"forms/{form_id}.yaml"
    resource = _specs_dir() / "forms" / f"{form_id}.yaml"
    if not resource.is_file():
        raise SpecError(source, [f"没有名为“{form_id}”的表样，可用：{', '.join(form_ids())}"])
    return build_form(_read_yaml(resource.read_text(encoding="utf-8"), source), source)


def _pct(fraction: Decimal) -> str:
    return shortest(fraction * 100)


def profile_differences(profile: Profile, base: Profile) -> list[str]:
    """What a profile changes against another, in words (for ``xltool profiles``)."""
    out: list[str] = []
    if profile.execution_weight != base.execution_weight:
        out.append(f"预算执行率 {profile.execution_weight} 分")
    if not profile.level1_prescribed:
        out.append("一级指标权重按下达的绩效目标，只核对合计")
    elif profile.level1 and [(b.name, b.weight) for b in profile.level1] != [(b.name, b.weight) for b in base.level1]:
        out.append("一级指标 " + "、".join(f"{b.name} {b.weight}" for b in profile.level1))
    if [(t.min, t.max) for t in profile.tiers] != [(t.min, t.max) for t in base.tiers]:
        out.append("定性分档 " + "/".join(f"{_pct(t.min)}%" for t in profile.tiers if t.min > 0))
    if profile.kinds != base.kinds:
        out.append("指标性质写作 " + "、".join(profile.kinds[k] for k in KIND_KEYS))
    if profile.kind_style == "quantity":
        out.append("指标性质写作 定量/定性，方向写在指标值中（≥、≤、=）")
    if not profile.level1 and base.level1:
        out.append("绩效指标不分一级、二级")
    from ..schemes import scheme_for

    scheme = scheme_for(profile)
    if scheme.description and scheme is not scheme_for(base):
        out.append(scheme.description)
    if [g.label for g in profile.grades] != [g.label for g in base.grades]:
        out.append("等次 " + "/".join(g.label for g in profile.grades))
    if profile.negative_method != base.negative_method:
        out.append(f"反向指标 {profile.negative_method} 法")
    if profile.execution_reason_below != base.execution_reason_below:
        out.append(
            f"执行率低于 {_pct(profile.execution_reason_below)}% 须说明原因"
            if profile.execution_reason_below is not None
            else "执行率不要求说明"
        )
    if profile.fund_sources != base.fund_sources:
        out.append("资金来源 " + "/".join(profile.fund_sources))
    if profile.narrative_limits != base.narrative_limits:
        from ..labels import label

        limits = profile.narrative_limits.items()
        out.append("字数限制 " + "、".join(f"{label('narrative.' + k)} ≤ {v} 字" for k, v in limits))
    if profile.money_unit != base.money_unit:
        out.append(f"金额单位 {profile.money_unit}")
    return out
