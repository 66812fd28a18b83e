"""`reconcile_bindings`: one sequenceTemplate per wanted template, made before any goes."""

from seqops.providers.base import LiveStep
from seqops.providers.bindings import duplicate_bindings, reconcile_bindings


def step(*bindings: tuple[int, int], main: tuple[int, int] | None = None) -> LiveStep:
    """A live step with `bindings` (sequenceTemplate id, template id); `main` the one it sends."""
    main = main or bindings[0]
    rest = [b for b in bindings if b != main]
    return LiveStep(
        id=1,
        order=1,
        sequence_template_id=main[0],
        template_id=main[1],
        extra_sequence_template_ids=[b for b, _ in rest],
        extra_template_ids=[t for _, t in rest],
    )


def test_variants_already_bound_are_kept_and_nothing_written():
    changes = reconcile_bindings(step((10, 1), (11, 2)), [2, 1])
    assert (changes.keep, changes.create, changes.delete) == ({2: 11, 1: 10}, [], [])
    assert changes.empty


def test_a_new_variant_is_created_and_a_dropped_one_deleted():
    changes = reconcile_bindings(step((10, 1), (11, 2)), [1, 3])
    assert (changes.keep, changes.create, changes.delete) == ({1: 10}, [3], [11])


def test_a_template_bound_twice_keeps_the_one_it_sends():
    live = step((10, 1), (12, 1), (11, 2), main=(12, 1))
    assert reconcile_bindings(live, [1, 2]).delete == [10]
    assert duplicate_bindings(live) == [10]


def test_distinct_templates_are_not_duplicates():
    assert duplicate_bindings(step((10, 1), (11, 2))) == []


def test_a_duplicate_of_another_variant_keeps_its_newest_binding():
    live = step((10, 1), (11, 2), (13, 2))
    assert reconcile_bindings(live, [1, 2]).keep == {1: 10, 2: 13}
    assert duplicate_bindings(live) == [11]
