"""Submit forms exactly as the page renders them.

:func:`form_data` reads a ``<form>`` out of a response's HTML — its hidden fields
(``csrfmiddlewaretoken``, ``version_token``, management forms), the values already filled
in, the selected options and checked boxes — so a test posts what a browser would, and
only overrides what the user types. A test built this way fails when a form loses a
field the view needs.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_index: int | None, action: str | None):
        super().__init__(convert_charrefs=True)
        self.want_index, self.want_action = form_index, action
        self.index = -1
        self.inside = False
        self.done = False
        self.found = False
        self.data: list[tuple[str, str]] = []
        self.options: list[str] = []
        self.select: str | None = None
        self.select_multiple = False
        self.select_chosen = False
        self.first_option: str | None = None
        self.textarea: str | None = None
        self.text = ""
        self.option_value: str | None = None
        self.option_text = ""
        self.action = None
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main = True
        if tag == "form" and not self.done and self.in_main:
            self.index += 1
            match = (
                (self.want_action is not None and a.get("action") == self.want_action)
                if self.want_action is not None
                else self.index == (self.want_index or 0)
            )
            if match:
                self.inside = self.found = True
                self.action = a.get("action")
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self.data.append((name, a.get("value", "")))
        elif tag == "select" and name and "disabled" not in a:
            self.select, self.select_multiple = name, "multiple" in a
            self.select_chosen, self.first_option = False, None
        elif tag == "option" and self.select:
            self.option_value = a.get("value")
            self.option_text = ""
            if self.first_option is None:
                self.first_option = a.get("value")
            if "selected" in a:
                self.select_chosen = True
                self._pending_selected = True
            else:
                self._pending_selected = False
        elif tag == "textarea" and name and "disabled" not in a:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data
        if self.option_value is None and self.select and getattr(self, "_pending_selected", None):
            self.option_text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self.select:
            if getattr(self, "_pending_selected", False):
                value = self.option_value if self.option_value is not None else self.option_text
                self.data.append((self.select, value.strip() if value else ""))
            self.option_value = None
            self._pending_selected = False
        elif tag == "select" and self.select:
            if not self.select_chosen and not self.select_multiple:
                self.data.append((self.select, self.first_option or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.inside = False
            self.done = True


def form_data(
    response, *, index: int = 0, action: str | None = None, values: dict | None = None, **overrides
) -> dict:
    """The fields of the form number ``index`` in the page's ``<main>`` (or the one posting to
    ``action``),
    as a browser would submit them, with ``overrides`` applied (``None`` removes a field).

    Multi-valued fields (checkbox groups, multiple selects) come back as lists.
    """
    html = response.content.decode() if hasattr(response, "content") else str(response)
    parser = _FormParser(index, action)
    parser.feed(html)
    if not parser.found:
        raise AssertionError(f"no form {action or index} on the page")
    data: dict[str, object] = {}
    for name, value in parser.data:
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    for name, value in {**(values or {}), **overrides}.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


class _ControlParser(HTMLParser):
    """Buttons and links of a page: their text, classes and their form's data-confirm."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.confirm: str | None = None
        self.open: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.confirm = a.get("data-confirm")
        elif tag in ("button", "a"):
            self.open = {
                "tag": tag,
                "classes": set((a.get("class") or "").split()),
                "confirm": self.confirm if tag == "button" else None,
                "text": "",
            }
        elif tag == "input" and a.get("type") == "submit":
            self.controls.append(
                {
                    "tag": tag,
                    "classes": set((a.get("class") or "").split()),
                    "confirm": self.confirm,
                    "text": a.get("value", ""),
                }
            )

    def handle_endtag(self, tag):
        if tag == "form":
            self.confirm = None
        elif tag in ("button", "a") and self.open is not None:
            self.open["text"] = " ".join(self.open["text"].split())
            self.controls.append(self.open)
            self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.open["text"] += data


def controls(response, text: str) -> list[dict]:
    """The buttons and links of ``response`` whose visible text (with any visually hidden
    part) starts with ``text``: each a dict of ``tag``, ``classes``, ``confirm``, ``text``."""
    parser = _ControlParser()
    parser.feed(response.content.decode())
    return [c for c in parser.controls if c["text"].startswith(text)]
