"""Invoices and statements as files: PDF (fpdf2, Indonesian layout) and XLSX (openpyxl, inert text cells).

Amounts are written as the rest of the site writes them (``format_rupiah``: Rp12.500), dates in Indonesian
("3 Desember 2026") in Asia/Jakarta. The PDF uses the core Helvetica font, which covers Latin-1: text from
users is folded to it, so an emoji in a business name never breaks a document.
"""

import io
from datetime import date

from babel.dates import format_date
from fpdf import FPDF
from openpyxl import Workbook

from pasar.business.models import Invoice
from pasar.business.selectors import Statement, balance, credited, paid
from pasar.core.money import format_rupiah
from pasar.core.spreadsheet import inert


def tanggal(day: date) -> str:
    """``3 Desember 2026``."""
    return format_date(day, format="d MMMM y", locale="id_ID")


def _latin(text: object) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def cell_text(self, width: float, text: object, *, bold: bool = False, align: str = "L", size: int = 10) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.cell(width, 6, _latin(text), align=align)

    def line_text(self, text: object, *, bold: bool = False, size: int = 10) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.set_x(self.l_margin)
        self.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")


TITLES = {Invoice.Kind.INVOICE: "FAKTUR", Invoice.Kind.CREDIT_NOTE: "NOTA KREDIT"}


def invoice_pdf(invoice: Invoice) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.add_page()
    pdf.line_text(TITLES[Invoice.Kind(invoice.kind)], bold=True, size=16)
    pdf.line_text(f"No. {invoice.code}")
    pdf.ln(2)
    seller, buyer = invoice.seller, invoice.buyer
    pdf.line_text("Penjual", bold=True)
    pdf.line_text(f"{seller.get('name', '')} - {seller.get('market', '')}\n{seller.get('address', '')}")
    pdf.line_text("Pembeli", bold=True)
    npwp = f"\nNPWP {buyer['npwp']}" if buyer.get("npwp") else ""
    pdf.line_text(f"{buyer.get('name', '')} ({buyer.get('kind', '')})\n{buyer.get('address', '')}{npwp}")
    pdf.ln(2)
    pdf.line_text(f"Tanggal faktur: {tanggal(invoice.issued_on)}")
    if invoice.period_start and invoice.period_end:
        pdf.line_text(f"Periode: {tanggal(invoice.period_start)} - {tanggal(invoice.period_end)}")
    if invoice.kind == Invoice.Kind.INVOICE:
        terms = f"Tempo {invoice.tempo_days} hari" if invoice.tempo_days else "Tunai"
        pdf.line_text(f"Syarat: {terms} - jatuh tempo {tanggal(invoice.due_on)}")
    elif invoice.credits is not None:
        pdf.line_text(f"Atas faktur {invoice.credits.code}")
    pdf.ln(3)
    widths = (28, 70, 25, 32, 35)
    for width, head in zip(widths, ("Pesanan", "Barang", "Jumlah", "Harga", "Total"), strict=True):
        pdf.cell_text(width, head, bold=True)
    pdf.ln()
    for line in invoice.lines:
        pdf.cell_text(widths[0], line.get("order", ""), size=8)
        pdf.cell_text(widths[1], str(line.get("name", ""))[:40])
        pdf.cell_text(widths[2], f"{str(line.get('quantity', '')).replace('.', ',')} {line.get('unit', '')}".strip())
        pdf.cell_text(widths[3], format_rupiah(line.get("unit_price")), align="R")
        pdf.cell_text(widths[4], format_rupiah(line.get("amount")), align="R")
        pdf.ln()
    pdf.ln(2)
    for label, amount, bold in (
        ("Barang", invoice.goods_total, False),
        ("Ongkos kirim", invoice.delivery_fee, False),
        ("Total", invoice.total, True),
    ):
        pdf.cell_text(sum(widths[:4]), label, bold=bold, align="R")
        pdf.cell_text(widths[4], format_rupiah(amount), bold=bold, align="R")
        pdf.ln()
    pdf.ln(3)
    pdf.line_text(f"Pembayaran: {invoice.payment_details}")
    return bytes(pdf.output())


def invoice_xlsx(invoice: Invoice) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Faktur"
    rows: list[list[object]] = [
        [TITLES[Invoice.Kind(invoice.kind)], invoice.code],
        ["Penjual", inert(str(invoice.seller.get("name", "")))],
        ["Pembeli", inert(str(invoice.buyer.get("name", "")))],
        ["Tanggal", invoice.issued_on],
        ["Jatuh tempo", invoice.due_on],
        [],
        ["Pesanan", "Barang", "Jumlah", "Satuan", "Harga (Rp)", "Total (Rp)"],
    ]
    rows += [
        [
            line.get("order", ""),
            inert(str(line.get("name", ""))),
            line.get("quantity", ""),
            line.get("unit", ""),
            line.get("unit_price"),
            line.get("amount"),
        ]
        for line in invoice.lines
    ]
    rows += [[], ["Ongkos kirim", invoice.delivery_fee], ["Total", invoice.total]]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def statement_pdf(statement: Statement) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.add_page()
    pdf.line_text("LAPORAN TAGIHAN", bold=True, size=16)
    pdf.line_text(f"{statement.business.name} - per {tanggal(statement.on)}")
    pdf.ln(3)
    widths = (45, 30, 30, 30, 30, 25)
    for width, head in zip(widths, ("Faktur", "Jatuh tempo", "Total", "Dibayar", "Sisa", ""), strict=True):
        pdf.cell_text(width, head, bold=True)
    pdf.ln()
    for row in statement.rows:
        pdf.cell_text(widths[0], row.invoice.code, size=8)
        pdf.cell_text(widths[1], f"{row.invoice.due_on:%d-%m-%Y}")
        pdf.cell_text(widths[2], format_rupiah(row.invoice.total), align="R")
        pdf.cell_text(widths[3], format_rupiah(row.paid + row.credited), align="R")
        pdf.cell_text(widths[4], format_rupiah(row.balance), align="R")
        pdf.cell_text(widths[5], "LEWAT" if row.overdue else "", bold=True)
        pdf.ln()
    pdf.ln(2)
    pdf.line_text(f"Total tagihan: {format_rupiah(statement.due)}", bold=True)
    pdf.line_text(f"Lewat jatuh tempo: {format_rupiah(statement.overdue)}", bold=True)
    return bytes(pdf.output())


def statement_xlsx(statement: Statement) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tagihan"
    sheet.append(["Laporan tagihan", inert(statement.business.name), statement.on])
    sheet.append(
        [
            "Faktur",
            "Pasar",
            "Tanggal",
            "Jatuh tempo",
            "Total (Rp)",
            "Kredit (Rp)",
            "Dibayar (Rp)",
            "Sisa (Rp)",
            "Lewat jatuh tempo",
        ]
    )
    for row in statement.rows:
        invoice = row.invoice
        sheet.append(
            [
                invoice.code,
                inert(invoice.market.name),
                invoice.issued_on,
                invoice.due_on,
                invoice.total,
                credited(invoice),
                paid(invoice),
                balance(invoice),
                "ya" if row.overdue else "tidak",
            ]
        )
    sheet.append([])
    sheet.append(["Total tagihan", statement.due])
    sheet.append(["Lewat jatuh tempo", statement.overdue])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
