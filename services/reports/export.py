"""CSV and XLSX from the same table of rows the report page shows.

Dates in the rows may be ``build.Moment`` strings: Thai text for the page and
the CSV, and real date cells in the XLSX, shown in the Buddhist Era by Excel's
Thai calendar number format. Every sheet prints on A4 landscape, one page
wide, with the header row repeated and frozen.
"""

import csv
import datetime as dt
import io

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

# [$-107041E]: Thai locale (041E) with the Thai Buddhist calendar (07).
THAI_DATE_FORMAT = "[$-107041E]d mmm yyyy"
THAI_DATETIME_FORMAT = "[$-107041E]d mmm yyyy hh:mm"


def to_csv(headers, rows):
    """UTF-8 with a BOM so Excel opens Thai text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in headers])
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def excel_value(value):
    """(cell value, number format or None) for one report cell."""
    value = getattr(value, "moment", value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            from zoneinfo import ZoneInfo

            value = value.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
        return value, THAI_DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, THAI_DATE_FORMAT
    return value, None


def _text_width(value):
    if isinstance(value, dt.datetime):
        return 18
    if isinstance(value, dt.date):
        return 14
    return len(str(value if value is not None else ""))


def setup_print(sheet, title):
    """A4 landscape, fit to one page wide, header row on every page, frozen."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.freeze_panes = "A2"
    sheet.oddHeader.center.text = str(title)
    sheet.oddFooter.right.text = "&P / &N"


def to_xlsx(sheets):
    """``sheets``: list of (title, headers, rows). Returns the workbook bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [min(40, len(str(h))) for h in headers]
        for row in rows:
            values = [excel_value(v) for v in row]
            sheet.append([v for v, _format in values])
            for cell, (_value, number_format) in zip(sheet[sheet.max_row], values, strict=False):
                if number_format:
                    cell.number_format = number_format
            for index, value in enumerate(row):
                if index < len(widths):
                    widths[index] = max(widths[index], _text_width(getattr(value, "moment", value)))
        for index, width in enumerate(widths, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(60, max(8, width + 2))
        setup_print(sheet, title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
