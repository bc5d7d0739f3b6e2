"""Expected failures. Each message says what went wrong and what to do about it."""

from __future__ import annotations


class GdcAssistantError(Exception):
    """Base class for every error the user can act on."""

    exit_code = 1


class CorpusError(GdcAssistantError):
    """The corpus file or the source document cannot be read."""


class CorpusParseError(CorpusError):
    """The source document does not have the shape the parser expects."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"source line {line}: {message}")


class InvalidQueryError(GdcAssistantError):
    """A question that cannot be searched (empty, too long, unusable)."""

    exit_code = 2


class InvalidFilterError(InvalidQueryError):
    """A filter value that does not exist (SDG 18, Action Line C12, objective 7)."""


class ModelLoadError(GdcAssistantError):
    """The embedding model cannot be loaded."""


class IndexNotFoundError(GdcAssistantError):
    """No index where one was expected."""


class IndexCorruptError(GdcAssistantError):
    """An index exists but cannot be read or does not match the corpus."""


class IndexStaleError(IndexCorruptError):
    """An index built for another model, corpus or version: `gdc-assistant index build`."""


class IndexReadOnlyError(GdcAssistantError):
    """The embedded index folder cannot be written (Chroma writes even to read)."""


class IndexBusyError(GdcAssistantError):
    """Another process is building the same index."""


class ChromaServerError(GdcAssistantError):
    """The configured Chroma server cannot be reached, hung or failed."""

    retryable = False  # True when the server could not be reached at all (worth another try)


class InputReadError(GdcAssistantError):
    """A file or stdin given as input cannot be read: missing, a device, too big, not text."""

    exit_code = 2


class ProposalReadError(InputReadError):
    """An uploaded or given proposal file cannot be read."""

    exit_code = 2


class EvaluationError(GdcAssistantError):
    """A question set that cannot be evaluated."""

    exit_code = 2


class ServerBusyError(GdcAssistantError):
    """Every work slot of the web server stayed taken: the request should be retried."""
