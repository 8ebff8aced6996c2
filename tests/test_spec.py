"""Forms and profiles are data; a broken one is refused with the exact path of every mistake."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from xltool.core.spec import (
    SpecError,
    build_form,
    build_profile,
    form_ids,
    load_form,
    load_profile,
    profile_ids,
)


def national_raw() -> dict:
    from importlib import resources

    return yaml.safe_load((resources.files("xltool") / "specs/profiles/national.yaml").read_text(encoding="utf-8"))


def test_every_shipped_profile_and_form_loads():
    assert "national" in profile_ids()
    for pid in profile_ids():
        load_profile(pid)
    assert set(form_ids()) >= {"department", "project"}


def test_national_holds_the_domain_numbers():
    p = load_profile("national")
    assert p.execution_weight == 10
    assert [(b.name, b.weight) for b in p.level1] == [("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert [(t.min, t.max) for t in p.tiers] == [
        (Decimal("0.8"), 1),
        (Decimal("0.6"), Decimal("0.8")),
        (0, Decimal("0.6")),
    ]
    assert p.tier("达成预期指标").label == "达成年度指标"
    assert [(g.label, g.min) for g in p.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert p.negative_method == "ratio"


def test_broken_profile_names_every_mistake_with_its_path():
    raw = national_raw()
    raw["level1"][1]["weight"] = "三十"
    raw["qualitative"]["tiers"][0]["min"] = 1.5
    raw["grades"][2] = {"label": "中"}
    raw["negative_method"] = "guess"
    del raw["kinds"]["equal"]
    with pytest.raises(SpecError) as err:
        build_profile(raw, "profiles/broken.yaml")
    paths = {p.split(":")[0] for p in err.value.problems}
    assert paths == {"level1[1].weight", "kinds.equal", "qualitative.tiers[0].min", "grades[2].min", "negative_method"}
    assert "profiles/broken.yaml: level1[1].weight" in str(err.value)


def test_weights_must_add_up_to_the_total():
    raw = national_raw()
    raw["level1"][0]["weight"] = 60
    with pytest.raises(SpecError) as err:
        build_profile(raw, "x")
    assert any(p.startswith("level1:") for p in err.value.problems)


def test_profile_extends_another_and_only_lists_differences(tmp_path):
    from xltool.core.spec import load_profile_file

    path = tmp_path / "mine.yaml"
    path.write_text(
        "extends: national\nid: mine\nname: 本地\nexecution: {weight: 20}\n"
        "level1:\n  - {name: 产出指标, weight: 40, level2: [数量指标, 质量指标, 时效指标, 成本指标]}\n"
        "  - {name: 效益指标, weight: 30, level2: [经济效益指标, 社会效益指标, 生态效益指标, 可持续影响指标]}\n"
        "  - {name: 满意度指标, weight: 10, level2: [服务对象满意度指标]}\n",
        encoding="utf-8",
    )
    prof = load_profile_file(path)
    assert prof.execution_weight == 20 and prof.grades == load_profile("national").grades


def test_broken_form_names_the_block():
    raw = {
        "id": "x",
        "title": "t",
        "template_version": 1,
        "sheets": [{"name": "s", "blocks": [{"type": "budget", "rows": [{"key": "nonsense", "label": "x"}]}]}],
    }
    with pytest.raises(SpecError) as err:
        build_form(copy.deepcopy(raw), "forms/x.yaml")
    paths = [p.split(":")[0] for p in err.value.problems]
    assert "sheets[0].blocks[0].rows[0].key" in paths
    assert "sheets[0].blocks[0].rows" in paths  # no total row


def test_forms_keep_the_official_block_order():
    order = [b.type for _, b in load_form("department").blocks()]
    assert order.index("budget") < order.index("goals") < order.index("indicators")
