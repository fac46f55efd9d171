/**
 * One-line summaries of stored events for the audit timeline. They read the data defensively:
 * an auditor may replay events written by any older version, or of types this one never knew,
 * and a summary must never be the reason a history cannot be shown.
 */
type Data = Record<string, unknown>;
type Describe = (data: Data) => string;

const text = (value: unknown): string => (value === undefined || value === null ? '?' : String(value));
const optional = (label: string, value: unknown): string[] => (value === undefined || value === null ? [] : [`${label} ${String(value)}`]);
const parts = (...items: (string | string[])[]): string => items.flat().filter((item) => item !== '').join(', ');

function describeRetryPolicy(policy: unknown): string {
  if (!policy || typeof policy !== 'object') return 'default retry policy';
  const { maxAttempts, retryDelaySeconds, retryOn } = policy as Data;
  const on = Array.isArray(retryOn) ? retryOn.join('/') : '?';
  return `up to ${text(maxAttempts)} attempts ${text(retryDelaySeconds)}s apart on ${on}`;
}

const DESCRIBE: Readonly<Record<string, Describe>> = {
  // calls
  CallRequested: (d) =>
    parts(
      `attempt ${text(d.attempt)} to ${text(d.phone)}`,
      `${text(d.kind)} for agent ${text(d.agentId)}`,
      optional('campaign', d.campaignId),
      optional('contact', d.contactId),
      optional('tracking', d.trackingId),
      optional('route', d.route),
      optional('trunk', d.trunk),
      optional('caller ID', d.callerId),
    ),
  CallOriginated: (d) => parts(`channel ${text(d.channel)}`, `trunk ${text(d.trunk)}`, `uniqueid ${text(d.uniqueId)}`),
  CallOriginateFailed: (d) => `reason: ${text(d.reason)}`,
  CallAnswered: () => 'answered',
  DtmfPressed: (d) => `digit ${text(d.digit)} (${text(d.source)})`,
  AmdDetected: (d) => (d.cause === undefined ? text(d.result) : `${text(d.result)} (${text(d.cause)})`),
  CallHungUp: (d) =>
    parts(
      text(d.disposition),
      `cause ${text(d.cause)}${d.causeText === undefined ? '' : ` ${String(d.causeText)}`}`,
      `ring ${text(d.ringSeconds)}s`,
      `talk ${text(d.talkSeconds)}s`,
      `billable ${text(d.billableSeconds)}s`,
    ),
  CallRetryScheduled: (d) => `attempt ${text(d.nextAttempt)} not before ${text(d.notBefore)}`,
  // campaigns
  CampaignCreated: (d) => {
    const window = (d.callingWindow ?? {}) as Data;
    return parts(
      `"${text(d.name)}" for agent ${text(d.agentId)}`,
      `${text(d.timeZone)} ${text(window.start)}–${text(window.end)}`,
      `max ${text(d.maxConcurrentCalls)} concurrent`,
      `route ${text(d.route)}`,
      optional('caller ID', d.callerId),
      describeRetryPolicy(d.retryPolicy),
    );
  },
  ContactsImported: (d) => `chunk ${text(d.chunkIndex)}: ${Array.isArray(d.contacts) ? d.contacts.length : '?'} contacts`,
  CampaignStarted: () => '',
  CampaignPaused: () => '',
  CampaignResumed: () => '',
  CampaignCancelled: (d) => `reason: ${text(d.reason)}`,
  CampaignCompleted: (d) => {
    const s = (d.summary ?? {}) as Data;
    return parts(`${text(s.calls)} calls`, `${text(s.answered)} answered`, `${text(s.pressedOne)} pressed 1`, `${text(s.contacts)} contacts`);
  },
  // the dialer's own stream
  ContactSkipped: (d) => parts(`contact ${text(d.contactId)} ${text(d.phone)} not dialed`, `reason ${text(d.reason)}`),
  // agents
  AgentRegistered: (d) => `"${text(d.name)}", Telegram user ${text(d.telegramUserId)}`,
  AgentAuthorized: (d) => `by ${text(d.by)}`,
  AgentDeauthorized: (d) => `by ${text(d.by)}`,
  AgentPhoneRegistered: (d) => `phone ${text(d.phone)}`,
  CallerIdSet: (d) => `${text(d.kind)} caller ID ${text(d.callerId)}`,
  RouteSelected: (d) => `route ${text(d.route)}`,
  AutodialGranted: (d) => `${d.granted === false ? 'revoked' : 'granted'} by ${text(d.by)}`,
  AgentStatusChanged: (d) => `${text(d.from)} → ${text(d.to)}: ${text(d.reason)}`,
};

const MAX_UNKNOWN_DETAILS = 200;

/** The summary of one event's data; unknown types show their data as compact JSON. */
export function describeEvent(type: string, data: unknown): string {
  const describe = DESCRIBE[type];
  if (describe && data !== null && typeof data === 'object') return describe(data as Data);
  const json = JSON.stringify(data) ?? '';
  return json.length > MAX_UNKNOWN_DETAILS ? `${json.slice(0, MAX_UNKNOWN_DETAILS - 1)}…` : json;
}
