"""Forms of the notification pages. They only parse input; the services validate addresses and
check the password, and their Chinese errors are shown next to the fields."""
from __future__ import annotations

from django import forms

from . import rules
from .choices import ChannelKind, MessageStatus


class ConsentForm(forms.Form):
    """送达地址确认书: the channels the party designates, confirmed with the login password (SRV-02)."""

    use_in_app = forms.BooleanField(label="站内消息：本企业在本平台的“我的消息”", required=False, initial=True)
    email = forms.CharField(label="电子邮箱", required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    sms = forms.CharField(label="手机号码（短信）", required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    agree = forms.BooleanField(label="我已阅读上述确认书内容，同意以所指定的方式接收电子送达的执法文书", required=True)
    password = forms.CharField(label="登录密码（确认签署）", strip=False, max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def _address(self, channel: str, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return ""
        try:
            return rules.normalise_address(channel, value)
        except rules.AddressInvalid as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_email(self) -> str:
        return self._address(ChannelKind.EMAIL, "email")

    def clean_sms(self) -> str:
        return self._address(ChannelKind.SMS, "sms")

    def clean(self):
        data = super().clean()
        if not (data.get("use_in_app") or (data.get("email") or "").strip() or (data.get("sms") or "").strip()):
            raise forms.ValidationError("请至少指定一种接收方式（SRV-02）")
        return data

    def channels(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        chosen = []
        if data.get("use_in_app"):
            chosen.append({"channel": ChannelKind.IN_APP, "address": ""})
        if (data.get("email") or "").strip():
            chosen.append({"channel": ChannelKind.EMAIL, "address": data["email"]})
        if (data.get("sms") or "").strip():
            chosen.append({"channel": ChannelKind.SMS, "address": data["sms"]})
        return chosen


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤回原因", required=False, max_length=500)
    password = forms.CharField(label="登录密码（确认撤回）", strip=False, max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class MessageFilterForm(forms.Form):
    q = forms.CharField(label="标题或关联对象", required=False, max_length=100)
    channel = forms.ChoiceField(label="通道", required=False, choices=[("", "全部")] + list(ChannelKind.choices))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(MessageStatus.choices))
    eservice = forms.BooleanField(label="仅电子送达", required=False)
