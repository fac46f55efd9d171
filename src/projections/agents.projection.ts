import type { EventPayload } from '../eventstore/event-store.port';
import type { AgentEvent } from '../agents/agent.events';
import type { Change, Projection } from './projection';
import { readProjectionSchema } from './schema-file';
import { planRows, RowChange, rowTable, Value } from './sql';

const NAME = 'agents';
const VERSION = 1;
const TABLE = 'agents_v1';

type AgentRowChange = Change & RowChange;

/** One row per agent: registration, permissions, settings, presence (projections/agents.v1.sql). */
export function agentsProjection(): Projection {
  const schemaSql = readProjectionSchema(NAME, VERSION);
  const agents = rowTable(schemaSql, TABLE, 'agent_id');
  return {
    name: NAME,
    version: VERSION,
    schemaSql,
    tables: [TABLE],
    handle,
    plan: (changes) => planRows(agents, changes as AgentRowChange[]),
  };
}

function handle(recorded: EventPayload): AgentRowChange[] {
  if (!recorded.streamId.startsWith('agent-')) return [];
  const event = { type: recorded.type, data: recorded.data } as AgentEvent;
  const row = (set: Record<string, Value>): AgentRowChange[] => [{ op: 'row', key: event.data.agentId, at: recorded.position, set }];
  switch (event.type) {
    case 'AgentRegistered':
      return row({
        telegram_user_id: event.data.telegramUserId,
        name: event.data.name,
        registered_at: event.data.at,
      });
    case 'AgentAuthorized':
    case 'AgentDeauthorized':
      return row({
        authorised: event.type === 'AgentAuthorized',
        authorised_by: event.data.by,
        authorised_at: event.data.at,
      });
    case 'AgentPhoneRegistered':
      return row({ phone: event.data.phone, phone_registered_at: event.data.at });
    case 'CallerIdSet':
      return row({ [event.data.kind === 'autodial' ? 'autodial_caller_id' : 'manual_caller_id']: event.data.callerId });
    case 'RouteSelected':
      return row({ route: event.data.route });
    case 'AutodialGranted':
      return row({
        autodial_granted: event.data.granted,
        autodial_granted_by: event.data.by,
        autodial_granted_at: event.data.at,
      });
    case 'AgentStatusChanged':
      // A change that names no new state (an older writer's shape) changes neither state nor since.
      if (typeof event.data.to !== 'string') return row({});
      return row({ state: event.data.to, state_since: event.data.at, state_reason: event.data.reason });
    default:
      return [];
  }
}
