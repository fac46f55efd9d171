import type { RecordedEvent } from '../eventstore/event-store.port';
import type { AgentEvent } from '../agents/agent.events';
import type { Projection, Statement } from './projection';
import { readProjectionSchema } from './schema-file';
import { bool, Param, text, timestamptz, upsert } from './sql';

const NAME = 'agents';
const VERSION = 1;
const TABLE = 'agents_v1';

/** One row per agent: registration, permissions, settings, presence (projections/agents.v1.sql). */
export function agentsProjection(): Projection {
  return { name: NAME, version: VERSION, schemaSql: readProjectionSchema(NAME, VERSION), tables: [TABLE], handle };
}

function handle(recorded: RecordedEvent): Statement[] {
  if (!recorded.streamId.startsWith('agent-')) return [];
  const event = { type: recorded.type, data: recorded.data } as AgentEvent;
  const row = (set: Record<string, Param | undefined>) => [
    upsert({ table: TABLE, key: { agent_id: text(event.data.agentId) }, set, at: recorded.position }),
  ];
  switch (event.type) {
    case 'AgentRegistered':
      return row({
        telegram_user_id: text(event.data.telegramUserId),
        name: text(event.data.name),
        registered_at: timestamptz(event.data.at),
      });
    case 'AgentAuthorized':
    case 'AgentDeauthorized':
      return row({
        authorised: bool(event.type === 'AgentAuthorized'),
        authorised_by: text(event.data.by),
        authorised_at: timestamptz(event.data.at),
      });
    case 'AgentPhoneRegistered':
      return row({ phone: text(event.data.phone), phone_registered_at: timestamptz(event.data.at) });
    case 'CallerIdSet':
      return row({ [event.data.kind === 'autodial' ? 'autodial_caller_id' : 'manual_caller_id']: text(event.data.callerId) });
    case 'RouteSelected':
      return row({ route: text(event.data.route) });
    case 'AutodialGranted':
      return row({
        autodial_granted: bool(event.data.granted),
        autodial_granted_by: text(event.data.by),
        autodial_granted_at: timestamptz(event.data.at),
      });
    case 'AgentStatusChanged':
      // A change that names no new state (an older writer's shape) changes neither state nor since.
      if (typeof event.data.to !== 'string') return row({});
      return row({ state: text(event.data.to), state_since: timestamptz(event.data.at), state_reason: text(event.data.reason) });
    default:
      return [];
  }
}
