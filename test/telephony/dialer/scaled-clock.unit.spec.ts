import { scaledClock } from '../../../src/telephony/dialer';

describe('scaledClock', () => {
  it('runs simulated time `scale` times faster than real time from its start', () => {
    let real = 1_000_000;
    const clock = scaledClock(200, new Date('2024-03-04T10:00:00.000Z'), () => real);
    expect(clock.now().toISOString()).toBe('2024-03-04T10:00:00.000Z');
    real += 9_000; // 9 real seconds: a 30-minute retry delay at 200×
    expect(clock.now().toISOString()).toBe('2024-03-04T10:30:00.000Z');
  });

  it.each([0, -1, Infinity, NaN])('refuses the scale %p', (scale) => {
    expect(() => scaledClock(scale)).toThrow(RangeError);
  });
});
