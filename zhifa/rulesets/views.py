"""Read-only pages: loaded rule-set versions, and every resolved parameter of a jurisdiction
with its source, verification tag and warnings (JUR-01, JUR-03, AMB-18)."""
from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.common.timeutil import today

from .choices import FLAG_LABELS, VERIFICATION_LABELS, Flag, Verification
from .errors import RuleNotConfigured
from .rules import Resolved
from .selectors import loaded_rulebook, ruleset_versions

# Bureau staff plus the read-everything roles; enterprise contacts do not see internal rule data.
RULESET_ROLES = frozenset(STAFF_ROLES) | {Role.AUDITOR, Role.SYSTEM_ADMIN}


def _check_access(user) -> None:
    if not (user.is_superuser or getattr(user, "role", None) in RULESET_ROLES):
        raise PermissionDenied


def _parse_on(raw: str | None) -> tuple[date, str]:
    """The `on` query parameter as a date, or today; an error message for bad input."""
    if not raw:
        return today(), ""
    try:
        return date.fromisoformat(raw.strip()), ""
    except ValueError:
        return today(), f"日期「{raw}」格式不正确，请按 YYYY-MM-DD 填写（例如 2026-03-01）"


@login_required
def index(request):
    _check_access(request.user)
    on, error = _parse_on(request.GET.get("on"))
    rulebook = loaded_rulebook()
    current_ids = {p.ruleset_id for j in rulebook.jurisdictions if (p := rulebook.pack_on(j, on)) is not None}
    active_ids = {p.ruleset_id for j in rulebook.jurisdictions for p in rulebook.versions(j)}
    jurisdictions = []
    for j in rulebook.jurisdictions:
        versions = rulebook.versions(j)
        current = rulebook.pack_on(j, on)
        jurisdictions.append({
            "code": j,
            "name": (current or versions[-1]).name,
            "chain": " → ".join([*(current or versions[-1]).inherits, j]),
            "current": current,
            "expired": bool(current and current.effective_to and on > current.effective_to),
        })
    rows = []
    for rs in ruleset_versions():
        if rs.pk in current_ids:
            status, css = "现行", "badge-valid"
        elif rs.pk not in active_ids:
            status, css = "已被新修订取代", "badge-inactive"
        elif rs.effective_from > on:
            status, css = "尚未生效", "badge-expiring"
        else:
            status, css = "历史版本", "badge-inactive"
        rows.append({"rs": rs, "status": status, "css": css})
    org = getattr(request.user, "organisation", None)
    context = {
        "on": on,
        "date_error": error,
        "jurisdictions": jurisdictions,
        "rows": rows,
        "own_jurisdiction": org.effective_jurisdiction if org is not None else "",
    }
    return render(request, "rulesets/index.html", context, status=400 if error else 200)


@login_required
def jurisdiction_detail(request, code: str):
    _check_access(request.user)
    rulebook = loaded_rulebook()
    if code not in rulebook.jurisdictions:
        raise Http404("没有该辖区的规则集")
    on, error = _parse_on(request.GET.get("on"))
    query = (request.GET.get("q") or "").strip()
    only_warnings = request.GET.get("warnings") == "1"
    rows = []
    counts = {"total": 0, "warned": 0, "missing": 0}
    if not error:
        for key, kind, result in rulebook.resolve_all(code, on):
            row = _row(key, kind, result, rulebook)
            counts["total"] += 1
            counts["warned"] += int(row["serious"])
            counts["missing"] += int(row["error"] is not None)
            if query and not _matches(row, query):
                continue
            if only_warnings and not (row["serious"] or row["error"]):
                continue
            rows.append(row)
    versions = rulebook.versions(code)
    current = rulebook.pack_on(code, on)
    context = {
        "code": code,
        "name": (current or versions[-1]).name,
        "chain": [(j, rulebook.pack_on(j, on)) for j in rulebook.chain(code, on)],
        "current": current,
        "on": on,
        "date_error": error,
        "query": query,
        "only_warnings": only_warnings,
        "rows": rows,
        "counts": counts,
        "verification_labels": {str(k): v for k, v in VERIFICATION_LABELS.items()},
    }
    return render(request, "rulesets/jurisdiction.html", context, status=400 if error else 200)


def _row(key: str, kind: str, result: Resolved | RuleNotConfigured, rulebook) -> dict:
    if isinstance(result, RuleNotConfigured):
        return {
            "key": key, "kind": kind, "meaning": rulebook.meaning(key), "error": result.message, "resolved": None,
            "serious": True, "warnings": [], "flags": [], "rule_ids": (),
        }
    return {
        "key": key,
        "kind": kind,
        "meaning": result.meaning,
        "error": None,
        "resolved": result,
        "serious": result.has_serious_warning,
        "warnings": list(result.warnings),
        "flags": [FLAG_LABELS[Flag(f)] for f in sorted(result.flags)],
        "rule_ids": result.rule_ids,
        "unverified": result.verification == Verification.U,
    }


def _matches(row: dict, query: str) -> bool:
    q = query.lower()
    haystack = [row["key"], row["kind"], row["meaning"], *row["rule_ids"]]
    return any(q in str(h).lower() for h in haystack)
