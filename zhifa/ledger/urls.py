"""URL routes of the ledger's auditor page; mounted at /ledger/ by config/urls.py."""
from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("verify/", views.verify, name="verify"),
    path("checkpoints/", views.checkpoint_new, name="checkpoint_new"),
    path("checkpoints/latest.txt", views.checkpoint_text, name="checkpoint_latest"),
    path("checkpoints/<int:pk>.txt", views.checkpoint_text, name="checkpoint_text"),
    path("public-key.pem", views.public_key, {"fmt": "pem"}, name="public_key_pem"),
    path("public-key.txt", views.public_key, {"fmt": "note"}, name="public_key_note"),
    path("proofs/inclusion/", views.proof_inclusion, name="proof_inclusion"),
    path("proofs/consistency/", views.proof_consistency, name="proof_consistency"),
]
