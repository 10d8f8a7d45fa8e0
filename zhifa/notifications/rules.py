"""Pure rules of notification and electronic service (no database access).

- SRV-02 (APL art. 61 para 2; S5 art. 38 para 1): electronic service only with the party's consent
  and a signed confirmation designating the receiving channel → `consent_covers`.
- SRV-03 (S5 art. 38 para 2; CPL art. 90 para 2): the date of electronic service is the date the
  message reaches the recipient's designated system, not the sending date → `arrival_from_events`,
  `service_date`.
Addresses are normalised once (`normalise_address`) so that the consent and the message compare
equal however the user typed them; they are shown masked (`mask_address_for`, SEC-03).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from zhifa.common.masking import mask_phone
from zhifa.common.timeutil import local_date

from .choices import ChannelKind, DeliveryKind, MessageStatus

MOBILE_FULL_RE = re.compile(r"1[3-9]\d{9}")
IN_APP_RE = re.compile(r"(enterprise|user):([1-9]\d{0,17})")
MAX_CONSENT_CHANNELS = 6
_email_validator = EmailValidator()


class AddressInvalid(ValueError):
    """An address that cannot receive messages on its channel; the message is Chinese."""


def in_app_address(*, enterprise_id: int | None = None, user_id: int | None = None) -> str:
    """The inbox address of an enterprise (any of its authorised contacts reads it) or of one user."""
    if enterprise_id:
        return f"enterprise:{int(enterprise_id)}"
    if user_id:
        return f"user:{int(user_id)}"
    raise AddressInvalid("站内消息须指定接收企业或接收用户")


def normalise_address(channel: str, address: Any) -> str:
    """The canonical form of `address` on `channel`, or AddressInvalid.

    E-mail: trimmed and lower-cased (mail systems treat addresses case-insensitively in practice);
    SMS: an 11-digit mainland mobile number without spaces, dashes or +86 (landlines cannot
    receive SMS); in-app: "enterprise:<id>" or "user:<id>".
    """
    text = "" if address is None else str(address).strip()
    if not text:
        raise AddressInvalid("接收地址不能为空")
    if channel == ChannelKind.EMAIL:
        text = text.lower()
        if len(text) > 254:
            raise AddressInvalid("电子邮箱地址过长")
        try:
            _email_validator(text)
        except ValidationError:
            raise AddressInvalid("电子邮箱地址格式无效") from None
        return text
    if channel == ChannelKind.SMS:
        digits = re.sub(r"[\s-]", "", text)
        if digits.startswith("+86"):
            digits = digits[3:]
        elif digits.startswith("0086"):
            digits = digits[4:]
        if not MOBILE_FULL_RE.fullmatch(digits):
            raise AddressInvalid("手机号码格式无效（应为11位手机号，固定电话不能接收短信）")
        return digits
    if channel == ChannelKind.IN_APP:
        if not IN_APP_RE.fullmatch(text):
            raise AddressInvalid("站内信箱地址无效")
        return text
    raise AddressInvalid("不支持的通知通道")


def mask_address_for(channel: str, address: str) -> str:
    """Display form of an address (SEC-03): phones as 138****5678, e-mail as z***@example.com."""
    if not address:
        return ""
    if channel == ChannelKind.SMS:
        return mask_phone(address)
    if channel == ChannelKind.EMAIL:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}" if domain else mask_phone(address)
    return address


class ConsentLike(Protocol):
    channels: list
    signed_at: datetime

    @property
    def revoked_at(self) -> datetime | None: ...


def consent_channels(consent: Any) -> list[tuple[str, str]]:
    """(channel, address) pairs a consent designates; malformed entries are ignored."""
    pairs = []
    for entry in getattr(consent, "channels", None) or []:
        if isinstance(entry, Mapping) and entry.get("channel") and entry.get("address"):
            pairs.append((str(entry["channel"]), str(entry["address"])))
    return pairs


def consent_covers(consent: ConsentLike | None, channel: str, address: str, *, at: datetime | None = None) -> bool:
    """SRV-02 (APL art. 61 para 2; S5 art. 38 para 1): may a document be served electronically on
    `channel` to `address` under `consent`?

    True only when there is a consent, it designates exactly this channel and address (compared in
    normalised form), and — when `at` (the sending time) is given — it was signed before `at` and
    not revoked at or before `at`. Check: `consent.signed_at < service.sent_at and
    service.address in consent.channels`.
    """
    if consent is None:
        return False
    if at is not None:
        if consent.signed_at is None or consent.signed_at >= at:
            return False
        revoked_at = getattr(consent, "revoked_at", None)
        if revoked_at is not None and revoked_at <= at:
            return False
    elif getattr(consent, "revoked_at", None) is not None:
        return False
    try:
        wanted = (str(channel), normalise_address(channel, address))
    except AddressInvalid:
        return False
    for entry_channel, entry_address in consent_channels(consent):
        try:
            if (entry_channel, normalise_address(entry_channel, entry_address)) == wanted:
                return True
        except AddressInvalid:
            continue
    return False


def normalise_consent_channels(channels: Iterable[Mapping[str, Any]], *, enterprise_id: int) -> list[dict[str, str]]:
    """Validate and normalise the designated channels of a consent (SRV-02: a consent must name
    the receiving channel). In-app always means the enterprise's own portal inbox. Raises
    AddressInvalid for an unknown channel, a bad address, a duplicate or an empty list."""
    result: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for entry in channels:
        if not isinstance(entry, Mapping):
            raise AddressInvalid("接收方式格式无效")
        channel = str(entry.get("channel") or "")
        if channel not in ChannelKind.values:
            raise AddressInvalid("不支持的接收方式")
        if channel == ChannelKind.IN_APP:
            address = in_app_address(enterprise_id=enterprise_id)
            given = str(entry.get("address") or "").strip()
            if given and given != address:
                raise AddressInvalid("站内消息只能指定本企业的门户信箱")
        else:
            address = normalise_address(channel, entry.get("address"))
        key = (channel, address)
        if key in seen:
            raise AddressInvalid("同一接收方式和地址不能重复指定")
        seen.add(key)
        result.append({"channel": channel, "address": address})
    if not result:
        raise AddressInvalid("请至少指定一种接收方式（SRV-02）")
    if len(result) > MAX_CONSENT_CHANNELS:
        raise AddressInvalid(f"最多指定{MAX_CONSENT_CHANNELS}个接收地址")
    return result


def consent_statement(party_name: str, channels: Iterable[Mapping[str, str]]) -> str:
    """The wording of the 送达地址确认书 the signer confirms (stored with the consent, SRV-02)."""
    lines = [f"受送达人：{party_name}", "本受送达人同意执法机关采用电子方式向下列指定的接收方式送达行政执法文书："]
    for i, entry in enumerate(channels, 1):
        channel = entry["channel"]
        label = ChannelKind(channel).label if channel in ChannelKind.values else channel
        shown = "本企业在本平台的“我的消息”" if channel == ChannelKind.IN_APP else entry["address"]
        lines.append(f"{i}. {label}：{shown}")
    lines += [
        "本受送达人知悉：",
        "一、文书到达上述指定系统的日期为送达日期（《民事诉讼法》第九十条第二款，电子送达以到达受送达人特定系统的日期为送达日期），"
        "不以本受送达人是否阅读为准；",
        "二、依法应当直接送达或者不适用电子送达的文书，执法机关仍以其他法定方式送达；",
        "三、接收地址变更或不再同意电子送达的，应当及时在本平台撤回本确认书或书面告知执法机关；撤回前已到达指定系统的文书，送达有效；",
        "四、本确认书自签署之时起生效（《行政处罚法》第六十一条第二款）。",
    ]
    return "\n".join(lines)


def consent_statement_masked(consent: Any) -> str:
    """The consent's wording with the designated addresses masked, for display (SEC-03)."""
    masked = [{"channel": c, "address": mask_address_for(c, a)} for c, a in consent_channels(consent)]
    return consent_statement(consent.party_name, masked)


def arrival_from_events(events: Iterable[tuple[str, datetime]]) -> datetime | None:
    """SRV-03: the arrival time of a message is the earliest ARRIVED event's time (when the message
    reached the recipient's designated system) — never the SENT time. None until it has arrived."""
    arrivals = [at for kind, at in events if kind == DeliveryKind.ARRIVED and at is not None]
    return min(arrivals) if arrivals else None


def service_date(arrived_at: datetime | None) -> date | None:
    """SRV-03 (S5 art. 38 para 2; CPL art. 90 para 2): the date of electronic service is the
    Asia/Shanghai calendar date (CAL-01) of the arrival in the recipient's designated system."""
    return None if arrived_at is None else local_date(arrived_at)


def message_status(kinds: Iterable[str]) -> MessageStatus:
    """The status shown for a message, derived from its delivery events (most advanced wins;
    a failure after arrival does not undo the arrival)."""
    present = set(kinds)
    if DeliveryKind.READ in present:
        return MessageStatus.READ
    if DeliveryKind.ARRIVED in present:
        return MessageStatus.ARRIVED
    if DeliveryKind.FAILED in present:
        return MessageStatus.FAILED
    if DeliveryKind.SENT in present:
        return MessageStatus.SENT
    return MessageStatus.PENDING
