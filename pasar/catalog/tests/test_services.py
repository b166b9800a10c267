from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pasar.catalog.models import Product
from pasar.catalog.services import (
    MAX_PHOTO_BYTES,
    PriceUpdate,
    prices_update,
    product_set_photo,
)
from pasar.core.errors import DomainError
from pasar.core.money import MAX_PRICE
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def snapshot():
    return list(Product.objects.order_by("pk").values_list("pk", "price", "available", "stock", "price_updated_at"))


@pytest.fixture
def products(stall):
    return [
        factories.product(stall=stall, name="Kangkung", unit="ikat", price=3000),
        factories.product(stall=stall, name="Tomat", unit="kg", price=12000, stock=10),
        factories.product(stall=stall, name="Bayam", unit="ikat", price=2500, available=False),
    ]


def update(product, **changes):
    values = {"price": product.price, "available": product.available, "stock": product.stock} | changes
    return PriceUpdate(product.pk, values["price"], values["available"], values["stock"])


# prices_update


def test_prices_update_changes_prices_availability_and_stock_together(stall, products):
    kangkung, tomat, bayam = products

    changed = prices_update(
        stall_ids=[stall.pk],
        updates=[update(kangkung, price=3500), update(tomat, stock=4, available=False), update(bayam)],
    )

    assert changed == 2
    rows = {pk: rest for pk, *rest in snapshot()}
    assert rows[kangkung.pk][:3] == [3500, True, None]
    assert rows[tomat.pk][:3] == [12000, False, 4]
    assert rows[bayam.pk][:3] == [2500, False, None]


def test_prices_update_stamps_the_price_time_only_when_the_price_changes(stall, products):
    kangkung, tomat, _bayam = products
    Product.objects.filter(pk__in=[kangkung.pk, tomat.pk]).update(price_updated_at=None)

    prices_update(stall_ids=[stall.pk], updates=[update(kangkung, price=3500), update(tomat, available=False)])

    kangkung.refresh_from_db()
    tomat.refresh_from_db()
    assert kangkung.price_updated_at is not None
    assert tomat.price_updated_at is None


def test_prices_update_with_nothing_new_changes_nothing(stall, products):
    before = snapshot()
    assert prices_update(stall_ids=[stall.pk], updates=[update(p) for p in products]) == 0
    assert snapshot() == before


def test_prices_update_of_nothing(stall, products):
    assert prices_update(stall_ids=[stall.pk], updates=[]) == 0


def test_prices_update_refuses_a_product_of_another_stall_and_saves_nothing(market, stall, products):
    theirs = factories.product(stall=factories.stall(market=market), name="Kangkung", price=2000)
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        prices_update(stall_ids=[stall.pk], updates=[update(products[0], price=3500), update(theirs, price=1)])

    assert refused.value.code == "not_owner"
    assert snapshot() == before


def test_prices_update_refuses_an_unknown_product(stall, products):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        prices_update(
            stall_ids=[stall.pk], updates=[update(products[0], price=3500), PriceUpdate(999_999, 1000, True, None)]
        )
    assert refused.value.code == "not_owner"
    assert snapshot() == before


@pytest.mark.parametrize("price", [0, -1, MAX_PRICE + 1])
def test_prices_update_refuses_a_price_out_of_bounds_and_saves_nothing(stall, products, price):
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        prices_update(stall_ids=[stall.pk], updates=[update(products[0], price=3500), update(products[1], price=price)])

    assert (refused.value.code, refused.value.field) == ("price_range", "price")
    assert snapshot() == before


@pytest.mark.parametrize("price", [1, MAX_PRICE])
def test_prices_update_accepts_the_price_bounds(stall, products, price):
    assert prices_update(stall_ids=[stall.pk], updates=[update(products[0], price=price)]) == 1
    assert Product.objects.get(pk=products[0].pk).price == price


def test_prices_update_refuses_negative_stock_and_saves_nothing(stall, products):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        prices_update(stall_ids=[stall.pk], updates=[update(products[0], price=3500), update(products[1], stock=-1)])
    assert refused.value.code == "stock_negative"
    assert snapshot() == before


def test_prices_update_is_a_few_queries_whatever_the_number_of_products(stall, django_assert_max_num_queries):
    many = [factories.product(stall=stall, name=f"Produk {i}", price=1000 + i) for i in range(30)]
    with django_assert_max_num_queries(4):
        changed = prices_update(stall_ids=[stall.pk], updates=[update(p, price=p.price + 500) for p in many])
    assert changed == 30


# product_set_photo


def image_upload(fmt="PNG", size=(800, 600), name=None, content_type="image/png"):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name or f"foto.{fmt.lower()}", buffer.getvalue(), content_type=content_type)


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def open_stored(field):
    field.open("rb")
    try:
        image = Image.open(BytesIO(field.read()))
        image.load()
    finally:
        field.close()
    return image


@pytest.mark.parametrize(
    ("fmt", "size", "photo_size", "thumb_size"),
    [
        ("PNG", (800, 600), (800, 600), (320, 240)),
        ("JPEG", (2000, 1000), (1280, 640), (320, 160)),
        ("JPEG", (600, 1200), (600, 1200), (160, 320)),
        ("WEBP", (200, 100), (200, 100), (200, 100)),
    ],
)
def test_product_set_photo_stores_webp_with_a_small_thumbnail(media_root, product, fmt, size, photo_size, thumb_size):
    product_set_photo(product=product, upload=image_upload(fmt, size))

    product.refresh_from_db()
    photo, thumb = open_stored(product.photo), open_stored(product.thumbnail)
    assert (photo.format, photo.size) == ("WEBP", photo_size)
    assert (thumb.format, thumb.size) == ("WEBP", thumb_size)
    assert thumb.size[0] <= 320
    assert product.photo.name.endswith(f"p{product.pk}.webp")
    assert product.thumbnail.name.endswith(f"p{product.pk}-t.webp")
    assert len(stored_files(media_root)) == 2


def test_product_set_photo_replaces_the_old_files(media_root, product, django_capture_on_commit_callbacks):
    product_set_photo(product=product, upload=image_upload())
    first = (product.photo.name, product.thumbnail.name)

    with django_capture_on_commit_callbacks(execute=True):
        product_set_photo(product=product, upload=image_upload("JPEG", (400, 400)))

    product.refresh_from_db()
    assert (product.photo.name, product.thumbnail.name) != first
    assert stored_files(media_root) == sorted([product.photo.name, product.thumbnail.name])


def _corrupt_png():
    data = bytearray(image_upload().read())
    data[data.find(b"IDAT") + 6] ^= 0xFF  # the chunk's checksum no longer matches
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("foto.jpg", b"this is a text file, not a photo\n" * 10, "photo_type"),
        ("foto.jpg", b"", "photo_type"),
        ("foto.png", image_upload().read()[:60], "photo_type"),
        ("foto.png", _corrupt_png(), "photo_type"),
        ("foto.gif", None, "photo_type"),
        ("foto.jpg", b"\xff\xd8" + b"\x00" * MAX_PHOTO_BYTES, "photo_size"),
    ],
    ids=["text-renamed-jpg", "empty", "truncated-png", "corrupt-png", "gif", "oversized"],
)
def test_product_set_photo_refuses_what_is_not_a_small_photo_and_stores_nothing(
    media_root, product, name, content, code
):
    if content is None:
        buffer = BytesIO()
        Image.new("RGB", (50, 50)).save(buffer, "GIF")
        content = buffer.getvalue()
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")

    with pytest.raises(DomainError) as refused:
        product_set_photo(product=product, upload=upload)

    assert (refused.value.code, refused.value.field) == (code, "photo")
    assert str(refused.value.message)
    product.refresh_from_db()
    assert (product.photo.name, product.thumbnail.name) == ("", "")
    assert stored_files(media_root) == []
