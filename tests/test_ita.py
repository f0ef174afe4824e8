"""ITA open data: statistics equal the desk report, complaint figures, manuals, footer."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from services.catalogue.models import ServicePage
from services.reports.build import build_report
from services.reports.period import Period
from services.requests.open_data import current_fiscal_year, fiscal_months
from services.tickets.models import Ticket

from .reporting import answer, at, make_ticket

ROW = re.compile(r'<tr data-service="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r'<td data-key="([a-z_]+)">(.*?)</td>', re.S)


def table_figures(html):
    """{service code or "total": {key: [cell texts]}} from the rendered page."""
    figures = {}
    for service, row in ROW.findall(html):
        cells = {}
        for key, text in CELL.findall(row):
            cells.setdefault(key, []).append(unescape(text).strip())
        figures[unescape(service)] = cells
    return figures


def shown(value):
    return "–" if value is None else str(value)


@pytest.fixture
def year_with_requests(catalogue):
    year = current_fiscal_year() - 1
    months = fiscal_months(year)
    pages = {p.code: p for p in ServicePage.objects.live()}
    specs = [
        ("ICT 02", months[0], Ticket.Status.RESOLVED, [(20, 30, True), (200, 120, True)], "web"),
        ("ICT 02", months[1], Ticket.Status.OPEN, [(10, 30, True), (0, 120, False)], "phone"),
        ("ICT 03", months[2], Ticket.Status.REJECTED, [(5, 15, True)], "walk_in"),
        ("ICT 10", months[3], Ticket.Status.RESOLVED, [(60, 480, True), (30, 60, True)], "web"),
        ("ICT 10", months[4], Ticket.Status.OPEN, [(10, 480, True)], "web"),
        ("ICT 01", months[11], Ticket.Status.RESOLVED, [(30, 60, True)], "staff"),
    ]
    for code, (cal_year, month), status, steps, channel in specs:
        ticket = make_ticket(pages[code], at(cal_year, month, 10), status=status, steps=steps)
        Ticket.objects.filter(pk=ticket.pk).update(channel=channel)
    # The day before the fiscal year and the day after it are not counted.
    make_ticket(pages["ICT 02"], at(months[0][0], 9, 30), steps=[(5, 30, True)])
    make_ticket(pages["ICT 02"], at(months[11][0], 10, 1), steps=[(5, 30, True)])
    answer(pages["ICT 02"], (5, 4, 4, 5, 5), when=at(months[0][0], 10, 12))
    answer(pages["ICT 10"], (3, 3, 4, 2, 3), when=at(months[3][0], months[3][1], 12))
    return year, pages


def test_statistics_page_figures_equal_the_desk_report(client, year_with_requests):
    year, _pages = year_with_requests
    response = client.get("/ita/statistics/", {"fy": year})
    assert response.status_code == 200
    figures = table_figures(response.content.decode())
    report = build_report(Period.fiscal_year(year))
    assert report["totals"]["received"] == 6
    assert {s["code"] for s in report["services"]} == set(figures) - {"total"}
    for service in report["services"]:
        row = figures[service["code"]]
        assert row["received"] == [str(service["received"])]
        assert row["completed"] == [str(service["completed"])]
        assert row["steps_within"] == [f"{service['steps_within']} / {service['steps_finished']}"]
        assert row["share_within"] == [shown(service["share_within"])]
        assert row["satisfaction"] == [shown(service["satisfaction"]["percent"])]
        assert row["answers"] == [str(service["satisfaction"]["count"])]
        assert sum(int(n) for n in row["channel"]) == service["received"]
    total = figures["total"]
    assert total["received"] == [str(report["totals"]["received"])]
    assert total["completed"] == [str(report["totals"]["completed"])]
    assert total["share_within"] == [shown(report["totals"]["share_within"])]
    assert total["satisfaction"] == [shown(report["satisfaction"]["percent"])]
    # Channels in the order of Ticket.Channel: web, staff, walk-in, letter, phone, LINE, e-mail.
    assert total["channel"] == ["3", "1", "1", "0", "1", "0", "0"]
    assert [int(n) for n in total["channel"]] == [
        Ticket.objects.filter(
            channel=value,
            created_at__gte=Period.fiscal_year(year).bounds()[0],
            created_at__lt=Period.fiscal_year(year).bounds()[1],
        ).count()
        for value in Ticket.Channel.values
    ]


def test_statistics_of_one_month_equal_the_desk_report_of_that_month(client, year_with_requests):
    year, _pages = year_with_requests
    cal_year, month = fiscal_months(year)[0]
    response = client.get("/ita/statistics/", {"fy": year, "month": month})
    figures = table_figures(response.content.decode())
    report = build_report(Period.month(cal_year, month))
    assert figures["total"]["received"] == [str(report["totals"]["received"])] == ["1"]
    assert figures["ICT 02"]["satisfaction"] == [
        shown(report["services"][0]["satisfaction"]["percent"])
    ]


@pytest.mark.parametrize(
    "query", [{"fy": "abc"}, {"fy": "1999"}, {"fy": "<script>x</script>"}, {"month": "13"}]
)
def test_bad_period_is_a_400_with_a_thai_message(client, catalogue, query):
    response = client.get("/ita/statistics/", query)
    assert response.status_code == 400
    text = response.content.decode()
    assert "กรุณาเลือกจากรายการ" in text
    assert "<script>x</script>" not in text
    assert client.get("/ita/complaints/", query).status_code == 400


def test_complaint_channel_is_a_catalogue_service_with_its_own_standard(client, catalogue):
    page = ServicePage.objects.live().get(code="ICT 10")
    assert len(page.step_values()) == 4
    assert client.get(page.url).status_code == 200


def test_complaint_statistics_equal_the_desk_report(client, year_with_requests):
    year, pages = year_with_requests
    response = client.get("/ita/complaints/", {"fy": year})
    assert response.status_code == 200
    text = response.content.decode()
    total = table_figures(text)["total"]
    row = next(
        s for s in build_report(Period.fiscal_year(year))["services"] if s["code"] == "ICT 10"
    )
    assert total["received"] == [str(row["received"])] == ["2"]
    assert total["completed"] == [str(row["completed"])] == ["1"]
    assert total["open"] == [str(row["open"])] == ["1"]
    assert total["share_within"] == [shown(row["share_within"])]
    assert pages["ICT 10"].title in text


def test_manuals_page_prints_every_published_standard(client, catalogue):
    response = client.get("/ita/manuals/")
    assert response.status_code == 200
    text = unescape(response.content.decode())
    pages = list(ServicePage.objects.live())
    assert text.count('<article class="manual"') == len(pages) == 10
    for page in pages:
        assert page.title in text
        for step in page.step_values():
            assert step["title"] in text
    # One manual a printed page, from a style sheet (the policy allows no inline style).
    assert re.search(r'<link rel="stylesheet" href="[^"]*manuals-print\.css" media="print">', text)
    sheet = finders.find("css/manuals-print.css")
    assert "break-before: page" in Path(sheet).read_text(encoding="utf-8")


def test_footer_links_to_every_open_data_page(client, catalogue):
    text = client.get("/").content.decode()
    for url in ("/ita/statistics/", "/ita/complaints/", "/ita/manuals/", "/privacy/"):
        assert f'href="{url}"' in text
        assert client.get(url).status_code == 200
