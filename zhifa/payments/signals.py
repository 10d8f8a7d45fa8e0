"""Signals of the payments app, so that the apps above (cases, later inspections) react to payments
without payments importing them.

`payment_settled` is sent once a notice becomes fully settled (fine plus surcharge paid, PAY-06),
with `sender=PaymentNotice` and the keyword arguments `notice` (the PaymentNotice), `event` (the
PaymentEvent whose recording completed it) and `status` (selectors.NoticeStatus). It is sent after
the recording transaction commits (`transaction.on_commit`) with `send_robust`: a receiver runs in
its own transaction, and a failing receiver is logged without undoing the recorded payment
(docs/payments.md "信号").
"""
from django.dispatch import Signal

payment_settled = Signal()
