"""The demo markets: the markets of real pasar-online programmes (coordinates approximate)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoMarket:
    name: str
    regency_code: str
    latitude: float
    longitude: float
    address: str
    operator_name: str
    operator_kind: str
    price_factor: float  # regional price level against the Kota Bandung Bapanas series
    specialities: tuple[str, ...] = ()  # categories with extra stalls (Klewer: pakaian)


MARKETS: list[DemoMarket] = [
    DemoMarket(
        "Pasar Cikurubuk",
        "32.78",
        -7.3470,
        108.2035,
        "Jl. Cikurubuk, Mangkubumi, Kota Tasikmalaya",
        "Koperasi Pedagang Pasar Cikurubuk",
        "koperasi",
        0.98,
    ),
    DemoMarket(
        "Pasar Sabilulungan Cicalengka",
        "32.04",
        -6.9836,
        107.8412,
        "Jl. Raya Cicalengka, Kab. Bandung",
        "Dinas Koperasi, UKM, Perdagangan dan Perindustrian Kab. Bandung",
        "dinas",
        0.97,
    ),
    DemoMarket(
        "Pasar Cihapit",
        "32.73",
        -6.9097,
        107.6227,
        "Jl. Cihapit, Bandung Wetan, Kota Bandung",
        "Perumda Pasar Juara Kota Bandung",
        "perumda",
        1.0,
    ),
    DemoMarket(
        "Pasar Beringharjo",
        "34.71",
        -7.7989,
        110.3657,
        "Jl. Margo Mulyo, Gondomanan, Kota Yogyakarta",
        "Dinas Perdagangan Kota Yogyakarta",
        "dinas",
        0.96,
        ("pakaian", "jajanan"),
    ),
    DemoMarket(
        "Pasar Anyar",
        "36.71",
        -6.1768,
        106.6324,
        "Jl. Ki Samaun, Tangerang, Kota Tangerang",
        "Perumda Pasar Kota Tangerang",
        "perumda",
        1.04,
    ),
    DemoMarket(
        "Pasar Kampung Baru",
        "73.71",
        -5.1356,
        119.4140,
        "Jl. Kajaolalido, Ujung Pandang, Kota Makassar",
        "Perumda Pasar Makassar Raya",
        "perumda",
        1.06,
        ("ikan",),
    ),
    DemoMarket(
        "Pasar Pa'baeng-baeng",
        "73.71",
        -5.1681,
        119.4366,
        "Jl. Sultan Alauddin, Tamalate, Kota Makassar",
        "Perumda Pasar Makassar Raya",
        "perumda",
        1.05,
        ("ikan",),
    ),
    DemoMarket(
        "Pasar Klewer",
        "33.72",
        -7.5751,
        110.8267,
        "Jl. Dr. Radjiman, Pasar Kliwon, Kota Surakarta",
        "Dinas Perdagangan Kota Surakarta",
        "dinas",
        0.97,
        ("pakaian", "pakaian", "pakaian"),
    ),
    DemoMarket(
        "Pasar Tanjung",
        "35.09",
        -8.1707,
        113.7006,
        "Jl. Samanhudi, Kaliwates, Kab. Jember",
        "Dinas Perindustrian dan Perdagangan Kab. Jember",
        "dinas",
        0.95,
    ),
    DemoMarket(
        "Pasar Oro-Oro Dowo",
        "35.73",
        -7.9655,
        112.6291,
        "Jl. Guntur, Klojen, Kota Malang",
        "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang",
        "dinas",
        1.0,
        ("jajanan",),
    ),
    DemoMarket(
        "Pasar Tugu",
        "18.71",
        -5.4131,
        105.2704,
        "Jl. Hayam Wuruk, Tanjung Karang Timur, Kota Bandar Lampung",
        "Koperasi Pedagang Pasar Tugu",
        "koperasi",
        1.02,
    ),
    DemoMarket(
        "Pasar Pasir Gintung",
        "18.71",
        -5.4141,
        105.2561,
        "Jl. Pisang, Tanjung Karang Pusat, Kota Bandar Lampung",
        "Dinas Perdagangan Kota Bandar Lampung",
        "dinas",
        1.02,
    ),
]
