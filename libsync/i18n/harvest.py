"""Messages of `libsync harvest` (OAI-PMH harvesting into a library's records)."""

MESSAGES: dict[str, tuple[str, str]] = {
}
