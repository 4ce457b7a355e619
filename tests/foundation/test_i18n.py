"""Swedish first, English selectable, and no string left untranslated."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_user_switches_to_english_and_back(coordinator_client):
    home = reverse("dashboard:home")
    assert "Överenskommelser" in coordinator_client.get(home).content.decode()
    response = coordinator_client.post(
        reverse("set_language"), {"language": "en", "next": home}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Agreements</a>" in html
    coordinator_client.post(reverse("set_language"), {"language": "sv", "next": home})
    assert '<html lang="sv">' in coordinator_client.get(home).content.decode()


def test_every_user_visible_string_has_a_swedish_translation(tmp_path):
    """Extract the strings afresh from a copy of the project and demand a translation for each."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "staticfiles",
            "media",
            "*.sqlite3",
            "__pycache__",
            "node_modules",
            "test-artifacts",
            ".hypothesis",
            ".pytest_cache",
            ".ruff_cache",
            "mutants",
        ),
    )
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "sv",
            "--no-obsolete",
            "--ignore=static/*",
            "-v",
            "0",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    po = copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats.strip()} — run `make messages` and translate the new strings:\n"
        + _untranslated(po)
    )
    committed = (ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po").read_text()
    assert _msgids(po.read_text()) == _msgids(committed), (
        "locale/sv/LC_MESSAGES/django.po is stale — run `make messages`"
    )


def _msgids(text: str) -> set[str]:
    return {line for line in text.splitlines() if line.startswith("msgid ")}


def _untranslated(po: Path) -> str:
    out = subprocess.run(
        ["msgattrib", "--untranslated", "--only-fuzzy", str(po)], capture_output=True, text=True
    ).stdout
    out += subprocess.run(
        ["msgattrib", "--untranslated", str(po)], capture_output=True, text=True
    ).stdout
    return "\n".join(line for line in out.splitlines() if line.startswith("msgid"))[:3000]


def test_swedish_even_when_the_browser_prefers_english(coordinator_client):
    html = coordinator_client.get(
        reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="sv">' in html
    assert ">Överenskommelser</a>" in html
