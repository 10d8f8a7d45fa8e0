"""Django side of the calendar: loaded years, cache, loader service, command, admin, recompute hook
and the /calendar/ page (CAL-04…CAL-07)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from zhifa.accounts.choices import Role
from zhifa.common import calendar_store as store
from zhifa.common import workdays as wd
from zhifa.common.errors import ZhifaError
from zhifa.common.models import HolidaySchedule
from zhifa.ledger.models import LedgerEntry

D = date.fromisoformat
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "holidays-2027-example.yaml"

YAML_2027 = """\
year: 2027
notice:
  title: 国务院办公厅关于2027年部分节假日安排的通知（测试）
  number: 测试〔2026〕1号
rest_days:
  - 2027-01-01
  - 2027-02-05..2027-02-11
  - {from: 2027-04-05, to: 2027-04-05, name: 清明节}
  - 2027-05-01..2027-05-05
  - 2027-06-09
  - 2027-09-15
  - 2027-10-01~2027-10-07
workdays:
  - 2027-02-14
  - 2027-10-09
"""


@pytest.fixture
def recorded():
    """A recompute callback that records its calls (registered for the test only)."""
    calls = []

    def callback(*, years, calendar):
        calls.append((years, calendar.is_loaded_year(2027), calendar.add_working_days(D("2027-02-04"), 1).due))

    store.register_deadline_recompute(callback)
    yield calls
    store.unregister_deadline_recompute(callback)


def _data_2027(**overrides) -> store.HolidayScheduleData:
    data = store.parse_holiday_mapping(yaml.load(YAML_2027, Loader=store._DatesAsTextLoader))
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


# --- get_calendar -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cal_07__without_loaded_rows_2027_is_provisional():
    # given no admin-loaded schedules
    # when the calendar is fetched
    cal = store.get_calendar()
    # then package years are loaded and 2027 is provisional
    assert cal.is_loaded_year(2026) and not cal.is_loaded_year(2027)
    assert store.add_working_days(D("2027-02-04"), 1).provisional is True


@pytest.mark.django_db
def test_cal_07__loaded_year_becomes_official_and_cache_follows(make_user):
    # given a cached calendar in which 2027 is provisional
    assert store.get_calendar().is_loaded_year(2027) is False
    admin = make_user(Role.SYSTEM_ADMIN)
    # when the 2027 notice is loaded through the service
    row = store.holiday_schedule_load(admin, _data_2027())
    # then the store serves the new year at once: official, with its shift Sunday working
    cal = store.get_calendar()
    assert cal.is_loaded_year(2027)
    assert store.is_working_day(D("2027-02-14")) is True
    result = store.add_working_days(D("2027-02-04"), 1)
    assert result.due == D("2027-02-12") and result.provisional is False
    assert row.loaded_by == admin and row.rest_days[0] == "2027-01-01"
    assert cal.sources[2027].startswith("国务院办公厅关于2027年")


@pytest.mark.django_db
def test_cal_06__loaded_year_overrides_package(make_user):
    # given the package's 2026 schedule, in which Sat 10 Oct 2026 is a working day
    assert store.is_working_day(D("2026-10-10")) is True
    pkg = wd.package_year_schedules()[2026]
    # when an admin loads a corrected 2026 schedule without that shift day
    data = store.HolidayScheduleData(
        year=2026,
        rest_days=sorted(pkg.rest_days),
        extra_workdays=sorted(pkg.extra_workdays - {D("2026-10-10")}),
        notice_title="更正后的2026年安排（测试）",
    )
    store.holiday_schedule_load(make_user(Role.SYSTEM_ADMIN), data)
    # then the loaded year wins over the package
    assert store.is_working_day(D("2026-10-10")) is False
    assert store.get_calendar().sources[2026] == "更正后的2026年安排（测试）"


@pytest.mark.django_db
def test_cal_07__cache_notices_direct_table_changes():
    # given a cached calendar
    store.get_calendar()
    # when a row appears without going through the service (e.g. another process)
    HolidaySchedule.objects.create(year=2027, rest_days=["2027-02-09"], extra_workdays=[], notice_title="t")
    # then the next lookup sees it
    assert store.get_calendar().is_loaded_year(2027)
    assert store.is_working_day(D("2027-02-09")) is False


# --- the service ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cal_07__load_appends_ledger_entry(make_user):
    # given an admin and a valid schedule
    admin = make_user(Role.SYSTEM_ADMIN)
    # when loaded
    row = store.holiday_schedule_load(admin, _data_2027())
    # then one ledger entry records the year, ranges and notice
    entry = LedgerEntry.objects.get(action="holiday_schedule.load")
    assert entry.object_id == str(row.pk) and entry.actor_id == admin.pk
    assert entry.payload["year"] == 2027
    assert ["2027-02-05", "2027-02-11"] in entry.payload["rest_days"]
    assert entry.payload["extra_workdays"] == ["2027-02-14", "2027-10-09"]
    assert entry.payload["replaced"] is False


@pytest.mark.django_db
def test_cal_07__reload_replaces_the_year(make_user):
    # given a loaded 2027
    admin = make_user(Role.SYSTEM_ADMIN)
    store.holiday_schedule_load(admin, _data_2027())
    # when loaded again with one shift day less
    store.holiday_schedule_load(admin, _data_2027(extra_workdays=[D("2027-10-09")], notice_number="测试〔2026〕2号"))
    # then one row remains, updated, and the second ledger entry says it replaced
    assert HolidaySchedule.objects.count() == 1
    assert HolidaySchedule.objects.get().notice_number == "测试〔2026〕2号"
    assert store.is_working_day(D("2027-02-14")) is False
    assert LedgerEntry.objects.filter(action="holiday_schedule.load").order_by("index").last().payload["replaced"] is True


@pytest.mark.django_db
def test_cal_05__invalid_schedule_writes_nothing(make_user):
    # given a schedule with a weekday shift day (Fri 8 Oct 2027)
    data = _data_2027(extra_workdays=[D("2027-10-08")], rest_days=[d for d in _data_2027().rest_days if d != D("2027-10-08")])
    # when loaded
    with pytest.raises(ZhifaError) as info:
        store.holiday_schedule_load(make_user(Role.SYSTEM_ADMIN), data)
    # then a Chinese error names the date, and neither row nor ledger entry exists
    assert "2027-10-08（星期五）" in info.value.message
    assert HolidaySchedule.objects.count() == 0
    assert not LedgerEntry.objects.filter(action="holiday_schedule.load").exists()


@pytest.mark.django_db
def test_cal_05__missing_notice_title_is_rejected(make_user):
    # given a schedule without a notice title
    # then it is refused with a Chinese message
    with pytest.raises(ZhifaError, match="缺少通知标题"):
        store.holiday_schedule_load(make_user(Role.SYSTEM_ADMIN), _data_2027(notice_title=""))


# --- the recompute hook (CAL-07) ---------------------------------------------------------------------


@pytest.mark.django_db
def test_cal_07__recompute_hook_fires_with_new_calendar(make_user, recorded):
    # given a registered recompute callback
    # when 2027 is loaded
    store.holiday_schedule_load(make_user(Role.SYSTEM_ADMIN), _data_2027())
    # then it was called once with the year and a calendar in which 2027 is official
    assert recorded == [(frozenset({2027}), True, D("2027-02-12"))]


@pytest.mark.django_db
def test_cal_07__failing_recompute_rolls_the_load_back(make_user):
    # given a recompute callback that fails
    def broken(*, years, calendar):
        raise RuntimeError("recompute failed")

    store.register_deadline_recompute(broken)
    try:
        # when 2027 is loaded
        with pytest.raises(RuntimeError):
            store.holiday_schedule_load(make_user(Role.SYSTEM_ADMIN), _data_2027())
    finally:
        store.unregister_deadline_recompute(broken)
    # then nothing was written and 2027 is still provisional
    assert HolidaySchedule.objects.count() == 0
    assert not LedgerEntry.objects.filter(action="holiday_schedule.load").exists()
    assert store.get_calendar().is_loaded_year(2027) is False


def test_cal_07__registering_twice_is_a_no_op():
    # given a callback registered twice
    def cb(*, years, calendar):
        return None

    store.register_deadline_recompute(cb)
    store.register_deadline_recompute(cb)
    try:
        # then it is in the registry once
        assert store._recompute_callbacks.count(cb) == 1
    finally:
        store.unregister_deadline_recompute(cb)


# --- load_holidays command --------------------------------------------------------------------------


@pytest.mark.django_db
def test_cal_07__command_loads_yaml_and_fires_hook(tmp_path, recorded, capsys):
    # given a YAML file for 2027
    path = _write(tmp_path, "2027.yaml", YAML_2027)
    # when the command runs
    call_command("load_holidays", path)
    # then the year is stored, logged to the ledger and the hook fired
    row = HolidaySchedule.objects.get(year=2027)
    assert row.notice_number == "测试〔2026〕1号" and row.loaded_by is None
    assert LedgerEntry.objects.filter(action="holiday_schedule.load", actor_id=None).count() == 1
    assert recorded and recorded[0][0] == frozenset({2027})
    assert "已载入" in capsys.readouterr().out


@pytest.mark.django_db
def test_cal_07__command_loads_gbk_csv_with_chinese_headers(tmp_path, make_user):
    # given a GBK-encoded CSV with Chinese headers and kinds, and a data admin
    make_user(Role.DEVICE_ADMIN, username="dataadmin")
    text = (
        "年份,类型,开始,结束,说明\n"
        "2027,通知标题,,,国务院办公厅关于2027年部分节假日安排的通知（测试）\n"
        "2027,通知文号,,,测试〔2026〕3号\n"
        "2027,放假,2027-01-01,,元旦\n"
        "2027,放假,2027-02-05,2027-02-11,春节\n"
        "2027,放假,2027-04-05,,清明节\n"
        "2027,放假,2027-05-01,2027-05-05,劳动节\n"
        "2027,放假,2027-06-09,,端午节\n"
        "2027,放假,2027-09-15,,中秋节\n"
        "2027,放假,2027-10-01,2027-10-07,国庆节\n"
        "2027,上班,2027-10-09,,国庆调休\n"
    )
    path = _write(tmp_path, "2027.csv", text, encoding="gbk")
    # when loaded as that user
    call_command("load_holidays", path, "--user", "dataadmin")
    # then the schedule is stored with the user as loader
    row = HolidaySchedule.objects.get(year=2027)
    assert row.loaded_by.username == "dataadmin"
    assert row.notice_number == "测试〔2026〕3号"
    assert row.extra_workdays == ["2027-10-09"] and len(row.rest_days) == 1 + 7 + 1 + 5 + 1 + 1 + 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (YAML_2027.replace("  - 2027-10-09\n", "  - 2027-10-08\n"), "2027-10-08（星期五）"),  # shift day on a weekday
        (YAML_2027.replace("  - 2027-10-09\n", "  - 2027-10-05\n"), "自相矛盾"),  # rest day listed as working day
        (YAML_2027.replace("  - 2027-06-09\n", "  - 2028-06-09\n"), "不属于2027年"),  # date outside the year
        (YAML_2027.replace("  - 2027-09-15\n", ""), "中秋节"),  # statutory holiday missing
        (YAML_2027.replace("2027-02-05..2027-02-11", "2027-02-11..2027-02-05"), "早于开始日期"),
        (YAML_2027.replace("  - 2027-06-09\n", "  - 2027-06-31\n"), "不是有效日期"),
        (YAML_2027.replace("workdays:", "shift_days:"), "不认识的字段"),
        (YAML_2027.replace("notice:\n", "notice: [\n"), "YAML 格式错误"),
        (YAML_2027.replace("year: 2027", "year: 二〇二七"), "不是整数"),
        ("- 2027-01-01\n", "映射"),
    ],
)
def test_cal_05__command_rejects_bad_files_and_writes_nothing(tmp_path, recorded, text, message):
    # given a file with one defect
    path = _write(tmp_path, "bad.yaml", text)
    # when the command runs
    with pytest.raises(CommandError) as info:
        call_command("load_holidays", path)
    # then the Chinese error explains it, and nothing is written or recomputed
    assert message in str(info.value)
    assert HolidaySchedule.objects.count() == 0
    assert not LedgerEntry.objects.filter(action="holiday_schedule.load").exists()
    assert recorded == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.txt", "year: 2027", "不支持的文件类型"),
        ("x.csv", "year,kind,start\n2027,holiday,2027-01-01\n", "类型“holiday”无效"),
        ("x.csv", "year,kind\n2027,rest\n", "表头缺少列"),
        ("x.csv", "year,kind,start\n2027,rest,2027-01-01\n2028,rest,2028-01-01\n", "年份不一致"),
    ],
)
def test_cal_05__command_rejects_bad_csv_and_types(tmp_path, name, text, message):
    # given a malformed CSV or an unsupported file
    path = _write(tmp_path, name, text)
    # when the command runs
    # then it fails with a Chinese message and writes nothing
    with pytest.raises(CommandError, match=message):
        call_command("load_holidays", path)
    assert HolidaySchedule.objects.count() == 0


@pytest.mark.django_db
def test_cal_05__command_refuses_missing_file_and_unauthorised_user(tmp_path, make_user):
    # given a missing file, and an officer who may not load calendars
    make_user(Role.OFFICER, username="officer1")
    path = _write(tmp_path, "2027.yaml", YAML_2027)
    # then both are refused in Chinese
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("load_holidays", str(tmp_path / "missing.yaml"))
    with pytest.raises(CommandError, match="无权载入"):
        call_command("load_holidays", path, "--user", "officer1")
    assert HolidaySchedule.objects.count() == 0


@pytest.mark.django_db
def test_cal_07__dry_run_validates_the_example_file_without_writing(capsys):
    # given the documented example file
    # when validated with --dry-run
    call_command("load_holidays", str(SAMPLE), "--dry-run")
    # then it passes, nothing is written, and the summary marks it as an example
    out = capsys.readouterr().out
    assert "校验通过（未写入）" in out and "示例" in out
    assert HolidaySchedule.objects.count() == 0


@pytest.mark.django_db
def test_cal_03__statutory_check_can_be_disabled_explicitly(tmp_path):
    # given a file that omits a statutory holiday (Mid-Autumn 2027)
    path = _write(tmp_path, "2027.yaml", YAML_2027.replace("  - 2027-09-15\n", ""))
    # when loaded with the explicit override
    call_command("load_holidays", path, "--no-statutory-check")
    # then it is stored and the ledger records that the check was skipped
    assert HolidaySchedule.objects.filter(year=2027).exists()
    assert LedgerEntry.objects.get(action="holiday_schedule.load").payload["statutory_check"] is False


# --- admin -----------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, make_user):
    user = make_user(Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def _admin_form(**overrides):
    data = {
        "year": "2027",
        "notice_title": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
        "notice_number": "测试〔2026〕4号",
        "rest_days_text": "2027-01-01\n2027-02-05..2027-02-11  # 春节\n2027-04-05\n2027-05-01..2027-05-05\n2027-06-09\n2027-09-15\n2027-10-01..2027-10-07",
        "extra_workdays_text": "2027-10-09",
        "check_statutory": "on",
        "_save": "保存",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_cal_07__admin_save_loads_through_service_and_fires_hook(admin_client, recorded):
    # given the admin add form
    # when a valid 2027 schedule is saved
    response = admin_client.post(reverse("admin:common_holidayschedule_add"), _admin_form())
    # then it redirects, the row and a ledger entry exist, and the hook fired
    assert response.status_code == 302
    row = HolidaySchedule.objects.get(year=2027)
    assert row.loaded_by == admin_client.user
    assert LedgerEntry.objects.filter(action="holiday_schedule.load", object_id=str(row.pk)).count() == 1
    assert recorded[0][:2] == (frozenset({2027}), True)


@pytest.mark.django_db
def test_cal_05__admin_shows_chinese_errors_and_writes_nothing(admin_client):
    # given a form with a weekday shift day
    form = _admin_form(extra_workdays_text="2027-10-08", rest_days_text="2027-01-01\n2027-02-05..2027-02-11\n2027-04-05\n2027-05-01..2027-05-05\n2027-06-09\n2027-09-15\n2027-10-01..2027-10-07")
    # when saved
    response = admin_client.post(reverse("admin:common_holidayschedule_add"), form)
    # then the page shows the error and nothing is stored
    assert response.status_code == 200
    assert "只有周末才能被调为上班日" in response.content.decode()
    assert HolidaySchedule.objects.count() == 0


@pytest.mark.django_db
def test_cal_07__admin_change_and_delete_fire_hook(admin_client, recorded):
    # given a loaded 2027
    row = store.holiday_schedule_load(admin_client.user, _data_2027())
    recorded.clear()
    # when the change page is opened, the year re-saved, then deleted
    change_url = reverse("admin:common_holidayschedule_change", args=[row.pk])
    assert "2027-02-05..2027-02-11" in admin_client.get(change_url).content.decode()
    form = _admin_form(extra_workdays_text="")
    form.pop("year")
    assert admin_client.post(change_url, form).status_code == 302
    assert store.is_working_day(D("2027-10-09")) is False
    response = admin_client.post(reverse("admin:common_holidayschedule_delete", args=[row.pk]), {"post": "yes"})
    # then both fired the hook; the delete was ledgered and 2027 is provisional again
    assert response.status_code == 302
    assert [call[0] for call in recorded] == [frozenset({2027}), frozenset({2027})]
    assert recorded[-1][1] is False
    assert LedgerEntry.objects.filter(action="admin.delete", object_type="common.holidayschedule").count() == 1
    assert store.get_calendar().is_loaded_year(2027) is False


# --- the /calendar/ page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cal_07__calendar_page_requires_login(client):
    # given an anonymous visitor
    response = client.get(reverse("common:calendar"))
    # then they are sent to the login page
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.django_db
def test_cal_07__calendar_page_is_closed_to_enterprise_contacts(client, make_user):
    # given an enterprise contact
    client.force_login(make_user(Role.ENTERPRISE_CONTACT, organisation=None))
    # then the page is forbidden
    assert client.get(reverse("common:calendar")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN, Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_cal_07__calendar_page_lists_sources_and_provisional_years(client, make_user, org_tree, role):
    # given a staff user and one admin-loaded year
    HolidaySchedule.objects.create(year=2028, rest_days=["2028-01-03"], extra_workdays=[], notice_title="2028年测试通知", notice_number="测试〔2027〕1号")
    client.force_login(make_user(role, org_tree["putuo"]))
    # when the page is opened
    body = client.get(reverse("common:calendar")).content.decode()
    # then it shows the package range, the loaded notice and the provisional year 2027
    assert "2004—2026" in body and wd.PACKAGE_SOURCE in body
    assert "2028年测试通知（测试〔2027〕1号）" in body
    assert "尚未载入国务院办公厅节假日安排" in body and "2027年" in body


@pytest.mark.django_db
def test_cal_06__calendar_page_computes_golden_deadline(client, make_user, org_tree):
    # given an officer
    client.force_login(make_user(Role.OFFICER, org_tree["putuo"]))
    # when asking for 7 working days after 2026-09-28
    body = client.get(reverse("common:calendar"), {"start": "2026-09-28", "n": "7", "unit": "WD"}).content.decode()
    # then the page shows 2026-10-13 based on the official schedule
    assert "2026-10-13" in body and "依据官方安排" in body


@pytest.mark.django_db
def test_cal_07__calendar_page_marks_provisional_result(client, make_user, org_tree):
    # given an officer
    client.force_login(make_user(Role.OFFICER, org_tree["putuo"]))
    # when the period runs into 2027
    body = client.get(reverse("common:calendar"), {"start": "2027-02-04", "n": "1"}).content.decode()
    # then the result 2027-02-09 is labelled provisional with the year
    assert "2027-02-09" in body and "临时" in body and "这些年份尚未载入官方节假日安排" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"start": "2026-02-30", "n": "3"}, {"start": "2026-01-01", "n": "-1"}, {"start": "x", "n": "y"}, {"start": "2099-12-30", "n": "30"}, {"start": "9999-12-31", "n": "1"}, {"start": "0001-01-01", "n": "0"}, {"year": "1900"}, {"year": "abc"}],
)
def test_cal_07__calendar_page_bad_input_is_a_form_error_not_500(client, make_user, org_tree, params):
    # given an officer and malformed or out-of-range input
    client.force_login(make_user(Role.OFFICER, org_tree["putuo"]))
    # when submitted
    response = client.get(reverse("common:calendar"), params)
    # then the page renders with a Chinese error
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode() or 'class="form-errors"' in response.content.decode()


@pytest.mark.django_db
def test_cal_07__calendar_page_year_view_shows_provisional_statutory_days(client, make_user, org_tree):
    # given an officer viewing 2027
    client.force_login(make_user(Role.OFFICER, org_tree["putuo"]))
    body = client.get(reverse("common:calendar"), {"year": "2027"}).content.decode()
    # then the statutory Spring Festival days are listed as a provisional block
    assert "2027-02-05 至 2027-02-08" in body and "尚未载入官方安排" in body
