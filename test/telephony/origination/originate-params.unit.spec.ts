import { AmiInjectionError } from '../../../src/telephony/ami/ami-errors';
import {
  type CallToDial,
  buildAgentFirstOriginate,
  buildAutodialOriginate,
  callIdFor,
  callTrunkOrder,
  channelIdFor,
  formatCallerId,
  nextTrunkAfter,
  parseTelephonyConfig,
} from '../../../src/telephony/origination';

const config = parseTelephonyConfig({
  SIREN_DIAL_PREFIX: '9',
  SIREN_ROUTES: 'main=carrierA:3,carrierB:1;red=carrierC:1',
  SIREN_TRUNK_TEMPLATES: 'carrierB=SIP/{number}@carrierB',
});
const callId = callIdFor('camp-1', 'contact-1', 1);
const autodial: CallToDial = {
  callId,
  campaignId: 'camp-1',
  agentId: 'agent-1',
  phone: '+15550100',
  trackingId: 'JKD1.1',
  kind: 'autodial',
  route: 'main',
  callerId: '+15550199',
};
const agentFirst: CallToDial = { ...autodial, kind: 'agent-first', callerId: undefined };
const agent = { agentId: 'agent-1', phone: '+15550142', manualCallerId: '+15550177' };
const INJECTION = 'x\r\nAction: Originate\r\nChannel: Local/666@default\r\n\r\n';

describe('buildAutodialOriginate', () => {
  it('builds the Originate for an IVR call on the first trunk of the call', () => {
    const params = buildAutodialOriginate(autodial, config, { trunk: 'carrierA' });
    expect(params).toEqual({
      channel: 'PJSIP/915550100@carrierA',
      context: 'siren-autodial',
      exten: 's',
      priority: 1,
      callerId: '15550199',
      timeoutMs: 45_000,
      channelId: channelIdFor(callId),
      variables: {
        __SIREN_CALL_ID: callId,
        __SIREN_CAMPAIGN_ID: 'camp-1',
        __SIREN_TRACKING_ID: 'JKD1.1',
        __SIREN_AGENT_ID: 'agent-1',
      },
      async: true,
    });
    const expected: Record<string, string> = { carrierA: 'PJSIP/915550100@carrierA', carrierB: 'SIP/15550100@carrierB' };
    expect(buildAutodialOriginate(autodial, config).channel).toBe(expected[callTrunkOrder(autodial, config)[0]!]);
  });

  it('uses the per-trunk template (no prefix there) and the default route when the call names none', () => {
    expect(buildAutodialOriginate(autodial, config, { trunk: 'carrierB' }).channel).toBe('SIP/15550100@carrierB');
    const noRoute = { ...autodial, route: undefined };
    expect(() => buildAutodialOriginate(noRoute, config, { trunk: 'carrierC' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRUNK' }));
    expect(buildAutodialOriginate({ ...autodial, route: 'red' }, config).channel).toBe('PJSIP/915550100@carrierC');
  });

  it('adds SIREN_AMD and SIREN_PROMPT when configured, per call or globally', () => {
    const params = buildAutodialOriginate(autodial, config, { amd: true, prompt: 'custom/offer' });
    expect(params.variables).toMatchObject({ SIREN_AMD: '1', SIREN_PROMPT: 'custom/offer' });
    const withDefaults = parseTelephonyConfig({ SIREN_AMD: 'true', SIREN_PROMPT: 'siren/press-one' });
    expect(buildAutodialOriginate({ ...autodial, route: undefined }, withDefaults).variables).toMatchObject({ SIREN_AMD: '1', SIREN_PROMPT: 'siren/press-one' });
    expect(buildAutodialOriginate({ ...autodial, route: undefined }, withDefaults, { amd: false }).variables.SIREN_AMD).toBeUndefined();
  });

  it('leaves out what the call does not have: campaign, caller ID', () => {
    const params = buildAutodialOriginate({ ...autodial, campaignId: undefined, callerId: undefined }, config);
    expect(params.callerId).toBeUndefined();
    expect(Object.keys(params.variables)).toEqual(['__SIREN_CALL_ID', '__SIREN_TRACKING_ID', '__SIREN_AGENT_ID']);
  });

  it('refuses an agent-first call, an unknown route or a trunk off the route', () => {
    expect(() => buildAutodialOriginate(agentFirst, config)).toThrow(expect.objectContaining({ code: 'WRONG_CALL_KIND' }));
    expect(() => buildAutodialOriginate({ ...autodial, route: 'gold' }, config)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ROUTE' }));
    expect(() => buildAutodialOriginate(autodial, config, { trunk: 'carrierC' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRUNK' }));
  });

  it('starts with the trunk the call names, then the rest of its route', () => {
    expect(callTrunkOrder({ ...autodial, trunk: 'carrierB' }, config)).toEqual(['carrierB', 'carrierA']);
    expect(buildAutodialOriginate({ ...autodial, trunk: 'carrierB' }, config).channel).toBe('SIP/15550100@carrierB');
    expect(() => callTrunkOrder({ ...autodial, trunk: 'nowhere' }, config)).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRUNK' }));
  });

  it('fails over along the call\'s order, skipping every trunk that failed, and ends', () => {
    const order = callTrunkOrder(autodial, config);
    expect([...order].sort()).toEqual(['carrierA', 'carrierB']);
    expect(nextTrunkAfter(autodial, config, order[0]!)).toBe(order[1]);
    expect(nextTrunkAfter(autodial, config, [order[0]!, order[1]!])).toBeUndefined();
    // The next call of the chain is pinned to the next trunk; given both failures it has none left.
    const failover = { ...autodial, callId: callIdFor('camp-1', 'contact-1', 2), trunk: order[1] };
    expect(callTrunkOrder(failover, config)[0]).toBe(order[1]);
    expect(nextTrunkAfter(failover, config, [order[0]!, order[1]!])).toBeUndefined();
    expect(() => nextTrunkAfter(autodial, config, 'carrierC')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRUNK' }));
  });
});

describe('buildAgentFirstOriginate', () => {
  it("rings the agent's phone into siren-agent-first, carrying the target's dial string and caller ID", () => {
    const params = buildAgentFirstOriginate(agentFirst, agent, config, { trunk: 'carrierA' });
    expect(params).toEqual({
      channel: 'PJSIP/915550142@carrierA',
      context: 'siren-agent-first',
      exten: 's',
      priority: 1,
      callerId: '"JKD1.1" <15550177>',
      timeoutMs: 45_000,
      channelId: channelIdFor(callId),
      variables: {
        __SIREN_CALL_ID: callId,
        __SIREN_CAMPAIGN_ID: 'camp-1',
        __SIREN_TRACKING_ID: 'JKD1.1',
        __SIREN_AGENT_ID: 'agent-1',
        __SIREN_TARGET_DIAL: 'PJSIP/915550100@carrierA',
        SIREN_TARGET_CALLERID: '15550177',
      },
      async: true,
    });
  });

  it("prefers the caller ID recorded on the call over the agent's current one", () => {
    const params = buildAgentFirstOriginate({ ...agentFirst, callerId: '+15550188' }, agent, config, { trunk: 'carrierB' });
    expect(params.variables.SIREN_TARGET_CALLERID).toBe('15550188');
    expect(params.variables.__SIREN_TARGET_DIAL).toBe('SIP/15550100@carrierB');
  });

  it('refuses another agent, an agent without a phone, an auto-dial call', () => {
    expect(() => buildAgentFirstOriginate(agentFirst, { ...agent, agentId: 'agent-2' }, config)).toThrow(expect.objectContaining({ code: 'AGENT_MISMATCH' }));
    expect(() => buildAgentFirstOriginate(agentFirst, { agentId: 'agent-1' }, config)).toThrow(expect.objectContaining({ code: 'AGENT_PHONE_MISSING' }));
    expect(() => buildAgentFirstOriginate(autodial, agent, config)).toThrow(expect.objectContaining({ code: 'WRONG_CALL_KIND' }));
  });
});

describe('formatCallerId', () => {
  it('formats name and number; strips commas, quotes and brackets from the name', () => {
    expect(formatCallerId('+15550199', undefined, false)).toBe('15550199');
    expect(formatCallerId('+15550199', 'Acme', true)).toBe('"Acme" <+15550199>');
    expect(formatCallerId('+15550199', 'Smith, "John" <boss>', false)).toBe('"Smith John boss" <15550199>');
    expect(formatCallerId('+15550199', ' ,"" ', false)).toBe('15550199');
  });

  it('refuses a caller ID number that is not one', () => {
    expect(() => formatCallerId('Acme', undefined, false)).toThrow(expect.objectContaining({ code: 'INVALID_DIAL_INPUT' }));
  });
});

describe('AMI injection is refused before anything reaches AMI', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['campaign id', () => buildAutodialOriginate({ ...autodial, campaignId: INJECTION }, config), 'Variable.__SIREN_CAMPAIGN_ID'],
    ['campaign id with a comma (variable smuggling)', () => buildAutodialOriginate({ ...autodial, campaignId: 'c,__SIREN_CALL_ID=forged' }, config), 'Variable.__SIREN_CAMPAIGN_ID'],
    ['call id', () => buildAutodialOriginate({ ...autodial, callId: INJECTION }, config), 'Variable.__SIREN_CALL_ID'],
    ['agent id', () => buildAutodialOriginate({ ...autodial, agentId: INJECTION }, config), 'Variable.__SIREN_AGENT_ID'],
    ['tracking id', () => buildAutodialOriginate({ ...autodial, trackingId: INJECTION }, config), 'Variable.__SIREN_TRACKING_ID'],
    ['number', () => buildAutodialOriginate({ ...autodial, phone: `+15550100${INJECTION}` }, config), 'phone'],
    ['caller ID', () => buildAutodialOriginate({ ...autodial, callerId: `+15550199${INJECTION}` }, config), 'callerId'],
    ['route', () => buildAutodialOriginate({ ...autodial, route: INJECTION }, config), 'route'],
    ['prompt', () => buildAutodialOriginate(autodial, config, { prompt: INJECTION }), 'Variable.SIREN_PROMPT'],
    ['prompt with a comma', () => buildAutodialOriginate(autodial, config, { prompt: 'a,SIREN_CALL_ID=forged' }), 'Variable.SIREN_PROMPT'],
    ["agent's phone", () => buildAgentFirstOriginate(agentFirst, { ...agent, phone: `+15550142${INJECTION}` }, config), 'agent.phone'],
    ["agent's manual caller ID", () => buildAgentFirstOriginate(agentFirst, { ...agent, manualCallerId: `+15550177${INJECTION}` }, config), 'callerId'],
    ['target number of an agent-first call', () => buildAgentFirstOriginate({ ...agentFirst, phone: INJECTION }, agent, config), 'phone'],
    ['caller ID name', () => formatCallerId('+15550199', `Acme${INJECTION}`, false), 'callerIdName'],
  ];
  it.each(cases)('in the %s', (_, build, field) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AmiInjectionError);
    expect(error).toMatchObject({ code: 'AMI_UNSAFE_VALUE', field });
    expect((error as Error).message).not.toContain('Action: Originate');
  });
});
