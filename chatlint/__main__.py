"""``python -m chatlint`` and the ``chatlint`` command (``chatlint.__main__:command``)."""

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


def command() -> None:
    """The command: :func:`main`, then the process ends (:func:`end`)."""
    end(main())


def end(code: int) -> None:
    """End the process with exit status ``code`` as ``sys.exit`` would, without the
    interpreter's teardown of every module and object the run loaded (the morphology
    dictionary, the rules' lexicons and caches: ~11 ms after a check, for nothing). What the
    teardown does that matters is done first: the output flushed, the ``atexit`` functions run
    (``weakref.finalize``'s among them: temporary files removed). Where more could be at stake,
    the usual exit is taken: another thread still running, a profiler or tracer watching
    (``python -m cProfile -m chatlint``), or an output that cannot be flushed (the interpreter
    reports it and exits 120)."""
    import os

    threading = sys.modules.get("threading")
    if not isinstance(code, int) or (threading is not None and threading.active_count() > 1) or sys.getprofile() or sys.gettrace():
        sys.exit(code)
    import atexit

    try:
        _flush()
        atexit._run_exitfuncs()
        _flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()


if __name__ == "__main__":
    command()
