"""By when a draining version's prospects finish at the latest (`seqops.plan.cadence`)."""

from __future__ import annotations

import datetime as dt

from seqops.plan.cadence import CadenceStep, cadence_of

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)  # a Monday
DAY = 86_400
STEPS = [CadenceStep(11, 0), CadenceStep(12, 2 * DAY), CadenceStep(13, 3 * DAY)]


def test_a_prospect_finishes_once_its_steps_wait_and_every_later_wait_passed():
    interval = cadence_of(STEPS, "interval", "calendar")
    assert interval.finishes_by(NOW, [11]) == dt.date(2026, 3, 7)  # 0 + 2d + 3d
    assert interval.finishes_by(NOW, [13]) == dt.date(2026, 3, 5)  # its step's whole wait
    assert interval.finishes_by(NOW, [13, 12]) == dt.date(2026, 3, 7)  # the furthest behind


def test_a_prospect_whose_step_is_not_known_has_the_whole_cadence_left():
    interval = cadence_of(STEPS, "interval", None)
    assert interval.finishes_by(NOW, [None, 13]) == dt.date(2026, 3, 7)
    assert interval.finishes_by(NOW, [99]) == dt.date(2026, 3, 7)  # a step it no longer has


def test_nobody_active_has_no_date_and_no_steps_finish_now():
    assert cadence_of(STEPS, "interval", None).finishes_by(NOW, []) is None
    assert cadence_of([], "interval", None).finishes_by(NOW, [None]) == NOW.date()


def test_waits_on_the_senders_schedule_are_read_as_working_days():
    schedule = cadence_of(STEPS, "interval", "schedule")
    assert schedule.finishes_by(NOW, [11]) == dt.date(2026, 3, 9)  # 5 working days: 7 days
    ten = [CadenceStep(1, 10 * DAY)]
    assert cadence_of(ten, "interval", "schedule").finishes_by(NOW, [1]) == dt.date(2026, 3, 16)


def test_date_steps_finish_on_the_last_date_left_and_never_before_today():
    dated = [
        CadenceStep(1, date=dt.date(2026, 2, 20)),
        CadenceStep(2, date=dt.date(2026, 3, 10)),
        CadenceStep(3, date=dt.date(2026, 3, 4)),
    ]
    cadence = cadence_of(dated, "date", None)
    assert cadence.finishes_by(NOW, [1]) == dt.date(2026, 3, 10)
    assert cadence.finishes_by(NOW, [3]) == dt.date(2026, 3, 4)
    past = cadence_of(dated[:1], "date", None)
    assert past.finishes_by(NOW, [1]) == NOW.date()
