"""Errors that mean the input cannot be used (exit code 2)."""


class InputError(Exception):
    """The input cannot be read as a disclosure. The message is one clear sentence in Chinese."""
