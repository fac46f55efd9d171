import type { RecordedEvent } from '../../src/eventstore/event-store.port';

/** A recorded event as a handler sees it; only type, data, stream and position matter to them. */
export const recorded = (type: string, data: object, streamId = 'call-A', pos = 7n): RecordedEvent => ({
  id: '00000000-0000-0000-0000-000000000000',
  streamId,
  revision: 0,
  position: pos,
  type,
  schemaVersion: 1,
  data,
  metadata: { occurredAt: '2026-11-20T09:00:00Z', prevHash: '', hash: '' },
});
