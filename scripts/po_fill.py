#!/usr/bin/env python3
"""Fill Swedish translations into locale/sv/LC_MESSAGES/django.po.

Reads a JSON object from stdin: {"English msgid": "Svensk text", ...}; for a
plural entry give a list: {"%(n)s activity": ["%(n)s aktivitet", "%(n)s aktiviteter"]}.
Entries are matched on msgid (with a context: "context\u0004msgid"); existing translations are replaced, fuzzy flags
dropped. With --list it prints the msgids still untranslated (or fuzzy).

    make messages
    .venv/bin/python scripts/po_fill.py --list
    .venv/bin/python scripts/po_fill.py < translations.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines)


def quote(text: str) -> str:
    if "\n" in text[:-1]:
        parts = [p + "\n" for p in text.split("\n")]
        if parts[-1] == "\n":
            parts.pop()
        else:
            parts[-1] = parts[-1][:-1]
        return '""\n' + "\n".join(json.dumps(p, ensure_ascii=False) for p in parts)
    return json.dumps(text, ensure_ascii=False)


def parse(text: str) -> list[dict]:
    """Split a .po into entries, each with its raw comment lines and fields."""
    entries = []
    for block in re.split(r"\n\n+", text.strip("\n")):
        entry = {"comments": [], "fields": {}, "order": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                entry["comments"].append(line)
            elif line.startswith('"'):
                entry["fields"][key].append(line)
            else:
                key, _, rest = line.partition(" ")
                entry["fields"][key] = [rest]
                entry["order"].append(key)
        entries.append(entry)
    return entries


def render(entries: list[dict]) -> str:
    out = []
    for e in entries:
        lines = list(e["comments"])
        for key in e["order"]:
            value = e["fields"][key]
            lines.append(f"{key} {value[0]}")
            lines.extend(value[1:])
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def value(entry, key):
    return unquote(entry["fields"][key]) if key in entry["fields"] else None


def is_untranslated(entry) -> bool:
    if value(entry, "msgid") in ("", None):
        return False
    fuzzy = any(c.startswith("#,") and "fuzzy" in c for c in entry["comments"])
    strs = [k for k in entry["fields"] if k.startswith("msgstr")]
    return fuzzy or any(value(entry, k) == "" for k in strs)


def main() -> int:
    entries = parse(PO.read_text(encoding="utf-8"))
    if "--list" in sys.argv:
        for e in entries:
            if is_untranslated(e):
                print(json.dumps(value(e, "msgid"), ensure_ascii=False))
        return 0
    wanted = json.load(sys.stdin)
    done = set()
    for e in entries:
        msgid = value(e, "msgid")
        if value(e, "msgctxt") is not None:
            msgid = f"{value(e, 'msgctxt')}\u0004{msgid}"  # "context\u0004msgid" in the JSON
        if msgid not in wanted or msgid == "":
            continue
        tr = wanted[msgid]
        if "msgid_plural" in e["fields"]:
            forms = tr if isinstance(tr, list) else [tr, tr]
            for i, form in enumerate(forms):
                e["fields"][f"msgstr[{i}]"] = quote(form).split("\n")
        else:
            e["fields"]["msgstr"] = quote(tr if isinstance(tr, str) else tr[0]).split("\n")
        e["comments"] = [
            c if not c.startswith("#,") else re.sub(r",?\s*fuzzy", "", c) for c in e["comments"]
        ]
        e["comments"] = [c for c in e["comments"] if c.strip() != "#," and not c.startswith("#|")]
        done.add(msgid)
    PO.write_text(render(entries), encoding="utf-8")
    missing = set(wanted) - done
    if missing:
        print(f"{len(missing)} msgids not in the catalogue (run make messages?):", file=sys.stderr)
        for m in sorted(missing)[:20]:
            print("  " + json.dumps(m, ensure_ascii=False), file=sys.stderr)
    print(f"filled {len(done)} translations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
