import type { AntispamEntry, MicrosoftHeaders } from '../types';
import { collapseWhitespace } from '../text';

/**
 * Exchange Online Protection stamps, explained key by key. Meanings follow Microsoft's
 * "Anti-spam message headers in Microsoft 365" article and Exchange's organisation headers;
 * keys Microsoft does not document are said to be undocumented, never guessed.
 */

type Explainer = (value: string) => string;

interface KeyInfo {
  label: string;
  explain: Explainer;
}

const table =
  (values: Readonly<Record<string, string>>, fallback: string): Explainer =>
  (value) =>
    values[value.toUpperCase()] ?? (value === '' ? 'Not set.' : `${fallback} (${value}).`);

const sclExplain: Explainer = (value) => {
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) return 'Not set.';
  if (n === -1)
    return 'SCL -1: spam filtering was skipped (internal mail, a safe sender or an allow rule).';
  if (n <= 1) return `SCL ${n}: not spam; delivered to the inbox.`;
  if (n <= 4) return `SCL ${n}: low spam likelihood; normally delivered to the inbox.`;
  if (n <= 6) return `SCL ${n}: spam; normally delivered to Junk Email.`;
  return `SCL ${n}: high-confidence spam; normally delivered to Junk Email or quarantined.`;
};

const bclExplain: Explainer = (value) => {
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) return 'Not set.';
  if (n === 0) return 'BCL 0: not from a bulk sender.';
  if (n <= 3) return `BCL ${n}: bulk sender that generates few complaints.`;
  if (n <= 7) return `BCL ${n}: bulk sender that generates a mixed number of complaints.`;
  return `BCL ${n}: bulk sender that generates many complaints.`;
};

const sfvExplain = table(
  {
    BLK: "Filtering skipped and the message blocked: the sender is on the recipient's Blocked Senders list.",
    NSPM: 'Spam filtering marked the message as not spam; it went to the intended recipients.',
    SFE: "Filtering skipped and the message allowed: the sender is on the recipient's Safe Senders list.",
    SKA: 'Filtering skipped: the sender is on an allowed senders or domains list of an anti-spam policy.',
    SKB: 'Marked as spam: the sender is on a blocked senders or domains list of an anti-spam policy.',
    SKI: 'Filtering skipped: internal mail within the organisation.',
    SKN: 'Marked as not spam before filtering, for example by a mail flow rule.',
    SKQ: 'Released from quarantine and sent to the recipients.',
    SKS: 'Marked as spam before filtering, for example by a mail flow rule.',
    SPM: 'Spam filtering marked the message as spam.',
  },
  'Undocumented spam filtering verdict',
);

const catExplain = table(
  {
    AMP: 'Anti-malware policy.',
    BIMP: 'Brand impersonation.',
    BULK: 'Bulk mail.',
    DIMP: 'Domain impersonation.',
    FTBP: 'Anti-malware filtered attachment type.',
    GIMP: 'Mailbox-intelligence impersonation.',
    HPHSH: 'High-confidence phishing.',
    HPHISH: 'High-confidence phishing.',
    HSPM: 'High-confidence spam.',
    INTOS: 'Intra-organisation phishing.',
    MALW: 'Malware.',
    OSPM: 'Outbound spam.',
    PHSH: 'Phishing.',
    SAP: 'Safe Attachments policy.',
    SPM: 'Spam.',
    SPOOF: 'Spoofing.',
    UIMP: 'User impersonation.',
    NONE: 'No protection policy category applied.',
  },
  'Undocumented category',
);

const dirExplain = table(
  {
    INB: 'Inbound: from outside the organisation.',
    OUT: 'Outbound: sent from the organisation to the outside.',
    INT: 'Internal: between mailboxes of the organisation.',
  },
  'Undocumented direction',
);

const ipvExplain = table(
  {
    CAL: "The source IP is on the connection filter's IP Allow List; spam filtering was skipped.",
    NLI: 'The source IP is not on any IP reputation list.',
  },
  'Undocumented IP verdict',
);

const sftyExplain: Explainer = (value) => {
  if (value === '') return 'No safety tip.';
  const tips: Record<string, string> = {
    '9.19': 'domain impersonation',
    '9.20': 'user impersonation',
    '9.25': 'first-contact safety tip',
  };
  return `The message was treated as phishing (${tips[value] ?? `code ${value}`}).`;
};

const FOREFRONT_KEYS: Readonly<Record<string, KeyInfo>> = {
  ARC: { label: 'ARC', explain: () => 'Authenticated Received Chain fields (AAR, AMS, AS).' },
  CAT: { label: 'Protection category', explain: catExplain },
  CIP: {
    label: 'Connecting IP',
    explain: (v) => (v ? `The connecting server's IP address was ${v}.` : 'Not set.'),
  },
  CTRY: {
    label: 'Country',
    explain: (v) => (v ? `The connecting IP address is located in ${v}.` : 'Not determined.'),
  },
  DIR: { label: 'Direction', explain: dirExplain },
  H: {
    label: 'HELO name',
    explain: (v) => (v ? `The connecting server introduced itself as ${v}.` : 'Not set.'),
  },
  IPV: { label: 'IP reputation', explain: ipvExplain },
  LANG: { label: 'Language', explain: (v) => (v ? `Language detected: ${v}.` : 'Not determined.') },
  PTR: {
    label: 'Reverse DNS',
    explain: (v) =>
      v ? `Reverse DNS of the connecting IP: ${v}.` : 'The connecting IP has no reverse DNS name.',
  },
  SCL: { label: 'Spam confidence level', explain: sclExplain },
  SFTY: { label: 'Safety tip', explain: sftyExplain },
  SFV: { label: 'Spam filtering verdict', explain: sfvExplain },
  SRV: {
    label: 'Bulk verdict',
    explain: (v) =>
      v.toUpperCase() === 'BULK'
        ? 'Identified as bulk mail by the bulk complaint level threshold.'
        : v
          ? `Undocumented value (${v}).`
          : 'Not bulk.',
  },
  'X-CUSTOMSPAM': {
    label: 'Advanced spam filter',
    explain: (v) => `An advanced spam filter option matched: ${v}.`,
  },
};

const ANTISPAM_KEYS: Readonly<Record<string, KeyInfo>> = {
  BCL: { label: 'Bulk complaint level', explain: bclExplain },
  PCL: {
    label: 'Phishing confidence level',
    explain: (v) =>
      `Phishing confidence level ${v} (legacy; 0–3 not likely phishing, 4–8 likely phishing).`,
  },
};

const MAILBOX_DELIVERY_KEYS: Readonly<Record<string, KeyInfo>> = {
  DEST: {
    label: 'Destination folder',
    explain: table(
      {
        I: 'Delivered to the Inbox.',
        J: 'Delivered to Junk Email.',
        C: 'Delivered to a custom folder chosen by a rule.',
      },
      'Undocumented destination',
    ),
  },
  OFR: {
    label: 'Folder reason',
    explain: table(
      {
        CUSTOMRULES: 'A rule set by the user (Outlook inbox rule) decided the folder.',
        SPAMFILTERAUTHJ:
          "The service's spam filtering and authentication results moved it to Junk Email.",
        TRUSTEDSENDERLIST: "The sender is on the user's Safe Senders list.",
        EXCLUSIVESETTINGS: 'The user only trusts mail from safe senders and lists.',
      },
      'Undocumented folder reason',
    ),
  },
  UCF: { label: 'ucf', explain: (v) => `Undocumented mailbox flag (ucf:${v}).` },
  JMR: {
    label: 'Junk mail rule',
    explain: (v) =>
      v === '1'
        ? "The user's junk email rule was applied."
        : "The user's junk email rule was not applied.",
  },
  AUTH: {
    label: 'Authentication',
    explain: (v) =>
      v === '1'
        ? 'The sender was treated as authenticated for junk filtering.'
        : 'The sender was not treated as authenticated for junk filtering.',
  },
  RF: { label: 'Rule folder', explain: (v) => `Moved by a rule (RF:${v}).` },
};

const ORG_AUTH_AS = table(
  {
    ANONYMOUS: 'The message came from outside, from an unauthenticated sender.',
    INTERNAL: 'The message came from inside the organisation (authenticated).',
    PARTNER: 'The message came from a partner organisation over a secured (mutual TLS) connector.',
    EXTERNAL: 'The message came from outside over an authenticated connection.',
  },
  'Undocumented value',
);

const ORG_DIRECTIONALITY = table(
  {
    INCOMING: 'Incoming: the message entered the organisation from outside.',
    ORIGINATING: 'Originating: the message was sent by a user of the organisation.',
  },
  'Undocumented value',
);

/** "CIP:192.0.2.1;CTRY:US;…": split on ';' then on the first ':'. Empty values are kept. */
function decodeList(raw: string, keys: Readonly<Record<string, KeyInfo>>): AntispamEntry[] {
  const entries: AntispamEntry[] = [];
  for (const part of collapseWhitespace(raw).split(';')) {
    const item = part.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    const key = colon >= 0 ? item.slice(0, colon).trim() : item;
    const value = colon >= 0 ? item.slice(colon + 1).trim() : '';
    const info = keys[key.toUpperCase()];
    entries.push({
      key,
      value,
      label: info?.label ?? key,
      explanation: info
        ? info.explain(value)
        : 'Used by Microsoft for diagnostics; not documented publicly.',
    });
  }
  return entries;
}

/** Returns the first value of a field, already bounded by the caller. */
type FirstValue = (name: string) => string | undefined;

function single(
  first: FirstValue,
  name: string,
  label: string,
  explain: Explainer,
): AntispamEntry | null {
  const value = first(name);
  if (value === undefined) return null;
  const trimmed = collapseWhitespace(value);
  return { key: name, value: trimmed, label, explanation: explain(trimmed) };
}

export function decodeMicrosoftHeaders(first: FirstValue): MicrosoftHeaders {
  const forefront = first('X-Forefront-Antispam-Report');
  const antispam = first('X-Microsoft-Antispam');
  const delivery = first('X-Microsoft-Antispam-Mailbox-Delivery');
  return {
    authAs: single(first, 'X-MS-Exchange-Organization-AuthAs', 'Authenticated as', ORG_AUTH_AS),
    directionality: single(
      first,
      'X-MS-Exchange-Organization-MessageDirectionality',
      'Direction',
      ORG_DIRECTIONALITY,
    ),
    scl: single(first, 'X-MS-Exchange-Organization-SCL', 'Spam confidence level', sclExplain),
    forefrontAntispamReport: forefront ? decodeList(forefront, FOREFRONT_KEYS) : [],
    antispam: antispam ? decodeList(antispam, ANTISPAM_KEYS) : [],
    antispamMailboxDelivery: delivery ? decodeList(delivery, MAILBOX_DELIVERY_KEYS) : [],
  };
}
