"""OAI-PMH 2.0 data provider: the network's catalogue for other library systems to harvest.

* ``protocol`` — the six verbs and their errors as plain functions (arguments → XML bytes, no I/O);
* ``metadata`` — ``marc21`` (the MARC mapping of ``libsync export marcxml``) and ``oai_dc``;
* ``history`` — datestamps and removed records from Git history (one ``git log`` pass, cached by HEAD);
* ``index`` — the catalogue of one repository state for one audience, built once, kept in memory;
* ``server`` — the WSGI application and the waitress server of ``libsync oai serve``;
* ``static`` — the same catalogue as an OAI "Static Repository" file (``libsync site build``).

Harvesting *from* other providers is ``libsync harvest`` (``libsync.interchange.harvest``), not here.
Nothing in this package writes into the repository.
"""
