"""Refreshes the extension's message catalogs: extracts the msgids, updates the zh_Hans_CN
and en catalogs, merges translation fragments (i18n/fragments/*.po, msgid/msgstr pairs
written alongside new code; core.po holds CKAN core strings, datastore-load.po also those of
ckanext-xloader) into the Chinese catalog and
compiles both. Lists what is still untranslated in Chinese.

Usage: python dev/i18n.py
"""
import pathlib
import subprocess
import sys

from babel.messages.pofile import read_po, write_po

ROOT = pathlib.Path(__file__).resolve().parent.parent
I18N = ROOT / "ckanext-zaozhuang" / "ckanext" / "zaozhuang" / "i18n"
DOMAIN = "ckanext-zaozhuang"
POT = I18N / f"{DOMAIN}.pot"
LOCALES = ("zh_Hans_CN", "en")
# Chinese for strings of CKAN core and of ckanext-xloader (which has no catalog of its own)
# that are left untranslated: added to the catalog, which Flask-Babel merges over CKAN's,
# rather than only translating our msgids. Fragment → the comment its added messages carry.
ADDING_FRAGMENTS = {"core.po": "CKAN core", "datastore-load.po": "ckanext-xloader"}


def pybabel(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stdout + done.stderr)


def main() -> None:
    pybabel("extract", "-F", "babel.cfg", "--no-location", "--sort-output",
            "--project", DOMAIN, "-k", "_", "-k", "ungettext:1,2", "-o", str(POT), ".")
    for locale in LOCALES:
        po = I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        command = "update" if po.exists() else "init"
        pybabel(command, "-D", DOMAIN, "-i", str(POT), "-d", str(I18N), "-l", locale,
                *(["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []))

    zh_path = I18N / "zh_Hans_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"
    with zh_path.open("rb") as f:
        catalog = read_po(f, locale="zh_Hans_CN")
    for fragment in sorted((I18N / "fragments").glob("*.po")):
        with fragment.open("rb") as f:
            for message in read_po(f, locale="zh_Hans_CN"):
                if not (message.id and message.string):
                    continue
                if message.id in catalog:
                    catalog[message.id].string = message.string
                elif fragment.name in ADDING_FRAGMENTS:
                    catalog.add(message.id, message.string,
                                auto_comments=[ADDING_FRAGMENTS[fragment.name]])
    with zh_path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, no_location=True)

    pybabel("compile", "-D", DOMAIN, "-d", str(I18N), "--use-fuzzy")
    # A plural message is translated only when every one of its forms is.
    missing = [m.id for m in catalog if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(catalog)} messages, {len(missing)} untranslated in zh_Hans_CN")


if __name__ == "__main__":
    main()
