"""Charts drawn on the server as SVG: no script, no outside CDN, printable.

Each chart is a <svg role="img"> with a <title> and a <desc> listing the
values, so a screen reader gets the numbers the picture shows.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#0b4f8a", "#f2a900", "#1b7a3a", "#b3261e", "#6a4c93", "#1982c4", "#8ac926"]


def _fmt(value):
    return f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def bar_chart(
    title, labels, values, *, unit="", target=None, width=640, bar_height=26, max_value=None
):
    """Horizontal bars, one per label; an optional dashed target line."""
    labels = [str(label) for label in labels]
    values = [float(v or 0) for v in values]
    top = max([max_value or 0, target or 0, *values, 1])
    label_w, pad, value_w = 220, 8, 70
    plot_w = width - label_w - value_w - 2 * pad
    height = pad * 2 + max(1, len(values)) * (bar_height + pad) + 18
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart" font-family="sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "; ".join(f"{lab}: {_fmt(val)}{unit}" for lab, val in zip(labels, values, strict=True))
        )
        + "</desc>",
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = pad + index * (bar_height + pad)
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
            f'<text x="{x:.1f}" y="{height - 3}" text-anchor="middle" font-size="11">'
            f"{escape(_fmt(target))}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped


def line_chart(title, labels, series, *, unit="", width=640, height=260):
    """Lines over time; ``series`` maps a name to one value per label."""
    labels = [str(label) for label in labels]
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
        f'width="100%" role="img" class="chart" font-family="sans-serif" font-size="12">',
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
