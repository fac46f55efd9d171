import type { DomainEvent } from '../shared/domain-event';

/** Stream of one agent's registration, permissions, settings and presence: `agent-<id>`. */
export const agentStreamId = (agentId: string): string => `agent-${agentId}`;

/** Presence as the dialer sees it: only `available` agents get new calls. */
export type AgentPresence = 'offline' | 'available' | 'on-call' | 'wrap-up';
/** Manual calls (`/call`) and auto-dial campaigns present different caller IDs. */
export type CallerIdKind = 'manual' | 'autodial';

export type AgentRegistered = DomainEvent<
  'AgentRegistered',
  { agentId: string; telegramUserId: string; name: string; at: string },
  1
>;
export type AgentAuthorized = DomainEvent<'AgentAuthorized', { agentId: string; by: string; at: string }, 1>;
export type AgentDeauthorized = DomainEvent<'AgentDeauthorized', { agentId: string; by: string; at: string }, 1>;
export type AgentPhoneRegistered = DomainEvent<'AgentPhoneRegistered', { agentId: string; phone: string; at: string }, 1>;
export type CallerIdSet = DomainEvent<
  'CallerIdSet',
  { agentId: string; kind: CallerIdKind; callerId: string; at: string },
  1
>;
export type RouteSelected = DomainEvent<'RouteSelected', { agentId: string; route: string; at: string }, 1>;
/** `granted: false` revokes; one event type keeps the feature's history in one place. */
export type AutodialGranted = DomainEvent<
  'AutodialGranted',
  { agentId: string; granted: boolean; by: string; at: string },
  1
>;
export type AgentStatusChanged = DomainEvent<
  'AgentStatusChanged',
  { agentId: string; from: AgentPresence; to: AgentPresence; reason: string; at: string },
  1
>;

export type AgentEvent =
  | AgentRegistered
  | AgentAuthorized
  | AgentDeauthorized
  | AgentPhoneRegistered
  | CallerIdSet
  | RouteSelected
  | AutodialGranted
  | AgentStatusChanged;
