import type { CallingWindow } from '../../campaigns/campaign.events';

export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';

const WEEKDAYS: readonly Weekday[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Wall-clock time in a time zone: minutes since local midnight and the local weekday. */
export interface LocalClock {
  minutes: number;
  weekday: Weekday;
}

/**
 * Formatters are costly to build and the planner asks every tick, so one per time zone is kept.
 * The cache only memoises a pure function; it changes no result.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Local time of `now` in an IANA time zone; undefined when the zone is unknown to Intl. */
export function localClock(now: Date, timeZone: string): LocalClock | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterFor(timeZone).formatToParts(now);
  } catch {
    return undefined;
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const hour = Number(part('hour')) % 24;
  const minute = Number(part('minute'));
  const weekday = part('weekday') as Weekday;
  if (!Number.isInteger(hour) || !Number.isInteger(minute) || !WEEKDAYS.includes(weekday)) return undefined;
  return { minutes: hour * 60 + minute, weekday };
}

/** 'HH:MM' → minutes since midnight; undefined when malformed. '24:00' is accepted as the end of day. */
export function parseClockTime(value: string): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

const previousWeekday = (day: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;

/**
 * Whether a campaign may dial at `now`. The window is [start, end) in local time; when end < start
 * it crosses midnight (22:00–02:00 is open at 23:30 and at 01:00). `days`, when given, names the
 * weekdays on which a window *opens*: 01:00 on Saturday belongs to Friday's 22:00–02:00 window.
 * An unknown time zone, a malformed or an empty window is closed: a saga that cannot tell the
 * local time must not call people at night.
 */
export function isWithinCallingWindow(
  now: Date,
  timeZone: string,
  window: CallingWindow,
  days?: readonly Weekday[],
): boolean {
  const clock = localClock(now, timeZone);
  const start = parseClockTime(window.start);
  const end = parseClockTime(window.end);
  if (!clock || start === undefined || end === undefined || start === end) return false;
  const dayAllowed = (day: Weekday): boolean => days === undefined || days.includes(day);
  if (start < end) return clock.minutes >= start && clock.minutes < end && dayAllowed(clock.weekday);
  if (clock.minutes >= start) return dayAllowed(clock.weekday);
  if (clock.minutes < end) return dayAllowed(previousWeekday(clock.weekday));
  return false;
}
