"""The command line's process settings, applied before any pydantic model is built (imported
first by :mod:`chatlint.cli`).

pydantic looks for its own plugins (the ``pydantic`` entry-point group) when it builds the
first model, parsing every installed distribution's metadata: about 15 ms of a 0.3 s cold
``chatlint check``, for plugins that observe validation and have nothing to observe in the
linter's own models. The ``chatlint`` command therefore runs with ``PYDANTIC_DISABLE_PLUGINS``
set, unless the environment sets it already (to anything, even empty). Importing
:mod:`chatlint` as a library changes nothing: this module is the command's.
"""

from __future__ import annotations

import os

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
