"""Domain exceptions. The CLI and the bot turn them into one sentence for the user."""


class NewsdeskError(Exception):
    """Base of every error that is the user's or the environment's, not a bug."""


class IndexNotReady(NewsdeskError):
    """There is no published index in the data directory yet."""


class IndexBusy(NewsdeskError):
    """Another process holds the writer lock."""


class ModelMismatch(NewsdeskError):
    """The index was built with another embedding model than the configured one."""


class IndexTypeError(NewsdeskError):
    """An index type (a FAISS factory string) that cannot be built for this archive."""


class SourceError(NewsdeskError):
    """A path given to ingest does not exist or is of an unknown kind."""


class SettingsError(NewsdeskError):
    """An environment variable has a wrong value."""


class FetchError(NewsdeskError):
    """A URL could not be fetched within the limits."""


class NotReadable(NewsdeskError):
    """A file that is not read: not a regular file, gone, or failing while it is read."""
