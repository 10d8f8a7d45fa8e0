"""Server-side masking of personal data (SEC-03, PIPL art. 6 least-necessary; see also PUB masking).

Pure functions. Every display, export and API response of natural persons' ID numbers,
phone numbers, addresses and bank accounts goes through these unless the viewer has an
approved, logged reason to see the raw value (see accounts.services.reveal_personal_data).
"""
from __future__ import annotations

import re

from .ids import ID_NUMBER_RE, MOBILE_RE


def mask_id_number(value: str | None) -> str:
    """SEC-03: keep the first 4 and last 2 characters: 31010719800101123X → 3101************3X."""
    if not value:
        return ""
    v = value.strip()
    if len(v) <= 4:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 6) + v[-2:]


def mask_phone(value: str | None) -> str:
    """SEC-03: 13812345678 → 138****5678; landlines keep area code and last 2 digits."""
    if not value:
        return ""
    v = re.sub(r"\s", "", value)
    if len(v) == 11 and v.startswith("1"):
        return v[:3] + "****" + v[-4:]
    if len(v) <= 4:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 5) + v[-2:]


def mask_address(value: str | None) -> str:
    """SEC-03: natural persons' addresses keep the district-level prefix only (up to 区/县/市)."""
    if not value:
        return ""
    m = re.match(r"^(.*?(?:省|自治区|市)?.*?(?:区|县|旗))", value)
    prefix = m.group(1) if m and len(m.group(1)) < len(value) else value[: max(2, len(value) // 3)]
    return prefix + "****"


def mask_bank_account(value: str | None) -> str:
    """SEC-03: keep the last 4 digits of a bank account."""
    if not value:
        return ""
    v = re.sub(r"\s", "", value)
    return "*" * max(len(v) - 4, 4) + v[-4:]


def mask_person_name(value: str | None) -> str:
    """张三丰 → 张**; used where a person's name is not needed (PUB-13 third parties)."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else "*"


def scrub_text(text: str) -> str:
    """Mask every ID number and mobile number found in free text (defence in depth for notes/exports)."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)
