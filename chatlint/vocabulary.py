"""The vocabularies every layer shares, defined here once (a leaf module): channels,
severities, the applicability of a fix. :mod:`chatlint.findings` re-exports them."""

from __future__ import annotations

from typing import Literal, get_args

Channel = Literal["chat", "messenger", "social", "email"]
CHANNELS: tuple[str, ...] = get_args(Channel)
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)
Applicability = Literal["safe", "unsafe"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
