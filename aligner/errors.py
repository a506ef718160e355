"""One error type per failure a user can act on. The CLI maps them to one line and an exit code."""


class AlignerError(Exception):
    """Base class: anything the user can fix; the message is shown as it is, on one line."""

    exit_code = 1


class UsageError(AlignerError):
    """Options that contradict each other or name something that does not exist."""

    exit_code = 2


class InputError(AlignerError):
    """An input that cannot be read: missing, binary, not UTF-8, malformed JSONL, ..."""


class InputNotFoundError(InputError):
    """A path on the command line that does not exist: a usage error, like a mistyped option."""

    exit_code = 2


class RegistryError(UsageError):
    """An unknown name for a swappable part (encoder, reader, writer, detector)."""


class EncoderError(AlignerError):
    """An encoder that cannot be loaded (missing package, missing local model)."""


class MissingExtraError(AlignerError):
    """A format whose library is not installed (``pip install 'aligner[EXTRA]'`` fixes it)."""


class ExportError(AlignerError):
    """An output that cannot be written."""


class OutputBusyError(AlignerError):
    """Another run holds the output (``aligner.run.lock``)."""


class EngineError(AlignerError):
    """An execution engine that cannot start (its package is missing, its scheduler
    unreachable) or whose workers die."""


class ResumeError(UsageError):
    """``--resume`` with a journal that does not belong to this run (other inputs or settings)."""


class InterruptedRun(AlignerError):
    """The run was interrupted (Ctrl-C); the journal keeps what was done for ``--resume``."""

    exit_code = 130


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run stands so that it stops as after Ctrl-C (the same clean-up,
    journal kept) instead of dying silently."""


class TerminatedRun(InterruptedRun):
    exit_code = 143  # what a shell reports for a process ended by SIGTERM


def stopped_run(signal: KeyboardInterrupt, message: str) -> InterruptedRun:
    """``message`` (which starts with "interrupted") as the error for Ctrl-C or SIGTERM."""
    if isinstance(signal, Terminated):
        return TerminatedRun("terminated (SIGTERM)" + message.removeprefix("interrupted"))
    return InterruptedRun(message)
