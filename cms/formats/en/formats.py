"""English date formats that agree with the admin's date widgets.

The admin shows dates as WAGTAIL_DATE_FORMAT (day/month/year, as in Thai);
Django's English defaults read 01/10/2026 as 10 January. Here the first
input format is the one the widget writes, so a date shown and sent back
keeps its day and month. ISO dates are still accepted.
"""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
