import { isWithinCallingWindow, localClock, parseClockTime } from '../../../src/telephony/saga';

describe('calling window', () => {
  const utcDay = new Date('2024-03-04T14:00:00Z'); // Monday 14:00 UTC

  it('reads the local time and weekday in the campaign time zone', () => {
    expect(localClock(utcDay, 'UTC')).toEqual({ minutes: 14 * 60, weekday: 'Mon' });
    expect(localClock(utcDay, 'Asia/Tokyo')).toEqual({ minutes: 23 * 60, weekday: 'Mon' });
    expect(localClock(new Date('2024-03-04T20:30:00Z'), 'Asia/Tokyo')).toEqual({ minutes: 5 * 60 + 30, weekday: 'Tue' });
    expect(localClock(new Date('2024-03-04T03:00:00Z'), 'America/Los_Angeles')).toEqual({ minutes: 19 * 60, weekday: 'Sun' });
  });

  it('is open inside [start, end) and closed outside', () => {
    const window = { start: '09:00', end: '18:00' };
    expect(isWithinCallingWindow(new Date('2024-03-04T09:00:00Z'), 'UTC', window)).toBe(true);
    expect(isWithinCallingWindow(new Date('2024-03-04T17:59:59Z'), 'UTC', window)).toBe(true);
    expect(isWithinCallingWindow(new Date('2024-03-04T18:00:00Z'), 'UTC', window)).toBe(false);
    expect(isWithinCallingWindow(new Date('2024-03-04T08:59:00Z'), 'UTC', window)).toBe(false);
  });

  it('is closed where it is night even though it is day in UTC', () => {
    const window = { start: '09:00', end: '18:00' };
    expect(isWithinCallingWindow(utcDay, 'UTC', window)).toBe(true);
    expect(isWithinCallingWindow(utcDay, 'Asia/Tokyo', window)).toBe(false); // 23:00 in Tokyo
    expect(isWithinCallingWindow(new Date('2024-03-04T01:00:00Z'), 'Asia/Tokyo', window)).toBe(true); // 10:00 in Tokyo
  });

  it('follows daylight saving time of the zone', () => {
    const window = { start: '09:00', end: '17:00' };
    // New York is UTC-5 in winter, UTC-4 from 10 March 2024: 13:30 UTC is 08:30 then 09:30.
    expect(isWithinCallingWindow(new Date('2024-03-08T13:30:00Z'), 'America/New_York', window)).toBe(false);
    expect(isWithinCallingWindow(new Date('2024-03-11T13:30:00Z'), 'America/New_York', window)).toBe(true);
  });

  it('handles a window crossing midnight', () => {
    const window = { start: '22:00', end: '02:00' };
    expect(isWithinCallingWindow(new Date('2024-03-04T23:30:00Z'), 'UTC', window)).toBe(true);
    expect(isWithinCallingWindow(new Date('2024-03-04T01:59:00Z'), 'UTC', window)).toBe(true);
    expect(isWithinCallingWindow(new Date('2024-03-04T02:00:00Z'), 'UTC', window)).toBe(false);
    expect(isWithinCallingWindow(new Date('2024-03-04T12:00:00Z'), 'UTC', window)).toBe(false);
    expect(isWithinCallingWindow(new Date('2024-03-04T21:59:00Z'), 'UTC', window)).toBe(false);
    // 23:30 in Tokyo is 14:30 UTC.
    expect(isWithinCallingWindow(new Date('2024-03-04T14:30:00Z'), 'Asia/Tokyo', window)).toBe(true);
  });

  it('counts the small hours of a crossing window as the day it opened', () => {
    const window = { start: '22:00', end: '02:00' };
    const saturday0100 = new Date('2024-03-09T01:00:00Z');
    expect(isWithinCallingWindow(saturday0100, 'UTC', window, ['Fri'])).toBe(true);
    expect(isWithinCallingWindow(saturday0100, 'UTC', window, ['Sat'])).toBe(false);
    expect(isWithinCallingWindow(new Date('2024-03-09T23:00:00Z'), 'UTC', window, ['Sat'])).toBe(true);
  });

  it('is closed for an unknown time zone, a malformed or an empty window', () => {
    expect(isWithinCallingWindow(utcDay, 'Mars/Olympus_Mons', { start: '00:00', end: '24:00' })).toBe(false);
    expect(isWithinCallingWindow(utcDay, 'UTC', { start: '9am', end: '18:00' })).toBe(false);
    expect(isWithinCallingWindow(utcDay, 'UTC', { start: '10:00', end: '10:00' })).toBe(false);
    expect(isWithinCallingWindow(utcDay, 'UTC', { start: '00:00', end: '24:00' })).toBe(true);
  });

  it('parses HH:MM', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('23:59')).toBe(23 * 60 + 59);
    expect(parseClockTime('24:00')).toBe(1440);
    expect(parseClockTime('24:01')).toBeUndefined();
    expect(parseClockTime('7:00')).toBeUndefined();
  });
});
