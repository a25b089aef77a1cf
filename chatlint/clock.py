"""Working hours and the holiday calendar: what the response-time clocks count (issue 15).

A channel's ``working_hours`` (config ``[tool.chatlint.working_hours.CHANNEL]``, or
``.default`` for every channel without its own) names the working days, the hours and the
time zone, and a country whose official days off come from the ``holidays`` package (for
``RU``: the New Year holidays, the days off moved by government decree, and the Saturdays
that became working days). With working hours, T001, T002, T008 and M004 — and the
summary's response times — count working seconds only: a Friday-evening e-mail answered on
Monday morning waited the hour of Monday morning, not the weekend (seed 004: an answer
within a day, weekends and holidays excepted; out-of-hours messages are answered the next
working day). Without them every second counts, as before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .compiled import regex

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = regex(r"^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-4]):([0-5]\d)$")
# A wait longer than this is counted day by day only this far (then in whole weeks).
_MAX_DAYS = 3 * 366


class WorkingHours(BaseModel):
    """One channel's working time: ``days``, ``hours`` («09:00-18:00»), ``timezone`` (IANA),
    ``holidays`` (a country code of the ``holidays`` package, or "" for none)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days: list[str] = Field(default_factory=lambda: list(DAYS[:5]))
    """Working days: any of mon, tue, wed, thu, fri, sat, sun."""
    hours: str = "09:00-18:00"
    """Working hours «HH:MM-HH:MM» in the time zone (the end may be 24:00)."""
    timezone: str = "Europe/Moscow"
    """An IANA time zone, e.g. Europe/Moscow, Asia/Yekaterinburg."""
    holidays: str = "RU"
    """The country whose official days off and moved working days count ("" for none)."""

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        out = [d.strip().lower()[:3] for d in v]
        bad = [d for d, o in zip(v, out, strict=True) if o not in DAYS]
        if bad:
            raise ValueError(f"unknown day {bad[0]!r}: expected some of {', '.join(DAYS)}")
        if not out:
            raise ValueError("no working day: name at least one of mon … sun")
        return out

    @field_validator("hours")
    @classmethod
    def _hours(cls, v: str) -> str:
        m = _HOURS.match(v.replace(" ", ""))
        if not m or _minute(v, 0) >= _minute(v, 1):
            raise ValueError(f"expected «HH:MM-HH:MM» with the start before the end, e.g. 09:00-18:00, not {v!r}")
        return v.replace(" ", "")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}: use an IANA name such as Europe/Moscow") from None
        return v

    @field_validator("holidays")
    @classmethod
    def _country(cls, v: str) -> str:
        v = v.strip().upper()
        if v:
            import holidays

            if v not in holidays.list_supported_countries():
                raise ValueError(f"the holidays package knows no country {v!r} (e.g. RU, BY, KZ)")
        return v

    def describe(self) -> str:
        """One line for the summary: «mon-fri 09:00-18:00 Europe/Moscow, RU holidays»."""
        days = ",".join(self.days)
        if self.days == list(DAYS[:5]):
            days = "mon-fri"
        elif self.days == list(DAYS):
            days = "every day"
        cal = f", {self.holidays} holidays" if self.holidays else ""
        return f"working hours: {days} {self.hours} {self.timezone}{cal}"

    def calendar(self) -> Calendar:
        return _calendar(tuple(self.days), self.hours, self.timezone, self.holidays)


def _minute(hours: str, k: int) -> int:
    part = hours.replace(" ", "").split("-")[k]
    h, m = part.split(":")
    return int(h) * 60 + int(m)


class Calendar:
    """Counts working seconds between two instants (epoch seconds)."""

    def __init__(self, days: tuple[str, ...], hours: str, timezone: str, country: str) -> None:
        self.weekdays = frozenset(DAYS.index(d) for d in days)
        self.open_s = _minute(hours, 0) * 60
        self.close_s = _minute(hours, 1) * 60
        self.zone = ZoneInfo(timezone)
        self.country = country
        self.description = WorkingHours(days=list(days), hours=hours, timezone=timezone, holidays=country).describe()

    @lru_cache(maxsize=4096)  # noqa: B019 — calendars are few (one per configured channel) and live long
    def is_working_day(self, day: date) -> bool:
        if self.country:
            cal = _holidays(self.country, day.year)
            if day in cal:
                return False
            if day in getattr(cal, "weekend_workdays", ()):
                return True  # a Saturday made a working day by a moved day off
        return day.weekday() in self.weekdays

    def _window(self, day: date) -> tuple[float, float]:
        """The day's working hours as epoch seconds (DST-aware through the zone)."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.zone)
        start = midnight + timedelta(seconds=self.open_s)
        end = midnight + timedelta(seconds=self.close_s)
        return start.timestamp(), end.timestamp()

    def elapsed(self, a: float, b: float) -> float:
        """Working seconds in [a, b): the part of every working day's hours inside it."""
        if b <= a:
            return b - a  # times out of order are the engine's to report, not ours to hide
        day = datetime.fromtimestamp(a, self.zone).date()
        last = datetime.fromtimestamp(b, self.zone).date()
        total = 0.0
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                s, e = self._window(day)
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
            if day >= last:
                return total
            day += timedelta(days=1)
        # a wait of years: the rest in whole weeks of the configured shape (bounded work)
        rest_days = (last - day).days
        per_week = len(self.weekdays) * (self.close_s - self.open_s)
        return total + rest_days / 7 * per_week


@lru_cache(maxsize=64)
def _holidays(country: str, year: int):
    import holidays

    return holidays.country_holidays(country, years=year)


@lru_cache(maxsize=64)
def _calendar(days: tuple[str, ...], hours: str, timezone: str, country: str) -> Calendar:
    return Calendar(days, hours, timezone, country)
