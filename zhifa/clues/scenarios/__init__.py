"""Scenario evaluators. Each evaluator is registered by name; the scenario pack names the
evaluator and its parameters, so a new scenario is data plus (at most) one evaluator (CLU-04)."""
from . import chemicals, filings, licences  # noqa: F401,E402  (registration side effects)
from .base import REGISTRY, Context, Evaluator, Hit, get_evaluator, register  # noqa: F401
