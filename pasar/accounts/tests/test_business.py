"""A business buyer: members order for it, each person at most once."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from pasar.accounts.models import Business, BusinessMember, is_business_buyer
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def test_a_member_of_a_business_is_a_business_buyer_and_others_are_not():
    chef, neighbour = factories.user(name="Chef Dodi"), factories.user(name="Bu Ani")
    hotel = Business.objects.create(name="Hotel Braga", kind=Business.Kind.HOTEL, address="Jl. Braga 1")
    BusinessMember.objects.create(business=hotel, user=chef, is_owner=True)

    assert is_business_buyer(chef)
    assert not is_business_buyer(neighbour)
    assert not is_business_buyer(AnonymousUser())
    assert list(chef.businesses.all()) == [hotel]


def test_a_person_is_a_member_of_a_business_once():
    chef = factories.user()
    hotel = Business.objects.create(name="Hotel Braga", kind=Business.Kind.HOTEL, address="Jl. Braga 1")
    BusinessMember.objects.create(business=hotel, user=chef)

    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessMember.objects.create(business=hotel, user=chef)
