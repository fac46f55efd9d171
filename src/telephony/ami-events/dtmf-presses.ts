import type { DtmfSource } from '../../calls/call.events';
import type { TrackedCall } from './channel-tracker';

/** A press waits this long for its other report; beyond, the oldest is dropped (keeps memory bounded). */
const MAX_UNMATCHED = 16;

const OTHER: Readonly<Record<DtmfSource, DtmfSource>> = { dtmf: 'userevent', userevent: 'dtmf' };

/**
 * One key press can be reported twice: by DTMFEnd (the channel heard the tone) and by the
 * dialplan's AutoDialResponse/KeyPress UserEvent (the IVR read the digit). The rule: **the first
 * report of a press counts, and a later report of the same digit by the other source is that same
 * press** — it is matched one to one and dropped. DTMFEnd comes first in practice, so the "pressed
 * 1" alert does not wait for the dialplan; a UserEvent still counts on its own when no DTMFEnd
 * reported the press (DTMF events off in manager.conf, or a digit the dialplan synthesised).
 * Two presses of the same key are two DTMFEnds (and two UserEvents), so both count.
 *
 * Returns true when this report is a new press.
 */
export function isNewPress(call: TrackedCall, source: DtmfSource, digit: string): boolean {
  const waiting = call.unmatched[OTHER[source]];
  const index = waiting.indexOf(digit);
  if (index >= 0) {
    waiting.splice(index, 1);
    return false;
  }
  const mine = call.unmatched[source];
  mine.push(digit);
  if (mine.length > MAX_UNMATCHED) mine.shift();
  return true;
}
