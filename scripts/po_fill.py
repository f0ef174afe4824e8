"""Fill the English catalogue from locale/en/translations.tsv and compile both.

Source strings are Thai; ``translations.tsv`` holds "Thai<TAB>English" lines.
Missing English entries are listed so nothing ships untranslated unnoticed.
Compiles .mo files with polib, so no gettext tools are needed.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


def load_table():
    table = {}
    path = LOCALE / "en" / "translations.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            thai, english = line.split("\t", 1)
            table[thai] = english
    return table


def main():
    table = load_table()
    missing = []
    en = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    for entry in en:
        if entry.obsolete:
            continue
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        if entry.msgid_plural:
            # "one|many" in the table gives the two English forms.
            english = table.get(entry.msgid)
            if english:
                one, _bar, many = english.partition("|")
                entry.msgstr_plural = {0: one, 1: many or one}
            else:
                missing.append(entry.msgid)
        elif entry.msgid in table:
            entry.msgstr = table[entry.msgid]
        else:
            # Never keep msgmerge's fuzzy guess: it is another string's English.
            entry.msgstr = ""
            missing.append(entry.msgid)
    en.save()
    for lang in ("th", "en"):
        po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
        po.save_as_mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    if missing:
        print(f"{len(missing)} strings have no English translation:", file=sys.stderr)
        for msgid in missing:
            print(f"  {msgid}", file=sys.stderr)
    return 1 if missing and "--strict" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
