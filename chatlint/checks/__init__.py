"""The built-in rules, one module per group; importing this package registers them."""

from . import address, greeting, lexical, links, script, smileys, structure  # noqa: F401
