"""Helpers for building small synthetic rule packs in tests."""
from __future__ import annotations

import textwrap

from zhifa.rulesets.packs import parse_pack
from zhifa.rulesets.rules import Rulebook

MINI_CN = """
jurisdiction: CN
name: 全国（测试）
inherits: []
version: "t1"
effective_from: 2021-07-15
sources: [{{code: T, title: 测试来源, verification: L}}]
params:
{params}
"""

MINI_LOCAL = """
jurisdiction: {jurisdiction}
name: 测试辖区
inherits: {inherits}
version: "{version}"
effective_from: {effective_from}
sources: [{{code: T, title: 测试来源, verification: S}}]
params:
{params}
"""


# A harmless national parameter for synthetic rulebooks whose examples live in local packs.
FILLER = """
filler.days:
  meaning: 占位参数
  value: 1
  unit: CD
  strategy: LOCAL_OVERRIDE
  source: "测试"
  verification: L
  rule_ids: [JUR-01]
"""


def mini_rulebook(cn_params: str, *locals_: tuple[str, str, str] | tuple[str, str, str, str, str]) -> Rulebook:
    """A rulebook of a synthetic CN pack and local packs given as (jurisdiction, inherits, params[, version, effective_from])."""
    if cn_params.strip() == "{}":
        cn_params = FILLER
    packs = [parse_pack(MINI_CN.format(params=textwrap.indent(textwrap.dedent(cn_params).strip("\n"), "  ")), "cn-test.yaml")]
    for spec in locals_:
        jurisdiction, inherits, params = spec[:3]
        version = spec[3] if len(spec) > 3 else "t1"
        effective_from = spec[4] if len(spec) > 4 else "2021-07-15"
        text = MINI_LOCAL.format(
            jurisdiction=jurisdiction,
            inherits=inherits,
            version=version,
            effective_from=effective_from,
            params=textwrap.indent(textwrap.dedent(params).strip("\n"), "  "),
        )
        packs.append(parse_pack(text, f"{jurisdiction.lower()}-{version}.yaml"))
    return Rulebook(packs)
