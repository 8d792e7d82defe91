import { TLS_RULES } from '../../../src/core/tls/rules';
import { judgeHop, normalizeTlsVersion, weaknessesOf } from '../../../src/core/tls/judge';
import { parseReceived } from '../../../src/core/received/parse';
import type { TlsStatus } from '../../../src/core';

const judge = (field: string) => judgeHop(parseReceived(field, 32));

describe('TLS rules table', () => {
  it('has unique rule ids', () => {
    const ids = TLS_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  // Every entry's own example must be decided by that entry, with what it says it extracts.
  test.each(TLS_RULES.map((rule) => [rule.id, rule] as const))(
    '%s decides its example',
    (id, rule) => {
      const tls = judge(rule.example.field);
      expect(tls.rule).toBe(id);
      expect(tls.status).toBe(rule.status);
      expect(tls.evidence).not.toBeNull();
      expect(rule.example.field).toContain(tls.evidence as string);
      if (rule.example.version !== undefined) expect(tls.version).toBe(rule.example.version);
      if (rule.example.cipher !== undefined) expect(tls.cipher).toBe(rule.example.cipher);
      if (rule.example.bits !== undefined) expect(tls.bits).toBe(rule.example.bits);
    },
  );
});

// Fields written in the shape each MTA produces; the table is the behaviour.
const MTA_CASES: [string, string, TlsStatus, string | null][] = [
  [
    'Postfix TLS 1.2 with client certificate',
    'from a.example.org (a.example.org [192.0.2.1]) (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) (Client CN "a.example.org", Issuer "R3" (verified OK)) by mx.example.com (Postfix) with ESMTPS id 1A; Tue, 12 Mar 2024 10:00:00 +0100',
    'tls',
    'postfix-using',
  ],
  [
    'Postfix plain ESMTP over loopback (amavis)',
    'from localhost (localhost [127.0.0.1]) by mx.example.com (Postfix) with ESMTP id 2B for <u@example.com>; Tue, 12 Mar 2024 10:00:00 +0100',
    'none',
    'plain-smtp-keyword',
  ],
  [
    'Exchange Online mapi submission',
    'from AB1PR01MB0001.eurprd01.prod.outlook.com ([fe80::1]) by AB1PR01MB0001.eurprd01.prod.outlook.com ([fe80::1%4]) with mapi id 15.20.1.1; Tue, 12 Mar 2024 09:00:00 +0000',
    'internal',
    'exchange-mapi',
  ],
  [
    'Exchange on-premises without TLS',
    'from edge.example.com (192.0.2.5) by mbx.example.com (192.0.2.6) with Microsoft SMTP Server id 15.2.1118.7; Tue, 12 Mar 2024 10:00:00 +0100',
    'none',
    'exchange-smtp-plain',
  ],
  [
    'Exchange TLS 1.3',
    'from a.outlook.com (2001:db8::1) by b.outlook.com (2001:db8::2) with Microsoft SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.1.1 via Frontend Transport; Tue, 12 Mar 2024 09:00:00 +0000',
    'tls',
    'exchange-version-cipher',
  ],
  [
    'Gmail internal hand-off',
    'by 2002:a17:906:1234:b0:a1:2b3c:4d5e with SMTP id k12csp1234567ejb; Tue, 12 Mar 2024 02:00:00 -0700 (PDT)',
    'internal',
    'no-sending-peer',
  ],
  [
    'Gmail inbound without TLS',
    'from mail.example.org (mail.example.org. [192.0.2.9]) by mx.google.com with ESMTP id a1si2.3.2024.03.12.02.00.00 for <u@gmail.com>; Tue, 12 Mar 2024 02:00:00 -0700 (PDT)',
    'none',
    'plain-smtp-keyword',
  ],
  [
    'Gmail Transport Security',
    'from mail-sor-f41.google.com (mail-sor-f41.google.com. [192.0.2.41]) by mx.google.com with SMTPS id p1sor2.40.2024.03.12.02.00.00 for <u@gmail.com> (Google Transport Security); Tue, 12 Mar 2024 02:00:00 -0700 (PDT)',
    'tls',
    'rfc3848-tls-keyword',
  ],
  [
    'Mailgun SMTP keyword with TLS detail',
    'from [127.0.0.1] (host.example.net [192.0.2.3]) by smtp-out.example-mailer.com with SMTP id 5f3e (version=TLS1.3, cipher=TLS_AES_128_GCM_SHA256); Tue, 12 Mar 2024 09:00:00 GMT',
    'tls',
    'version-comma-cipher',
  ],
  [
    'Exim old GnuTLS syntax',
    'from h.example.org ([192.0.2.4]:52313) by mx.example.com with esmtps (TLS-1.0:DHE_RSA_3DES_EDE_CBC_SHA:24) (Exim 4.50) id 1GzVLs-0002Oz-7b; Tue, 12 Mar 2024 09:00:00 +0000',
    'tls',
    'exim-tls-colon',
  ],
  [
    'Exim plain esmtpa',
    'from host.example.net ([192.0.2.57]:45321 helo=User) by mx.example.com with esmtpa (Exim 4.96) (envelope-from <a@example.com>) id 1bakrE-000291-LF; Tue, 12 Mar 2024 09:00:00 +0000',
    'none',
    'plain-smtp-keyword',
  ],
  [
    'Exim local-esmtps is still TLS',
    'from root (helo=laptop.example.org) by mx.example.com with local-esmtps (Exim 4.50) id 1FwHqR-0008Bw-OG; Tue, 12 Mar 2024 09:00:00 +0000',
    'tls',
    'rfc3848-tls-keyword',
  ],
  [
    'Exim local pipe',
    'from www-data by web.example.com with local (Exim 4.96) id 1rk2Ad-0004Ab-Cd; Tue, 12 Mar 2024 09:00:00 +0000',
    'internal',
    'exim-local',
  ],
  [
    'Sendmail verify=OK',
    'from a.example.org (a.example.org [192.0.2.8]) by mx.example.com (8.17.1/8.17.1) with ESMTPS id 42C9 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=OK) for <u@example.com>; Tue, 12 Mar 2024 05:00:00 -0400',
    'tls',
    'sendmail-version-cipher',
  ],
  [
    'Sendmail local submission',
    '(from root@localhost) by host.example.com (8.17.1/8.17.1/Submit) id 42C9F5aC012345; Tue, 12 Mar 2024 10:00:00 +0100',
    'internal',
    'sendmail-local-submit',
  ],
  [
    'qmail network hand-off',
    'from unknown (HELO mail.example.org) (192.0.2.10) by mx.example.com with SMTP; 12 Mar 2024 09:00:00 -0000',
    'none',
    'plain-smtp-keyword',
  ],
  [
    'qmail invoked line',
    '(qmail 12345 invoked by uid 89); 12 Mar 2024 09:00:00 -0000',
    'unknown',
    'qmail-invoked',
  ],
  [
    'qmail TLS patch',
    'from mail.example.org (HELO mail.example.org) (192.0.2.11) by mx.example.com with (DHE-RSA-AES256-SHA encrypted) SMTP; 12 Mar 2024 09:00:00 -0000',
    'tls',
    'qmail-tls-patch',
  ],
  [
    'IIS SMTPSVC',
    'from PC01 ([192.0.2.12]) by smtp.example.com with Microsoft SMTPSVC(6.0.3790.4675); Tue, 12 Mar 2024 10:00:00 +0100',
    'unknown',
    'iis-smtpsvc',
  ],
  [
    'IronPort',
    'from mail.example.org ([192.0.2.13]) by esa1.example.iphmx.com with ESMTP/TLS/AES256-GCM-SHA384; 12 Mar 2024 05:00:00 -0400',
    'tls',
    'ironport-esmtp-tls',
  ],
  [
    'Haraka cipher only',
    'from m1.example.org (m1.example.org [192.0.2.14]) by mx.example.com (Haraka/3.0.3) with ESMTPS id 0F1E.1 envelope-from <a@example.org> (cipher=TLS_AES_256_GCM_SHA384); Tue, 12 Mar 2024 09:00:00 +0000',
    'tls',
    'haraka-cipher',
  ],
  [
    'Dovecot LMTP delivery',
    'from mx.example.com by mail.example.com (Dovecot) with LMTP id YVBbOi5Cm1WCLgEAPZa6/Q; Tue, 12 Mar 2024 09:00:00 +0000',
    'none',
    'plain-smtp-keyword',
  ],
  [
    'Cyrus LMTPA from a unix socket',
    'from murder ([unix socket]) by imap.example.com (Cyrus 3.8.1) with LMTPA; Tue, 12 Mar 2024 09:00:00 -0800',
    'none',
    'plain-smtp-keyword',
  ],
  [
    'Migadu LMTPS',
    'from aspmx1.example.com ([2001:db8::25]) by mp2.example.com with LMTPS id 2H9S (envelope-from <a@example.org>) for <u@example.com>; Tue, 12 Mar 2024 20:59:30 +0200',
    'tls',
    'rfc3848-tls-keyword',
  ],
  [
    'Yahoo web submission',
    'from [192.0.2.15] by web1.mail.example.com via HTTP; Tue, 12 Mar 2024 02:00:00 PST',
    'internal',
    'webmail-via-http',
  ],
  [
    'SendGrid API submission',
    'from MjA3NDc4Mg (unknown) by ismtpd0001p1lon1.example.net (SG) with HTTP id aqHKNX2kSp for <u@example.com>; Tue, 12 Mar 2024 07:53:55.516 +0000 (UTC)',
    'internal',
    'webmail-http',
  ],
  [
    'Postfix pickup',
    'by web.example.com (Postfix, from userid 33) id 4A1B2C; Tue, 12 Mar 2024 10:00:00 +0100 (CET)',
    'internal',
    'postfix-pickup',
  ],
  [
    'fetchmail over IMAP',
    'from imap.example.org [192.0.2.16] by localhost with IMAP (fetchmail-6.4.37) for <u@localhost> (single-drop); Tue, 12 Mar 2024 10:00:00 +0100',
    'unknown',
    'non-smtp-transfer',
  ],
  [
    'Mandrill line without protocol',
    'from [192.0.2.17] by mandrillapp.com id 163e4a0faf244a2da6b0121cc7af1fe9; Tue, 12 Mar 2024 09:00:00 +0000',
    'unknown',
    null,
  ],
  ['Junk Received field', 'apparently', 'unknown', null],
  [
    'CommuniGate ESMTP-TLS',
    'from [192.0.2.18] (account u HELO [192.0.2.18]) by mail.example.com (CommuniGate Pro SMTP 6.3) with ESMTP-TLS id 2088434; Tue, 12 Mar 2024 13:05:06 -0500',
    'tls',
    'communigate-esmtp-tls',
  ],
  [
    'Courier TLS comment',
    'from laptop ([192.0.2.19]) (AUTH: LOGIN u, TLS: TLSv1/SSLv3,256bits,AES256-SHA) by mail.example.com with ESMTPSA; Tue, 12 Mar 2024 09:00:00 +0000',
    'tls',
    'courier-tls',
  ],
  [
    'OpenSMTPD',
    'from a.example.org (a.example.org [192.0.2.20]) by mx.example.com (OpenSMTPD) with ESMTPS id 3f9a2b1c (TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256:YES) for <u@example.com>; Tue, 12 Mar 2024 10:00:00 +0100 (CET)',
    'tls',
    'opensmtpd',
  ],
];

describe('judging real-world-shaped fields', () => {
  test.each(MTA_CASES)('%s', (_name, field, status, rule) => {
    const tls = judge(field);
    expect(tls.status).toBe(status);
    expect(tls.rule).toBe(rule);
    if (tls.evidence !== null) expect(field).toContain(tls.evidence);
  });
});

describe('never claims TLS without evidence', () => {
  test.each([
    [
      'host names containing "tls" and "ssl"',
      'from tls.example.org (tls.example.org [192.0.2.30]) by ssl-gw.example.com with ESMTP id 1; Tue, 12 Mar 2024 09:00:00 +0000',
    ],
    [
      'the word "using" elsewhere',
      'from a.example.org (using a proxy) by mx.example.com with SMTP id 1; Tue, 12 Mar 2024 09:00:00 +0000',
    ],
    [
      'ESMTPS only inside a comment',
      'from a.example.org (was ESMTPS) by mx.example.com with ESMTP id 1; Tue, 12 Mar 2024 09:00:00 +0000',
    ],
    [
      'a cipher-like id',
      'from a.example.org by mx.example.com with ESMTP id AES256-SHA; Tue, 12 Mar 2024 09:00:00 +0000',
    ],
  ])('%s', (_name, field) => {
    expect(judge(field).status).not.toBe('tls');
  });
});

describe('peer certificates', () => {
  test.each([
    [
      '(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) (Client CN "c.example.org", Issuer "Example CA" (verified OK))',
      'verified',
      'c.example.org',
      'Example CA',
    ],
    [
      '(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) (Client CN "c.example.org", Issuer "Example CA" (not verified))',
      'not-verified',
      'c.example.org',
      'Example CA',
    ],
    [
      '(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) (No client certificate requested)',
      'not-requested',
      null,
      null,
    ],
    [
      '(using TLSv1.2 with cipher AES128-SHA (128/128 bits)) (Client did not present a certificate)',
      'not-presented',
      null,
      null,
    ],
  ])('Postfix %s', (comment, status, subject, issuer) => {
    const tls = judge(
      `from a.example.org (a.example.org [192.0.2.1]) ${comment} by mx.example.com (Postfix) with ESMTPS id 1; Tue, 12 Mar 2024 10:00:00 +0100`,
    );
    expect(tls.peerCertificate).toEqual({ status, subject, issuer });
  });

  test.each([
    ['OK', 'verified'],
    ['FAIL', 'failed'],
    ['NOT', 'not-verified'],
    ['NONE', 'not-requested'],
  ])('Sendmail verify=%s', (verify, status) => {
    const tls = judge(
      `from a (a [192.0.2.1]) by mx (8.17.1/8.17.1) with ESMTPS id 1 (version=TLSv1.2 cipher=AES256-GCM-SHA384 bits=256 verify=${verify}); Tue, 12 Mar 2024 10:00:00 +0100`,
    );
    expect(tls.peerCertificate?.status).toBe(status);
  });
});

describe('version normalisation', () => {
  test.each([
    ['TLSv1.2', 'TLS1.2'],
    ['TLS1_2', 'TLS1.2'],
    ['TLS1.3', 'TLS1.3'],
    ['TLS1_3', 'TLS1.3'],
    ['TLSv1', 'TLS1.0'],
    ['TLS1', 'TLS1.0'],
    ['TLS-1.0', 'TLS1.0'],
    ['TLSv1.1', 'TLS1.1'],
    ['SSLv3', 'SSL3.0'],
    ['SSL3_0', 'SSL3.0'],
    ['TLSv1/SSLv3', null],
    ['QUIC', null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeTlsVersion(raw)).toBe(expected);
  });
});

describe('weaknesses', () => {
  test.each([
    ['TLS1.0', 'AES128-SHA', ['legacy-protocol']],
    ['TLS1.1', 'ECDHE-RSA-AES256-SHA', ['legacy-protocol']],
    ['SSL3.0', 'RC4-MD5', ['legacy-protocol', 'rc4']],
    ['TLS1.2', 'DES-CBC3-SHA', ['triple-des']],
    ['TLS1.2', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', ['triple-des']],
    ['TLS1.2', 'EXP-RC4-MD5', ['rc4', 'export']],
    ['TLS1.2', 'TLS_RSA_WITH_NULL_SHA256', ['null-cipher']],
    ['TLS1.0', 'ADH-AES256-SHA', ['legacy-protocol', 'anonymous']],
    ['TLS1.2', 'DES-CBC-SHA', ['single-des']],
    ['TLS1.2', 'ECDHE-RSA-AES256-GCM-SHA384', []],
    ['TLS1.3', 'TLS_AES_256_GCM_SHA384', []],
  ] as const)('%s %s', (version, cipher, codes) => {
    expect(weaknessesOf(version, cipher).map((w) => w.code)).toEqual(codes);
  });
});
