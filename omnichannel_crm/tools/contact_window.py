# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""When a customer may be contacted: their contact windows (from a working calendar) minus their
quiet hours, in their own timezone. Pure functions on naive UTC datetimes, no ORM."""

from datetime import datetime, time, timedelta

import pytz

HORIZON_DAYS = 14


def _local_time(hours):
    """09:30 from 9.5; 24 is the end of the day."""
    minutes = round(hours * 60)
    return time(min(minutes // 60, 23), minutes % 60) if minutes < 24 * 60 else None


def _to_utc(zone, day, hours):
    """Naive UTC datetime of `hours` o'clock on local `day` in `zone` (24 is the next midnight)."""
    clock = _local_time(hours)
    local = (
        datetime.combine(day, clock) if clock else datetime.combine(day + timedelta(days=1), time())
    )
    return zone.localize(local, is_dst=False).astimezone(pytz.utc).replace(tzinfo=None)


def outside_quiet_hours(start, end, tz, quiet_start, quiet_end):
    """The intervals between `start` and `end` (naive UTC) outside the daily quiet hours
    [quiet_start, quiet_end) read in timezone `tz`; quiet hours may span midnight (21 → 8)."""
    if quiet_start == quiet_end:
        return [(start, end)]
    zone = pytz.timezone(tz or "UTC")
    first_day = pytz.utc.localize(start).astimezone(zone).date() - timedelta(days=1)
    last_day = pytz.utc.localize(end).astimezone(zone).date()
    intervals = []
    day = first_day
    while day <= last_day:
        if quiet_start > quiet_end:  # e.g. quiet from 21:00 to 08:00: free from 08:00 to 21:00
            free = [(quiet_end, quiet_start)]
        else:  # e.g. quiet from 12:00 to 14:00
            free = [(0.0, quiet_start), (quiet_end, 24.0)]
        for free_start, free_end in free:
            low = max(_to_utc(zone, day, free_start), start)
            high = min(_to_utc(zone, day, free_end), end)
            if low < high:
                intervals.append((low, high))
        day += timedelta(days=1)
    return intervals


def intersect(left, right):
    """Intersection of two sorted lists of (start, end) intervals."""
    result, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        low = max(left[i][0], right[j][0])
        high = min(left[i][1], right[j][1])
        if low < high:
            result.append((low, high))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def next_contact_time(now, tz, windows=None, quiet=None, horizon_days=HORIZON_DAYS):
    """The earliest moment from `now` at which the customer may be contacted: inside one of their
    `windows` (sorted naive UTC intervals; None means any time) and outside their `quiet` hours
    ((start, end) local hours; None for none). None when there is no such moment within the horizon."""
    horizon = now + timedelta(days=horizon_days)
    allowed = [(now, horizon)] if windows is None else intersect([(now, horizon)], windows)
    if quiet:
        allowed = intersect(allowed, outside_quiet_hours(now, horizon, tz, *quiet))
    return allowed[0][0] if allowed else None
