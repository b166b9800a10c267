"""Settings for benchmark runs: the product's settings with the harness URLconf on top.

The product's own URLconf stays untouched; ``bench.urls`` adds the floor views.
"""

from pasar.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
