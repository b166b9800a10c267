"""Chat around a list: greetings, thanks, headers and delivery talk are not items.

A jastip list arrives as a chat ("Bu, titip ya 🙏", "belanjaan hari ini:", "makasih bu"). A line is
chatter when it names no commodity, asks no measured quantity, and its words are chat words (or the
name after an address word: "Bu Euis"), or when it is a heading (ends with ":" and carries no item).
An unknown word keeps a line an item ("sabun 2"): the parser never drops what might be something to buy.
"""

from pasar.catalog.shopping_list.tokens import Token

# Address words: the word after one is a name ("Bu Euis", "Teh Iis", "Mas Joko").
ADDRESS = frozenset(
    str.split(
        "bu ibu buk bude budhe bunda mbak mba mbok mas pak bapak kak kakak dek adek teh teteh aa akang kang ceu "
        "euceu bi bibi mang emang bang abang om tante neng cici koh sis gan bos bosku juragan mbah nek nenek uni "
        "uda uwak wak nak dik le nduk cah"
    )
)
WORDS = frozenset(
    str.split(
        # Greetings and partings (Indonesian, Javanese, Sundanese, Arabic).
        "halo hallo hello helo hai hi hay hey pagi siang sore malam selamat met assalamualaikum assalamu alaikum "
        "asalamualaikum assalamualaikum askum ass wr wb warahmatullahi wabarakatuh wassalam waalaikumsalam "
        "permisi punten sampurasun rampes sugeng enjing enjang sonten dalu wilujeng wengi "
        # Thanks.
        "makasih makasi makasii makasihh mksh mksih makaci trims trimakasih terimakasih terima kasih thanks thank "
        "thx tq tks tengkyu tenkyu nuhun hatur matur nuwun suwun maturnuwun maaf mohon sorry ngrepoti ngerepotin "
        "repotin merepotkan "
        # Asking and listing.
        "atas nama sebelum sesudah setelah habis paling lambat cepat secepatnya langsung segera "
        "seger segar bagus besar kecil gede sedang mateng matang bersih baru yg yang jangan "
        "badhe mesen meser pesen tumbas tulungi sateuacanna sebelumnya sakderenge "
        "p ping ttp ttip gpp gapapa gakpapa nggapapa papa "
        "titip nitip titipan tolong tlg minta mau pesan pesen pesenan pesanan order orderan belanja belanjaan "
        "belanjain beliin beli belikan beliain daftar list catatan note hari ini besok lusa nanti sekarang "
        "ntar entar biasa kayak kaya seperti kemarin kmrn ya yaa yaaa yah yach ok oke okey okay oce sip siap iya "
        "y ye yo dong deh aja ajah saja itu ini segitu dulu udah sudah sdh dah cukup semua semuanya lengkap "
        "sekian warung toko dagangan jualan kulakan bisa bs gak ga gk nggak ngga enggak engga tidak tdk ndak "
        "mboten boten henteu "
        "nggih inggih enggih njih nggeh sumuhun muhun leres "
        "saya aku sy aq gue gw kami kita q punya mu nya ku kamu sampeyan panjenengan "
        "untuk utk buat bwt masak acara arisan pengajian hajatan syukuran "
        # Delivery and payment talk.
        "kirim dikirim kirimin anter anterin antar antarin dianter diantar diantarkan ambil diambil ambilnya "
        "jemput dijemput tunggu ditunggu kabarin kabari info tanya nanya cek alamat rumah kantor ke di dari "
        "depan gang rt rw no nomor ongkir ongkos bayar bayarnya dibayar transfer tf cod cash tunai jam pukul "
        "total berapa brp semuanya habis abis kalau kalo klo nanti pas sampai sampe "
        # Javanese and Sundanese chat.
        "sampun mpun niku nika mawon mawon cekap wis uwis kuwi iki abdi hoyong meser tumbas nyuwun tulung mangke "
        "dugi kintun kirimaken kulo kula aku tak dipun rencang nggih sumangga "
        "tumbaske tumbasne tumbasaken tuku tukokke tukokne tukune belikno bade badé hoyong palih pangmeserkeun "
        "banyak byk bnyk kathah pisan sanget banget bgt sekali jazakallah jazakillah jazakumullah khair khoir "
        "khairan barakallah syukron "
        "mantap mantab makasih hehe hehehe wkwk wkwkwk haha hahaha xixi amin aamiin "
        "ada gimana bagaimana gmn apa sama juga lagi terus trus pokoknya pkoknya intinya "
        "dan atau serta atau sm ama plus with"
    )
)
# Section headings of a list, chat only alone on their line with no number ("Sayur", "Bumbu dapur",
# "Lain-lain"); "buah 2" is still something to buy.
HEADINGS = frozenset(
    str.split(
        "sayur sayuran bumbu bumbuan dapur rempah rempahan buah buahan sembako jajanan minuman snack cemilan "
        "lauk pauk lain lainnya dll dsb"
    )
)
# Thanks and greetings: a line holding one (and no item, no quantity) is chat whatever else it says
# ("makasih banyak bu 🙏", "selamat pagi semuanya"). Asking words ("titip", "tolong") are not enough:
# "titip sabun" is an item.
CUES = frozenset(
    str.split(
        "makasih makasi makasii makasihh mksh mksih makaci trims trimakasih terimakasih thanks thank thx tq tks "
        "tengkyu tenkyu nuhun nuwun suwun maturnuwun assalamualaikum asalamualaikum askum waalaikumsalam "
        "selamat sugeng wilujeng halo hallo hai punten permisi sampurasun jazakallah"
    )
)
# The first word of a line that makes it chat about the delivery, whatever follows ("alamat: Jl. Mawar 5").
LEADS = frozenset(str.split("alamat ongkir transfer tf catatan note nb ps nama patokan"))


_PREFIXES = ("di", "ke", "nge", "ng", "me", "ber", "ter", "ny", "pun")
_SUFFIXES = ("nya", "in", "kan", "ke", "ne", "an", "aken", "keun", "na", "no", "ken", "i")


def is_chat_word(word: str) -> bool:
    """A chat word, also with the affixes of chat: "dibeliin", "ditumbaske", "anterin", "kirimnya"."""
    if word in WORDS or word in ADDRESS:
        return True
    for prefix in ("", *_PREFIXES):
        if not word.startswith(prefix):
            continue
        stem = word[len(prefix) :]
        if prefix and len(stem) >= 3 and stem in WORDS:
            return True
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3 and stem[: -len(suffix)] in WORDS:
                return True
    return False


def is_chatter(tokens: list[Token], *, has_item: bool, measured: bool) -> bool:
    """Whether the line is chat rather than an item. ``has_item``: a commodity was recognised;
    ``measured``: the line carries a quantity with a unit or a money amount."""
    if measured:
        return False
    if tokens and tokens[-1].text == ":" and not any(t.kind == "num" for t in tokens):
        return True  # a heading, even one naming a kind of goods: "Belanjaan hari ini:", "belanja ayam:"
    if has_item:
        return False
    words = [t.norm for t in tokens if t.kind == "word"]
    if not words:
        # Only emoji or punctuation ("🙏", "👍👍"); a lone number stays an item to check.
        return not any(t.kind == "num" for t in tokens)
    if words[0] in LEADS or (not any(t.kind == "num" for t in tokens) and any(w in CUES for w in words)):
        return True
    numbered = any(t.kind == "num" for t in tokens)
    known = 0
    previous = ""
    for word in words:
        if previous in ADDRESS or is_chat_word(word) or (word in HEADINGS and not numbered):
            known += 1
        previous = word
    return known == len(words)
