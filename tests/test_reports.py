"""Reports: KPI on known answers, fiscal-year boundaries, B.E. labels, exports equal to
the page, percentiles, who may see them, dashboard panels."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from openpyxl import load_workbook

from services.core.roles import EXECUTIVES, GROUP_HEADS, OFFICERS, STAFF, ensure_groups
from services.reports.build import build_report
from services.reports.period import Period
from services.tickets.models import Ticket

from .reporting import answer, at, make_service, make_ticket


def user_in(group_name):
    ensure_groups()
    from django.contrib.auth.models import Group

    user = User.objects.create_user(
        f"u-{group_name}".replace(" ", "-"),
        password="pw-123456789",
        email=f"{group_name.replace(' ', '')}@example.go.th",
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def services(home_page):
    repair = make_service(home_page, "repair-test", "ICT 02", "ซ่อมคอมพิวเตอร์", target=70)
    zoom = make_service(home_page, "zoom-test", "ICT 01", "ห้องประชุม Zoom", target=80)
    return repair, zoom


# --- KPI arithmetic ----------------------------------------------------------------------
def test_kpi_on_known_answers_per_service_and_overall(services):
    repair, zoom = services
    when = at(2026, 1, 15)
    # repair: answer means 4.0 and 3.0 -> 3.5 -> 70 % = its 70 % target (met)
    answer(repair, (4, 4, 4, 4, 4), when)
    answer(repair, (3, 3, 3, 2, 4), when)
    # zoom: means 4.2, 3.4, 3.6 -> 3.7333, shown 3.73 -> 74.6 % (the percentage is taken
    # from the mean as printed, so a reader can redo it by hand) < its 80 % target
    answer(zoom, (5, 4, 4, 4, 4), when)
    answer(zoom, (3, 3, 4, 3, 4), when)
    answer(zoom, (4, 3, 4, 3, 4), when)
    answer(zoom, (1, 1, 1, 1, 1), at(2025, 12, 31, 23, 59))  # last month: not counted

    data = build_report(Period.month(2026, 1))
    by_title = {s["title"]: s["satisfaction"] for s in data["services"]}
    assert by_title["ซ่อมคอมพิวเตอร์"] == {
        "mean": 3.5,
        "percent": 70.0,
        "count": 2,
        "target": 70.0,
        "met": True,
    }
    assert by_title["ห้องประชุม Zoom"] == {
        "mean": 3.73,
        "percent": 74.6,
        "count": 3,
        "target": 80.0,
        "met": False,
    }
    overall = data["satisfaction"]
    # all five answers: (4.0 + 3.0 + 4.2 + 3.4 + 3.6) / 5 = 3.64 -> 72.8 %
    assert overall["count"] == 5 and overall["mean"] == 3.64 and overall["percent"] == 72.8
    assert overall["met"] and overall["target"] == 70.0
    assert overall["questions"]["ease"] == 3.8  # (4+3+5+3+4)/5
    assert Decimal(str(overall["percent"])) == Decimal(str(overall["mean"])) / 5 * 100


def test_walk_in_answers_are_shown_apart(services, client):
    from services.surveys.models import SurveyResponse

    repair, _zoom = services
    when = at(2026, 1, 15)
    answer(repair, (5, 5, 5, 5, 5), when)  # walk-in (no ticket)
    linked = answer(repair, (3, 3, 3, 3, 3), when)
    SurveyResponse.objects.filter(pk=linked.pk).update(channel=SurveyResponse.Channel.LINK)
    channels = {
        row["channel"]: row
        for row in build_report(Period.month(2026, 1))["satisfaction"]["channels"]
    }
    assert channels["walk_in"]["count"] == 1 and channels["walk_in"]["percent"] == 100.0
    assert channels["link"]["count"] == 1 and channels["link"]["percent"] == 60.0


# --- fiscal years and labels --------------------------------------------------------------
@translation.override("th")
def test_fiscal_year_runs_from_1_october_to_30_september():
    period = Period.fiscal_year(2569)
    assert (period.start, period.end) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    start, end = period.bounds()
    assert start.isoformat() == "2025-10-01T00:00:00+07:00"
    assert end.isoformat() == "2026-10-01T00:00:00+07:00"
    assert str(period.label) == "ปีงบประมาณ พ.ศ. 2569"
    assert Period.month(2025, 9).label == "เดือนกันยายน 2568"
    assert Period.previous_month(dt.date(2026, 1, 1)) == Period.month(2025, 12)
    assert period.dates_label == "1 ตุลาคม 2568 ถึง 30 กันยายน 2569"
    labels = [label for label, _s, _e in period.buckets()]
    assert labels[0] == "ต.ค. 68" and labels[-1] == "ก.ย. 69" and len(labels) == 12
    with translation.override("en"):
        assert period.label == "Fiscal year B.E. 2569"
        assert Period.month(2025, 9).label == "September B.E. 2568"


def test_tickets_on_30_september_and_1_october_fall_in_different_fiscal_years(services):
    repair, _zoom = services
    make_ticket(repair, at(2025, 9, 30, 23, 59), steps=[(10, 30, True)])
    make_ticket(repair, at(2025, 10, 1, 0, 0), steps=[(10, 30, True)])
    make_ticket(repair, at(2025, 10, 1, 0, 1), status=Ticket.Status.REJECTED)
    answer(repair, (5, 5, 5, 5, 5), at(2025, 9, 30, 23, 59))
    answer(repair, (2, 2, 2, 2, 2), at(2025, 10, 1, 0, 0))
    fy2568 = build_report(Period.fiscal_year(2568))
    fy2569 = build_report(Period.fiscal_year(2569))
    assert fy2568["totals"]["received"] == 1 and fy2568["totals"]["completed"] == 1
    assert fy2569["totals"]["received"] == 2 and fy2569["totals"]["rejected"] == 1
    assert fy2568["satisfaction"]["percent"] == 100.0
    assert fy2569["satisfaction"]["percent"] == 40.0
    assert fy2569["trend"]["received"][0] == 2  # October of FY 2569


def test_received_completed_rejected_open_and_step_times(services):
    repair, zoom = services
    day = at(2026, 2, 2)
    # step 1 (30 min target): 10, 40, 20 minutes; step 2 (120 min): 200, 60 minutes
    make_ticket(repair, day, steps=[(10, 30, True), (200, 120, True)])
    make_ticket(repair, day, steps=[(40, 30, True), (60, 120, True)])
    make_ticket(repair, day, status=Ticket.Status.OPEN, steps=[(20, 30, True), (5, 120, False)])
    make_ticket(zoom, day, status=Ticket.Status.CANCELLED)
    data = build_report(Period.month(2026, 2), now=at(2026, 2, 2, 11, 0))
    repair_row = next(s for s in data["services"] if s["title"] == "ซ่อมคอมพิวเตอร์")
    assert [repair_row[k] for k in ("received", "completed", "rejected", "open")] == [3, 2, 0, 1]
    assert data["totals"]["cancelled"] == 1 and data["totals"]["received"] == 4
    steps = {row["position"]: row for row in data["steps"]}
    # All in office hours on a Monday: working and elapsed minutes are the same.
    assert steps[1]["median_working_minutes"] == steps[1]["median_elapsed_minutes"] == 20.0
    assert steps[1]["p90_working_minutes"] == 36.0  # 20 + 0.8 * (40 - 20)
    assert steps[1]["share_within"] == 66.67 and steps[1]["breached"] == 1
    assert steps[2]["median_working_minutes"] == 130.0
    assert steps[2]["p90_working_minutes"] == 186.0
    assert steps[2]["median_elapsed_minutes"] == 130.0
    assert steps[2]["finished"] == 2 and steps[2]["within"] == 1
    # the open ticket's step 2 is due at 11:30, not yet late at 11:00
    assert steps[2]["breached"] == 1
    assert data["breaches"]["total"] == 2
    assert [r["reference"] for r in data["breaches"]["rows"]][0].startswith("ICT-2569-")


# --- one time basis: working time ------------------------------------------------------
FRIDAY_1600 = at(2026, 3, 13, 16, 0)  # office hours 08:30-16:30 (settings), Monday 16 March
MONDAY_0930 = at(2026, 3, 16, 9, 30)  # is a working day


def test_a_step_over_a_weekend_counts_its_office_minutes_beside_the_elapsed_ones(db):
    """Friday 16:00 to Monday 09:30: 30 + 60 = 90 office minutes, 3,930 elapsed. With a
    target of two working hours (due Monday 10:00) the step is on time, and the medians
    of the report say the same: 90 working minutes, under its 120."""
    from services.tickets import moves
    from services.tickets.models import TicketStep

    from .desk_helpers import desk_users, make_ticket, step

    users = desk_users()
    ticket = make_ticket([step("work", amount=2, unit="hours"), step("report")], FRIDAY_1600)
    first = ticket.steps.get(position=1)
    assert first.due_at == at(2026, 3, 16, 10, 0)
    moves.take(ticket, users["officer"], now=FRIDAY_1600)
    moves.finish(ticket, users["officer"], now=MONDAY_0930)  # the desk keeps the minutes
    first.refresh_from_db()
    assert first.status == TicketStep.Status.DONE and first.working_minutes == 90

    data = build_report(Period.month(2026, 3), now=at(2026, 3, 16, 11, 0))
    row = next(r for r in data["steps"] if r["position"] == 1)
    assert (row["finished"], row["within"], row["share_within"], row["breached"]) == (
        1,
        1,
        100.0,
        0,
    )
    assert row["median_working_minutes"] == 90.0 and row["p90_working_minutes"] == 90.0
    assert row["median_elapsed_minutes"] == 3930.0  # 2 days 17.5 hours on the wall clock
    officer = next(r for r in data["officers"] if r["name"] == "Officer1")
    assert officer["within"] == 1 and officer["share_within"] == 100.0
    assert officer["median_working_minutes"] == 90.0
    assert officer["median_elapsed_minutes"] == 3930.0

    # The tables people read say which is which, and put each number under its own heading.
    from services.reports.build import report_tables

    with translation.override("th"):
        tables = {table.key: table for table in report_tables(data)}
    for key, label in (("steps", ""), ("officers", "ต่อขั้นตอน")):
        table = tables[key]
        shown = dict(zip(table.headers, table.rows[0], strict=True))
        assert shown[f"มัธยฐานเวลาทำการ{label} (นาที)"] == 90.0, key
        assert shown[f"เปอร์เซ็นไทล์ที่ 90 เวลาทำการ{label} (นาที)"] == 90.0, key
        assert shown[f"มัธยฐานเวลาที่ผ่านไปจริง{label} (นาที)"] == 3930.0, key


def test_a_step_late_over_a_weekend_is_late_by_its_office_minutes_beside_the_elapsed(services):
    repair, _zoom = services
    # Friday 15:00 with a one-working-hour target: due Friday 16:00, done Monday 09:30.
    make_ticket(repair, at(2026, 3, 13, 15, 0), steps=[(3990, 60, True)], mode="working")
    data = build_report(Period.month(2026, 3), now=at(2026, 3, 20))
    (row,) = data["breaches"]["rows"]
    assert row["late_working_minutes"] == 90.0  # 16:00-16:30 Friday, 08:30-09:30 Monday
    assert row["late_elapsed_minutes"] == 3930.0
    (step,) = data["steps"]
    assert step["breached"] == 1 and step["share_within"] == 0.0
    assert step["median_working_minutes"] == 150.0 > 60  # late, and the median says so
    with translation.override("th"):
        from services.reports.build import report_tables

        breaches = next(t for t in report_tables(data) if t.key == "breaches")
    shown = dict(zip(breaches.headers, breaches.rows[0], strict=True))
    assert shown["เกินกำหนด (นาที เวลาทำการ)"] == 90.0
    assert shown["เกินกำหนด (นาที เวลาที่ผ่านไปจริง)"] == 3930.0


def test_reports_stored_before_working_time_show_their_elapsed_figures_as_elapsed(services):
    """A stored report of before (elapsed ``median_minutes``, ``p90_minutes`` and
    ``late_minutes``) shows those under the elapsed headings, none as working time."""
    from services.reports.build import report_tables

    repair, _zoom = services
    make_ticket(repair, at(2026, 3, 13, 15, 0), steps=[(3990, 60, True)], mode="working")
    data = build_report(Period.month(2026, 3), now=at(2026, 3, 20))
    (step,) = data["steps"]
    for key in ("median_working_minutes", "p90_working_minutes", "median_elapsed_minutes"):
        del step[key]
    step.update(median_minutes=3990.0, p90_minutes=3990.0)
    (late,) = data["breaches"]["rows"]
    del late["late_working_minutes"], late["late_elapsed_minutes"]
    late["late_minutes"] = 3930.0
    with translation.override("th"):
        tables = {table.key: table for table in report_tables(data)}
    steps = dict(zip(tables["steps"].headers, tables["steps"].rows[0], strict=True))
    assert steps["มัธยฐานเวลาที่ผ่านไปจริง (นาที)"] == 3990.0
    assert steps["มัธยฐานเวลาทำการ (นาที)"] == steps["เปอร์เซ็นไทล์ที่ 90 เวลาทำการ (นาที)"] == ""
    breaches = dict(zip(tables["breaches"].headers, tables["breaches"].rows[0], strict=True))
    assert breaches["เกินกำหนด (นาที เวลาที่ผ่านไปจริง)"] == 3930.0
    assert breaches["เกินกำหนด (นาที เวลาทำการ)"] == ""


def test_steps_within_a_working_time_target_never_show_a_median_above_it(services):
    """Random steps across nights, weekends and a holiday, each done by its working-time
    due time: every share is 100 %, and no median or 90th percentile passes the target
    (their elapsed times often do)."""
    import random

    repair, zoom = services
    rng = random.Random(15)
    for _ in range(40):
        created = at(2026, 4, 1, 0, 0) + dt.timedelta(minutes=rng.randrange(28 * 24 * 60))
        targets = rng.choice([(60, 240), (120, 480), (30, 960)])
        steps = []
        cursor = created
        for target in targets:
            from services.core.clock import get_clock

            due = get_clock().add(cursor, target, "minutes")
            taken = int((due - cursor).total_seconds() // 60 * rng.uniform(0.2, 1.0))
            steps.append((taken, target, True))
            cursor += dt.timedelta(minutes=taken)
        make_ticket(rng.choice(services), created, steps=steps, mode="working")
    data = build_report(Period.month(2026, 4), now=at(2026, 6, 1))
    assert data["steps"] and sum(r["finished"] for r in data["steps"]) == 80
    beyond = 0
    for row in data["steps"]:
        target = int(row["target"].split()[0])
        assert row["share_within"] == 100.0, row
        assert row["median_working_minutes"] <= target, row
        assert row["p90_working_minutes"] <= target, row
        beyond += row["median_elapsed_minutes"] > target
    assert beyond, "some elapsed medians pass their target: the weekends are in the data"


# --- the page and its exports ------------------------------------------------------------
def page_tables(html):
    tables = {}
    for key, body in re.findall(r'data-table="(\w+)">(.*?)</table>', html, re.S):
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([norm(unescape(c).strip()) for c in cells])
        tables[key] = rows
    return tables


def norm(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # an XLSX date cell, in office time
        from home.thai import thai_datetime
        from services.core.clock import BANGKOK

        return thai_datetime(value.replace(tzinfo=BANGKOK))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


@pytest.fixture
def busy_month(services):
    repair, zoom = services
    make_ticket(repair, at(2026, 3, 2), steps=[(10, 30, True), (200, 120, True)])
    make_ticket(repair, at(2026, 3, 3), steps=[(25, 30, True), (100, 120, True)])
    make_ticket(zoom, at(2026, 3, 4), status=Ticket.Status.REJECTED, steps=[(50, 30, True)])
    answer(repair, (5, 4, 4, 4, 5), at(2026, 3, 5))
    answer(zoom, (3, 3, 3, 3, 2), at(2026, 3, 6))
    return services


def test_csv_and_xlsx_hold_the_same_numbers_as_the_page(client, busy_month):
    client.force_login(user_in(EXECUTIVES))
    query = "kind=month&month=3&year=2569"
    page = client.get(f"/admin/reports/?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    shown = page_tables(html)
    # No officer or booking in this month: those sections say "no data" instead.
    assert set(shown) == {"services", "steps", "satisfaction", "breaches", "channels"}
    # every ticket here came from the web: received 3, completed and open as counted
    assert ["แบบฟอร์มออนไลน์", "3"] == shown["channels"][1][:2]
    assert len(shown["services"]) == 4  # header, two services, total
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/reports/export.xlsx?{query}").content))
    sheet_titles = workbook.sheetnames
    assert sheet_titles[0] == "ข้อมูลรายงาน"
    for index, key in enumerate(
        ["services", "steps", "satisfaction", "breaches", "channels"], start=1
    ):
        response = client.get(f"/admin/reports/export.csv?{query}&table={key}")
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'month-2026-03-{key}.csv"')
        from_csv = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        from_xlsx = [
            [norm(c.value) for c in row] for row in workbook[sheet_titles[index]].iter_rows()
        ]
        assert [[norm(c) for c in row] for row in from_csv] == shown[key], key
        assert from_xlsx == shown[key], key
    # spot-check real numbers rather than only equality
    total = shown["services"][-1]
    assert total[1] == "รวมทุกบริการ" and total[2:7] == ["3", "2", "1", "0", "0"]
    assert "ร้อยละความพึงพอใจ = คะแนนเฉลี่ย ÷ 5 × 100" in html
    assert "เดือนมีนาคม 2569" in html and "1 มีนาคม 2569 ถึง 31 มีนาคม 2569" in html
    info = {row[0].value: row[1].value for row in workbook["ข้อมูลรายงาน"].iter_rows()}
    assert info["สูตรคำนวณ"] == "ร้อยละความพึงพอใจ = คะแนนเฉลี่ย ÷ 5 × 100"
    assert info["ช่วงเวลา"] == "เดือนมีนาคม 2569"
    assert info["ตั้งแต่วันที่"] == dt.datetime(2026, 3, 1)  # a real date cell
    assert "<svg" in html and "ร้อยละความพึงพอใจรายบริการ" in html


def test_xlsx_has_date_cells_in_buddhist_era_and_prints_a4_landscape(client, busy_month):
    from openpyxl.worksheet.worksheet import Worksheet

    from services.reports.export import THAI_DATE_FORMAT, THAI_DATETIME_FORMAT

    client.force_login(user_in(EXECUTIVES))
    response = client.get("/admin/reports/export.xlsx?kind=month&month=3&year=2569")
    workbook = load_workbook(io.BytesIO(response.content))
    info = workbook["ข้อมูลรายงาน"]
    dates = {row[0].value: row[1] for row in info.iter_rows()}
    assert dates["ตั้งแต่วันที่"].is_date and dates["ตั้งแต่วันที่"].value == dt.datetime(2026, 3, 1)
    assert dates["ถึงวันที่"].value == dt.datetime(2026, 3, 31)
    assert dates["ตั้งแต่วันที่"].number_format == THAI_DATE_FORMAT
    assert dates["จัดทำเมื่อ"].is_date and dates["จัดทำเมื่อ"].number_format == THAI_DATETIME_FORMAT
    assert "[$-107041E]" in THAI_DATE_FORMAT  # Thai locale, Buddhist calendar
    breaches = workbook["รายการขั้นตอนที่เกินกำหนด"]
    headers = [c.value for c in breaches[1]]
    due = headers.index("กำหนดเสร็จ") + 1
    due_cells = [row[due - 1] for row in breaches.iter_rows(min_row=2)]
    assert due_cells, "the busy month has breached steps"
    for cell in due_cells:
        assert cell.is_date and isinstance(cell.value, dt.datetime)
        assert cell.value.year == 2026 and cell.value.month == 3
    for sheet in workbook.worksheets:
        assert int(sheet.page_setup.paperSize) == int(Worksheet.PAPERSIZE_A4) == 9
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2"


def test_fiscal_year_report_page_and_print_view_show_be_dates_and_office(client, busy_month):
    from wagtail.models import Site

    from home.models import OfficeSettings

    office = OfficeSettings.for_site(Site.objects.get(is_default_site=True))
    office.name = "สำนักงานเขตพื้นที่การศึกษาทดสอบ"
    office.save()
    client.force_login(user_in(GROUP_HEADS))
    html = client.get("/admin/reports/?kind=fiscal_year&fiscal_year=2569").content.decode()
    assert "ปีงบประมาณ พ.ศ. 2569" in html and "1 ตุลาคม 2568 ถึง 30 กันยายน 2569" in html
    printed = client.get("/admin/reports/print/?kind=fiscal_year&fiscal_year=2569")
    text = printed.content.decode()
    assert printed.status_code == 200
    assert "สำนักงานเขตพื้นที่การศึกษาทดสอบ" in text
    assert "ปีงบประมาณ พ.ศ. 2569" in text and "ร้อยละความพึงพอใจ = คะแนนเฉลี่ย ÷ 5 × 100" in text
    assert "size: A4" in open("static/css/reports.css").read()
    # B.E. dates in the breach list
    assert "มีนาคม 2569 เวลา" in text


def test_bad_period_is_a_400_with_thai_messages_and_input_kept(client, services):
    client.force_login(user_in(OFFICERS))
    response = client.get("/admin/reports/?kind=range&start=2026-03-10&end=2026-03-01")
    html = response.content.decode()
    assert response.status_code == 400
    assert "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น" in html and 'value="2026-03-10"' in html
    assert client.get("/admin/reports/export.csv?kind=month").status_code == 400
    ok = client.get("/admin/reports/?kind=range&start=2026-03-01&end=2026-03-10")
    assert ok.status_code == 200 and "1 มี.ค. 2569 – 10 มี.ค. 2569" in ok.content.decode()


@pytest.mark.parametrize(
    "group,allowed", [(EXECUTIVES, True), (OFFICERS, True), (GROUP_HEADS, True), (STAFF, False)]
)
def test_who_may_see_reports(client, services, group, allowed):
    client.force_login(user_in(group))
    for url in (
        "/admin/reports/",
        "/admin/reports/export.xlsx",
        "/admin/reports/print/",
        "/admin/reports/stored/",
    ):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:  # Wagtail turns the refusal into a redirect to the dashboard with a message
            assert response.status_code == 302 and response["Location"] == "/admin/", url
    home = client.get("/admin/").content.decode()
    assert ("คำขอที่ยังไม่เสร็จ แยกตามบริการ" in home) == allowed
    # The menu entry (Wagtail's own workflow reports live under /admin/reports/… too).
    assert ('"url": "/admin/reports/"' in home) == allowed


def test_dashboard_panels_show_open_tickets_breaches_and_satisfaction(client, services):
    from django.utils import timezone

    repair, zoom = services
    now = timezone.now()
    make_ticket(
        repair, now - dt.timedelta(minutes=90), status=Ticket.Status.OPEN, steps=[(5, 30, False)]
    )  # due an hour ago: a breach this week
    make_ticket(zoom, now, status=Ticket.Status.OPEN, steps=[(5, 30, False)])
    answer(repair, (4, 4, 4, 4, 4), now)
    client.force_login(user_in(EXECUTIVES))
    html = client.get("/admin/").content.decode()
    assert "คำขอที่ยังไม่เสร็จ แยกตามบริการ" in html
    assert "ICT 02 ซ่อมคอมพิวเตอร์" in html and "ICT 01 ห้องประชุม Zoom" in html
    assert "ขั้นตอนที่เกินกำหนดในสัปดาห์นี้" in html
    assert "80.00%" in html  # 4.0 / 5 × 100
    from home.thai import fiscal_year_be

    assert f"ปีงบประมาณ พ.ศ. {fiscal_year_be(now)}" in html


def test_fiscal_year_trend_draws_no_future_months(busy_month):
    from services.reports.output import report_charts

    now = at(2026, 3, 20)
    data = build_report(Period.fiscal_year(2569), now)
    # October 2568 (2025) to March 2569 (2026): six months, none after "now".
    assert len(data["trend"]["labels"]) == 6
    assert data["trend"]["received"][-1] == 3
    charts = dict(report_charts(data))
    trend_svg = charts["คำขอที่ได้รับและดำเนินการเสร็จ"]
    assert trend_svg.count("<polyline") == 2
    assert data["trend"]["labels"][-1] in trend_svg


def test_report_tables_scroll_in_named_focusable_regions_and_print_has_no_inline_script(
    client, busy_month
):
    client.force_login(user_in(EXECUTIVES))
    html = client.get("/admin/reports/?kind=month&month=3&year=2569").content.decode()
    regions = re.findall(r'<div class="table-scroll"([^>]*)>', html)
    assert len(regions) >= 4
    for attrs in regions:
        assert 'tabindex="0"' in attrs and 'role="region"' in attrs
        label = re.search(r'aria-labelledby="([^"]+)"', attrs).group(1)
        assert f'id="{label}"' in html
    printed = client.get("/admin/reports/print/?kind=month&month=3&year=2569")
    assert printed.status_code == 200
    text = printed.content.decode()
    assert "onclick" not in text and "data-print" in text and "js/print.js" in text
