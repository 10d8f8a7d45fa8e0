"""RFC 9162 §2.1: the pure Merkle module against the published test vectors, a reference
implementation written straight from the RFC's recursive definitions, and property tests."""
from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.ledger import merkle

# --- the shared RFC 9162 test vectors (read in place, never copied into the repository) ------

def _vector_dir() -> Path:
    """`$ZHIFA_RFC9162_VECTORS`, else `../shared/` beside the checkout, else the workplace's /work/shared."""
    if os.environ.get("ZHIFA_RFC9162_VECTORS"):
        return Path(os.environ["ZHIFA_RFC9162_VECTORS"])
    candidates = [Path(__file__).resolve().parents[3].parent / "shared", Path("/work/shared")]
    return next((c for c in candidates if c.is_dir()), candidates[0]) / "testdata" / "rfc9162"


VECTOR_DIR = _vector_dir()
VECTOR_FILES = sorted(VECTOR_DIR.rglob("*.json")) if VECTOR_DIR.is_dir() else []
needs_vectors = pytest.mark.skipif(not VECTOR_FILES, reason=f"RFC 9162 test vectors not found in {VECTOR_DIR}")


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@needs_vectors
def test_rec_16__vector_directory_holds_inclusion_and_consistency_cases():
    # given the shared directory, when it is read, then both kinds and both outcomes are present
    kinds = {("leafIdx" in _load(p), _load(p)["wantErr"]) for p in VECTOR_FILES}
    assert kinds == {(True, True), (True, False), (False, True), (False, False)}
    assert len(VECTOR_FILES) >= 196


@needs_vectors
@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda p: str(p.relative_to(VECTOR_DIR)))
def test_rec_16__rfc9162_vector(path):
    # given one vector, when it is verified, then it passes exactly when wantErr is false
    case = _load(path)
    proof = [_b64(p) for p in case["proof"] or []]
    if "leafIdx" in case:
        valid = merkle.inclusion_is_valid(case["leafIdx"], case["treeSize"], _b64(case["leafHash"]), proof, _b64(case["root"]))
    else:
        valid = merkle.consistency_is_valid(case["size1"], case["size2"], _b64(case["root1"]), _b64(case["root2"]), proof)
    assert valid is not case["wantErr"], case["desc"]


# The eight leaves of the RFC 6962 / RFC 9162 reference test tree, from which the vectors' happy
# paths were made: generating proofs over them must reproduce those vectors exactly.
REFERENCE_LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]
REFERENCE_HASHES = [merkle.leaf_hash(d) for d in REFERENCE_LEAVES]


@needs_vectors
@pytest.mark.parametrize("path", [p for p in VECTOR_FILES if p.name == "happy-path.json"], ids=lambda p: str(p.relative_to(VECTOR_DIR)))
def test_rec_16__generated_proofs_equal_vector_happy_paths(path):
    # given the reference leaves, when proofs are generated, then they equal the published ones
    case = _load(path)
    proof = [_b64(p) for p in case["proof"] or []]
    if "leafIdx" in case:
        leaves = REFERENCE_HASHES[: case["treeSize"]]
        assert merkle.tree_hash(leaves) == _b64(case["root"])
        assert leaves[case["leafIdx"]] == _b64(case["leafHash"])
        assert merkle.inclusion_proof(case["leafIdx"], leaves) == proof
    else:
        leaves = REFERENCE_HASHES[: case["size2"]]
        assert merkle.tree_hash(leaves, 0, case["size1"]) == _b64(case["root1"])
        assert merkle.tree_hash(leaves) == _b64(case["root2"])
        assert merkle.consistency_proof(case["size1"], leaves) == proof


# --- a reference implementation straight from the RFC text ---------------------------------


def ref_mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(leaves[:k]) + ref_mth(leaves[k:])).digest()


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return ref_path(m, leaves[:k]) + [ref_mth(leaves[k:])]
    return ref_path(m - k, leaves[k:]) + [ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [ref_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return ref_subproof(m, leaves[:k], b) + [ref_mth(leaves[k:])]
    return ref_subproof(m - k, leaves[k:], False) + [ref_mth(leaves[:k])]


def _leaves(n: int, salt: bytes = b"") -> list[bytes]:
    return [merkle.leaf_hash(salt + i.to_bytes(8, "big")) for i in range(n)]


def test_rec_16__hash_prefixes_are_domain_separated():
    # given the same bytes, when hashed as a leaf and as a node, then the results differ (§2.1.1)
    a, b = b"\x11" * 32, b"\x22" * 32
    assert merkle.leaf_hash(a + b) == hashlib.sha256(b"\x00" + a + b).digest()
    assert merkle.node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert merkle.leaf_hash(a + b) != merkle.node_hash(a, b)


def test_rec_16__empty_tree_root_is_hash_of_nothing():
    assert merkle.CompactRange().root() == hashlib.sha256(b"").digest() == merkle.EMPTY_ROOT


@pytest.mark.parametrize("n", list(range(0, 70)) + [127, 128, 129, 255, 256, 257, 1000])
def test_rec_16__compact_range_equals_recursive_definition(n):
    # given n leaves, when the root is computed by the stack, then it equals the RFC recursion
    leaves = _leaves(n)
    rng = merkle.CompactRange()
    rng.extend(leaves)
    assert rng.root() == ref_mth(leaves)
    assert len(rng.frontier) == bin(n).count("1")
    assert merkle.root_from_frontier(n, rng.frontier) == rng.root()
    assert [merkle.tree_hash(leaves, a, b) for a, b in rng.frontier_ranges()] == rng.frontier


def test_rec_16__compact_range_resumes_from_frontier():
    # given a frontier saved at size 37, when 20 more leaves are added, then the root is that of 57
    leaves = _leaves(57)
    first = merkle.CompactRange()
    first.extend(leaves[:37])
    resumed = merkle.CompactRange(37, first.frontier)
    resumed.extend(leaves[37:])
    assert resumed.root() == ref_mth(leaves)
    with pytest.raises(ValueError):
        merkle.CompactRange(37, first.frontier[:-1])


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100])
def test_rec_16__proof_generation_equals_recursive_definition(n):
    leaves = _leaves(n, b"gen")
    root = ref_mth(leaves)
    for m in range(n):
        proof = merkle.inclusion_proof(m, leaves)
        assert proof == ref_path(m, leaves)
        merkle.verify_inclusion(m, n, leaves[m], proof, root)
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(m, leaves)
        assert proof == ref_subproof(m, leaves, True)
        merkle.verify_consistency(m, n, ref_mth(leaves[:m]), root, proof)


def test_rec_16__generation_refuses_impossible_requests():
    leaves = _leaves(4)
    with pytest.raises(ValueError):
        merkle.inclusion_proof(4, leaves)
    with pytest.raises(ValueError):
        merkle.consistency_proof(0, leaves)
    with pytest.raises(ValueError):
        merkle.consistency_proof(5, leaves)


def test_rec_16__proof_error_carries_a_chinese_reason():
    leaves = _leaves(8)
    with pytest.raises(merkle.ProofError) as err:
        merkle.verify_inclusion(3, 8, leaves[3], merkle.inclusion_proof(3, leaves)[:-1], ref_mth(leaves))
    assert "证明节点少于" in err.value.reason


# --- properties ----------------------------------------------------------------------------


def _flip(value: bytes, bit: int) -> bytes:
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _path_shape(index: int, size: int) -> list[bool] | None:
    """The sequence of left/right steps §2.1.3.2 takes for (index, size); None if impossible.

    An inclusion proof does not commit to the tree size: two sizes with the same shape accept the
    same proof. The size is pinned by the signed checkpoint (see test_note), so a size flip is
    accepted here only when the shape is unchanged, and never otherwise.
    """
    if not 0 <= index < size:
        return None
    fn, sn, steps = index, size - 1, []
    while sn:
        if fn & 1 or fn == sn:
            steps.append(True)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            steps.append(False)
        fn >>= 1
        sn >>= 1
    return steps


def _consistency_shape(old: int, new: int) -> tuple | None:
    if not 0 < old < new:
        return None
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    steps = []
    while sn:
        if fn & 1 or fn == sn:
            steps.append(True)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            steps.append(False)
        fn >>= 1
        sn >>= 1
    return (old & (old - 1) == 0, tuple(steps))


@st.composite
def log_and_index(draw, max_size=3000):
    size = draw(st.integers(min_value=1, max_value=max_size))
    index = draw(st.integers(min_value=0, max_value=size - 1))
    salt = draw(st.binary(min_size=4, max_size=4))
    return size, index, salt


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_and_index())
def test_rec_16__property_inclusion_proofs_verify_and_any_one_bit_change_is_rejected(case):
    # given a random log and a leaf, when its audit path is generated, then it verifies
    size, index, salt = case
    leaves = _leaves(size, salt)
    root = merkle.tree_hash(leaves)
    proof = merkle.inclusion_proof(index, leaves)
    leaf = leaves[index]
    assert merkle.inclusion_is_valid(index, size, leaf, proof, root)
    # when any one bit of the proof, the leaf or the root is flipped, then it is rejected
    for i, node in enumerate(proof):
        for bit in range(256):
            bad = list(proof)
            bad[i] = _flip(node, bit)
            assert not merkle.inclusion_is_valid(index, size, leaf, bad, root)
    for bit in range(256):
        assert not merkle.inclusion_is_valid(index, size, _flip(leaf, bit), proof, root)
        assert not merkle.inclusion_is_valid(index, size, leaf, proof, _flip(root, bit))
    # when any one bit of the index is flipped, then it is rejected
    for bit in range(64):
        assert not merkle.inclusion_is_valid(index ^ (1 << bit), size, leaf, proof, root)
    # when any one bit of the tree size is flipped, then it is rejected unless the path shape is
    # identical (the size is then pinned by the checkpoint signature, not by the proof)
    shape = _path_shape(index, size)
    for bit in range(64):
        other = size ^ (1 << bit)
        if _path_shape(index, other) != shape:
            assert not merkle.inclusion_is_valid(index, other, leaf, proof, root)
    # and dropping or adding a node is rejected
    assert not merkle.inclusion_is_valid(index, size, leaf, proof + [leaf], root)
    if proof:
        assert not merkle.inclusion_is_valid(index, size, leaf, proof[:-1], root)


@st.composite
def log_and_prefix(draw, max_size=3000):
    new = draw(st.integers(min_value=2, max_value=max_size))
    old = draw(st.integers(min_value=1, max_value=new - 1))
    salt = draw(st.binary(min_size=4, max_size=4))
    return old, new, salt


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_and_prefix())
def test_rec_16__property_consistency_proofs_verify_and_any_one_bit_change_is_rejected(case):
    # given a random log and an earlier size, when a consistency proof is generated, it verifies
    old, new, salt = case
    leaves = _leaves(new, salt)
    old_root, new_root = merkle.tree_hash(leaves, 0, old), merkle.tree_hash(leaves)
    proof = merkle.consistency_proof(old, leaves)
    assert merkle.consistency_is_valid(old, new, old_root, new_root, proof)
    # when any one bit of the proof or of either root is flipped, then it is rejected
    for i, node in enumerate(proof):
        for bit in range(256):
            bad = list(proof)
            bad[i] = _flip(node, bit)
            assert not merkle.consistency_is_valid(old, new, old_root, new_root, bad)
    for bit in range(256):
        assert not merkle.consistency_is_valid(old, new, _flip(old_root, bit), new_root, proof)
        assert not merkle.consistency_is_valid(old, new, old_root, _flip(new_root, bit), proof)
    # when any one bit of the old size is flipped, then it is rejected
    for bit in range(64):
        assert not merkle.consistency_is_valid(old ^ (1 << bit), new, old_root, new_root, proof)
    # when a bit of the new size is flipped, it is rejected unless the proof shape is identical
    shape = _consistency_shape(old, new)
    for bit in range(64):
        other = new ^ (1 << bit)
        if _consistency_shape(old, other) != shape:
            assert not merkle.consistency_is_valid(old, other, old_root, new_root, proof)
    # and a tree that differs in one old leaf is not consistent with the new root
    changed = list(leaves)
    changed[old - 1] = _flip(changed[old - 1], 0)
    assert not merkle.consistency_is_valid(old, new, merkle.tree_hash(changed, 0, old), new_root, proof)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=160), st.data())
def test_rec_16__property_every_leaf_and_every_prefix_of_a_log_proves(size, data):
    # given one log, when every leaf and every prefix is proved, then all proofs verify
    leaves = _leaves(size, data.draw(st.binary(min_size=2, max_size=2)))
    root = merkle.tree_hash(leaves)
    for index in range(size):
        merkle.verify_inclusion(index, size, leaves[index], merkle.inclusion_proof(index, leaves), root)
    rng = merkle.CompactRange()
    for m in range(1, size + 1):
        rng.append(leaves[m - 1])
        merkle.verify_consistency(m, size, rng.root(), root, merkle.consistency_proof(m, leaves))


def test_rec_16__a_million_leaves_stream_with_logarithmic_memory():
    # given 1,000,000 identical leaves, when streamed, then only 7 subtree roots are kept and the
    # root equals the one built from perfect subtrees (2^k identical leaves hash by doubling)
    leaf = merkle.leaf_hash(b"x")
    rng = merkle.CompactRange()
    for _ in range(1_000_000):
        rng.append(leaf)
    perfect = [leaf]
    for _ in range(20):
        perfect.append(merkle.node_hash(perfect[-1], perfect[-1]))
    subtrees = [perfect[k] for k in reversed(range(20)) if 1_000_000 >> k & 1]
    expected = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        expected = merkle.node_hash(left, expected)
    assert rng.frontier == subtrees
    assert rng.root() == expected
