"""Messages of `libsync enrich` (copy cataloguing) and of the classification schemes."""

MESSAGES: dict[str, tuple[str, str]] = {
}
