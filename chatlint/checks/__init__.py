"""The built-in rules, one module per group; importing this package registers them."""

from . import address, dialogue, greeting, lexical, links, mail, script, smileys, spelling, structure  # noqa: F401
