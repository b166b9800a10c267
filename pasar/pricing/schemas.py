import datetime as dt

from ninja import Field, Schema


class PriceRowOut(Schema):
    commodity_id: int
    commodity: str = Field(alias="name")
    group: str
    unit: str = Field(description="The commodity's usual unit: only listings in this unit are counted.")
    price: int = Field(description="Market: median of the stalls' prices; region: mean of the level below, to Rp 50.")
    min: int = Field(alias="low")
    max: int = Field(alias="high")
    count: int = Field(description="Stalls (market board) or markets (region board) behind the price.")
    change_day: float | None = Field(description="Percent against the day before; null when a day has no data.")
    change_week: float | None = Field(description="Percent against seven days before; null when a day has no data.")
    alert: bool
    ceiling: int | None = Field(None, description="The ceiling (HET/HAP) in force, market boards only.")
    above_ceiling: int = 0
    trend: list[int | None] = Field(alias="spark", description="Daily prices, oldest first; null = no data.")


class BoardOut(Schema):
    date: dt.date | None = Field(description="The day shown; null when there is no data (for the day asked).")
    items: list[PriceRowOut]


class BoardQuery(Schema):
    date: dt.date | None = Field(None, description="A day (YYYY-MM-DD); default the latest day with data.")
