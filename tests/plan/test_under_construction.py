"""What an interrupted run created is not counted among the owned resources the
too-many-updates rule divides by (`seqops.plan.finishing.under_construction`)."""

from __future__ import annotations

from seqops.plan.planner import finish
from seqops.providers.base import Impact

from .test_planner import CALL, draft, live, res, seq

EMAIL = {"type": "auto_email", "wait": 0, "template": "n"}


def account(enrolled: int = 0):
    old = [live(res("Template", f"t{i}", {"subject": "a"}), i + 1) for i in range(8)]
    built = live(seq("new", [], enabled=False), 20)  # created, killed before its steps
    new_template = live(res("Template", "n", {"subject": "a"}), 21)
    manifests = [
        *(res("Template", f"t{i}", {"subject": "a"}) for i in range(8)),
        res("Template", "n", {"subject": "a"}),
        seq("new", [EMAIL, CALL], enabled=True),
    ]
    plan = draft(manifests, [*old, built, new_template])
    return finish(plan, {20: Impact(active=enrolled)})


def test_a_sequence_under_construction_and_the_template_only_it_sends_are_not_counted():
    plan = account()
    assert plan.owned_resources == 8  # 10 owned keys, 2 of them the interrupted run's
    assert [(c.action, getattr(c, "completes_create", None)) for c in plan.changes] == [
        ("update", True),
        ("enable", None),
    ]


def test_a_sequence_someone_is_in_is_not_under_construction():
    plan = account(enrolled=1)
    assert plan.owned_resources == 10
