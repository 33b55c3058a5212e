"""replycoach: a coach for replies to customer complaints.

The public, importable surface is small on purpose: `lint_text` for callers that have a
string, and the `Diagnostic` every command reports with.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
