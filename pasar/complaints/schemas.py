from datetime import datetime

from ninja import Field, Schema

from pasar.complaints.models import Complaint


class ComplaintIn(Schema):
    line_id: int = Field(ge=1, description="The order line complained about.")
    reason: Complaint.Reason
    remedy: Complaint.Remedy
    amount: int | None = Field(None, ge=0, le=100_000_000, description="Rupiah asked, for `refund_part`.")
    description: str = Field("", max_length=500)


class AnswerIn(Schema):
    agree: bool = Field(description="True grants the remedy asked at once; false sends it to the operator.")
    note: str = Field("", max_length=500, description="Required to disagree.")


class DecideIn(Schema):
    amount: int = Field(ge=0, le=100_000_000, description="Refund in rupiah; 0 rejects the complaint.")
    method: Complaint.RefundMethod | None = Field(
        None, description="How the refund is paid; default: `provider` when paid online, `credit` for COD."
    )
    note: str = Field("", max_length=500)


class ComplaintOut(Schema):
    id: int
    order: str = Field(alias="order.number")
    line_id: int
    stall_id: int
    reason: str
    remedy: str
    amount_asked: int
    state: str
    answer_due_at: datetime
    trader_note: str
    decision_note: str
    refund_amount: int
    refund_method: str
    photo: str | None = None

    @staticmethod
    def resolve_photo(obj: Complaint) -> str | None:
        return obj.photo.url if obj.photo else None
