"""The data model's fixed vocabularies, named once (see ``libsync.model.enums``)."""
