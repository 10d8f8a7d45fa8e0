"""Every guard of the case workflow tried with the forbidden move (issue 5 "Done means"), on plain
snapshots: no database."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from zhifa.cases import guards
from zhifa.cases.guards import CaseFacts, PartyFacts, ProposalFacts, ReviewFacts
from zhifa.cases.rules.findings import blocking_only
from zhifa.cases.rules.procedure import OfficerFacts

TODAY = date(2026, 6, 15)
TWO = (OfficerFacts(user_id=1, qualified=True, credential_valid=True, recused=False),
       OfficerFacts(user_id=2, qualified=True, credential_valid=True, recused=False))
PENALTY = ProposalFacts(kind="PENALTY", penalty_types=("FINE",), fine=Decimal("50000"), has_correction_order=True)


def party(**kw) -> PartyFacts:
    base = dict(party_id=1, name="甲公司", proposal=PENALTY, notice_issued=True, notice_served_on=date(2026, 6, 1),
                statement_window_end=date(2026, 6, 4), hearing_right=True, hearing_request_deadline=date(2026, 6, 8))
    base.update(kw)
    return PartyFacts(**base)


def facts(**kw) -> CaseFacts:
    base = dict(today=TODAY, state="READY", officers=TWO, parties=(party(),), admissible_evidence=2, current_snapshot_sha256="s1")
    base.update(kw)
    return CaseFacts(**base)


def rules_of(findings) -> set[str]:
    return {f.rule for f in blocking_only(findings)}


def test_cas_02__filing_needs_the_head_and_not_the_proposer():
    # given a case proposed by an officer; when the proposer (not a head) approves it
    found = guards.can_file(approver_is_head=False, approver_is_creator=True, facts=facts(state="PENDING_FILING"))
    # then filing is refused twice over
    assert {f.code for f in found} >= {"FILING_APPROVER", "FILING_SELF_APPROVAL"}


def test_cas_04__one_officer_alone_cannot_file():
    one = facts(state="PENDING_FILING", officers=TWO[:1])
    assert "CAS-04" in rules_of(guards.can_file(approver_is_head=True, approver_is_creator=False, facts=one))
    assert blocking_only(guards.can_file(approver_is_head=True, approver_is_creator=False, facts=facts(state="PENDING_FILING"))) == []


def test_rcs_04__a_recused_officer_does_not_count_towards_two():
    recused = (TWO[0], replace(TWO[1], recused=True))
    assert "CAS-04" in rules_of(guards.can_propose(facts(state="INVESTIGATING", officers=recused)))


def test_cas_15__no_penalty_proposal_without_admissible_evidence():
    assert "CAS-15" in rules_of(guards.can_propose(facts(state="INVESTIGATING", admissible_evidence=0)))


def test_cas_13__penalty_without_correction_order_refused():
    p = party(proposal=replace(PENALTY, has_correction_order=False))
    assert "CAS-13" in rules_of(guards.can_propose(facts(state="INVESTIGATING", parties=(p,))))


def test_clu_l04__no_penalty_needs_education_record():
    p = party(proposal=ProposalFacts(kind="NO_PENALTY_FIRST"))
    assert "CLU-L04" in rules_of(guards.can_propose(facts(state="INVESTIGATING", parties=(p,))))
    ok = party(proposal=ProposalFacts(kind="NO_PENALTY_FIRST", has_education=True))
    assert blocking_only(guards.can_propose(facts(state="INVESTIGATING", parties=(ok,)))) == []


def test_rts_01__no_notice_for_a_no_penalty_outcome():
    p = party(proposal=ProposalFacts(kind="NO_PENALTY_MINOR", has_education=True))
    assert "RTS-01" in rules_of(guards.can_issue_notice(facts(state="PROPOSED", parties=(p,))))


def test_rts_02__no_decision_before_the_notice_is_served():
    unserved = party(notice_served_on=None, statement_window_end=None, hearing_request_deadline=None)
    assert "RTS-02" in rules_of(guards.can_decide(facts(parties=(unserved,)), decider_is_head=True))
    never = party(notice_issued=False, notice_served_on=None)
    assert "RTS-02" in rules_of(guards.can_decide(facts(parties=(never,)), decider_is_head=True))


def test_rts_04__no_decision_while_the_statement_window_is_open_unless_waived():
    # given a notice served on 1 June whose window ends on 4 June; when deciding on 3 June
    early = facts(today=date(2026, 6, 3), parties=(party(hearing_right=False),))
    assert "RTS-04" in rules_of(guards.can_decide(early, decider_is_head=True))
    # then an explicit waiver lifts the bar
    waived = facts(today=date(2026, 6, 3), parties=(party(hearing_right=False, waived_statement=True),))
    assert "RTS-04" not in rules_of(guards.can_decide(waived, decider_is_head=True))


def test_hrg_04__no_decision_while_the_hearing_request_window_is_open():
    during = facts(today=date(2026, 6, 8), reviews=(ReviewFacts(1, "PASS", True, "s1"),), review_triggers=frozenset({"LRV-01"}))
    assert "HRG-04" in rules_of(guards.can_decide(during, decider_is_head=True))
    after = replace(during, today=date(2026, 6, 9))
    assert blocking_only(guards.can_decide(after, decider_is_head=True)) == []


def test_hrg_10__a_requested_hearing_must_be_finished_first():
    p = party(hearing_requested=True, hearing_finished=False)
    assert "HRG-10" in rules_of(guards.can_decide(facts(parties=(p,)), decider_is_head=True))


def test_rts_03__unanswered_statements_block_review_and_decision():
    p = party(statements=1, statements_unanswered=1)
    assert "RTS-03" in rules_of(guards.can_submit_review(facts(state="NOTICED", parties=(p,))))
    assert "RTS-03" in rules_of(guards.can_decide(facts(parties=(p,)), decider_is_head=True))


def test_lrv_01__no_decision_in_review_scope_without_a_passed_review():
    scoped = facts(review_triggers=frozenset({"LRV-02"}))
    assert "LRV-01" in rules_of(guards.can_decide(scoped, decider_is_head=True))
    failed = replace(scoped, reviews=(ReviewFacts(1, "RETURN", True, "s1"),))
    assert "LRV-01" in rules_of(guards.can_decide(failed, decider_is_head=True))
    passed = replace(scoped, reviews=(ReviewFacts(1, "PASS", True, "s1"),))
    assert "LRV-01" not in rules_of(guards.can_decide(passed, decider_is_head=True))


def test_amb_06__changed_facts_after_review_need_a_second_review():
    # given a passed review of snapshot s1; when the proposal changed since (snapshot s2)
    changed = facts(review_triggers=frozenset({"LRV-01"}), reviews=(ReviewFacts(1, "PASS", True, "s1"),), current_snapshot_sha256="s2")
    assert "LRV-01" in rules_of(guards.can_decide(changed, decider_is_head=True))


def test_lrv_09__disagreement_goes_to_the_committee():
    disagree = facts(review_triggers=frozenset({"LRV-01"}), reviews=(ReviewFacts(1, "AMEND", False, "s1"),))
    assert "LRV-09" in rules_of(guards.can_decide(disagree, decider_is_head=True))
    decided = replace(disagree, committee_decided=True, reviews=(ReviewFacts(1, "AMEND", False, "s1", committee_decided=True),))
    assert blocking_only(guards.can_decide(decided, decider_is_head=True)) == []


def test_cas_14__only_the_head_decides_and_major_cases_collectively():
    assert "CAS-14" in rules_of(guards.can_decide(facts(), decider_is_head=False))
    major = facts(complex_or_major=True)
    assert "CAS-14" in rules_of(guards.can_decide(major, decider_is_head=True))
    assert "CAS-14" not in rules_of(guards.can_decide(replace(major, committee_decided=True), decider_is_head=True))


def test_rcs_02__a_pending_recusal_holds_the_decision():
    assert "RCS-02" in rules_of(guards.can_decide(facts(pending_recusals=1), decider_is_head=True))


def test_cls_01__no_closure_before_payment_or_service():
    unpaid = party(decided=True, decision_kind="PENALTY", decision_fine=Decimal("50000"), decision_served=True, payment_settled=False)
    assert {f.code for f in guards.can_close(facts(state="SERVED", parties=(unpaid,)))} == {"NOT_PAID"}
    unserved = party(decided=True, decision_kind="NO_PENALTY_FIRST", decision_served=False)
    assert {f.code for f in guards.can_close(facts(state="DECIDED", parties=(unserved,)))} == {"NOT_SERVED"}
    paid = replace(unpaid, payment_settled=True)
    assert guards.can_close(facts(state="SERVED", parties=(paid,))) == []


def test_cas_01__non_site_cases_have_no_shortcut_in_the_declared_machine():
    from zhifa.cases.workflow import TRANSITIONS

    # given the declared transitions; then the only way into DECIDED besides READY is the simple procedure
    into_decided = {(name, sources) for name, sources, target in TRANSITIONS if target == "DECIDED"}
    assert into_decided == {("decide", ("READY",)), ("decide_simple", ("PENDING_FILING",))}
