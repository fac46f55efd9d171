import type { AmiMessage } from '../ami-frame';
import type { FaultState } from '../faults';
import type { SimulatedPbx } from '../pbx';
import type { AmiSession } from '../session';

/** Everything an action handler may touch. */
export interface ActionContext {
  session: AmiSession;
  message: AmiMessage;
  pbx: SimulatedPbx;
  faults: FaultState;
  credentials: { username: string; secret: string };
  channelVars: readonly string[];
  /** Real-time delay that close() cancels (used by the slow-originate fault). */
  later(realMs: number, run: () => void): void;
}

export type ActionHandler = (context: ActionContext) => void;
