import { agentDecider } from '../../src/agents/agent.decider';
import type {
  AgentAuthorized,
  AgentDeauthorized,
  AgentPresence,
  AgentRegistered,
  AgentStatusChanged,
  AutodialGranted,
} from '../../src/agents/agent.events';
import { AuthorizeAgent } from '../../src/agents/authorize-agent/authorize-agent.command';
import { ChangeAgentStatus } from '../../src/agents/change-agent-status/change-agent-status.command';
import { DeauthorizeAgent } from '../../src/agents/deauthorize-agent/deauthorize-agent.command';
import { GrantAutodial } from '../../src/agents/grant-autodial/grant-autodial.command';
import { RegisterAgentPhone } from '../../src/agents/register-agent-phone/register-agent-phone.command';
import { RegisterAgent } from '../../src/agents/register-agent/register-agent.command';
import { SelectRoute } from '../../src/agents/select-route/select-route.command';
import { SetCallerId } from '../../src/agents/set-caller-id/set-caller-id.command';
import { deciderSpec, fold } from '../support/decider-spec';

const now = new Date('2025-03-01T09:00:00.000Z');
const at = now.toISOString();
const earlier = '2025-03-01T08:00:00.000Z';
const agentId = 'a1';
const by = 'admin:42';
const spec = deciderSpec(agentDecider, now);

const registered: AgentRegistered = {
  type: 'AgentRegistered',
  schemaVersion: 1,
  data: { agentId, telegramUserId: '123456789', name: 'Dana', at: earlier },
};
const authorized: AgentAuthorized = { type: 'AgentAuthorized', schemaVersion: 1, data: { agentId, by, at: earlier } };
const deauthorized: AgentDeauthorized = { type: 'AgentDeauthorized', schemaVersion: 1, data: { agentId, by, at: earlier } };
const granted = (value: boolean): AutodialGranted => ({
  type: 'AutodialGranted',
  schemaVersion: 1,
  data: { agentId, granted: value, by, at: earlier },
});
const statusChanged = (from: AgentPresence, to: AgentPresence, when = earlier): AgentStatusChanged => ({
  type: 'AgentStatusChanged',
  schemaVersion: 1,
  data: { agentId, from, to, reason: 'test', at: when },
});
const inPresence = (presence: AgentPresence) => {
  const path: Record<AgentPresence, AgentStatusChanged[]> = {
    offline: [],
    available: [statusChanged('offline', 'available')],
    'on-call': [statusChanged('offline', 'available'), statusChanged('available', 'on-call')],
    'wrap-up': [statusChanged('offline', 'available'), statusChanged('available', 'on-call'), statusChanged('on-call', 'wrap-up')],
  };
  return [registered, authorized, ...path[presence]];
};

describe('agent decider', () => {
  describe('RegisterAgent', () => {
    const command = new RegisterAgent({ agentId, telegramUserId: '123456789', name: 'Dana' });

    it('registers a new agent', () => {
      spec.given([]).when(command).then([{ ...registered, data: { ...registered.data, at } }]);
    });

    it('refuses to register twice', () => {
      spec.given([registered]).when(command).thenThrows('AGENT_ALREADY_REGISTERED');
    });
  });

  describe('AuthorizeAgent', () => {
    const command = new AuthorizeAgent({ agentId, by });

    it('authorizes a registered agent, naming the admin', () => {
      spec.given([registered]).when(command).then([{ ...authorized, data: { agentId, by, at } }]);
    });

    it('authorizes again after a deauthorization', () => {
      spec.given([registered, authorized, deauthorized]).when(command).then([{ ...authorized, data: { agentId, by, at } }]);
    });

    it('does nothing for an agent already authorized', () => {
      spec.given([registered, authorized]).when(command).thenNothing();
    });

    it('refuses an agent who never registered', () => {
      spec.given([]).when(command).thenThrows('AGENT_NOT_FOUND');
    });
  });

  describe('DeauthorizeAgent', () => {
    const command = new DeauthorizeAgent({ agentId, by });

    it('withdraws an authorization', () => {
      spec.given([registered, authorized]).when(command).then([{ ...deauthorized, data: { agentId, by, at } }]);
    });

    it('does nothing for an agent not authorized', () => {
      spec.given([registered]).when(command).thenNothing();
    });

    it('refuses an agent who never registered', () => {
      spec.given([]).when(command).thenThrows('AGENT_NOT_FOUND');
    });
  });

  describe('RegisterAgentPhone', () => {
    const command = new RegisterAgentPhone({ agentId, phone: '+4915112345678' });
    const phoneRegistered = {
      type: 'AgentPhoneRegistered' as const,
      schemaVersion: 1 as const,
      data: { agentId, phone: '+4915112345678', at },
    };

    it('records the agent phone', () => {
      spec.given([registered, authorized]).when(command).then([phoneRegistered]);
    });

    it('does nothing when the phone is unchanged', () => {
      spec.given([registered, authorized, phoneRegistered]).when(command).thenNothing();
    });

    it('refuses an agent who is not authorized', () => {
      spec.given([registered]).when(command).thenThrows('AGENT_NOT_AUTHORIZED');
      spec.given([registered, authorized, deauthorized]).when(command).thenThrows('AGENT_NOT_AUTHORIZED');
    });

    it('refuses an agent who never registered', () => {
      spec.given([]).when(command).thenThrows('AGENT_NOT_FOUND');
    });
  });

  describe('SetCallerId', () => {
    const command = new SetCallerId({ agentId, kind: 'autodial', callerId: '+14155550100' });
    const set = { type: 'CallerIdSet' as const, schemaVersion: 1 as const, data: { agentId, kind: 'autodial' as const, callerId: '+14155550100', at } };

    it('sets the caller id of one kind', () => {
      spec.given([registered, authorized]).when(command).then([set]);
    });

    it('keeps manual and auto-dial caller ids apart', () => {
      spec
        .given([registered, authorized, set])
        .when(new SetCallerId({ agentId, kind: 'manual', callerId: '+14155550100' }))
        .then([{ ...set, data: { ...set.data, kind: 'manual' } }]);
    });

    it('does nothing when unchanged', () => {
      spec.given([registered, authorized, set]).when(command).thenNothing();
    });

    it('refuses an unauthorized or unknown agent', () => {
      spec.given([registered]).when(command).thenThrows('AGENT_NOT_AUTHORIZED');
      spec.given([]).when(command).thenThrows('AGENT_NOT_FOUND');
    });
  });

  describe('SelectRoute', () => {
    const command = new SelectRoute({ agentId, route: 'red' });
    const selected = { type: 'RouteSelected' as const, schemaVersion: 1 as const, data: { agentId, route: 'red', at } };

    it('selects a route', () => {
      spec.given([registered, authorized]).when(command).then([selected]);
    });

    it('does nothing when unchanged', () => {
      spec.given([registered, authorized, selected]).when(command).thenNothing();
    });

    it('refuses an unauthorized or unknown agent', () => {
      spec.given([registered]).when(command).thenThrows('AGENT_NOT_AUTHORIZED');
      spec.given([]).when(command).thenThrows('AGENT_NOT_FOUND');
    });
  });

  describe('GrantAutodial', () => {
    it('grants auto-dial', () => {
      spec.given([registered]).when(new GrantAutodial({ agentId, granted: true, by })).then([{ ...granted(true), data: { ...granted(true).data, at } }]);
    });

    it('revokes auto-dial', () => {
      spec
        .given([registered, granted(true)])
        .when(new GrantAutodial({ agentId, granted: false, by }))
        .then([{ ...granted(false), data: { ...granted(false).data, at } }]);
    });

    it('does nothing when the grant is unchanged', () => {
      spec.given([registered, granted(true)]).when(new GrantAutodial({ agentId, granted: true, by })).thenNothing();
      spec.given([registered]).when(new GrantAutodial({ agentId, granted: false, by })).thenNothing();
    });

    it('refuses an agent who never registered', () => {
      spec.given([]).when(new GrantAutodial({ agentId, granted: true, by })).thenThrows('AGENT_NOT_FOUND');
    });
  });

  describe('ChangeAgentStatus', () => {
    const change = (to: AgentPresence) => new ChangeAgentStatus({ agentId, to, reason: 'test' });

    it.each([
      ['offline', 'available'],
      ['available', 'on-call'],
      ['available', 'offline'],
      ['on-call', 'wrap-up'],
      ['wrap-up', 'available'],
      ['wrap-up', 'offline'],
    ] as const)('moves %s → %s', (from, to) => {
      spec.given(inPresence(from)).when(change(to)).then([statusChanged(from, to, at)]);
    });

    it.each([
      ['offline', 'on-call'],
      ['offline', 'wrap-up'],
      ['available', 'wrap-up'],
      ['on-call', 'available'],
      ['on-call', 'offline'],
      ['wrap-up', 'on-call'],
    ] as const)('refuses %s → %s', (from, to) => {
      spec.given(inPresence(from)).when(change(to)).thenThrows('INVALID_TRANSITION', { from, to });
    });

    it('does nothing when already in that state', () => {
      spec.given(inPresence('available')).when(change('available')).thenNothing();
    });

    it('refuses to make an unauthorized agent available', () => {
      spec.given([registered]).when(change('available')).thenThrows('AGENT_NOT_AUTHORIZED');
    });

    it('lets a deauthorized agent go offline', () => {
      spec
        .given([...inPresence('available'), deauthorized])
        .when(change('offline'))
        .then([statusChanged('available', 'offline', at)]);
    });

    it('refuses an agent who never registered', () => {
      spec.given([]).when(change('available')).thenThrows('AGENT_NOT_FOUND');
    });
  });

  describe('evolve', () => {
    it('folds settings and presence', () => {
      const state = fold(agentDecider, [...inPresence('on-call'), granted(true)]);
      expect(state).toMatchObject({ registered: true, authorized: true, autodialGranted: true, presence: 'on-call' });
    });
  });
});
