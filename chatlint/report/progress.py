"""A progress bar on stderr for ``chatlint report`` (tqdm: well kept, no dependencies of its
own, writes above its bar so notes stay readable); silent when stderr is not a terminal or
tqdm is not installed, so pipes, logs and tests see only the report's own lines."""

from __future__ import annotations

import sys


class Progress:
    def __init__(self, lang: str = "ru") -> None:
        self.lang = lang
        self.bar = None

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                return self
            unit = " диалогов" if self.lang == "ru" else " conversations"
            self.bar = tqdm(file=sys.stderr, unit=unit, dynamic_ncols=True, leave=False, mininterval=0.5)
        return self

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()
