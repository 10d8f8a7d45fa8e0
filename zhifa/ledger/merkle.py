"""RFC 9162 §2.1 Merkle tree hashing, inclusion proofs and consistency proofs.

A small pure module: no Django, no database, only `hashlib`. Hashes are raw 32-byte `bytes`.

- leaf hash  MTH({d}) = SHA-256(0x00 ‖ d)                        (§2.1.1)
- node hash  SHA-256(0x01 ‖ left ‖ right)                         (§2.1.1)
- MTH of n leaves: split at k, the largest power of two below n   (§2.1.1)
- inclusion proof PATH(m, D[n]) and its verification              (§2.1.3)
- consistency proof PROOF(m, D[n]) and its verification           (§2.1.4)

Roots are computed with a compact range (a stack of perfect-subtree roots, one per set bit of the
tree size): O(n) hashing and O(log n) memory, so a million leaves take about a second.

Verification functions raise `ProofError` with a Chinese reason (it is shown to auditors);
`*_is_valid` wrappers return a bool. REC-16, SEC-09: this is what makes alteration provable.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256() (§2.1.1)

_sha256 = hashlib.sha256


class ProofError(ValueError):
    """A proof, hash or size that does not verify; `reason` is a Chinese sentence for people."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 §2.1.1: the hash of one leaf, SHA-256(0x00 ‖ d)."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: the hash of an interior node, SHA-256(0x01 ‖ left ‖ right)."""
    return _sha256(b"\x01" + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """k such that k < n <= 2k (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """Streaming Merkle tree hash of a growing log.

    `append` takes leaf *hashes*; `root()` is MTH of everything appended so far. The stack holds
    the roots of the perfect subtrees that make up the binary decomposition of `size`, left to
    right (the "frontier"); a checkpoint can store it so the next root needs only the new leaves.
    """

    __slots__ = ("size", "_stack")

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()):
        if size < 0 or len(frontier) != bin(size).count("1"):
            raise ValueError("frontier does not match size")
        self.size = size
        self._stack = list(frontier)

    def append(self, leaf: bytes) -> None:
        n = self.size
        stack = self._stack
        # Each trailing 1-bit of n is a perfect subtree of the same height as the new one: merge.
        while n & 1:
            leaf = _sha256(b"\x01" + stack.pop() + leaf).digest()
            n >>= 1
        stack.append(leaf)
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        for leaf in leaves:
            self.append(leaf)

    @property
    def frontier(self) -> list[bytes]:
        """Roots of the perfect subtrees covering [0, size), largest (leftmost) first."""
        return list(self._stack)

    def frontier_ranges(self) -> list[tuple[int, int]]:
        """The leaf ranges [start, end) that the frontier hashes cover, in the same order."""
        ranges = []
        start = 0
        for bit in reversed(range(self.size.bit_length())):
            if self.size >> bit & 1:
                ranges.append((start, start + (1 << bit)))
                start += 1 << bit
        return ranges

    def root(self) -> bytes:
        """MTH of the leaves so far: fold the perfect subtrees from the right (§2.1.1 recursion)."""
        if not self._stack:
            return EMPTY_ROOT
        h = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            h = _sha256(b"\x01" + left + h).digest()
        return h


def root_from_frontier(size: int, frontier: Sequence[bytes]) -> bytes:
    return CompactRange(size, frontier).root()


def tree_hash(leaves: Sequence[bytes], start: int = 0, end: int | None = None) -> bytes:
    """MTH(D[start:end]) over a sequence of leaf hashes (§2.1.1)."""
    end = len(leaves) if end is None else end
    rng = CompactRange()
    for i in range(start, end):
        rng.append(leaves[i])
    return rng.root()


# --- Inclusion proofs (§2.1.3) -------------------------------------------------------------


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) for leaf `index` of the tree over `leaves` (leaf hashes), leaf to root order.

    §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k,
                              PATH(m - k, D[k:n]) : MTH(D[0:k]) otherwise.
    """
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf index {index} outside tree of size {n}")
    siblings: list[bytes] = []  # collected root to leaf
    lo, hi, m = 0, n, index
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if m < k:
            siblings.append(tree_hash(leaves, lo + k, hi))
            hi = lo + k
        else:
            siblings.append(tree_hash(leaves, lo, lo + k))
            lo, m = lo + k, m - k
    siblings.reverse()
    return siblings


def _check_hash(value: bytes, what: str) -> None:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        raise ProofError(f"{what}长度不是 {HASH_SIZE} 字节")


def root_from_inclusion_proof(index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """§2.1.3.2: the root implied by a leaf hash and its audit path; raises ProofError if malformed."""
    if tree_size < 0 or index < 0:
        raise ProofError("序号或树大小为负数")
    if index >= tree_size:
        raise ProofError(f"叶子序号 {index} 不小于树大小 {tree_size}")
    _check_hash(leaf, "叶子哈希")
    fn, sn, r = index, tree_size - 1, bytes(leaf)
    for p in proof:
        _check_hash(p, "证明节点")
        if sn == 0:
            raise ProofError("证明节点多于树高所需")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("证明节点少于树高所需")
    return r


def verify_inclusion(index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ProofError unless `proof` shows leaf hash `leaf` at `index` in the tree with `root`."""
    computed = root_from_inclusion_proof(index, tree_size, leaf, proof or ())
    if computed != root:
        raise ProofError("由包含证明算出的根哈希与给定根哈希不符")


def inclusion_is_valid(index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    try:
        verify_inclusion(index, tree_size, leaf, proof, root)
    except ProofError:
        return False
    return True


# --- Consistency proofs (§2.1.4) -----------------------------------------------------------


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) for 0 < m <= n (§2.1.4.1); empty when m == n.

    SUBPROOF(m, D[n], b) = [] if m == n and b; [MTH(D[n])] if m == n and not b;
      SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) if m <= k;
      SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]) if m > k.
    """
    n = len(leaves)
    if not 0 < old_size <= n:
        raise ValueError(f"old size {old_size} must be in 1..{n}")
    nodes: list[bytes] = []  # collected root to leaf
    lo, hi, m, whole = 0, n, old_size, True
    while m != hi - lo:
        k = _largest_power_of_two_below(hi - lo)
        if m <= k:
            nodes.append(tree_hash(leaves, lo + k, hi))
            hi = lo + k
        else:
            nodes.append(tree_hash(leaves, lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        nodes.append(tree_hash(leaves, lo, hi))
    nodes.reverse()
    return nodes


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> None:
    """Raise ProofError unless `proof` shows the tree of `old_size` is a prefix of `new_size` (§2.1.4.2).

    Edge cases follow the published test vectors: a consistency check from the empty tree proves
    nothing and is refused; equal sizes need an empty proof and identical roots.
    """
    proof = list(proof or ())
    if old_size < 0 or new_size < 0:
        raise ProofError("树大小为负数")
    if old_size > new_size:
        raise ProofError(f"旧树大小 {old_size} 大于新树大小 {new_size}")
    if old_size == 0:
        raise ProofError("旧树为空，一致性证明没有意义")
    if old_size == new_size:
        if proof:
            raise ProofError("树大小相同，但一致性证明不为空")
        if old_root != new_root:
            raise ProofError("树大小相同，但根哈希不同")
        return
    if not proof:
        raise ProofError("一致性证明为空")
    for p in proof:
        _check_hash(p, "证明节点")
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is itself a node
        proof = [bytes(old_root), *proof]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("证明节点多于所需")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("证明节点少于所需")
    if fr != old_root:
        raise ProofError("由一致性证明算出的旧根哈希与给定值不符")
    if sr != new_root:
        raise ProofError("由一致性证明算出的新根哈希与给定值不符")


def consistency_is_valid(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    try:
        verify_consistency(old_size, new_size, old_root, new_root, proof)
    except ProofError:
        return False
    return True
