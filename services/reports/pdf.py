"""The report as an A4 PDF with Thai fonts, drawn by WeasyPrint from the print view.

Fonts come from fontconfig: Debian's fonts-thai-tlwg (installed by the
project's setup) or Sarabun / Noto Sans Thai where present.

Text in the PDF must copy and search as the Thai it shows. WeasyPrint maps
each glyph to the text of the first cluster it was drawn in, which for Thai
goes wrong: SARA AM (ำ) is drawn as NIKHAHIT + SARA AA, so every later "า"
would read back as "ำ" ("การ" as "กำร"), and lowered tone marks take the
vowel below them. ``_map_glyphs_to_characters`` gives each glyph its own
character first, from the font's character map, with the Thai private-use
variants (lowered or shifted marks, tail-less letters) mapped back to the
letters they draw. What remains is the visual order of marks in a cluster
(NIKHAHIT before a tone mark), which reads back as the same letters.
"""

import io
import threading

from fontTools.ttLib import TTFont

# The Thai private-use glyph variants shared by Windows and Apple fonts and
# used by fonts-thai-tlwg: U+F700..U+F71A -> the letter each one draws.
THAI_PUA = dict(
    zip(
        range(0xF700, 0xF71B),
        "\u0e10\u0e34\u0e35\u0e36\u0e37\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
        "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e0d\u0e31\u0e4d\u0e47\u0e48"
        "\u0e49\u0e4a\u0e4b\u0e4c\u0e38\u0e39\u0e3a",
        strict=True,
    )
)

_patched = threading.Lock()
_done = False


def _glyph_characters(font_bytes, index):
    font = TTFont(io.BytesIO(font_bytes), fontNumber=index, lazy=True)
    order = font.getGlyphOrder()
    by_name = {}
    for codepoint, name in sorted(font.getBestCmap().items()):
        character = THAI_PUA.get(codepoint, chr(codepoint))
        if 0xE000 <= ord(character) <= 0xF8FF:
            continue  # other private-use code points say nothing
        # A real code point beats a private-use alias of the same glyph.
        if name not in by_name or codepoint not in THAI_PUA:
            by_name[name] = character
    return {gid: by_name[name] for gid, name in enumerate(order) if name in by_name}


def _map_glyphs_to_characters():
    global _done
    with _patched:
        if _done:
            return
        from weasyprint.pdf import stream

        original = stream.Font.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            try:
                self.to_unicode.update(_glyph_characters(self.file_content, self.index))
            except Exception:  # an odd font keeps WeasyPrint's own mapping
                pass

        stream.Font.__init__ = init
        _done = True


# Thai faces first; the page's own CSS is shared with the print view.
PDF_CSS = """
@page { size: A4 portrait; margin: 12mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
.report-print, .report-print .sheet { background: #fff; margin: 0; padding: 0; max-width: none;
  font-family: "Sarabun", "Noto Sans Thai", "Loma", "Garuda", "Norasi", sans-serif; }
.report-print .report-charts { display: block; }
.report-print .report-chart { margin-bottom: 4mm; }
.report-print .report-summary { display: block; }
.report-print .kpi { display: inline-block; width: 30%; margin: 0 1% 2mm 0;
  box-sizing: border-box; }
.table-scroll { overflow: visible; }
.report-data { font-size: 8pt; }
"""


def html_to_pdf(html):
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    _map_glyphs_to_characters()
    stylesheets = [CSS(filename=finders.find("css/reports.css")), CSS(string=PDF_CSS)]
    return HTML(string=html).write_pdf(stylesheets=stylesheets)
