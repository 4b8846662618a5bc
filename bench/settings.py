"""Settings for benchmark servers: production settings plus a bare view to compare against."""

from coalition.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
