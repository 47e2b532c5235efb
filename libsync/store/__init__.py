"""The store: the one way commands change the network repository.

Every writing command goes through ``libsync.store.write.apply``: it takes the repository lock
(``lock``), finishes or undoes what a killed process left (``libsync.atomic.recover``), checks each
file it is about to write as ``libsync validate`` would, and applies the change as one
``Transaction`` — with the optional Git commit inside it, so a failed commit puts the files and
the index back. Nothing in here decides what to write.
"""
