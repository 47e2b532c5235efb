"""libsync — liên thông thư viện for school library networks.

The work lives in importable modules with plain data in and out; ``libsync.cli``
only parses arguments, calls them and renders the results.
"""

__version__ = "0.1.0"
