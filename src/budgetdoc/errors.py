"""Errors that mean the input cannot be used (exit code 2), and how a bug is named to a user."""


class InputError(Exception):
    """The input cannot be read as a disclosure. The message is one clear sentence in Chinese."""


def describe(e: BaseException, limit: int = 200) -> str:
    """``Type: message`` of an unexpected exception, on one line and at most ``limit`` characters of
    message (a bug's message may quote a whole line of input)."""
    msg = " ".join(str(e).split())
    if len(msg) > limit:
        msg = msg[:limit] + "…"
    return f"{type(e).__name__}: {msg}" if msg else type(e).__name__


def internal(e: BaseException) -> str:
    """The one sentence for a bug met while reading or checking a file."""
    return f"内部错误（{describe(e)}），请把这份文件和这句话报告给开发者。"
