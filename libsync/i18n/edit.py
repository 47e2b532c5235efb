"""Messages of the everyday edit commands: `libsync record`, `libsync copy`, `libsync batch`."""

MESSAGES: dict[str, tuple[str, str]] = {
}
