"""Demo data set: filled in by each app as it grows (members, pledges, events)."""


def load():
    """Create demo records if they are missing; never duplicates on a second run."""
