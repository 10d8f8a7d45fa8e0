"""Signals other apps may listen to without this app importing them (e.g. cases computing the
service date, SRV-03). Sent after the recording transaction commits.

- message_arrived(sender=Message, message=Message, arrived_at=datetime)
- message_failed(sender=Message, message=Message, detail=str)
"""
from django.dispatch import Signal

message_arrived = Signal()
message_failed = Signal()
