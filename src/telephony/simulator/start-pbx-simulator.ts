import { type Server, type Socket, createServer } from 'node:net';
import type { ActionContext, ActionHandler } from './actions/action-context';
import { hangup, muteAudio, redirect } from './actions/channel-actions';
import { coreShowChannels, status } from './actions/list-actions';
import { originate } from './actions/originate-action';
import { events, login, logoff, ping } from './actions/session-actions';
import { AMI_BANNER, type AmiMessage } from './ami-frame';
import type { OriginateResponseOrder } from './call-plan';
import { type Fault, FaultState, malformedBytes } from './faults';
import { type OutcomeMix, validateMix } from './outcome';
import { SimulatedPbx } from './pbx';
import { seedFrom } from './prng';
import { AmiSession, type SessionHost } from './session';
import type { OriginateLogEntry, SimulatorStats } from './simulator-log';

export interface PbxSimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port; read it back from the handle. */
  port?: number;
  username?: string;
  secret?: string;
  seed?: number | string;
  /** Simulated time runs this many times faster than real time. */
  timeScale?: number;
  /** `'last-digit'` (default) picks each call's fate from the dialed number; a mix draws it from the seed. */
  outcomes?: OutcomeMix | 'last-digit';
  /** As manager.conf `channelvars=`: variables every channel event carries as `ChanVariable:`. */
  channelVars?: readonly string[];
  originateResponseOrder?: OriginateResponseOrder;
  /** Run AMD on every answered call (otherwise only where the channel sets SIREN_AMD). */
  amd?: boolean;
  /** Faults armed from the start. */
  faults?: Fault[];
}

export interface PbxSimulator {
  readonly host: string;
  readonly port: number;
  /** Every Originate accepted, in order, with the outcome played. */
  readonly log: readonly OriginateLogEntry[];
  stats(): SimulatorStats;
  /** Destroys every client connection now, as a crashed or restarted Asterisk would. */
  dropConnections(): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Connections currently open. */
  connections(): number;
  close(): Promise<void>;
}

export const DEFAULT_CHANNEL_VARS = ['SIREN_CALL_ID', 'SIREN_CAMPAIGN_ID', 'SIREN_TRACKING_ID', 'SIREN_AGENT_ID'] as const;

const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  login,
  logoff,
  ping,
  events,
  originate,
  hangup,
  redirect,
  muteaudio: muteAudio,
  coreshowchannels: coreShowChannels,
  status,
};

/** Starts the simulated Asterisk and resolves once it listens. */
export async function startPbxSimulator(options: PbxSimulatorOptions = {}): Promise<PbxSimulator> {
  const outcomes = options.outcomes ?? 'last-digit';
  if (outcomes !== 'last-digit') validateMix(outcomes);
  const credentials = { username: options.username ?? 'siren', secret: options.secret ?? 'siren' };
  const channelVars = [...(options.channelVars ?? DEFAULT_CHANNEL_VARS)];
  const sessions = new Set<AmiSession>();
  const faults = new FaultState();
  const realTimers = new Set<NodeJS.Timeout>();

  const dropConnections = () => {
    for (const session of sessions) session.drop();
    sessions.clear();
  };
  const broadcast = (event: AmiMessage) => {
    for (const session of sessions) session.sendEvent(event);
    if (faults.countEvent()) dropConnections();
  };
  const pbx = new SimulatedPbx(
    {
      seed: seedFrom(options.seed ?? 1),
      timeScale: options.timeScale ?? 1,
      outcomes,
      channelVars,
      originateResponseOrder: options.originateResponseOrder ?? 'seeded',
      amd: options.amd ?? false,
    },
    broadcast,
  );

  const later = (realMs: number, run: () => void) => {
    const timer = setTimeout(() => {
      realTimers.delete(timer);
      run();
    }, realMs);
    realTimers.add(timer);
  };
  const host: SessionHost = {
    countAction: () => {
      if (!faults.countAction()) return false;
      dropConnections();
      return true;
    },
    dispatch: (session, action, message) => {
      const handler = ACTIONS[action.toLowerCase()];
      if (!handler) {
        return session.error(message, `Invalid/unknown command: ${action}. Use Action: ListCommands to show available commands.`);
      }
      const context: ActionContext = { session, message, pbx, faults, credentials, channelVars, later };
      handler(context);
    },
    forget: (session) => sessions.delete(session),
  };

  const inject = (fault: Fault) => {
    if (fault.kind === 'malformed-frame') {
      for (const session of sessions) if (session.authenticated) session.writeRaw(malformedBytes(fault.shape));
      return;
    }
    faults.arm(fault);
  };
  for (const fault of options.faults ?? []) inject(fault);

  const server = createServer((socket: Socket) => {
    sessions.add(new AmiSession(socket, host, AMI_BANNER));
  });
  const address = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');

  return {
    host: address.host,
    port: address.port,
    log: pbx.log,
    stats: () => pbx.stats(),
    dropConnections,
    inject,
    clearFaults: () => faults.clear(),
    connections: () => sessions.size,
    close: async () => {
      pbx.stop();
      for (const timer of realTimers) clearTimeout(timer);
      realTimers.clear();
      dropConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('PBX simulator has no TCP address'));
      resolve({ host: address.address, port: address.port });
    });
  });
}
