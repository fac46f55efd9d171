import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import {
  agentStreamId,
  type AgentAuthorized,
  type AgentDeauthorized,
  type AgentEvent,
  type AgentPhoneRegistered,
  type AgentPresence,
  type AgentRegistered,
  type AgentStatusChanged,
  type AutodialGranted,
  type CallerIdKind,
  type CallerIdSet,
  type RouteSelected,
} from './agent.events';
import type { AuthorizeAgent } from './authorize-agent/authorize-agent.command';
import type { ChangeAgentStatus } from './change-agent-status/change-agent-status.command';
import type { DeauthorizeAgent } from './deauthorize-agent/deauthorize-agent.command';
import type { GrantAutodial } from './grant-autodial/grant-autodial.command';
import type { RegisterAgentPhone } from './register-agent-phone/register-agent-phone.command';
import type { RegisterAgent } from './register-agent/register-agent.command';
import type { SelectRoute } from './select-route/select-route.command';
import type { SetCallerId } from './set-caller-id/set-caller-id.command';

export type AgentCommand =
  | RegisterAgent
  | AuthorizeAgent
  | DeauthorizeAgent
  | RegisterAgentPhone
  | SetCallerId
  | SelectRoute
  | GrantAutodial
  | ChangeAgentStatus;

export interface AgentState {
  registered: boolean;
  authorized: boolean;
  autodialGranted: boolean;
  presence: AgentPresence;
  phone?: string;
  callerIds: Partial<Record<CallerIdKind, string>>;
  route?: string;
}

export const initialAgentState = (): AgentState => ({
  registered: false,
  authorized: false,
  autodialGranted: false,
  presence: 'offline',
  callerIds: {},
});

/**
 * Allowed presence moves. An agent on a call must pass through wrap-up (the call's notes and
 * disposition) before going offline or taking another call.
 */
const NEXT_PRESENCE: Readonly<Record<AgentPresence, readonly AgentPresence[]>> = {
  offline: ['available'],
  available: ['on-call', 'offline'],
  'on-call': ['wrap-up'],
  'wrap-up': ['available', 'offline'],
};

export function evolveAgent(state: AgentState, event: AgentEvent): AgentState {
  const { type } = event;
  switch (type) {
    case 'AgentRegistered':
      return { ...state, registered: true };
    case 'AgentAuthorized':
      return { ...state, authorized: true };
    case 'AgentDeauthorized':
      return { ...state, authorized: false };
    case 'AgentPhoneRegistered':
      return { ...state, phone: event.data.phone };
    case 'CallerIdSet':
      return { ...state, callerIds: { ...state.callerIds, [event.data.kind]: event.data.callerId } };
    case 'RouteSelected':
      return { ...state, route: event.data.route };
    case 'AutodialGranted':
      return { ...state, autodialGranted: event.data.granted };
    case 'AgentStatusChanged':
      return { ...state, presence: event.data.to };
    default: {
      // Events of types this version does not know are skipped, not fatal.
      const _unknown: never = type;
      return state;
    }
  }
}

function ensureRegistered(state: AgentState, agentId: string): void {
  if (!state.registered) {
    throw new DomainError('AGENT_NOT_FOUND', `agent ${agentId} is not registered`, { agentId });
  }
}

function ensureAuthorized(state: AgentState, agentId: string): void {
  ensureRegistered(state, agentId);
  if (!state.authorized) {
    throw new DomainError('AGENT_NOT_AUTHORIZED', `agent ${agentId} is not authorized`, { agentId });
  }
}

export function registerAgent(command: RegisterAgent, state: AgentState, now: Date): AgentRegistered[] {
  if (state.registered) {
    throw new DomainError('AGENT_ALREADY_REGISTERED', `agent ${command.agentId} is already registered`, {
      agentId: command.agentId,
    });
  }
  const { agentId, telegramUserId, name } = command;
  return [{ type: 'AgentRegistered', schemaVersion: 1, data: { agentId, telegramUserId, name, at: now.toISOString() } }];
}

// Admin commands that are already satisfied succeed silently: a repeated button press is not an error.

export function authorizeAgent(command: AuthorizeAgent, state: AgentState, now: Date): AgentAuthorized[] {
  ensureRegistered(state, command.agentId);
  if (state.authorized) return [];
  return [{ type: 'AgentAuthorized', schemaVersion: 1, data: { agentId: command.agentId, by: command.by, at: now.toISOString() } }];
}

export function deauthorizeAgent(command: DeauthorizeAgent, state: AgentState, now: Date): AgentDeauthorized[] {
  ensureRegistered(state, command.agentId);
  if (!state.authorized) return [];
  return [
    { type: 'AgentDeauthorized', schemaVersion: 1, data: { agentId: command.agentId, by: command.by, at: now.toISOString() } },
  ];
}

export function registerAgentPhone(command: RegisterAgentPhone, state: AgentState, now: Date): AgentPhoneRegistered[] {
  ensureAuthorized(state, command.agentId);
  if (state.phone === command.phone) return [];
  return [
    {
      type: 'AgentPhoneRegistered',
      schemaVersion: 1,
      data: { agentId: command.agentId, phone: command.phone, at: now.toISOString() },
    },
  ];
}

export function setCallerId(command: SetCallerId, state: AgentState, now: Date): CallerIdSet[] {
  ensureAuthorized(state, command.agentId);
  const { agentId, kind, callerId } = command;
  if (state.callerIds[kind] === callerId) return [];
  return [{ type: 'CallerIdSet', schemaVersion: 1, data: { agentId, kind, callerId, at: now.toISOString() } }];
}

export function selectRoute(command: SelectRoute, state: AgentState, now: Date): RouteSelected[] {
  ensureAuthorized(state, command.agentId);
  if (state.route === command.route) return [];
  return [
    { type: 'RouteSelected', schemaVersion: 1, data: { agentId: command.agentId, route: command.route, at: now.toISOString() } },
  ];
}

export function grantAutodial(command: GrantAutodial, state: AgentState, now: Date): AutodialGranted[] {
  ensureRegistered(state, command.agentId);
  if (state.autodialGranted === command.granted) return [];
  const { agentId, granted, by } = command;
  return [{ type: 'AutodialGranted', schemaVersion: 1, data: { agentId, granted, by, at: now.toISOString() } }];
}

export function changeAgentStatus(command: ChangeAgentStatus, state: AgentState, now: Date): AgentStatusChanged[] {
  const { agentId, to, reason } = command;
  ensureRegistered(state, agentId);
  if (to === state.presence) return [];
  // Going offline is always the agent's own business; taking calls needs the admin's say-so.
  if (to !== 'offline') ensureAuthorized(state, agentId);
  if (!NEXT_PRESENCE[state.presence].includes(to)) {
    throw new DomainError('INVALID_TRANSITION', `agent ${agentId} cannot go from ${state.presence} to ${to}`, {
      agentId,
      from: state.presence,
      to,
    });
  }
  return [
    {
      type: 'AgentStatusChanged',
      schemaVersion: 1,
      data: { agentId, from: state.presence, to, reason, at: now.toISOString() },
    },
  ];
}

export function decideAgent(command: AgentCommand, state: AgentState, now: Date): AgentEvent[] {
  const { type } = command;
  switch (type) {
    case 'RegisterAgent':
      return registerAgent(command, state, now);
    case 'AuthorizeAgent':
      return authorizeAgent(command, state, now);
    case 'DeauthorizeAgent':
      return deauthorizeAgent(command, state, now);
    case 'RegisterAgentPhone':
      return registerAgentPhone(command, state, now);
    case 'SetCallerId':
      return setCallerId(command, state, now);
    case 'SelectRoute':
      return selectRoute(command, state, now);
    case 'GrantAutodial':
      return grantAutodial(command, state, now);
    case 'ChangeAgentStatus':
      return changeAgentStatus(command, state, now);
    default: {
      const _exhaustive: never = type;
      throw new DomainError('UNKNOWN_COMMAND', `unknown agent command ${String(_exhaustive)}`);
    }
  }
}

export const agentDecider: Decider<AgentCommand, AgentState, AgentEvent> = {
  streamId: (command) => agentStreamId(command.agentId),
  initialState: initialAgentState,
  evolve: evolveAgent,
  decide: decideAgent,
};
