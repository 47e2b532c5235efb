"""Messages of `libsync share`, `libsync merge decide` and `libsync undo`."""

MESSAGES: dict[str, tuple[str, str]] = {
}
