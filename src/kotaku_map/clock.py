"""The build's time: now, or ``SOURCE_DATE_EPOCH`` for reproducible builds.

Every date a build writes (the manifest's ``dibuat``, the date printed on maps and the
overview) comes from :func:`build_time`, so that setting the environment variable
``SOURCE_DATE_EPOCH`` (seconds since 1970-01-01 UTC, https://reproducible-builds.org)
makes a rebuild of the same inputs byte-identical, manifest included.
"""

from __future__ import annotations

import datetime as dt
import os

from .errors import ConfigError

__all__ = ["build_date", "build_time"]


def build_time() -> dt.datetime:
    """The build's time in UTC, to the second: ``SOURCE_DATE_EPOCH`` if set, else now.

    Returns
    -------
    datetime.datetime
        Timezone-aware (UTC), microseconds zero.

    Raises
    ------
    ConfigError
        If ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds from 0 to the
        end of year 9999.

    Examples
    --------
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1486080000"
    >>> build_time().isoformat()
    '2017-02-03T00:00:00+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    try:
        seconds = int(raw)
        if seconds < 0:
            raise ValueError(raw)
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    except (ValueError, OverflowError, OSError):  # not a number, negative, past year 9999
        raise ConfigError(
            f"SOURCE_DATE_EPOCH is {raw!r}; expected whole seconds since "
            "1970-01-01 UTC (e.g. 1486080000), or unset it"
        ) from None


def build_date() -> dt.date:
    """The date of :func:`build_time` (UTC).

    Returns
    -------
    datetime.date
    """
    return build_time().date()
