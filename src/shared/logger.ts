import pino, { Logger } from 'pino';

/**
 * One JSON logger for the whole process. Phone numbers are personal data: info logs carry them
 * masked (maskPhone), only audit output shows them in full.
 */
export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { app: 'siren' } }, pino.destination({ fd: 2, sync: true }));
}

/** +14155550123 → +1415***0123: keeps country/area and the last digits an agent recognises. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 7) return phone.replace(/\d/g, '*');
  const head = digits.slice(0, Math.min(4, digits.length - 6));
  const tail = digits.slice(-4);
  const masked = '*'.repeat(digits.length - head.length - tail.length);
  return `${phone.startsWith('+') ? '+' : ''}${head}${masked}${tail}`;
}
