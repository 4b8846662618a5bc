"""Reads about focal points and pledges that other apps share."""


def focal_point_countries(user) -> list:
    """Countries for which ``user`` is an active focal point (verified e-mail, not revoked)."""
    return []
