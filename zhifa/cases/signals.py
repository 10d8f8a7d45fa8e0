"""Signals of the cases app, so that the apps above it (publicity, later statistics) follow the
procedure without cases importing them.

All are sent with `send()` inside the transaction that records the event: a receiver's writes
(e.g. the publication duty of PUB-11) commit or roll back together with the decision, so a duty
can never be lost and a failed receiver refuses the whole step.

- `decision_made(sender=Decision, decision=..., actor=...)`: a decision on one party (CAS-14,
  simple procedure CAS-03).
- `decision_changed(sender=DecisionChange, change=..., actor=...)`: a decision changed, revoked,
  confirmed illegal or void, or ordered to be re-made (PUB-14, PUB-23, PUB-26).
- `coercion_decided(sender=Measure, measure=..., actor=...)`: a sealing or seizure decision took
  effect (CRC-01, PUB-12).
"""
from django.dispatch import Signal

decision_made = Signal()
decision_changed = Signal()
coercion_decided = Signal()
