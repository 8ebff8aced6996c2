"""Real published self-evaluation forms (tests/data/real_forms), rebuilt as the units hold them: every one is read
with the figures a person reads, and on the development part every labelled mistake is found with no false error.
The held-out part is measured by bench/real_forms.py, not asserted here: the checks are not tuned on it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.real_forms import build, forms, measure  # noqa: E402

FORMS = forms()
DEV = [f for f in FORMS if f.get("split") == "dev"]
#: Labelled mistakes xltool does not report, each for a stated reason.
NOT_REPORTED = {
    # 4604 ÷ 4754 × 5 = 4.84, shown as the whole 5 the form writes its scores in: a stated score is compared at
    # the precision it is written with (DOMAIN.md §2)
    ("x-anhui-suixi-2019-linshijiuzhu", "H14"),
}


def test_the_set_is_real_labelled_and_split():
    assert len(FORMS) >= 10
    assert {f.get("split") for f in FORMS} == {"dev", "heldout"}
    # a held-out part is kept; once examined it joins the development part and new forms are held out in its place
    # (docs/layouts.md says how large each part is and what each measured blind)
    assert len([f for f in FORMS if f.get("split") == "heldout"]) >= 2
    for form in FORMS:
        assert form["id"] == form["_path"].stem
        assert form.get("source") and form.get("published"), form["id"]
        assert form["expect"]["documents"], form["id"]


@pytest.mark.parametrize("form", FORMS, ids=[f["id"] for f in FORMS])
def test_every_form_is_read_with_the_figures_a_person_reads(tmp_path, form):
    outcome = measure(form, build(form, tmp_path))
    assert outcome.read and outcome.documents_ok, outcome.wrong
    assert outcome.indicators_ok == outcome.documents, outcome.wrong
    assert outcome.money_ok == outcome.documents, outcome.wrong
    assert not [w for w in outcome.wrong if "label" in w], outcome.wrong  # labels point at cells that hold something


@pytest.mark.parametrize("form", DEV, ids=[f["id"] for f in DEV])
def test_development_forms_get_their_mistakes_and_no_false_error(tmp_path, form):
    outcome = measure(form, build(form, tmp_path))
    missed = [m for m in outcome.missed if not any(f"{cell} " in m for fid, cell in NOT_REPORTED if fid == form["id"])]
    assert not missed
    assert not outcome.false_errors
