"""Every log record of the process redacted, at every level, whichever handler writes it.

Rasa adds its coloured console handler after reading `--logging-config-file`, and Sanic
configures its own loggers later still, so a filter on the configured handlers alone would
miss records. `redact_every_record` therefore also wraps the log record factory: each record
is redacted once, when it is created. privacy/logging.yml calls it through `logging.config`.
"""

from __future__ import annotations

import logging
import re

from privacy.redaction import redact

# Rasa's structured log lines are JSON with non-ASCII text escaped: 군번 as \uad70\ubc88, a
# full-width ０ as \uff10. Printable characters are unescaped so that redaction sees the text.
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(message: str) -> str:
    def char(match: re.Match) -> str:
        c = chr(int(match.group(1), 16))
        return c if c.isprintable() and c not in '"\\' else match.group(0)

    return _ESCAPE.sub(char, message) if "\\u" in message else message


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record's message (with its arguments merged in), exception and stack text redacted."""
    try:
        message = record.getMessage()
    except Exception:  # bad arguments: logging would print them raw in its error report
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redact(_unescape(message)), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
        record.exc_info = None  # formatted and redacted above; keep handlers from re-formatting it
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def redact_every_record() -> RedactingFilter:
    """Install redaction in the log record factory (once), send Python warnings through logging
    (Rasa warns with the text of a malformed button payload), and return the handler filter."""
    logging.captureWarnings(True)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacts", False):

        def redacting_factory(*args, **kwargs) -> logging.LogRecord:
            return redact_record(factory(*args, **kwargs))

        redacting_factory.redacts = True
        logging.setLogRecordFactory(redacting_factory)
    return RedactingFilter()


class ThirdPartyDeprecations(logging.Filter):
    """Drops the deprecation notices of installed packages (Rasa 3.6 pins old TensorFlow, Sanic,
    SQLAlchemy and pkg_resources users), which Python logs as `py.warnings` records; every other
    warning, and any deprecation in the project's own code, is kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (record.name == "py.warnings" and "site-packages" in message and "DeprecationWarning:" in message)
