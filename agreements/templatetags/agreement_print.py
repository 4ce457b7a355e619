"""Filters for the printed agreement and promise (``{% load agreement_print %}``)."""

from __future__ import annotations

import re

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.translation import pgettext

register = template.Library()

#: A period of years as titles write it: "2021–2024", "2020-2023", "2020 – 2023".
PERIOD_RE = re.compile(r"\b(\d{4}\s*[–—-]\s*\d{4})\b")


@register.filter
def nobreak_periods(value) -> str:
    """The text, escaped, with every period of years kept on one line ("2021–2024" never
    breaks after its dash)."""
    pieces = PERIOD_RE.split(str(value))
    # re.split with one group: text, period, text, period, …, text.
    template_ = "".join(
        '<span class="pdf-nowrap">{}</span>' if index % 2 else "{}" for index in range(len(pieces))
    )
    return format_html(template_, *pieces)


#: What a signatory fills in by hand when the document leaves it open.
BLANK = "________________"


@register.simple_tag
def place_and_date(place: str, day, numeric: bool = False) -> str:
    """Where and when a signatory signed, as documents print it: "Eslöv den 18 juni 2021"
    (Swedish long date, month in lower case), or "Eslöv den 2021-06-18" when the agreement
    asks for numeric dates; blanks where the place or date is still to be written by hand."""
    text = dateformat.format(day, "Y-m-d" if numeric else "j F Y") if day else BLANK
    return pgettext("place and date of signing", "%(place)s, %(date)s") % {
        "place": place or BLANK,
        "date": text,
    }
