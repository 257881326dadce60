"""cite's production settings plus one URL for the load benchmark: a bare view, the framework's own limit.

Only bench/load.py serves it (DJANGO_SETTINGS_MODULE=bench.settings); production has no such URL.
"""

from cite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
