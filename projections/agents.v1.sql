-- Read model "agents", version 1: one row per agent (event stream agent-<agent_id>) with its
-- registration, permissions, settings and presence. Built by src/projections/agents.projection.ts
-- from AgentRegistered, AgentAuthorized, AgentDeauthorized, AgentPhoneRegistered, CallerIdSet,
-- RouteSelected, AutodialGranted and AgentStatusChanged.
-- Names are unqualified on purpose: the runner sets search_path to the schema being built
-- (siren_rm, or a shadow schema during a live rebuild), see src/projections/schema-scope.ts.

CREATE TABLE IF NOT EXISTS agents_v1 (
  agent_id             text PRIMARY KEY,
  telegram_user_id     text,
  name                 text,
  registered_at        timestamptz,
  authorised           boolean NOT NULL DEFAULT false,
  authorised_by        text,
  authorised_at        timestamptz,
  phone                text,
  phone_registered_at  timestamptz,
  manual_caller_id     text,
  autodial_caller_id   text,
  route                text,
  autodial_granted     boolean NOT NULL DEFAULT false,
  autodial_granted_by  text,
  autodial_granted_at  timestamptz,
  state                text NOT NULL DEFAULT 'offline',
  state_since          timestamptz,
  state_reason         text,
  last_position        bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS agents_v1_telegram_idx ON agents_v1 (telegram_user_id);

COMMENT ON TABLE agents_v1 IS 'One row per agent (stream agent-<agent_id>): who it is, what it may do, its dialling settings and its presence.';
COMMENT ON COLUMN agents_v1.agent_id IS 'Id of the agent (the event stream is agent-<agent_id>).';
COMMENT ON COLUMN agents_v1.telegram_user_id IS 'Telegram user id the agent registered from (the bot only answers this user as this agent).';
COMMENT ON COLUMN agents_v1.name IS 'Name the agent registered with.';
COMMENT ON COLUMN agents_v1.registered_at IS 'When the agent registered (AgentRegistered).';
COMMENT ON COLUMN agents_v1.authorised IS 'An admin has authorised the agent and not deauthorised it since; unauthorised agents are refused.';
COMMENT ON COLUMN agents_v1.authorised_by IS 'Admin who last authorised or deauthorised the agent.';
COMMENT ON COLUMN agents_v1.authorised_at IS 'When the agent was last authorised or deauthorised.';
COMMENT ON COLUMN agents_v1.phone IS 'The agent''s own phone (E.164), rung first on agent-first calls.';
COMMENT ON COLUMN agents_v1.phone_registered_at IS 'When the phone was last registered.';
COMMENT ON COLUMN agents_v1.manual_caller_id IS 'Caller id presented on the agent''s manual calls (/call).';
COMMENT ON COLUMN agents_v1.autodial_caller_id IS 'Caller id presented on the agent''s auto-dial campaign calls.';
COMMENT ON COLUMN agents_v1.route IS 'Route (group of trunks) the agent selected for its calls.';
COMMENT ON COLUMN agents_v1.autodial_granted IS 'An admin has granted the agent auto-dial (campaigns) and not revoked it since.';
COMMENT ON COLUMN agents_v1.autodial_granted_by IS 'Admin who last granted or revoked auto-dial.';
COMMENT ON COLUMN agents_v1.autodial_granted_at IS 'When auto-dial was last granted or revoked.';
COMMENT ON COLUMN agents_v1.state IS 'Presence as the dialer sees it: offline, available, on-call or wrap-up; only available agents get new calls.';
COMMENT ON COLUMN agents_v1.state_since IS 'When the agent entered its current state; NULL if it never changed state.';
COMMENT ON COLUMN agents_v1.state_reason IS 'Why the state last changed, as recorded by the dialer (e.g. call answered, wrap-up over).';
COMMENT ON COLUMN agents_v1.last_position IS 'Global event-log position of the last event reflected in this row (replays of older events are ignored).';
