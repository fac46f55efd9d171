import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  formatHistory,
  formatStateAsOf,
  readHistory,
  readStateAsOf,
  type HistoryEntry,
} from '../../src/audit/history';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { openPgliteEventStore, openPostgresEventStore } from '../../src/eventstore/postgres';
import { DomainError } from '../../src/shared/domain-error';
import { createTestDatabase } from '../support/postgres-test-db';
import { NUMBER_TIMELINE, OTHER_PHONE, PHONE, seedHistory, T } from './history-scenario';

const types = (entries: HistoryEntry[]) => entries.map((e) => `${e.streamId}:${e.type}`);

interface OpenedStore {
  store: EventStore;
  dispose(): Promise<void>;
}

async function openPglite(): Promise<OpenedStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'siren-history-'));
  const store = await openPgliteEventStore(dataDir);
  return { store, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

async function openPostgres(serverUrl: string): Promise<OpenedStore> {
  const db = await createTestDatabase(serverUrl, 'siren_history');
  return { store: await openPostgresEventStore(db.url), dispose: () => db.drop() };
}

describeHistoryOn('PGlite', openPglite);
// The PostgreSQL case needs a server; CI sets DATABASE_URL (see .ci/run).
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) describeHistoryOn('PostgreSQL', () => openPostgres(serverUrl));

/** History reads through the event-store port only, so the same story must read the same on every adapter. */
function describeHistoryOn(adapter: string, open: () => Promise<OpenedStore>): void {
  describe(`audit history read from a ${adapter} event store`, () => {
    let opened: OpenedStore;
    let store: EventStore;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await seedHistory(store);
    });
    afterAll(async () => {
      await store?.close();
      await opened?.dispose();
    });

    describe('a call', () => {
      it('is its stream in order, with times, actors and the number in full', async () => {
        const history = await readHistory(store, { kind: 'call', id: 'spring-1' });
        expect(history.streams).toEqual(['call-spring-1']);
        expect(history.entries.map((e) => [e.at, e.type, e.actor])).toEqual([
          [T.requested, 'CallRequested', 'system:saga'],
          [T.originated, 'CallOriginated', 'system:ami'],
          [T.hungUp, 'CallHungUp', 'system:ami'],
          ['2025-03-03T09:00:41.000Z', 'CallRetryScheduled', 'system:saga'],
        ]);
        expect(history.entries[0].details).toBe(
          `attempt 1 to ${PHONE}, autodial for agent ann, campaign spring, contact spring-c1, tracking SPR1.1, route main`,
        );
        expect(history.entries[2].details).toBe('no-answer, cause 19 No answer, ring 40s, talk 0s, billable 0s');
        expect(history.entries.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });

      it('as of an instant while it rang is the ringing state; after the hang-up, the ended one', async () => {
        const ringing = await readStateAsOf(store, { kind: 'call', id: 'spring-1' }, new Date(T.ringing));
        expect(ringing.aggregates).toHaveLength(1);
        expect(ringing.aggregates[0]).toMatchObject({
          streamId: 'call-spring-1',
          kind: 'call',
          eventsApplied: 2,
          eventsTotal: 4,
          lastApplied: { revision: 1, type: 'CallOriginated', at: T.originated },
          state: { status: 'originated', callId: 'spring-1', attempt: 1, uniqueId: '1741000000.1', retryScheduled: false },
        });
        expect(ringing.aggregates[0].state).not.toHaveProperty('disposition');

        const ended = await readStateAsOf(store, { kind: 'call', id: 'spring-1' }, new Date(T.afterHangUp));
        expect(ended.aggregates[0]).toMatchObject({
          eventsApplied: 4,
          state: { status: 'hung-up', disposition: 'no-answer', endedAt: T.hungUp, retryScheduled: true },
        });
      });

      it('counts an event that happened exactly at the instant', async () => {
        const atHangUp = await readStateAsOf(store, { kind: 'call', id: 'spring-1' }, new Date(T.hungUp));
        expect(atHangUp.aggregates[0]).toMatchObject({ eventsApplied: 3, state: { status: 'hung-up' } });
      });

      it('before it was requested, did not exist yet', async () => {
        const before = await readStateAsOf(store, { kind: 'call', id: 'spring-1' }, new Date('2025-03-03T08:00:00Z'));
        expect(before.aggregates[0]).toMatchObject({ eventsApplied: 0, lastApplied: null, state: { status: 'none' } });
        expect(formatStateAsOf(before, 'text')).toContain('call-spring-1: did not exist yet (0 of 4 event(s) had happened)');
      });

      it('that does not exist is a clear error', async () => {
        const error = await readHistory(store, { kind: 'call', id: 'nope' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ code: 'HISTORY_NOT_FOUND', message: 'no call "nope" in the event store (stream call-nope has no events)' });
      });
    });

    describe('a number', () => {
      it('is every attempt at it across campaigns and by hand, and its DNC skip, in global order', async () => {
        // A tiny page size makes the global-log scan take several reads.
        const history = await readHistory(store, { kind: 'number', phone: PHONE }, { pageSize: 2 });
        expect(history.streams).toEqual(['call-spring-1', 'call-spring-2', 'dialer-summer', 'call-manual-7']);
        expect(types(history.entries)).toEqual(NUMBER_TIMELINE);
        const positions = history.entries.map((e) => BigInt(e.position));
        expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
        expect(history.entries[8].details).toBe(`contact summer-c1 ${PHONE} not dialed, reason do-not-call`);
      });

      it('never dialed is an empty history, not an error', async () => {
        const history = await readHistory(store, { kind: 'number', phone: '+442079460018' });
        expect(history.entries).toEqual([]);
        expect(formatHistory(history, 'text')).toBe('no events for number +442079460018 in the event store (never dialed)\n');
      });

      it('as of an instant is the state of each call begun by then', async () => {
        const result = await readStateAsOf(store, { kind: 'number', phone: PHONE }, new Date(T.ringing));
        expect(result.aggregates.map((a) => [a.streamId, (a.state as { status: string }).status])).toEqual([['call-spring-1', 'originated']]);
        const later = await readStateAsOf(store, { kind: 'number', phone: PHONE }, new Date('2025-03-03T12:00:00Z'));
        expect(later.aggregates.map((a) => a.streamId)).toEqual(['call-spring-1', 'call-spring-2', 'call-manual-7']);
      });
    });

    describe('a campaign', () => {
      it('is its own stream by default, and with calls every attempt it made (not other campaigns)', async () => {
        const own = await readHistory(store, { kind: 'campaign', id: 'spring' });
        expect(own.streams).toEqual(['campaign-spring']);
        expect(own.entries.map((e) => e.type)).toEqual(['CampaignCreated', 'ContactsImported', 'CampaignStarted']);
        expect(own.entries[1].details).toBe('chunk 0: 2 contacts');
        expect(own.entries[0].details).toContain('"Spring =SUM(A1) sale" for agent ann, America/Los_Angeles 09:00–18:00');

        const withCalls = await readHistory(store, { kind: 'campaign', id: 'spring' }, { withCalls: true });
        expect(withCalls.streams).toEqual(['campaign-spring', 'call-spring-1', 'call-spring-other', 'call-spring-2']);

        const summer = await readHistory(store, { kind: 'campaign', id: 'summer' }, { withCalls: true });
        expect(summer.streams).toEqual(['campaign-summer', 'dialer-summer']);
      });

      it('as of an instant is folded by the campaign decider (upcast, sets as arrays)', async () => {
        const draft = await readStateAsOf(store, { kind: 'campaign', id: 'spring' }, new Date(T.campaignCreated));
        expect(draft.aggregates[0].state).toMatchObject({ status: 'draft', contactCount: 2, importedChunks: [0] });
        const running = await readStateAsOf(store, { kind: 'campaign', id: 'spring' }, new Date(T.ringing), { withCalls: true });
        expect(running.aggregates.map((a) => a.streamId)).toEqual(['campaign-spring', 'call-spring-1']);
        expect(running.aggregates[0].state).toMatchObject({ status: 'running', retryPolicy: { maxAttempts: 3 } });
      });

      it('written in an older shape is upcast before the fold, and shown as stored', async () => {
        const v1 = { campaignId: 'legacy', name: 'Old', agentId: 'ann', timeZone: 'UTC', callingWindow: { start: '09:00', end: '17:00' }, maxConcurrentCalls: 1, route: 'main', at: T.campaignCreated };
        await store.append('campaign-legacy', [{ type: 'CampaignCreated', schemaVersion: 1, data: v1, metadata: { occurredAt: T.campaignCreated } }], { expectedRevision: 'no_stream' });
        const history = await readHistory(store, { kind: 'campaign', id: 'legacy' });
        expect(history.entries[0]).toMatchObject({ schemaVersion: 1, data: v1, actor: null });
        expect(history.entries[0].details).toContain('default retry policy');
        const state = await readStateAsOf(store, { kind: 'campaign', id: 'legacy' }, new Date(T.afterHangUp));
        expect(state.aggregates[0].state).toMatchObject({ status: 'draft', retryPolicy: { maxAttempts: 3, retryDelaySeconds: 1800 } });
      });
    });

    describe('an agent', () => {
      it('is the agent stream, and with calls the calls requested for them', async () => {
        const own = await readHistory(store, { kind: 'agent', id: 'ann' });
        expect(own.entries.map((e) => [e.type, e.actor, e.details])).toEqual([
          ['AgentRegistered', 'agent:ann', '"Ann Auditee", Telegram user 1001'],
          ['AgentAuthorized', 'admin:root', 'by admin:root'],
          ['AgentStatusChanged', 'agent:ann', 'offline → available: /online'],
        ]);
        const bob = await readHistory(store, { kind: 'agent', id: 'bob' }).catch((e: unknown) => e);
        expect(bob).toMatchObject({ code: 'HISTORY_NOT_FOUND' });

        const withCalls = await readHistory(store, { kind: 'agent', id: 'ann' }, { withCalls: true });
        expect(withCalls.streams).toEqual(['agent-ann', 'call-spring-1', 'call-spring-other', 'call-spring-2']);
      });

      it('as of an instant is folded by the agent decider', async () => {
        const result = await readStateAsOf(store, { kind: 'agent', id: 'ann' }, new Date('2025-03-03T08:01:30Z'));
        expect(result.aggregates[0].state).toEqual({
          registered: true,
          authorized: true,
          autodialGranted: false,
          presence: 'offline',
          callerIds: {},
        });
      });
    });

    describe('formats', () => {
      it('CSV has one row per event, quoted per RFC 4180, with the data as stored', async () => {
        const history = await readHistory(store, { kind: 'campaign', id: 'summer' });
        const rows: string[][] = parse(formatHistory(history, 'csv'));
        expect(rows[0]).toEqual(['time', 'stream', 'revision', 'position', 'event', 'schema_version', 'actor', 'details', 'event_id', 'data']);
        expect(rows).toHaveLength(1 + history.entries.length);
        expect(rows[1].slice(0, 3)).toEqual([T.campaignCreated, 'campaign-summer', '0']);
        expect(rows[1][7]).toContain('"Summer, "hot" deals" for agent ann');
        expect(JSON.parse(rows[2][9])).toMatchObject({ contacts: [{ phone: PHONE }, { phone: OTHER_PHONE }] });
      });

      it('JSON carries positions as strings and the data as stored', async () => {
        const history = await readHistory(store, { kind: 'call', id: 'spring-2' });
        const json = JSON.parse(formatHistory(history, 'json'));
        expect(json.subject).toEqual({ kind: 'call', id: 'spring-2' });
        expect(json.entries[0]).toMatchObject({ type: 'CallRequested', revision: 0, position: expect.stringMatching(/^\d+$/), data: { phone: PHONE } });
      });

      it('text aligns a header and one line per event', async () => {
        const text = formatHistory(await readHistory(store, { kind: 'call', id: 'spring-2' }), 'text');
        const lines = text.trimEnd().split('\n');
        expect(lines[0]).toBe('history of call spring-2: 4 event(s) in 1 stream(s)');
        expect(lines[1]).toMatch(/^TIME {22}STREAM {9}REV {2}EVENT {10}ACTOR {8}DETAILS$/);
        expect(lines[4]).toBe('2025-03-03T09:31:15.000Z  call-spring-2  2    DtmfPressed    system:ami   digit 1 (dtmf)');
      });
    });
  });
}
