"""Verifying the ledger end to end (REC-16, SEC-02, SEC-09). Read-only.

One streaming pass over the entries in index order:
1. each entry's payload is re-hashed and compared with `payload_sha256`;
2. its leaf data is rebuilt from the row's fields and hashed; the result is compared with the
   stored `leaf_hash`, and the *recomputed* hash goes into the Merkle tree;
3. indexes must run 0, 1, 2, … without gaps;
4. whenever the tree reaches the size of a checkpoint (stored or given from outside), its root is
   compared with the signed root. A mismatch with no per-entry finding means rows were rewritten
   together with their hashes; the range is narrowed with the last matching checkpoint and the
   checkpoint's signed frontier (the perfect subtrees of its tree).
Signatures of all checkpoints are checked against the trusted public key(s), and the triggers
that refuse UPDATE/DELETE must be present. Memory stays O(log n) apart from the row chunk.
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from . import dbguard, keys, merkle, note
from .errors import FindingCode
from .leaf import entry_bytes, payload_digest
from .models import Checkpoint, LedgerEntry

ROW_FIELDS = (
    "index",
    "recorded_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "payload",
    "payload_sha256",
    "leaf_hash",
)
MAX_FINDINGS = 200


@dataclass
class Finding:
    """One problem. `index` names the entry; with `end` set, only the range [index, end) is known."""

    code: FindingCode
    message: str
    index: int | None = None
    end: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "message": self.message, "index": self.index, "end": self.end}


@dataclass
class VerificationReport:
    tree_size: int = 0
    root_hash: bytes = merkle.EMPTY_ROOT
    entries_checked: int = 0
    checkpoints_checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    findings_total: int = 0
    duration_s: float = 0.0

    def add(self, finding: Finding) -> None:
        self.findings_total += 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)

    @property
    def ok(self) -> bool:
        return self.findings_total == 0

    @property
    def findings_omitted(self) -> int:
        return self.findings_total - len(self.findings)

    @property
    def first_bad(self) -> Finding | None:
        """The finding naming the lowest entry index.

        A range finding (a rewrite seen only through a checkpoint) counts only if no exact
        per-entry finding falls inside its range, since that one is the better name.
        """
        exact = [f for f in self.findings if f.index is not None and f.end is None]
        ranges = [
            f
            for f in self.findings
            if f.index is not None and f.end is not None and not any(f.index <= e.index < f.end for e in exact)
        ]
        candidates = exact + ranges
        if not candidates:
            return None
        return min(candidates, key=lambda f: (f.index, f.end is not None))

    def summary(self) -> str:
        root = base64.b64encode(self.root_hash).decode()
        if self.ok:
            return f"账本完整：共 {self.tree_size} 条，根哈希 {root}，已核对 {self.checkpoints_checked} 个检查点。"
        first = self.first_bad
        head = f"发现 {self.findings_total} 个问题。"
        if first is not None:
            where = f"第 {first.index} 条" if first.end is None else f"第 {first.index} 至 {first.end - 1} 条之间"
            return head + f"第一个有问题的条目：{where}——{first.message}"
        return head + self.findings[0].message

    def as_dict(self) -> dict[str, Any]:
        first = self.first_bad
        return {
            "ok": self.ok,
            "tree_size": self.tree_size,
            "root_hash": base64.b64encode(self.root_hash).decode(),
            "entries_checked": self.entries_checked,
            "checkpoints_checked": self.checkpoints_checked,
            "findings_total": self.findings_total,
            "findings": [f.as_dict() for f in self.findings],
            "first_bad": first.as_dict() if first else None,
            "summary": self.summary(),
            "duration_s": round(self.duration_s, 3),
        }


@dataclass
class _Target:
    label: str
    tree_size: int
    root: bytes
    frontier: list[bytes] | None


def ledger_size() -> int:
    """Number of leaves: highest index + 1 (indexes are gap-free unless rows were deleted)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cur:  # raw: called on every append, the ORM aggregate costs more
        cur.execute(f"SELECT MAX({qn('index')}) FROM {qn(LedgerEntry._meta.db_table)}")
        last = cur.fetchone()[0]
    return 0 if last is None else int(last) + 1


def _payload_problem(payload: Any, payload_sha: str) -> tuple[FindingCode, str] | None:
    """None if the payload still hashes to payload_sha.

    `payload` is the stored JSON text when read by iter_rows. SQLite keeps the canonical text
    (CanonicalJSONEncoder), so hashing it directly settles the usual case; otherwise (PostgreSQL
    jsonb, or older rows) the text is decoded and re-encoded canonically before hashing.
    """
    if isinstance(payload, str):
        if hashlib.sha256(payload.encode()).hexdigest() == payload_sha:
            return None
        payload = _load_payload(payload)
    try:
        if payload_digest(payload) == payload_sha:
            return None
    except (TypeError, ValueError):
        return (FindingCode.ENTRY_UNREADABLE, "内容（payload）不是有效的 JSON，内容被改动")
    return (FindingCode.PAYLOAD_ALTERED, "内容（payload）与记录的 SHA-256 不符，内容被改动")


def check_row(row: Sequence[Any]) -> tuple[bytes, list[tuple[FindingCode, str]]]:
    """Recompute one entry's leaf hash from its fields; list what does not match (REC-16)."""
    index, recorded_at, actor_id, actor_label, action, object_type, object_id, payload, payload_sha, stored_leaf = row
    problems: list[tuple[FindingCode, str]] = []
    problem = _payload_problem(payload, payload_sha)
    if problem is not None:
        problems.append(problem)
    try:
        leaf = merkle.leaf_hash(
            entry_bytes(
                index=index,
                recorded_at=recorded_at,
                actor_id=actor_id,
                actor_label=actor_label,
                action=action,
                object_type=object_type,
                object_id=object_id,
                payload_sha256=payload_sha,
            )
        )
    except (TypeError, ValueError):
        problems.append((FindingCode.ENTRY_UNREADABLE, "条目字段无法规范化"))
        return merkle.leaf_hash(b""), problems
    if leaf.hex() != stored_leaf:
        problems.append((FindingCode.ENTRY_ALTERED, "由条目字段重算的叶子哈希与存储的叶子哈希不符，字段或叶子哈希被改动"))
    return leaf, problems


class _Unreadable:
    """Stands for a stored payload that is not valid JSON; canonical_json refuses it."""

    def __init__(self, text: str):
        self.text = text


def _load_payload(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return _Unreadable(value)


def _load_time(value: Any) -> Any:
    if isinstance(value, str):  # SQLite keeps naive UTC text
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def iter_rows(start: int, end: int, chunk_size: int = 5000) -> Iterator[tuple]:
    """Rows with index in [start, end), in index order, as ROW_FIELDS tuples.

    A raw cursor with keyset pagination: the ORM's per-value converters cost more than all the
    hashing, and a plain `WHERE index > last LIMIT n` needs no server-side cursor on either
    database. Times become aware UTC datetimes; the payload stays stored JSON text (check_row).
    """
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(qn(f) for f in ROW_FIELDS)} FROM {qn(LedgerEntry._meta.db_table)} "
        f"WHERE {qn('index')} >= %s AND {qn('index')} < %s ORDER BY {qn('index')} LIMIT %s"
    )
    position = start
    while position < end:
        with connection.cursor() as cur:
            cur.execute(sql, [position, end, chunk_size])
            rows = cur.fetchall()
        if not rows:
            return
        for row in rows:
            yield (row[0], _load_time(row[1]), *row[2:])
        position = rows[-1][0] + 1


def _trusted_keys(report: VerificationReport, trusted_keys, need: bool) -> list[note.VerifierKey]:
    if trusted_keys is not None:
        return list(trusted_keys)
    try:
        return [keys.verifier_key(create=False)]
    except keys.KeyFileError as exc:
        if need:
            report.add(Finding(FindingCode.KEY_UNAVAILABLE, f"无法读取账本签名公钥，检查点签名未核对：{exc}"))
        return []


def _stored_targets(report: VerificationReport, trusted: list[note.VerifierKey]) -> list[_Target]:
    targets = []
    for cp in Checkpoint.objects.order_by("tree_size", "id"):
        label = f"检查点 #{cp.pk}（大小 {cp.tree_size}）"
        try:
            root = bytes.fromhex(cp.root_hash)
            body = note.checkpoint_body(cp.origin, cp.tree_size, root)
            sig = note.Signature(cp.origin, bytes.fromhex(cp.key_id), base64.b64decode(cp.signature, validate=True))
            frontier = [bytes.fromhex(h) for h in cp.frontier]
        except (ValueError, TypeError, note.NoteError) as exc:
            report.add(Finding(FindingCode.CHECKPOINT_FORMAT, f"{label}的记录格式无效：{exc}"))
            continue
        if trusted:
            try:
                note.verify(note.Checkpoint(cp.origin, cp.tree_size, root, body, (sig,)), trusted)
            except note.NoteError as exc:
                report.add(Finding(FindingCode.CHECKPOINT_SIGNATURE, f"{label}：{exc.reason}"))
                continue
        # The frontier is trusted only if it folds to the signed root.
        if len(frontier) != bin(cp.tree_size).count("1") or merkle.root_from_frontier(cp.tree_size, frontier) != root:
            frontier = None
        targets.append(_Target(label, cp.tree_size, root, frontier))
    return targets


def _external_targets(report: VerificationReport, notes: Sequence[str], trusted: list[note.VerifierKey]) -> list[_Target]:
    targets = []
    for number, text in enumerate(notes, start=1):
        label = f"外部检查点 {number}" if len(notes) > 1 else "外部检查点"
        try:
            parsed = note.parse(text)
        except note.NoteError as exc:
            report.add(Finding(FindingCode.CHECKPOINT_FORMAT, f"{label}格式无效：{exc.reason}"))
            continue
        label += f"（大小 {parsed.tree_size}）"
        if parsed.origin != keys.origin():
            report.add(Finding(FindingCode.CHECKPOINT_ORIGIN, f"{label}属于日志“{parsed.origin}”，不是本账本“{keys.origin()}”"))
            continue
        if not trusted:
            report.add(Finding(FindingCode.KEY_UNAVAILABLE, f"{label}：没有可用的公钥，无法核对签名"))
            continue
        try:
            note.verify(parsed, trusted)
        except note.NoteError as exc:
            report.add(Finding(FindingCode.CHECKPOINT_SIGNATURE, f"{label}：{exc.reason}"))
            continue
        targets.append(_Target(label, parsed.tree_size, parsed.root_hash, None))
    return targets


def ledger_verify(
    *,
    external_notes: Sequence[str] = (),
    trusted_keys: Sequence[note.VerifierKey] | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 5000,
) -> VerificationReport:
    """Recompute the whole log and check it against every checkpoint; see the module docstring.

    `external_notes` are checkpoint texts kept outside the system; `trusted_keys` replaces the
    ledger's own public key (an outsider passes the key published with the checkpoints);
    `progress` is called with the number of entries processed so far.
    """
    started = time.monotonic()
    report = VerificationReport()
    for table in dbguard.LEDGER_TABLES:
        if not dbguard.installed(connection, table):
            report.add(Finding(FindingCode.TRIGGERS_MISSING, f"数据表 {table} 缺少禁止修改和删除的数据库触发器"))

    trusted = _trusted_keys(report, trusted_keys, need=Checkpoint.objects.exists() or bool(external_notes))
    targets = _stored_targets(report, trusted) + _external_targets(report, external_notes, trusted)
    # Read the size after the checkpoints: a checkpoint can never legitimately exceed it.
    size = ledger_size()
    report.tree_size = size
    for t in targets:
        if t.tree_size > size:
            report.add(
                Finding(FindingCode.TRUNCATED, f"{t.label}记录了 {t.tree_size} 条，但账本只有 {size} 条：自第 {size} 条起的条目缺失（被删除）", index=size)
            )
    pending = sorted((t for t in targets if t.tree_size <= size), key=lambda t: t.tree_size)

    rng = merkle.CompactRange()
    last_good = 0
    position = 0

    def compare_due() -> None:
        nonlocal last_good
        while pending and pending[0].tree_size == rng.size:
            target = pending.pop(0)
            if rng.root() == target.root:
                last_good = max(last_good, target.tree_size)
                report.checkpoints_checked += 1
                continue
            start, end = last_good, target.tree_size
            if target.frontier is not None:
                for (a, b), mine, theirs in zip(rng.frontier_ranges(), rng.frontier, target.frontier):
                    if mine != theirs:
                        start, end = max(start, a), b
                        break
            report.add(
                Finding(
                    FindingCode.REWRITTEN_RANGE,
                    f"{target.label}的已签名根哈希与账本重算结果不一致：第 {start} 至 {end - 1} 条之间有条目被改写（哈希被一并重算）",
                    index=start,
                    end=end,
                )
            )

    compare_due()
    for row in iter_rows(0, size, chunk_size):
        index = row[0]
        if index != position:
            report.add(Finding(FindingCode.INDEX_GAP, f"序号不连续：缺少第 {position} 至 {index - 1} 条（条目被删除）", index=position))
            position = index
        leaf, problems = check_row(row)
        for code, message in problems:
            report.add(Finding(code, message, index=index))
        rng.append(leaf)
        position += 1
        report.entries_checked += 1
        if pending and pending[0].tree_size == rng.size:
            compare_due()
        if progress is not None and report.entries_checked % chunk_size == 0:
            progress(report.entries_checked)
    for target in pending:
        report.add(Finding(FindingCode.INDEX_GAP, f"{target.label}无法核对：账本条目不足或序号不连续"))
    if progress is not None:
        progress(report.entries_checked)
    report.root_hash = rng.root()
    report.duration_s = time.monotonic() - started
    return report
