"""Layer 3: rules across fields and across manifests."""

import pytest

from seqops.manifest.models import manifest_adapter
from seqops.manifest.semantics import check

from .documents import automation_rule, envelope, good, ruleset, sequence, template


def problems(*documents, broken=None):
    resources = [manifest_adapter.validate_python(d, strict=True) for d in documents]
    return [
        (r.name, ".".join(map(str, f.path)), f.message)
        for r, f in check(resources, lambda r, path=(): f"file-of-{r.name}", broken or {})
    ]


def seq(steps=None, **spec):
    return sequence("s", steps, **spec)


BASE = (template("intro"), template("bump"), ruleset("standard"))


def test_a_consistent_set_has_no_problems():
    assert problems(*BASE, seq(ruleset="standard")) == []


def test_references_resolve_in_any_order():
    assert problems(seq(ruleset="standard"), *reversed(BASE)) == []


def test_missing_references_are_named_with_a_suggestion():
    steps = [{"type": "auto_email", "wait": 0, "template": "intr"}]
    assert problems(*BASE, seq(steps, ruleset="standrd")) == [
        ("s", "spec.steps.0.template", "no Template named 'intr' (did you mean 'intro'?)"),
        ("s", "spec.ruleset", "no Ruleset named 'standrd' (did you mean 'standard'?)"),
    ]


def test_references_to_retired_resources_are_errors():
    retired = {**template("intro"), "state": "absent"}
    [(_, _, message)] = problems(retired, seq())
    assert message == "Template/intro is retired (state: absent)"


def test_references_to_documents_that_failed_earlier_are_not_reported_twice():
    assert problems(seq(), broken={"Template": {"intro"}}) == []


def test_retired_resources_are_not_checked_further():
    assert problems({**seq(ruleset="gone"), "state": "absent"}) == []


def test_names_are_unique_per_kind_but_may_repeat_across_kinds():
    same = envelope("Ruleset", "intro", {})
    assert problems(template("intro"), same, seq()) == []
    assert problems(template("intro"), template("intro"), seq()) == [
        ("intro", "metadata.name", "Template/intro is defined twice (also at file-of-intro)")
    ]


def test_pinned_ids_are_unique_per_kind():
    a, b = template("a"), template("b")
    a["metadata"]["id"] = b["metadata"]["id"] = 42
    [(name, path, message)] = problems(a, b)
    assert (name, path) == ("b", "metadata.id")
    assert "already pinned by Template/a" in message


def test_one_automation_rule_per_coefficy_sequence():
    [(name, path, _)] = problems(automation_rule("a"), automation_rule("b"))
    assert (name, path) == ("b", "spec.sequence")


@pytest.mark.parametrize(
    ("spec", "path", "message"),
    [
        (
            {"steps": [{"type": "call", "date": "2027-01-01"}]},
            "spec.steps.0.date",
            "`date` is for date sequences",
        ),
        (
            {
                "sequenceType": "date",
                "steps": [{"type": "call", "wait": "1d", "date": "2027-01-01"}],
            },
            "spec.steps.0.wait",
            "`wait` is for interval sequences",
        ),
        ({"sequenceType": "date", "steps": [{"type": "call"}]}, "spec.steps.0", "needs a `date`"),
        ({"steps": [{"type": "auto_email"}]}, "spec.steps.0", "needs a `template`"),
        (
            {"steps": [{"type": "task", "template": "intro"}]},
            "spec.steps.0.template",
            "a task step sends no email",
        ),
        (
            {"steps": [{"type": "auto_email", "template": "intro", "isReply": True}]},
            "spec.steps.0.isReply",
            "nothing to reply to",
        ),
        (
            {"steps": [{"type": "call", "isReply": True}]},
            "spec.steps.0.isReply",
            "only for email steps",
        ),
        (
            {"steps": [{"type": "auto_email", "template": "intro", "priority": "high"}]},
            "spec.steps.0.priority",
            "only for call and task steps",
        ),
        (
            {"primaryReplyAction": "finish", "primaryReplyPauseDuration": "1d", "steps": []},
            "spec.primaryReplyPauseDuration",
            "needs `primaryReplyAction: pause` (it is finish)",
        ),
        (
            {"secondaryReplyPauseDuration": "1d", "steps": []},
            "spec.secondaryReplyPauseDuration",
            "(it is unset)",
        ),
        ({"maxActivations": 10, "steps": []}, "spec.maxActivations", "for date sequences"),
    ],
)
def test_sequence_rules(spec, path, message):
    [(_, where, text)] = problems(*BASE, seq(**spec))
    assert where == path
    assert message in text


def test_date_sequences_go_forward_in_time():
    steps = [
        {"type": "auto_email", "date": "2027-02-11", "template": "intro"},
        {"type": "call", "date": "2027-02-11"},
        {"type": "call", "date": "2027-02-10"},
    ]
    assert problems(*BASE, seq(steps, sequenceType="date", maxActivations=5)) == [
        ("s", "spec.steps.2.date", "2027-02-10 comes before an earlier step's date 2027-02-11")
    ]


def test_a_reply_after_an_earlier_email_is_fine():
    steps = [
        {"type": "auto_email", "wait": 0, "template": "intro"},
        {"type": "call", "wait": "1d"},
        {"type": "manual_email", "wait": "2d", "template": "bump", "isReply": True},
    ]
    assert problems(*BASE, seq(steps)) == []


def test_rules_do_not_depend_on_the_base_helpers():
    assert good("Sequence")["spec"]["steps"][0]["template"] == "intro"


def no_steps(name: str, **spec):
    return sequence(name, [], **spec)


@pytest.mark.parametrize("make", [template, ruleset, no_steps])
def test_display_names_are_unique_per_kind(make):
    first, second = make("a", displayName="Same"), make("b", displayName="Same")
    assert problems(first, second) == [
        (
            "b",
            "spec.displayName",
            f"displayName 'Same' is also the name of {first['kind']}/a (at file-of-a): "
            f"each {first['kind']} needs its own",
        )
    ]


def test_a_default_display_name_counts_and_other_kinds_or_retired_ones_do_not():
    named_like_a = template("b", displayName="a")
    [(name, path, _)] = problems(template("a"), named_like_a)
    assert (name, path) == ("b", "spec.displayName")
    assert problems(template("a"), ruleset("b", displayName="a")) == []
    assert problems({**template("a"), "state": "absent"}, named_like_a) == []


def test_twins_pinned_by_id_may_share_a_display_name():
    a, b = template("a", displayName="Same"), template("b", displayName="Same")
    a["metadata"]["id"], b["metadata"]["id"] = 1, 2
    assert problems(a, b) == []
    del a["metadata"]["id"]
    assert [path for _, path, _ in problems(a, b)] == ["spec.displayName"]
