"""The one error an import raises when a file is refused; its message names file, row, column and value."""


class Rejected(Exception):
    """A file was refused whole; the store is unchanged. ``str(e)`` is the user-facing message."""
