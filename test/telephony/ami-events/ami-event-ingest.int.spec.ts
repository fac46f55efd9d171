import { callDecider, type CallCommand } from '../../../src/calls/call.decider';
import { callStreamId } from '../../../src/calls/call.events';
import { RequestCall } from '../../../src/calls/request-call/request-call.command';
import { handleCommand } from '../../../src/shared/handle-command';
import { systemClock } from '../../../src/shared/tokens';
import type { AmiClient } from '../../../src/telephony/ami/ami-client';
import { AmiEventIngest } from '../../../src/telephony/ami-events/ami-event-ingest';
import { type OriginateResponseOrder, type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';
import { InMemoryEventStore } from '../../shared/in-memory-event-store';
import { clientFor, until } from '../ami/ami-test-support';

/** What the simulator plays for each last digit (its README), as the call stream must end up. */
const EXPECTED: Record<string, { disposition: string; digits: string[]; amd?: string }> = {
  '0': { disposition: 'answered', digits: ['1'] },
  '1': { disposition: 'answered', digits: [] },
  '2': { disposition: 'busy', digits: [] },
  '3': { disposition: 'no-answer', digits: [] },
  '4': { disposition: 'congestion', digits: [] },
  '5': { disposition: 'originate-failed', digits: [] },
  '6': { disposition: 'machine', digits: [], amd: 'machine' },
  '7': { disposition: 'carrier-failure', digits: [] },
  '8': { disposition: 'answered', digits: ['2'] },
  '9': { disposition: 'invalid-number', digits: [] },
};
const DIGITS = Object.keys(EXPECTED);

const ringOnly = ['RecordOriginated', 'RecordHangup'];
const COMMANDS: Record<string, string[]> = {
  '0': ['RecordOriginated', 'RecordAnswer', 'RecordDtmf', 'RecordHangup'],
  '1': ['RecordOriginated', 'RecordAnswer', 'RecordHangup'],
  '2': ringOnly,
  '3': ringOnly,
  '4': ringOnly,
  '5': ['RecordOriginateFailure'],
  '6': ['RecordOriginated', 'RecordAnswer', 'RecordAmdResult', 'RecordHangup'],
  '7': ringOnly,
  '8': ['RecordOriginated', 'RecordAnswer', 'RecordDtmf', 'RecordHangup'],
  '9': ringOnly,
};

/**
 * Over real TCP: the simulator plays one call per last digit, AmiClient delivers its events, the
 * ingest translates them and runs the commands through the real call pipeline (validation,
 * decider, append) on an in-memory store. Every command must be accepted and each call's stream
 * must end with the disposition the simulator played.
 */
describe.each<OriginateResponseOrder>(['before-hangup', 'after-hangup'])('AMI events → call streams over TCP (OriginateResponse %s)', (order) => {
  let pbx: PbxSimulator;
  let client: AmiClient;
  let ingest: AmiEventIngest;
  const store = new InMemoryEventStore();
  const commands = new Map<string, CallCommand[]>();
  const refusals: unknown[] = [];

  beforeAll(async () => {
    // 1000×: a 30 s ring timeout takes 30 ms, the longest answered call about 80 ms.
    pbx = await startPbxSimulator({ outcomes: 'last-digit', timeScale: 1000, seed: 11, originateResponseOrder: order });
    ({ client } = clientFor(pbx));
    ingest = new AmiEventIngest({
      source: client,
      dispatch: async (command) => {
        commands.set(command.callId, [...(commands.get(command.callId) ?? []), command]);
        try {
          return await handleCommand(store, systemClock, callDecider, command);
        } catch (error) {
          refusals.push(error);
          throw error;
        }
      },
    });
    ingest.start();
    await client.connect();
  });

  afterAll(async () => {
    await ingest.stop();
    await client.close();
    await pbx.close();
  });

  it('records every outcome of the last-digit table, DTMF once per press', async () => {
    for (const digit of DIGITS) {
      const callId = `it-${order}-${digit}`;
      const channelId = `uid-${callId}`;
      const phone = `+1555010${digit}`;
      await handleCommand(store, systemClock, callDecider, new RequestCall({ callId, agentId: 'agent-1', phone, attempt: 1, trackingId: `JKD1.${digit}`, kind: 'autodial', trunk: 'trunk-main' }));
      // Registered before sending: the first events can beat the Originate's own response.
      ingest.tracker.originated({ callId, channelId, trunk: 'trunk-main' });
      const queued = await client.originate({
        channel: `PJSIP/${phone.slice(1)}@trunk-main`,
        context: 'siren-autodial',
        exten: phone.slice(1),
        priority: 1,
        timeoutMs: 30_000,
        channelId,
        variables: { __SIREN_CALL_ID: callId, __SIREN_CAMPAIGN_ID: 'camp-1', __SIREN_TRACKING_ID: `JKD1.${digit}` },
        async: true,
      });
      // A fast failure (digit 5) may have ended the call already: this must not bring it back.
      ingest.tracker.actionSent(callId, queued.actionid!);
    }
    await until(() => ingest.tracker.size === 0, 'every call to end', 10_000);
    await ingest.idle();

    expect(refusals).toEqual([]);
    for (const digit of DIGITS) {
      const callId = `it-${order}-${digit}`;
      const expected = EXPECTED[digit];
      const events = await store.readStream(callStreamId(callId));
      const last = events[events.length - 1];
      const disposition = last.type === 'CallHungUp' ? (last.data as { disposition: string }).disposition : last.type === 'CallOriginateFailed' ? 'originate-failed' : last.type;
      expect({ digit, disposition }).toEqual({ digit, disposition: expected.disposition });
      const pressed = events.filter((e) => e.type === 'DtmfPressed').map((e) => (e.data as { digit: string }).digit);
      expect({ digit, pressed }).toEqual({ digit, pressed: expected.digits });
      const amd = events.find((e) => e.type === 'AmdDetected')?.data as { result: string } | undefined;
      expect({ digit, amd: amd?.result }).toEqual({ digit, amd: expected.amd });
      // One command per fact, in the order the decider needs them.
      expect({ digit, commands: (commands.get(callId) ?? []).map((c) => c.type) }).toEqual({ digit, commands: COMMANDS[digit] });
      if (digit !== '5') expect(events.find((e) => e.type === 'CallOriginated')?.data).toMatchObject({ uniqueId: `uid-${callId}`, trunk: 'trunk-main' });
    }
  });
});
