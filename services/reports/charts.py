"""Charts drawn on the server as SVG: no script, no outside CDN, printable.

Each chart is a <svg role="img"> with a <title> and a <desc> listing the
values, so a screen reader gets the numbers the picture shows. A value that
is missing (``None``) is drawn as "no data", never as 0, and a chart with
nothing to show says so.

Charts are ``WIDTH`` units wide and print one per row across an A4 page
(``PRINT_WIDTH_MM``); ``MIN_FONT`` units is then at least 9 pt.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
PRINT_WIDTH_MM = 186  # A4 portrait, 12 mm margins (see reports.css)
MIN_FONT = 12

PALETTE = ["#0b4f8a", "#f2a900", "#1b7a3a", "#b3261e", "#6a4c93", "#1982c4", "#8ac926"]


def _fmt(value):
    return f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def no_data_chart(title, width=WIDTH, height=80):
    """A chart with nothing to draw: it says so instead of showing zeros."""
    text = _("ไม่มีข้อมูล")
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart chart--empty" font-family="sans-serif" '
        f'font-size="{MIN_FONT + 4}"><title>{escape(title)}</title><desc>{escape(text)}</desc>'
        f'<text x="{width / 2}" y="{height / 2 + 6}" text-anchor="middle" fill="#5a6675">'
        f"{escape(text)}</text></svg>"
    )


def bar_chart(
    title, labels, values, *, unit="", target=None, width=WIDTH, bar_height=26, max_value=None
):
    """Horizontal bars, one per label; an optional dashed target line.

    A ``None`` value is labelled "no data"; no value at all gives ``no_data_chart``.
    """
    labels = [str(label) for label in labels]
    values = [None if v is None else float(v) for v in values]
    if not any(v is not None for v in values):
        return no_data_chart(title, width)
    missing = _("ไม่มีข้อมูล")
    top = max([max_value or 0, target or 0, *(v for v in values if v is not None), 1])
    label_w, pad, value_w = 220, 8, 70
    plot_w = width - label_w - value_w - 2 * pad
    height = pad * 2 + max(1, len(values)) * (bar_height + pad) + 18
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart" font-family="sans-serif" '
        f'font-size="{MIN_FONT + 1}">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "; ".join(
                f"{lab}: {missing if val is None else _fmt(val) + unit}"
                for lab, val in zip(labels, values, strict=True)
            )
        )
        + "</desc>",
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = pad + index * (bar_height + pad)
        if value is None:
            parts.append(
                f'<text x="{label_w - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">'
                f"{escape(label[:40])}</text>"
                f'<text x="{label_w + 6}" y="{y + bar_height * 0.7:.1f}" fill="#5a6675" '
                f'font-style="italic">{escape(missing)}</text>'
            )
            continue
        bar = plot_w * value / top
        colour = PALETTE[0] if target is None or value >= target else PALETTE[3]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">'
            f"{escape(label[:40])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="{colour}" rx="3"/>'
            f'<text x="{label_w + bar + 6:.1f}" y="{y + bar_height * 0.7:.1f}">'
            f"{escape(_fmt(value))}{escape(unit)}</text>"
        )
    if target is not None:
        x = label_w + plot_w * target / top
        parts.append(
            f'<line x1="{x:.1f}" y1="{pad / 2}" x2="{x:.1f}" y2="{height - 16}" '
            f'stroke="#333" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{height - 3}" text-anchor="middle">'
            f"{escape(_fmt(target))}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped


def line_chart(title, labels, series, *, unit="", width=WIDTH, height=260):
    """Lines over time; ``series`` maps a name to one value per label.

    Only the labels given are drawn: callers leave out periods still to come.
    """
    labels = [str(label) for label in labels]
    if not labels or not any(v for values in series.values() for v in values):
        return no_data_chart(title, width)
    pad_l, pad_r, pad_t, pad_b = 48, 16, 16, 56
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    top = max([1.0] + [float(v or 0) for values in series.values() for v in values])
    step = plot_w / max(1, len(labels) - 1)
    desc = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{lab} {_fmt(float(v or 0))}{unit}" for lab, v in zip(labels, values, strict=True)
        )
        for name, values in series.items()
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart" font-family="sans-serif" font-size="{MIN_FONT}">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - pad_r}" y2="{pad_t + plot_h}" '
        f'stroke="#999"/>',
        f'<text x="{pad_l - 6}" y="{pad_t + 10}" text-anchor="end">{escape(_fmt(top))}</text>',
        f'<text x="{pad_l - 6}" y="{pad_t + plot_h}" text-anchor="end">0</text>',
    ]
    for index, label in enumerate(labels):
        x = pad_l + index * step
        parts.append(
            f'<text x="{x:.1f}" y="{height - pad_b + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for number, (name, values) in enumerate(series.items()):
        colour = PALETTE[number % len(PALETTE)]
        points = " ".join(
            f"{pad_l + i * step:.1f},{pad_t + plot_h - plot_h * float(v or 0) / top:.1f}"
            for i, v in enumerate(values)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )
        legend_y = height - 14
        legend_x = pad_l + number * 160
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="12" height="12" '
            f'fill="{colour}"/><text x="{legend_x + 16}" y="{legend_y + 1}">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped
