import { type PbxSimulator, startPbxSimulator } from '../../../src/telephony/simulator';

/** The slice of the untyped `asterisk-manager` 0.2 API this test uses. */
interface AsteriskManager {
  action(action: Record<string, unknown>, callback: (error: unknown, response: Record<string, unknown>) => void): string;
  on(event: string, listener: (event: Record<string, unknown>) => void): void;
  disconnect(): void;
}
const createManager = require('asterisk-manager') as (port: number, host: string, user: string, secret: string, events: boolean) => AsteriskManager;

function action(ami: AsteriskManager, request: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => ami.action(request, (error, response) => (error ? reject(error) : resolve(response))));
}

/** Proves the wire format is what a real, independent AMI client accepts. */
describe('PBX simulator with the asterisk-manager client', () => {
  let pbx: PbxSimulator;
  let ami: AsteriskManager | undefined;

  beforeAll(async () => {
    pbx = await startPbxSimulator({ timeScale: 1000 });
  });
  afterAll(async () => {
    ami?.disconnect();
    await pbx.close();
  });

  it('logs in, pings and receives call events with channel variables parsed', async () => {
    ami = createManager(pbx.port, '127.0.0.1', 'siren', 'siren', true);
    const events: Array<Record<string, unknown>> = [];
    const hungUp = new Promise<Record<string, unknown>>((resolve) => {
      ami!.on('managerevent', (event) => {
        events.push(event);
        if (event.event === 'Hangup') resolve(event);
      });
    });
    const pong = await action(ami, { action: 'ping' });
    expect(pong).toMatchObject({ response: 'Success', ping: 'Pong' });

    const queued = await action(ami, {
      action: 'originate', channel: 'PJSIP/15550100@trunk', context: 'siren-autodial', exten: '15550100', priority: 1,
      async: 'true', channelid: 'uid-compat', variable: { __SIREN_CALL_ID: 'compat-1', __SIREN_CAMPAIGN_ID: 'c1' },
    });
    expect(queued).toMatchObject({ response: 'Success', message: 'Originate successfully queued' });

    const hangup = await hungUp;
    expect(hangup).toMatchObject({ uniqueid: 'uid-compat', cause: '16', 'cause-txt': 'Normal Clearing' });
    expect(hangup.chanvariable).toMatchObject({ SIREN_CALL_ID: 'compat-1', SIREN_CAMPAIGN_ID: 'c1' });
    expect(events.find((e) => e.event === 'UserEvent' && e.userevent === 'AutoDialResponse')).toMatchObject({ pressedone: 'Yes', siren_call_id: 'compat-1' });
    expect(events.find((e) => e.event === 'OriginateResponse')).toMatchObject({ response: 'Success', reason: '4', uniqueid: 'uid-compat' });
  });
});
