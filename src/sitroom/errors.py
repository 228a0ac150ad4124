"""Errors a user can meet. Each message is one line that names the item and says what to do.

    SitroomError
    ├── StoreError      the database cannot be opened, migrated or written
    └── UsageError      arguments that cannot work (bad date, unknown format)
"""


class SitroomError(Exception):
    """Base of every error sitroom raises on purpose."""


class StoreError(SitroomError):
    pass


class UsageError(SitroomError):
    pass
