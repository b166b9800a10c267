class DomainError(Exception):
    """A refusal a person can act on. ``message`` is already translated for display."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
