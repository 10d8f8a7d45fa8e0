"""Fixtures of the clue-detection tests: the rule sets and the scenario pack loaded, and a
`ctx_for(as_of)` helper that builds the evaluators' `Context` exactly as the engine does for the
CN-SH partition (JUR-01): the working-day calendar, the rule-set values each scenario needs and
the reference table of incompatible hazard classes (CLU-S09).

Loading the shipped rule-set packs costs about 0.25 s (more on PostgreSQL), so `ctx_for` does it
once per test module: `scenario_module_db` opens one transaction around the whole module, loads
the packs inside it and rolls it back after the module's last test. Each test's own `db`
transaction nests inside it as a savepoint, so tests stay independent and nothing outlives the
module. `loaded_scenarios` is the plain per-test variant for tests that load or change packs.
Do not use `ctx_for` in a module whose tests need `transactional_db` or a live server: those need
committed data and would run inside the module's open transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

SCENARIO_JURISDICTION = "CN-SH"


def _load_packs():
    from zhifa.clues.packs import scenario_pack_sync
    from zhifa.rulesets.selectors import clear_rulebook_cache
    from zhifa.rulesets.services import ruleset_load_packs
    from zhifa.subjects.models import HazardClassIncompatibility
    from zhifa.subjects.reference.incompatibility import incompatibility_rows_ensure

    clear_rulebook_cache()
    report = ruleset_load_packs()
    # The 禁配 table is seeded by migration; a transactional test elsewhere may have flushed it.
    incompatibility_rows_ensure(HazardClassIncompatibility)
    return report, scenario_pack_sync()


@pytest.fixture
def loaded_scenarios(loaded_rulesets):
    """The shipped rule-set packs and the scenario pack (CLU-04) loaded into the test database."""
    from zhifa.clues.packs import scenario_pack_sync

    return scenario_pack_sync()


@pytest.fixture(scope="module")
def scenario_module_db(django_db_setup, django_db_blocker):
    """Rule sets and scenario pack loaded once for the module, inside a transaction that is rolled
    back when the module is done (see the module docstring)."""
    from django.db import transaction

    from zhifa.rulesets.selectors import clear_rulebook_cache

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _load_packs()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    clear_rulebook_cache()


@pytest.fixture
def ctx_for(scenario_module_db, db) -> Callable[..., object]:
    """`ctx_for(as_of)` → a `scenarios.Context` for CN-SH on `as_of` with every rule-set key any
    scenario of the pack needs, resolved through `zhifa.rulesets.selectors.rs`, and the
    incompatible class pairs read from `HazardClassIncompatibility`."""
    from zhifa.clues.models import Scenario
    from zhifa.clues.scenarios import Context, get_evaluator
    from zhifa.clues.scenarios.chemicals import incompatible_pairs
    from zhifa.common.calendar_store import get_calendar
    from zhifa.rulesets.selectors import rs

    scenarios = list(Scenario.objects.all())
    assert scenarios, "the scenario pack is not loaded"
    keys: set[str] = set()
    for scenario in scenarios:
        keys.update(get_evaluator(scenario.evaluator).rs_keys(scenario.params))
    pairs = incompatible_pairs()

    def _make(as_of: date, *, jurisdiction: str = SCENARIO_JURISDICTION, organisation_ids=None):
        params = {key: rs(key, jurisdiction=jurisdiction, on=as_of).value for key in sorted(keys)}
        return Context(as_of, get_calendar(), params, organisation_ids, {"incompatible_pairs": pairs})

    return _make


@pytest.fixture(autouse=True)
def _evidence_dir(tmp_path, settings):
    """Every clue test writes evidence (detection snapshots, answers) to its own store."""
    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence-store"


@pytest.fixture
def w(org_tree, loaded_rulesets):
    """The triage world (factories.triage_world) with the rule sets loaded."""
    from .factories import triage_world

    return triage_world(org_tree)
