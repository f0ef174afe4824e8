"""KPI arithmetic, SVG charts and exports, on known numbers."""

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

from openpyxl import load_workbook

from services.reports import charts, export
from services.reports.kpi import Satisfaction, percent_from_mean


def test_percent_is_mean_over_five_times_hundred():
    assert percent_from_mean(Decimal("4.5")) == Decimal("90.00")
    assert percent_from_mean(3.5) == Decimal("70.00")
    assert percent_from_mean(Decimal("3.49")) == Decimal("69.80")
    assert percent_from_mean(None) is None


def test_kpi_met_exactly_at_target_and_missed_below():
    # Answers 4, 3, 4, 3 -> mean 3.5 -> 70 % -> meets a 70 % target.
    assert Satisfaction.from_aggregate(Decimal(14) / 4, 4).met
    assert Satisfaction.from_aggregate(Decimal("3.4"), 10).percent == Decimal("68.00")
    assert not Satisfaction.from_aggregate(Decimal("3.4"), 10).met
    assert not Satisfaction.from_aggregate(None, 0).met


def test_bar_chart_is_valid_svg_with_values_described_and_text_escaped():
    svg = charts.bar_chart("ความพึงพอใจ", ["ซ่อม <b>", "Zoom"], [82.5, 64], unit="%", target=70)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("role") == "img"
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert "ซ่อม <b>: 82.5%" in desc and "Zoom: 64%" in desc
    assert "<b>" not in svg  # escaped in the markup
    fills = [r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert fills == [charts.PALETTE[0], charts.PALETTE[3]]  # below target in red


def test_line_chart_has_one_line_per_series():
    svg = charts.line_chart("แนวโน้ม", ["ต.ค.", "พ.ย."], {"รับ": [3, 5], "เสร็จ": [2, 5]})
    root = ET.fromstring(svg)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 2


def test_csv_and_xlsx_hold_the_same_cells():
    headers = ["บริการ", "จำนวน", "ร้อยละ"]
    rows = [["ซ่อมคอมพิวเตอร์", 12, 91.5], ["Zoom", 3, 70.0]]
    text = export.to_csv(headers, rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(export.to_xlsx([("สรุป", headers, rows)])))["สรุป"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert parsed[0] == cells[0] == headers
    assert [[r[0], int(r[1]), float(r[2])] for r in parsed[1:]] == cells[1:]


def test_missing_values_say_no_data_instead_of_zero():
    svg = charts.bar_chart("ความพึงพอใจ", ["ซ่อม", "Zoom"], [82.5, None], unit="%", target=70)
    root = ET.fromstring(svg)
    assert "Zoom: ไม่มีข้อมูล" in root.find("{http://www.w3.org/2000/svg}desc").text
    assert len(list(root.iter("{http://www.w3.org/2000/svg}rect"))) == 1  # no 0 % bar
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "ไม่มีข้อมูล" in texts and "0%" not in texts
    for empty in (
        charts.bar_chart("ว่าง", ["ซ่อม"], [None]),
        charts.bar_chart("ว่าง", [], []),
        charts.line_chart("แนวโน้ม", [], {"รับ": []}),
        charts.line_chart("แนวโน้ม", ["ต.ค.", "พ.ย."], {"รับ": [0, 0]}),
    ):
        root = ET.fromstring(empty)
        assert [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")] == ["ไม่มีข้อมูล"]
        assert not list(root.iter("{http://www.w3.org/2000/svg}rect"))


def test_chart_labels_print_at_nine_points_or_more():
    pt_per_unit = charts.PRINT_WIDTH_MM / charts.WIDTH / 25.4 * 72
    svgs = [
        charts.bar_chart("ก", ["ซ่อม"], [50], unit="%", target=70),
        charts.line_chart("ข", ["ต.ค.", "พ.ย."], {"รับ": [3, 5]}),
        charts.bar_chart("ค", ["ซ่อม"], [None]),
    ]
    for svg in svgs:
        root = ET.fromstring(svg)
        assert float(root.get("viewBox").split()[2]) == charts.WIDTH
        sizes = [float(root.get("font-size"))] + [
            float(e.get("font-size")) for e in root.iter() if e.get("font-size")
        ]
        assert min(sizes) * pt_per_unit >= 9, sizes
