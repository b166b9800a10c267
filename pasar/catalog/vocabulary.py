"""The canonical commodity and synonym vocabulary, shipped with the code.

Names follow Bapanas/PIHPS where the commodity is in their panels (``bapanas_id`` is the
Bapanas panel id). Synonyms come from what people actually write: the Cookpad variant
counts in the project's reference data (cabe 10,584 lines vs cabai 2,970; brambang, bamer,
baput, telor, laos, sereh, kunir, gula jawa, kol, bombai), plus common Sundanese and
Javanese market words.

This module is the single source of truth: ``load_commodities`` copies it into the
``Commodity`` table (for foreign keys and the admin) and search reads it directly.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CommodityDef:
    name: str
    group: str
    category: str
    unit: str
    weighed: bool
    synonyms: tuple[str, ...] = ()
    bapanas_id: int | None = None


CATEGORIES: list[tuple[str, str]] = [
    ("sayur", "Sayur-mayur"),
    ("bumbu", "Bumbu & rempah"),
    ("buah", "Buah-buahan"),
    ("daging", "Daging, ayam & telur"),
    ("ikan", "Ikan & hasil laut"),
    ("sembako", "Beras & sembako"),
    ("tahu-tempe", "Tahu, tempe & olahan"),
    ("jajanan", "Jajanan pasar & kue"),
    ("pakaian", "Pakaian & kain"),
    ("perabot", "Perabot rumah tangga"),
]

C = CommodityDef
COMMODITIES: list[CommodityDef] = [
    C("Beras Premium", "Beras", "sembako", "kg", True, ("beras pulen",), 27),
    C("Beras Medium", "Beras", "sembako", "kg", True, ("beras",), 28),
    C("Beras SPHP", "Beras", "sembako", "kg", True, ("beras bulog",), 109),
    C("Bawang Merah", "Bawang Merah", "bumbu", "kg", True, ("brambang", "bamer", "bwg merah", "bawang abang"), 30),
    C(
        "Bawang Putih Bonggol",
        "Bawang Putih",
        "bumbu",
        "kg",
        True,
        ("baput", "bwg putih", "bawang putih", "bawang bodas"),
        31,
    ),
    C("Bawang Bombay", "Bawang Bombay", "bumbu", "kg", True, ("bombai", "bawang bombai", "bombay")),
    C(
        "Cabai Merah Besar",
        "Cabai Merah",
        "bumbu",
        "kg",
        True,
        ("cabe merah besar", "cabe besar", "lombok gede", "cabe teropong"),
        126,
    ),
    C(
        "Cabai Merah Keriting",
        "Cabai Merah",
        "bumbu",
        "kg",
        True,
        ("cabe keriting", "cabe merah keriting", "lombok keriting", "cabe merah"),
        32,
    ),
    C(
        "Cabai Rawit Merah",
        "Cabai Rawit",
        "bumbu",
        "kg",
        True,
        ("cabe rawit", "rawit", "cengek", "lombok rawit", "cabe setan", "cabe rawit merah"),
        33,
    ),
    C(
        "Cabai Rawit Hijau",
        "Cabai Rawit",
        "bumbu",
        "kg",
        True,
        ("cabe rawit hijau", "cengek hijau", "cabe ijo", "rawit hijau", "rawit ijo"),
    ),
    C("Jahe", "Rempah", "bumbu", "kg", True, ("jahe merah", "jae")),
    C("Kunyit", "Rempah", "bumbu", "kg", True, ("kunir", "koneng")),
    C("Lengkuas", "Rempah", "bumbu", "kg", True, ("laos", "laja")),
    C("Kencur", "Rempah", "bumbu", "kg", True, ("cikur",)),
    C("Serai", "Rempah", "bumbu", "batang", False, ("sereh", "sere")),
    C("Kemiri", "Rempah", "bumbu", "kg", True, ("muncang",)),
    C("Daun Salam", "Rempah", "bumbu", "ikat", False, ("salam",)),
    C("Daun Jeruk", "Rempah", "bumbu", "ikat", False, ("jeruk purut",)),
    C("Jeruk Nipis", "Rempah", "bumbu", "kg", True, ("jeruk pecel", "jeruk limo")),
    C("Ketumbar", "Rempah", "bumbu", "kg", True, ("ketumbar butir",)),
    C("Merica", "Rempah", "bumbu", "kg", True, ("lada", "lada putih", "merica butir", "sahang")),
    C("Terasi", "Rempah", "bumbu", "bungkus", False, ("trasi", "belacan")),
    C(
        "Daging Ayam Ras",
        "Daging Ayam",
        "daging",
        "kg",
        True,
        (
            "ayam",
            "ayam potong",
            "ayam broiler",
            "daging ayam",
            "ayam negeri",
            "dada ayam",
            "paha ayam",
            "sayap ayam",
            "fillet ayam",
            "ayam fillet",
        ),
        35,
    ),
    C("Ayam Kampung", "Daging Ayam", "daging", "ekor", False, ("ayam jawa",)),
    C("Daging Sapi Murni", "Daging Sapi", "daging", "kg", True, ("daging sapi", "daging", "has sapi", "sapi"), 34),
    C("Daging Kerbau Segar", "Daging Kerbau", "daging", "kg", True, ("daging kerbau", "kerbau"), 152),
    C("Telur Ayam Ras", "Telur Ayam", "daging", "kg", True, ("telor", "telur", "telor ayam", "endog"), 36),
    C(
        "Telur Ayam Kampung",
        "Telur Ayam",
        "daging",
        "butir",
        False,
        ("telor kampung", "telur kampung", "telur ayam kampung", "telor ayam kampung"),
    ),
    C("Telur Puyuh", "Telur Puyuh", "daging", "butir", False, ("telor puyuh", "puyuh")),
    C("Daging Kambing", "Daging Kambing", "daging", "kg", True, ("kambing", "daging domba")),
    C("Telur Bebek", "Telur Bebek", "daging", "butir", False, ("telor bebek", "telur asin")),
    C("Ikan Bandeng", "Ikan", "ikan", "kg", True, ("bandeng",), 106),
    C("Ikan Kembung", "Ikan", "ikan", "kg", True, ("kembung", "banyar"), 104),
    C("Ikan Tongkol", "Ikan", "ikan", "kg", True, ("tongkol", "tongkol"), 105),
    C("Ikan Lele", "Ikan", "ikan", "kg", True, ("lele",)),
    C("Ikan Nila", "Ikan", "ikan", "kg", True, ("nila",)),
    C("Ikan Mas", "Ikan", "ikan", "kg", True, ("ikan emas", "ikan mas")),
    C("Ikan Asin", "Ikan", "ikan", "kg", True, ("asin", "gereh", "peda")),
    C("Ikan Teri", "Ikan", "ikan", "kg", True, ("teri", "teri medan", "teri nasi")),
    C("Udang", "Hasil Laut", "ikan", "kg", True, ("udang segar", "urang")),
    C("Cumi-cumi", "Hasil Laut", "ikan", "kg", True, ("cumi", "sotong")),
    C(
        "Minyak Goreng Curah",
        "Minyak Goreng",
        "sembako",
        "liter",
        True,
        ("minyak curah", "minyak goreng", "minyak", "migor"),
        101,
    ),
    C("Minyak Goreng Kemasan", "Minyak Goreng", "sembako", "liter", False, ("minyak kemasan", "minyak bimoli"), 38),
    C("Minyakita", "Minyak Goreng", "sembako", "liter", False, ("minyak kita",), 127),
    C("Gula Konsumsi", "Gula Pasir", "sembako", "kg", True, ("gula pasir", "gula", "gulpas"), 37),
    C("Gula Merah", "Gula Merah", "sembako", "kg", True, ("gula jawa", "gula aren", "gula kelapa", "gula batok")),
    C("Garam Konsumsi", "Garam", "sembako", "bungkus", False, ("garam", "uyah"), 107),
    C("Tepung Terigu Curah", "Tepung Terigu", "sembako", "kg", True, ("terigu", "tepung", "tepung terigu"), 40),
    C("Tepung Terigu Kemasan", "Tepung Terigu", "sembako", "kg", False, ("segitiga biru",), 108),
    C("Tepung Tapioka", "Tepung", "sembako", "kg", True, ("tapioka", "tepung kanji", "kanji", "tepung aci", "aci")),
    C("Tepung Beras", "Tepung", "sembako", "kg", True, ("tepung rose brand",)),
    C("Kecap Manis", "Kecap", "sembako", "botol", False, ("kecap",)),
    C("Kacang Tanah", "Kacang", "sembako", "kg", True, ("suuk", "kacang suuk")),
    C("Kedelai Biji Kering", "Kedelai", "sembako", "kg", True, ("kedelai", "kacang kedelai", "kedele"), 29),
    C("Tahu", "Tahu", "tahu-tempe", "biji", False, ("tahu putih", "tahu kuning", "tahu sumedang")),
    C("Tempe", "Tempe", "tahu-tempe", "papan", False, ("tempe papan", "tempe bungkus")),
    C("Oncom", "Oncom", "tahu-tempe", "papan", False, ()),
    C("Kangkung", "Sayur Daun", "sayur", "ikat", False, ("kangkong",)),
    C("Bayam", "Sayur Daun", "sayur", "ikat", False, ("bayem",)),
    C("Sawi Hijau", "Sayur Daun", "sayur", "ikat", False, ("sawi", "caisim", "sawi caisim")),
    C("Sawi Putih", "Sayur Daun", "sayur", "kg", True, ("pecay", "petsai")),
    C("Selada", "Sayur Daun", "sayur", "ikat", False, ("selada keriting", "slada")),
    C("Kemangi", "Sayur Daun", "sayur", "ikat", False, ("daun kemangi", "surawung")),
    C("Kubis", "Sayur", "sayur", "kg", True, ("kol", "kobis", "engkol")),
    C("Wortel", "Sayur", "sayur", "kg", True, ("bortol", "wortol")),
    C("Kentang", "Sayur", "sayur", "kg", True, ("kentang dieng",)),
    C("Tomat", "Sayur", "sayur", "kg", True, ("tomat sayur", "tomato")),
    C("Buncis", "Sayur", "sayur", "kg", True, ("boncis",)),
    C("Kacang Panjang", "Sayur", "sayur", "ikat", False, ("kacpan", "kacang lanjar")),
    C("Terong", "Sayur", "sayur", "kg", True, ("terung", "terong ungu")),
    C("Mentimun", "Sayur", "sayur", "kg", True, ("timun", "ketimun", "bonteng")),
    C("Labu Siam", "Sayur", "sayur", "kg", True, ("jipang", "manisah", "waluh siam")),
    C("Tauge", "Sayur", "sayur", "kg", True, ("taoge", "toge", "kecambah")),
    C("Daun Bawang", "Sayur Daun", "sayur", "ikat", False, ("bawang daun", "loncang", "bawang prei")),
    C("Seledri", "Sayur Daun", "sayur", "ikat", False, ("sledri", "seledri")),
    C("Jagung Manis", "Sayur", "sayur", "buah", False, ("jagung", "jagung sayur")),
    C("Petai", "Sayur", "sayur", "papan", False, ("pete", "peteh")),
    C("Jengkol", "Sayur", "sayur", "kg", True, ("jengkol tua",)),
    C("Singkong", "Umbi", "sayur", "kg", True, ("ketela pohon", "ubi kayu", "kasbi", "sampeu")),
    C("Pisang", "Buah", "buah", "sisir", False, ("cau", "gedang", "pisang ambon", "pisang raja")),
    C("Jeruk", "Buah", "buah", "kg", True, ("jeruk medan", "jeruk manis", "jeruk peras")),
    C("Apel", "Buah", "buah", "kg", True, ("apel malang",)),
    C("Pepaya", "Buah", "buah", "buah", False, ("kates",)),
    C("Semangka", "Buah", "buah", "kg", True, ()),
    C("Salak", "Buah", "buah", "kg", True, ("salak pondoh",)),
    C("Mangga", "Buah", "buah", "kg", True, ("pelem", "mangga harum manis")),
    C("Nanas", "Buah", "buah", "buah", False, ("nenas", "ananas")),
    C("Kelapa", "Buah", "sembako", "buah", False, ("kelapa parut", "klapa", "santan")),
]

# Single-word spelling variants, applied token by token to queries and product names, so
# "cabe keriting" and a product named "Lombok rawit" both meet "cabai".
TOKEN_ALIASES: dict[str, str] = {
    "cabe": "cabai",
    "cabay": "cabai",
    "lombok": "cabai",
    "telor": "telur",
    "endog": "telur",
    "bwg": "bawang",
    "bawng": "bawang",
    "brambang": "bawang merah",
    "bamer": "bawang merah",
    "baput": "bawang putih",
    "laos": "lengkuas",
    "sereh": "serai",
    "sere": "serai",
    "kunir": "kunyit",
    "kol": "kubis",
    "kobis": "kubis",
    "bombai": "bombay",
    "toge": "tauge",
    "taoge": "tauge",
    "timun": "mentimun",
    "ketimun": "mentimun",
    "terung": "terong",
    "kedele": "kedelai",
    "migor": "minyak goreng",
    "gulpas": "gula pasir",
    "ijo": "hijau",
    "sledri": "seledri",
    "kangkong": "kangkung",
    "bayem": "bayam",
    "boncis": "buncis",
}

# Multi-word variants that are not token-by-token (gula jawa is gula merah, not "java sugar").
PHRASE_ALIASES: dict[str, str] = {
    "gula jawa": "gula merah",
    "gula aren": "gula merah",
    "cabe ijo": "cabai hijau",
    "bawang bodas": "bawang putih",
    "bawang abang": "bawang merah",
    "bawang daun": "daun bawang",
    "jeruk purut": "daun jeruk",
}
