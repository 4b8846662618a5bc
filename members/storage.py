"""Storage for documents only staff may read: never under a public URL (see coalition/storage.py)."""

from coalition.storage import storage

private_storage = storage("private")
