"""Demo data set for `make run`: each app contributes a `demo.load()` of its own."""

from importlib import import_module
from importlib.util import find_spec

DEMO_APPS = ["members", "pledges", "events"]


def load():
    """Create demo records if they are missing; a second run duplicates nothing."""
    for app in DEMO_APPS:
        if find_spec(f"{app}.demo") is not None:
            import_module(f"{app}.demo").load()
