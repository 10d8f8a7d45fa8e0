"""The auditor page (/ledger/): tree size, latest checkpoint, public key, on-demand verification,
plus downloads and JSON proofs for outsiders. Views only check the role and call services.

Visible to auditors, system administrators and supervisors (REC-16, SEC-02: records must be
reviewable by supervision). Role names are plain strings: the ledger imports no other app.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhifa.common.errors import ZhifaError

from . import keys
from .models import Checkpoint
from .selectors import consistency_proof, inclusion_proof, latest_checkpoint
from .services import checkpoint_create, checkpoint_note, ledger_verification_record
from .verification import ledger_size, ledger_verify

VIEW_ROLES = frozenset({"AUDITOR", "SYSTEM_ADMIN", "SUPERVISOR"})
# Signing a checkpoint is a write; auditors read and verify but change nothing.
CHECKPOINT_ROLES = frozenset({"SYSTEM_ADMIN", "SUPERVISOR"})
RECENT_CHECKPOINTS = 10


def _require_role(request, roles) -> None:
    if getattr(request.user, "role", None) not in roles:
        raise PermissionDenied("无权访问账本核验页面")


def _public_key():
    try:
        return keys.verifier_key(create=False)
    except keys.KeyFileError:
        return None


def _page(request, *, report=None, status=200):
    latest = latest_checkpoint()
    context = {
        "tree_size": ledger_size(),
        "latest": latest,
        "latest_text": checkpoint_note(latest) if latest else "",
        "recent": Checkpoint.objects.order_by("-tree_size", "-id")[:RECENT_CHECKPOINTS],
        "public_key": _public_key(),
        "origin": keys.origin(),
        "can_checkpoint": request.user.role in CHECKPOINT_ROLES,
        "report": report,
    }
    return render(request, "ledger/index.html", context, status=status)


@never_cache
@login_required
@require_GET
def index(request):
    _require_role(request, VIEW_ROLES)
    return _page(request)


@never_cache
@login_required
@require_POST
def verify(request):
    """Run the full verification now and show the result; the run itself is logged (SEC-02)."""
    _require_role(request, VIEW_ROLES)
    report = ledger_verify()
    ledger_verification_record(actor=request.user, report=report)
    return _page(request, report=report)


@login_required
@require_POST
def checkpoint_new(request):
    _require_role(request, CHECKPOINT_ROLES)
    try:
        checkpoint = checkpoint_create(actor=request.user)
    except ZhifaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已签署检查点 #{checkpoint.pk}（树大小 {checkpoint.tree_size}）。")
    return redirect("ledger:index")


def _text_download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def checkpoint_text(request, pk: int | None = None):
    _require_role(request, VIEW_ROLES)
    checkpoint = latest_checkpoint() if pk is None else Checkpoint.objects.filter(pk=pk).first()
    if checkpoint is None:
        raise Http404("检查点不存在")
    return _text_download(checkpoint_note(checkpoint), f"zhifa-ledger-checkpoint-{checkpoint.tree_size}.txt")


@login_required
@require_GET
def public_key(request, fmt: str):
    _require_role(request, VIEW_ROLES)
    key = _public_key()
    if key is None:
        raise Http404("尚未生成签名密钥")
    if fmt == "pem":
        return _text_download(key.pem(), "zhifa-ledger-public-key.pem")
    return _text_download(key.text() + "\n", "zhifa-ledger-public-key.txt")


def _json(request, build, *args) -> JsonResponse:
    try:
        return JsonResponse(build(*args), json_dumps_params={"ensure_ascii": False})
    except ZhifaError as exc:
        return JsonResponse({"error": exc.as_dict()}, status=exc.status, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def proof_inclusion(request):
    """RFC 9162 §2.1.3 audit path as JSON: ?index=…&tree_size=… (tree_size defaults to the log)."""
    _require_role(request, VIEW_ROLES)
    return _json(request, inclusion_proof, request.GET.get("index"), request.GET.get("tree_size"))


@login_required
@require_GET
def proof_consistency(request):
    """RFC 9162 §2.1.4 consistency proof as JSON: ?old_size=…&new_size=…"""
    _require_role(request, VIEW_ROLES)
    return _json(request, consistency_proof, request.GET.get("old_size"), request.GET.get("new_size"))
