import { analyzeHeaders } from '../../../src/core';

const HEADERS = [
  'X-MS-Exchange-Organization-AuthAs: Anonymous',
  'X-MS-Exchange-Organization-MessageDirectionality: Incoming',
  'X-MS-Exchange-Organization-SCL: 5',
  'X-Forefront-Antispam-Report: CIP:192.0.2.41;CTRY:DE;LANG:fr;SCL:5;SRV:BULK;IPV:NLI;SFV:SPM;H:mail.example.com;PTR:;CAT:PHSH;SFTY:9.19;SFS:(13230031)(366004);DIR:INB;',
  'X-Microsoft-Antispam: BCL:7;ARA:13230031|366004;',
  'X-Microsoft-Antispam-Mailbox-Delivery: ucf:0;jmr:0;auth:0;dest:J;OFR:SpamFilterAuthJ;ENG:(910001)(944506478);',
  'TLS-Required: No',
  'Subject: t',
].join('\r\n');

describe('Microsoft headers', () => {
  const ms = analyzeHeaders(HEADERS).microsoft;
  const byKey = (entries: typeof ms.forefrontAntispamReport) =>
    Object.fromEntries(entries.map((e) => [e.key, e]));

  it('explains the organisation headers', () => {
    expect(ms.authAs?.explanation).toMatch(/outside, from an unauthenticated sender/);
    expect(ms.directionality?.explanation).toMatch(/^Incoming/);
    expect(ms.scl?.explanation).toMatch(/^SCL 5: spam/);
  });

  it('explains each X-Forefront-Antispam-Report code in a sentence', () => {
    const f = byKey(ms.forefrontAntispamReport);
    expect(f.CIP?.explanation).toBe("The connecting server's IP address was 192.0.2.41.");
    expect(f.SFV?.explanation).toBe('Spam filtering marked the message as spam.');
    expect(f.CAT?.explanation).toBe('Phishing.');
    expect(f.SFTY?.explanation).toMatch(/domain impersonation/);
    expect(f.DIR?.explanation).toMatch(/^Inbound/);
    expect(f.IPV?.explanation).toMatch(/not on any IP reputation list/);
    expect(f.PTR?.explanation).toMatch(/no reverse DNS/);
    expect(f.SRV?.explanation).toMatch(/bulk/);
    expect(f.SFS?.explanation).toMatch(/not documented publicly/);
    for (const entry of ms.forefrontAntispamReport)
      expect(entry.explanation.length).toBeGreaterThan(5);
  });

  it('explains BCL and the mailbox delivery decision', () => {
    expect(byKey(ms.antispam).BCL?.explanation).toMatch(/^BCL 7: .*mixed/);
    const d = byKey(ms.antispamMailboxDelivery);
    expect(d.dest?.explanation).toBe('Delivered to Junk Email.');
    expect(d.OFR?.explanation).toMatch(/Junk Email/);
  });

  it('reports TLS-Required: No (RFC 8689)', () => {
    expect(analyzeHeaders(HEADERS).tlsRequired?.explanation).toMatch(/RFC 8689/);
  });
});
