"""The static web catalogue (OPAC): plain files built from the union catalogue.

``build(repository, out_dir, audience="public", term=None)`` reads the union catalogue
(``libsync.catalog.build_union``) and the rotation manifests and writes a self-contained
site; ``build_site(union, network, exchanges, out_dir, ...)`` does the same from plain
data. ``serve.make_server`` previews a built site on 127.0.0.1.
"""

from libsync.site.build import build, build_site, choose_term

__all__ = ["build", "build_site", "choose_term"]
