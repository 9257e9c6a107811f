"""Calendar months added to a moment: how retention periods ("anonymised 6 months after…") are counted."""

from __future__ import annotations

import calendar
from datetime import datetime


def shifted(moment: datetime, months: int) -> datetime:
    """``moment`` moved by whole calendar months (negative: back), the day clipped to the month's last.

    31 August minus 6 months is the last day of February; the time of day and the zone are kept.
    """
    index = moment.month - 1 + months
    year = moment.year + index // 12
    month = index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))
