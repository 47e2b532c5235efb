"""Messages of `libsync oai serve` (the OAI-PMH data provider) and of the static repository."""

MESSAGES: dict[str, tuple[str, str]] = {
}
