import { RegisterAgent } from '../../src/agents/register-agent/register-agent.command';
import { SetCallerId } from '../../src/agents/set-caller-id/set-caller-id.command';
import { RecordDtmf } from '../../src/calls/record-dtmf/record-dtmf.command';
import { RequestCall } from '../../src/calls/request-call/request-call.command';
import { ScheduleCallRetry } from '../../src/calls/schedule-call-retry/schedule-call-retry.command';
import { CreateCampaign } from '../../src/campaigns/create-campaign/create-campaign.command';
import { ImportContacts } from '../../src/campaigns/import-contacts/import-contacts.command';
import { StartCampaign } from '../../src/campaigns/start-campaign/start-campaign.command';
import { DomainError } from '../../src/shared/domain-error';
import { CommandValidationError, validateCommand } from '../../src/shared/validation';

function failingProperties(command: object): string[] {
  try {
    validateCommand(command);
  } catch (error) {
    expect(error).toBeInstanceOf(CommandValidationError);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_COMMAND');
    return (error as CommandValidationError).properties;
  }
  throw new Error('expected the command to be refused');
}

const validCampaign = {
  campaignId: 'c1',
  name: 'March renewals',
  agentId: 'a1',
  timeZone: 'Europe/Berlin',
  callingWindow: { start: '09:00', end: '18:00' },
  maxConcurrentCalls: 5,
  route: 'main',
};

const validCall = {
  callId: 'call-1',
  agentId: 'a1',
  phone: '+4915112345678',
  attempt: 1,
  trackingId: 'JKD1.7',
  kind: 'autodial' as const,
};

describe('validateCommand', () => {
  it('returns the rebuilt command, nested objects as their classes', () => {
    const valid = validateCommand(new CreateCampaign({ ...validCampaign, retryPolicy: { maxAttempts: 2, retryDelaySeconds: 60, retryOn: ['busy'] } }));
    expect(valid).toBeInstanceOf(CreateCampaign);
    expect(valid.type).toBe('CreateCampaign');
    expect(valid.callingWindow.constructor.name).toBe('CallingWindowInput');
    expect(valid.retryPolicy?.constructor.name).toBe('RetryPolicyInput');
  });

  it('names a missing id', () => {
    expect(failingProperties(new StartCampaign({ campaignId: '' }))).toEqual(['campaignId']);
  });

  it('refuses ids with control characters (AMI injection)', () => {
    expect(failingProperties(new StartCampaign({ campaignId: 'c1\r\nAction: Originate' }))).toEqual(['campaignId']);
  });

  it('refuses phone numbers that are not E.164', () => {
    for (const phone of ['4915112345678', '+0123456789', '+49 151 1234', '+1234', '+1234567890123456']) {
      expect(failingProperties(new RequestCall({ ...validCall, phone }))).toEqual(['phone']);
    }
  });

  it('names nested properties by path', () => {
    const command = new CreateCampaign({
      ...validCampaign,
      callingWindow: { start: '9am', end: '18:00' },
      retryPolicy: { maxAttempts: 0, retryDelaySeconds: 60, retryOn: ['busy', 'bogus' as never] },
    });
    expect(failingProperties(command).sort()).toEqual(['callingWindow.start', 'retryPolicy.maxAttempts', 'retryPolicy.retryOn']);
  });

  it('takes 24:00 as the end of a whole-day window, never as its start', () => {
    const window = (start: string, end: string) => new CreateCampaign({ ...validCampaign, callingWindow: { start, end } });
    expect(validateCommand(window('00:00', '24:00')).callingWindow.end).toBe('24:00');
    expect(failingProperties(window('24:00', '18:00'))).toEqual(['callingWindow.start']);
    expect(failingProperties(window('09:00', '24:30'))).toEqual(['callingWindow.end']);
  });

  it('names the contact whose phone is invalid', () => {
    const command = new ImportContacts({
      campaignId: 'c1',
      chunkIndex: 0,
      contacts: [
        { contactId: 'k1', phone: '+4915112345678' },
        { contactId: 'k2', phone: '015112345678' },
      ],
    });
    expect(failingProperties(command)).toEqual(['contacts.1.phone']);
  });

  it('refuses more than 1,000 contacts in one chunk', () => {
    const contacts = Array.from({ length: 1001 }, (_, i) => ({ contactId: `k${i}`, phone: `+4915112${String(i).padStart(6, '0')}` }));
    expect(failingProperties(new ImportContacts({ campaignId: 'c1', chunkIndex: 0, contacts }))).toEqual(['contacts']);
  });

  it('refuses an unknown time zone and a non-positive concurrency', () => {
    expect(failingProperties(new CreateCampaign({ ...validCampaign, timeZone: 'Mars/Olympus', maxConcurrentCalls: 0 })).sort()).toEqual([
      'maxConcurrentCalls',
      'timeZone',
    ]);
  });

  it('refuses a malformed tracking id and an unknown call kind', () => {
    expect(failingProperties(new RequestCall({ ...validCall, trackingId: 'JKD 1', kind: 'robocall' as never })).sort()).toEqual([
      'kind',
      'trackingId',
    ]);
  });

  it('refuses more than one DTMF digit', () => {
    expect(failingProperties(new RecordDtmf({ callId: 'call-1', digit: '12', source: 'dtmf' }))).toEqual(['digit']);
  });

  it('requires a retry policy to schedule a retry', () => {
    expect(failingProperties(new ScheduleCallRetry({ callId: 'call-1' } as never))).toEqual(['retryPolicy']);
  });

  it('refuses a non-numeric Telegram id and a bad caller id', () => {
    expect(failingProperties(new RegisterAgent({ agentId: 'a1', telegramUserId: 'dana', name: 'Dana' }))).toEqual(['telegramUserId']);
    expect(failingProperties(new SetCallerId({ agentId: 'a1', kind: 'manual', callerId: 'anonymous' }))).toEqual(['callerId']);
  });

  it('validates the command metadata too', () => {
    expect(failingProperties(new StartCampaign({ campaignId: 'c1', meta: { actor: 'agent:1\n' } }))).toEqual(['meta.actor']);
  });
});
