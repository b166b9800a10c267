"""The shopping-list parser on whole chat lists (issue 13 item 6): each list is parsed at once, as
``pasar parse-list`` would, and every piece is compared with its label.

    uv run python -m bench.parser_chat            # the figures and every miss, for both sets

Figures per set:
- chatter precision / recall: lines the parser marks as chatter that are chatter / chatter lines it marks;
- item precision: output items naming a commodity (item not null, not chatter) whose item is the label's;
- exact: item lines with the label's (item, quantity, unit) and, when labelled, the note containing the text;
- line accuracy: every line right (a chatter line marked as chatter, an item line exact).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pasar.catalog.shopping_list import ParsedItem, parse_list, split_items

DATA = Path(__file__).parent / "data"
DEV = DATA / "shopping_chat_dev.tsv"
HELDOUT = DATA / "shopping_chat_heldout.tsv"
FRESH = DATA / "shopping_chat_fresh.tsv"
CHATTER = "CHATTER"


@dataclass(frozen=True)
class Row:
    line: int
    text: str
    chatter: bool
    item: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    note: str = ""  # the output note must contain it


@dataclass
class ChatList:
    name: str
    rows: list[Row] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(row.text for row in self.rows)


@dataclass
class Scores:
    lines: int = 0
    right: int = 0
    chatter_rows: int = 0
    chatter_marked: int = 0
    chatter_right: int = 0
    item_rows: int = 0
    exact: int = 0
    named: int = 0  # output items with a commodity
    named_right: int = 0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def summary(self) -> str:
        r = self.ratio
        return (
            f"lines {self.right}/{self.lines} = {r(self.right, self.lines):.1%}; "
            f"chatter precision {self.chatter_right}/{self.chatter_marked} = "
            f"{r(self.chatter_right, self.chatter_marked):.1%}, "
            f"recall {self.chatter_right}/{self.chatter_rows} = {r(self.chatter_right, self.chatter_rows):.1%}; "
            f"item precision {self.named_right}/{self.named} = {r(self.named_right, self.named):.1%}; "
            f"exact (item, quantity, unit, note) {self.exact}/{self.item_rows} = {r(self.exact, self.item_rows):.1%}"
        )


def load(path: Path) -> list[ChatList]:
    lists: list[ChatList] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("=== "):
            lists.append(ChatList(raw[4:].strip()))
            continue
        cols = raw.split("\t") + [""] * 5
        text, item, quantity, unit, note = cols[:5]
        if item == CHATTER:
            row = Row(number, text, chatter=True)
        else:
            row = Row(number, text, False, item or None, Decimal(quantity) if quantity else None, unit or None, note)
        lists[-1].rows.append(row)
    return lists


def _show(parsed: ParsedItem) -> str:
    if parsed.chatter:
        return CHATTER
    quantity = "-" if parsed.quantity is None else f"{parsed.quantity.normalize():f}"
    return f"{parsed.item or '-'} | {quantity} | {parsed.unit or '-'} | note {parsed.note!r}"


def score(lists: list[ChatList]) -> Scores:
    scores = Scores()
    for chat in lists:
        parsed = parse_list(chat.text, max_items=None)
        at = 0
        for row in chat.rows:
            pieces = parsed[at : at + len(split_items(row.text))]
            at += len(pieces)
            scores.lines += 1
            marked = [p for p in pieces if p.chatter]
            scores.chatter_marked += 1 if marked else 0
            for piece in pieces:
                if not piece.chatter and piece.item is not None:
                    scores.named += 1
                    scores.named_right += 1 if piece.item == row.item else 0
            if row.chatter:
                scores.chatter_rows += 1
                ok = bool(pieces) and len(marked) == len(pieces)
                scores.chatter_right += 1 if ok else 0
            else:
                scores.item_rows += 1
                one = pieces[0] if len(pieces) == 1 else None
                ok = (
                    one is not None
                    and not one.chatter
                    and (one.item, one.quantity, one.unit) == (row.item, row.quantity, row.unit)
                    and row.note.lower() in one.note.lower()
                )
                scores.exact += 1 if ok else 0
            scores.right += 1 if ok else 0
            if not ok:
                got = "; ".join(_show(p) for p in pieces) or "nothing"
                want = (
                    CHATTER if row.chatter else f"{row.item or '-'} | {row.quantity} | {row.unit or '-'} | {row.note!r}"
                )
                scores.misses.append(
                    f"{chat.name} line {row.line}: {row.text!r}\n    expected {want}\n    got      {got}"
                )
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parser_chat", description=__doc__)
    parser.parse_args(argv)
    for path in (DEV, HELDOUT, FRESH):
        if not path.exists():
            continue
        scores = score(load(path))
        print(f"{path.name}:")
        for miss in scores.misses:
            print("  " + miss)
        print("  " + scores.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
