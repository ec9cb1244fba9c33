"""Report stage: findings and documents rendered for people (text) and machines (JSON)."""

from .json import check_json, extract_json
from .text import check_text, extract_text

__all__ = ["check_json", "check_text", "extract_json", "extract_text"]
