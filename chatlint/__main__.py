"""``python -m chatlint`` and the ``chatlint`` command (``chatlint.__main__:main``)."""

import sys


def main() -> int:
    # the cyclic collector is paused while the command starts up (see chatlint._cli_env)
    from . import _cli_env

    _cli_env.pause()
    try:
        from .cli import main as run

        return run()
    finally:
        _cli_env.started(freeze=False)


if __name__ == "__main__":
    sys.exit(main())
