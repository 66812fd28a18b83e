"""The export core on hand-built live states: one behaviour per test."""

from __future__ import annotations

import datetime

import pytest
from ruamel.yaml import YAML

from seqops.export import SelectionError, export
from seqops.manifest.models import manifest_adapter
from seqops.plan.planner import draft_plan

TODAY = datetime.date(2025, 1, 1)


def loaded(result, path):
    """The file as a manifest model, after a YAML round trip (what `seqops validate` reads)."""
    return manifest_adapter.validate_python(YAML(typ="safe").load(result.files[path]))


@pytest.fixture
def account(make_live):
    welcome = make_live(
        "Template",
        1,
        {
            "displayName": "Welcome",
            "subject": "Hi",
            "bodyHtml": "<p>Hi</p>",
            "trackOpens": True,
            "trackLinks": True,
            "shareType": "shared",
            "archived": False,
            "tags": [],
        },
        name="welcome",
    )
    nudge = make_live(
        "Template",
        2,
        {"displayName": "Nudge", "subject": "Still there?", "trackLinks": False},
        name="nudge",
    )
    ruleset = make_live(
        "Ruleset",
        5,
        {
            "displayName": "Standard",
            "permitDuplicateProspects": "disallow",
            "sequenceExclusivity": "all_sequences",
            "applyCompletedStageIn": 172800,
        },
        name="standard",
    )
    inbound = make_live(
        "Sequence",
        10,
        {
            "displayName": "Inbound",
            "shareType": "shared",
            "scheduleIntervalType": "calendar",
            "enabled": True,
            "tags": ["inbound"],
            "ruleset": "standard",
            "owner": "sam@example.com",
            "primaryReplyAction": "finish",
            "secondaryReplyAction": "continue",
            "throttlePaused": False,
            "transactional": False,
            "steps": [
                {"type": "auto_email", "wait": 0, "template": "welcome"},
                {"type": "call", "wait": 86400, "priority": "High", "note": "Call them"},
                {"type": "task", "wait": 5400, "autoskipAfter": 604800},
                {"type": "auto_email", "wait": 172800, "template": "nudge", "isReply": True},
            ],
        },
        name="inbound",
        template_ids=[1, None, None, 2],
    )
    outbound = make_live(
        "Sequence",
        11,
        {
            "displayName": "Outbound",
            "primaryReplyAction": "pause",
            "primaryReplyPauseDuration": 259200,
            "secondaryReplyPauseDuration": 3600,
            "steps": [{"type": "manual_email", "wait": 3600, "template": "welcome"}],
        },
        owner="outbound",
        template_ids=[1],
    )
    from seqops.providers.base import LiveState

    return LiveState(objects=[outbound, inbound, ruleset, nudge, welcome])


def test_one_file_per_object_in_kind_directories(account):
    result = export(account, today=TODAY)
    assert list(result.files) == [
        "rulesets/standard.yaml",
        "sequences/inbound.yaml",
        "sequences/outbound.yaml",
        "templates/nudge.yaml",
        "templates/welcome.yaml",
    ]
    assert result.counts == {"Ruleset": 1, "Template": 2, "Sequence": 2}


def test_defaults_are_left_out_and_durations_are_human(account):
    text = export(account, today=TODAY).files["sequences/inbound.yaml"]
    assert text == (
        "apiVersion: seqops/v1\n"
        "kind: Sequence\n"
        "metadata:\n"
        "  name: inbound\n"
        "spec:\n"
        "  displayName: Inbound\n"
        "  enabled: true\n"
        "  tags:\n"
        "    - inbound\n"
        "  ruleset: standard\n"
        "  owner: sam@example.com\n"
        "  secondaryReplyAction: continue\n"  # not what the API fills in (finish): kept
        "  steps:\n"
        "    - type: auto_email\n"
        "      wait: 0\n"
        "      template: welcome\n"
        "    - type: call\n"
        "      wait: 1d\n"
        "      priority: High\n"
        "      note: Call them\n"
        "    - type: task\n"
        "      wait: 90m\n"
        "      autoskipAfter: 1w\n"
        "    - type: auto_email\n"
        "      wait: 2d\n"
        "      template: nudge\n"
        "      isReply: true\n"
    )


def test_exported_manifests_mean_what_the_account_holds(account):
    result = export(account, today=TODAY)
    for obj in account.objects:
        manifest = loaded(result, f"{obj.kind.lower()}s/{obj.resource.metadata.name}.yaml")
        live = obj.resource.spec.model_dump(exclude_none=True)
        for key, value in manifest.spec.model_dump(exclude_none=True).items():
            assert live.get(key, value) == value, (obj.kind, key)


def test_pause_durations_only_travel_with_pause(account):
    manifest = loaded(export(account, today=TODAY), "sequences/outbound.yaml")
    assert manifest.spec.primaryReplyAction == "pause"
    assert manifest.spec.primaryReplyPauseDuration == 259200
    assert manifest.spec.secondaryReplyPauseDuration is None


def test_shared_template_is_written_once_and_warned_about(account):
    result = export(account, today=TODAY)
    shared = [w for w in result.warnings if "template welcome" in w]
    assert shared == [
        "template welcome is sent by 2 sequences (inbound, outbound): a change to it changes all of them"
    ]
    assert not [w for w in result.warnings if "template nudge" in w]


def test_re_export_is_byte_identical_whatever_the_input_order(account):
    first = export(account, today=TODAY)
    account.objects.reverse()
    assert export(account, today=TODAY).files == first.files


def test_email_step_without_template_skips_the_sequence_with_a_warning(make_live, account):
    broken = make_live(
        "Sequence",
        20,
        {
            "displayName": "Half built",
            "steps": [{"type": "call", "wait": 0}, {"type": "auto_email", "wait": 86400}],
        },
        name="half-built",
        template_ids=[None, None],
    )
    account.objects.append(broken)
    result = export(account, today=TODAY)
    assert "sequences/half-built.yaml" not in result.files
    assert result.skipped == ["half-built"]
    assert any(
        "'Half built' (id 20) not exported: step 2 is an auto_email step without a template" in w
        for w in result.warnings
    )


def test_steps_without_templates_are_fine_when_they_send_no_email(make_live):
    from seqops.providers.base import LiveState

    calls = make_live(
        "Sequence",
        3,
        {
            "displayName": "Calls",
            "steps": [{"type": "call", "wait": 0}, {"type": "task", "wait": 3600}],
        },
        template_ids=[None, None],
    )
    result = export(LiveState(objects=[calls]), today=TODAY)
    assert result.warnings == []
    assert loaded(result, "sequences/sequence-3.yaml").spec.steps[1].wait == 3600


def test_date_sequences_keep_dates_and_past_ones_are_flagged(make_live):
    from seqops.providers.base import LiveState

    spec = {
        "displayName": "Webinar",
        "sequenceType": "date",
        "steps": [{"type": "call", "date": "2024-12-01"}, {"type": "task", "date": "2025-02-01"}],
    }
    result = export(
        LiveState(objects=[make_live("Sequence", 4, spec, name="webinar")]), today=TODAY
    )
    text = result.files["sequences/webinar.yaml"]
    assert "date: '2024-12-01'" in text and "wait" not in text
    assert loaded(result, "sequences/webinar.yaml").spec.steps[0].date == datetime.date(2024, 12, 1)
    assert result.warnings == [
        "date sequence webinar has 1 step(s) dated in the past (earliest 2024-12-01): check the dates before enabling it again"
    ]


def test_unicode_and_emoji_html_survive_as_readable_blocks(make_live):
    from seqops.providers.base import LiveState

    body = "<p>Bonjour {{first_name}} 👋</p>\n<p>Ça vous dit? 日本語\u00a0ok</p>\n"
    tpl = make_live(
        "Template",
        8,
        {"displayName": "🚀 Launch — été", "subject": "🚀 Nouveauté", "bodyHtml": body},
    )
    result = export(LiveState(objects=[tpl]), today=TODAY)
    [(path, text)] = result.files.items()
    assert path == "templates/template-8.yaml"
    assert "  bodyHtml: |\n    <p>Bonjour {{first_name}} 👋</p>\n" in text
    assert loaded(result, path).spec.bodyHtml == body


def test_collisions_are_pinned_by_id(make_live):
    from seqops.providers.base import LiveState

    a = make_live("Sequence", 30, {"displayName": "Demo", "steps": []}, name="demo-30")
    b = make_live("Sequence", 31, {"displayName": "Demo", "steps": []}, name="demo-31")
    result = export(LiveState(objects=[a, b]), today=TODAY)
    assert loaded(result, "sequences/demo-30.yaml").metadata.id == 30
    assert loaded(result, "sequences/demo-31.yaml").metadata.id == 31
    assert (
        len(result.warnings) == 1
        and "id 30" in result.warnings[0]
        and "id 31" in result.warnings[0]
    )


def test_unnameable_display_names_fall_back_with_a_warning(make_live):
    from seqops.providers.base import LiveState

    tpl = make_live("Template", 6, {"displayName": "🎉🎉"})
    result = export(LiveState(objects=[tpl]), today=TODAY)
    assert list(result.files) == ["templates/template-6.yaml"]
    assert "no letters or digits" in result.warnings[0]


def test_select_brings_along_what_a_sequence_uses(account):
    result = export(account, select=["Outbound"], today=TODAY)
    assert list(result.files) == ["sequences/outbound.yaml", "templates/welcome.yaml"]
    assert list(export(account, select=["standard"], today=TODAY).files) == [
        "rulesets/standard.yaml"
    ]


def test_select_of_an_unknown_name_is_an_error_naming_it(account):
    with pytest.raises(SelectionError, match="'nope'"):
        export(account, select=["inbound", "nope"])


def test_owned_only_adds_unowned_dependencies_with_a_note(account):
    result = export(account, owned_only=True, today=TODAY)
    assert list(result.files) == ["sequences/outbound.yaml", "templates/welcome.yaml"]
    assert any("Template welcome (id 1) is not owned" in w for w in result.warnings)


def test_select_splits_on_commas_unless_a_display_name_has_one(make_live):
    from seqops.providers.base import LiveState

    emea = make_live("Template", 1, {"displayName": "Cold, EMEA"}, name="cold-emea")
    us = make_live("Template", 2, {"displayName": "Cold US"}, name="cold-us")
    state = LiveState(objects=[emea, us])
    assert list(export(state, select=["Cold, EMEA"]).files) == ["templates/cold-emea.yaml"]
    assert len(export(state, select=["cold-emea,cold-us"]).files) == 2


def test_replaced_versions_export_as_the_manifest_said_and_retired_ones_not_at_all(make_live):
    from seqops.providers.base import LiveState

    old = make_live("Sequence", 1, {"displayName": "Demo", "steps": []}, owner="demo--retired")
    new = make_live("Sequence", 2, {"displayName": "Demo (v2)", "steps": []}, owner="demo")
    hand = make_live("Sequence", 3, {"displayName": "Promo (v2)", "steps": []}, name="promo-v2")
    result = export(LiveState(objects=[old, new, hand]), today=TODAY)
    assert list(result.files) == ["sequences/demo.yaml", "sequences/promo-v2.yaml"]
    assert loaded(result, "sequences/demo.yaml").spec.displayName == "Demo"
    assert loaded(result, "sequences/promo-v2.yaml").spec.displayName == "Promo (v2)"
    resources = [loaded(result, path) for path in result.files]
    plan = draft_plan(resources, LiveState(objects=[old, new, hand]), "sandbox")
    assert [(c.action, c.name, c.diff) for c in plan.changes] == [("adopt", "promo-v2", [])]
    assert result.warnings == [
        "1 retired sequence version(s) not exported: seqops keeps them disabled while their "
        "prospects finish"
    ]


def test_leftovers_validation_rejects_are_left_unmanaged(make_live):
    from seqops.providers.base import LiveState

    spec = {
        "displayName": "Leftovers",
        "maxActivations": 10,
        "secondaryReplyAction": "continue",
        "secondaryReplyPauseDuration": 60,
        "steps": [{"type": "auto_email", "wait": 0, "template": "t", "priority": "high"}],
    }
    seq = make_live("Sequence", 2, spec, name="leftovers", template_ids=[1])
    tpl = make_live("Template", 1, {"displayName": "T"}, name="t")
    state = LiveState(objects=[seq, tpl])
    result = export(state, today=TODAY)
    manifest = loaded(result, "sequences/leftovers.yaml")
    assert manifest.spec.maxActivations is None and manifest.spec.steps[0].priority is None
    assert manifest.spec.secondaryReplyAction == "continue"
    assert manifest.spec.secondaryReplyPauseDuration is None
    resources = [loaded(result, path) for path in result.files]
    assert [c.diff for c in draft_plan(resources, state, "sandbox").changes] == [[], []]


@pytest.mark.parametrize(
    ("sequence_type", "steps", "reason"),
    [
        (
            "interval",
            [{"type": "auto_email", "wait": 0, "template": "t", "isReply": True}],
            "step 1 is marked as a reply but no email step comes before it",
        ),
        (
            "date",
            [
                {"type": "auto_email", "date": "2030-02-01", "template": "t"},
                {"type": "auto_email", "date": "2030-01-01", "template": "t"},
            ],
            "step 2 is dated 2030-01-01, before step 1 (2030-02-01)",
        ),
        (
            "interval",
            [{"type": "auto_email", "wait": 0, "template": "gone"}],
            "step 1 sends template 'gone', which is not in the account",
        ),
    ],
)
def test_sequences_no_valid_manifest_can_describe_are_skipped(
    make_live, sequence_type, steps, reason
):
    from seqops.providers.base import LiveState

    spec = {"displayName": "Odd", "sequenceType": sequence_type, "steps": steps}
    seq = make_live("Sequence", 2, spec, name="odd")
    tpl = make_live("Template", 1, {"displayName": "T"}, name="t")
    result = export(LiveState(objects=[seq, tpl]), today=TODAY)
    assert list(result.files) == ["templates/t.yaml"]
    assert result.warnings == [
        f"Sequence 'Odd' (id 2) not exported: {reason}; fix it in Outreach and export again, "
        "or write its manifest by hand"
    ]
