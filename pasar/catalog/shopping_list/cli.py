"""``pasar parse-list``: a shopping list on standard input → a JSON array on standard output.

Runs without Django settings or a database (``pasar.cli`` calls ``main`` directly), so a
script or an evaluator can pipe lists through it quickly. The ``parse_list`` management
command is the same code for ``call_command``.
"""

import argparse
import json
import sys
from typing import IO

from pasar.catalog.shopping_list import parse_list

DESCRIPTION = (
    "Read a shopping list from standard input (one item per line, or separated by commas, semicolons or "
    '"dan") and write a JSON array to standard output: one object per item, in order, with the keys '
    "raw, item, quantity, unit and note. A line of chat (a greeting, thanks or heading such as "
    '"Bu, titip ya" or "belanjaan hari ini:") has item null and the extra key "chatter": true.'
)


def read_text(stream: IO[str] | IO[bytes]) -> str:
    """All of ``stream`` as text; bytes that are not UTF-8 become U+FFFD instead of an error."""
    binary = getattr(stream, "buffer", None)
    data = binary.read() if binary is not None else stream.read()
    if isinstance(data, bytes):
        return data.decode("utf-8", errors="replace")
    return data


def render(text: str) -> str:
    """The JSON array for ``text``; no item limit (the page has one, the command does not)."""
    return json.dumps([item.as_json() for item in parse_list(text, max_items=None)], ensure_ascii=False)


def write_text(stream: IO[str], text: str) -> None:
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        binary.write(text.encode("utf-8"))
        binary.flush()
    else:
        stream.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pasar parse-list", description=DESCRIPTION)
    parser.parse_args(argv)
    write_text(sys.stdout, render(read_text(sys.stdin)) + "\n")
    return 0
