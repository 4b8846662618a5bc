"""Settings for benchmark servers: production settings plus a bare view to compare against."""

from coalition.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The "after a change" run: the data version moves on before every request, as if each visitor were
# the first after someone saved something (kept reads and pages' bodies are read and drawn again;
# what is kept by its own content, such as rows, tracks and maps, is reused).
if env.bool("BENCH_CHANGE_BEFORE_EACH_REQUEST", default=False):  # noqa: F405
    MIDDLEWARE = ["bench.middleware.ChangeBeforeEachRequest", *MIDDLEWARE]  # noqa: F405
