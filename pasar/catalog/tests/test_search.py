import pytest
from hypothesis import given
from hypothesis import strategies as st

from pasar.catalog.search import canonicalize, correct_word, normalize, query_terms
from pasar.catalog.selectors import product_search
from pasar.testing import factories


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("cabe", ["cabai"]),
        ("Cabe Rawit", ["cabai", "rawit"]),
        ("brambang", ["bawang", "merah"]),
        ("bamer", ["bawang", "merah"]),
        ("bawang merh", ["bawang", "merah"]),
        ("baput", ["bawang", "putih"]),
        ("telor", ["telur"]),
        ("gula jawa", ["gula", "merah"]),
        ("laos", ["lengkuas"]),
        ("kol", ["kubis"]),
        ("", []),
    ],
)
def test_query_terms_map_synonyms_and_typos(query, terms):
    assert query_terms(query) == terms


def test_normalize_strips_accents_and_punctuation():
    assert normalize("  Cabé-Rawit!!  ") == "cabe rawit"


def test_short_and_numeric_words_are_not_corrected():
    assert correct_word("abc") == "abc"
    assert correct_word("2025") == "2025"


def test_canonicalize_phrase_before_words():
    assert canonicalize("Cabe ijo") == "cabai hijau"


@given(st.text(max_size=200))
def test_query_terms_never_crash(text):
    terms = query_terms(text)
    assert all(t and " " not in t for t in terms)


@pytest.mark.django_db
def test_search_finds_synonyms_and_typos_in_one_market(market, other_market):
    rawit = factories.commodity("Cabai Rawit Merah", "cabe rawit, rawit, cengek")
    shallot = factories.commodity("Bawang Merah", "brambang, bamer")
    stall = factories.stall(market=market)
    chili = factories.product(stall=stall, name="Cabai Rawit Merah", unit="kg", price=40000, commodity_obj=rawit)
    onion = factories.product(stall=stall, name="Bawang Merah Brebes", unit="kg", price=45000, commodity_obj=shallot)
    factories.product(stall=stall, name="Kangkung", unit="ikat", price=3000)
    elsewhere = factories.stall(market=other_market)
    factories.product(stall=elsewhere, name="Cabai Rawit Merah", unit="kg", price=39000, commodity_obj=rawit)

    assert product_search(market=market, query="cabe") == [chili]
    assert product_search(market=market, query="brambang") == [onion]
    assert product_search(market=market, query="bawang merh") == [onion]
    assert product_search(market=market, query="cengek") == [chili]
    assert product_search(market=market, query="durian") == []


@pytest.mark.django_db
def test_search_puts_available_first_and_drops_filler_words(market):
    stall = factories.stall(market=market)
    gone = factories.product(stall=stall, name="Kangkung Cabut", price=2000, available=False)
    fresh = factories.product(stall=stall, name="Kangkung", price=3000)
    assert product_search(market=market, query="kangkung") == [fresh, gone]
    assert product_search(market=market, query="kangkung yg seger") == [fresh, gone]


@pytest.mark.django_db
def test_search_falls_back_to_fuzzy_product_names(market):
    stall = factories.stall(market=market, category_slug="pakaian")
    daster = factories.product(stall=stall, name="Daster Batik", unit="pcs", price=45000)
    assert product_search(market=market, query="dastr batk") == [daster]
