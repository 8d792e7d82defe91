import { parseReceived, protocolOf } from '../../../src/core/received/parse';
import type { HostRef } from '../../../src/core';

const parse = (field: string) => parseReceived(field, 32);

type HostExpect = Partial<HostRef>;
const CASES: [
  string,
  string,
  {
    from?: HostExpect | null;
    by?: HostExpect | null;
    protocol?: string | null;
    with?: string | null;
    via?: string | null;
    id?: string | null;
    for?: string | null;
    iso?: string | null;
  },
][] = [
  [
    'Postfix',
    'from mail.example.org (mail.example.org [192.0.2.25]) by mx.example.com (Postfix) with ESMTPS id 7C3A91E00F2 for <u@example.com>; Tue, 12 Mar 2024 10:15:15 +0100 (CET)',
    {
      from: { name: 'mail.example.org', reverseDns: 'mail.example.org', ip: '192.0.2.25' },
      by: { name: 'mx.example.com' },
      protocol: 'ESMTPS',
      id: '7C3A91E00F2',
      for: 'u@example.com',
      iso: '2024-03-12T09:15:15.000Z',
    },
  ],
  [
    'Postfix with IPv6 literal and unknown rDNS',
    'from helo.example.org (unknown [IPv6:2001:DB8:0:0:0:0:0:1]) by mx.example.com (Postfix) with ESMTP id 1; Tue, 12 Mar 2024 10:00:00 +0000',
    { from: { name: 'helo.example.org', reverseDns: null, ip: '2001:db8::1' } },
  ],
  [
    'Sendmail ident and may-be-forged',
    'from a.example.org (ident@host.example.org [192.0.2.3] (may be forged)) by mx.example.com (8.17.1/8.17.1) with ESMTP id 42C9; Tue, 12 Mar 2024 10:00:00 +0000',
    {
      from: { name: 'a.example.org', ip: '192.0.2.3', ident: 'ident@host.example.org' },
      protocol: 'ESMTP',
      id: '42C9',
    },
  ],
  [
    'Exim helo= and port',
    'from host.example.net ([192.0.2.57]:45321 helo=User) by mx.example.com with esmtpa (Exim 4.96) id 1bakrE-000291-LF; Fri, 19 Aug 2016 20:34:52 +0600',
    {
      from: { name: 'host.example.net', ip: '192.0.2.57', helo: 'User', heloCommand: null },
      protocol: 'ESMTPA',
      id: '1bakrE-000291-LF',
      iso: '2016-08-19T14:34:52.000Z',
    },
  ],
  [
    'qmail HELO and ident@ip',
    'from unknown (HELO mail.example.org) (user@192.0.2.9) by mx.example.com with SMTP; 8 Mar 2017 16:46:30 -0000',
    {
      from: {
        name: 'unknown',
        helo: 'mail.example.org',
        heloCommand: 'HELO',
        ip: '192.0.2.9',
        ident: 'user',
      },
      protocol: 'SMTP',
    },
  ],
  [
    'gmx EHLO with bracket literal after the comment',
    'from dyn.example.net (EHLO homepc) [192.0.2.64] by mail.example.com (mp010) with SMTP; 03 Feb 2007 13:13:47 +0100',
    { from: { name: 'dyn.example.net', helo: 'homepc', heloCommand: 'EHLO', ip: '192.0.2.64' } },
  ],
  [
    'Exchange Online with zone id',
    'from AB1PR01MB0001.eurprd01.prod.outlook.com ([fe80::19bd:c588:dd17:5226]) by AB1PR01MB0001.eurprd01.prod.outlook.com ([fe80::19bd:c588:dd17:5226%6]) with mapi id 15.20.1943.023; Wed, 5 Jun 2019 10:17:08 +0000',
    {
      from: { ip: 'fe80::19bd:c588:dd17:5226' },
      by: { ip: 'fe80::19bd:c588:dd17:5226' },
      protocol: 'MAPI',
      id: '15.20.1943.023',
    },
  ],
  [
    'Exchange via Frontend Transport',
    'from a.outlook.com (2001:db8::1) by b.outlook.com (2001:db8::2) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1.1 via Frontend Transport; Tue, 12 Mar 2024 09:00:00 +0000',
    { with: 'Microsoft SMTP Server', protocol: 'SMTP', via: 'Frontend Transport', id: '15.20.1.1' },
  ],
  [
    'Gmail internal, no from clause',
    'by 2002:a19:cb97:0:0:0:0:0 with SMTP id b145csp2707879lfg; Mon, 26 Oct 2020 05:43:28 -0700 (PDT)',
    {
      from: null,
      by: { name: '2002:a19:cb97:0:0:0:0:0' },
      protocol: 'SMTP',
      iso: '2020-10-26T12:43:28.000Z',
    },
  ],
  [
    'sendmail local submission in a leading comment',
    '(from root@localhost) by host.example.com (8.14.7/8.14.7/Submit) id 05QDRrso001911',
    { from: { name: 'root@localhost' }, by: { name: 'host.example.com' }, iso: null },
  ],
  [
    'IronPort slash protocol',
    'from mail.example.org ([192.0.2.10]) by esa.example.com with ESMTP/TLS/AES256-GCM-SHA384; 12 Mar 2024 05:15:12 -0400',
    { protocol: 'ESMTP', iso: '2024-03-12T09:15:12.000Z' },
  ],
  [
    'XMail bracketed with clause',
    'from list.example.com (192.0.2.86:23198) by mx1.example.net with [XMail 1.20 ESMTP Server] id <S72E> for <a@example.net> from <b@example.com>; Sat, 18 Sep 2004 23:17:54 -0500',
    { from: { ip: '192.0.2.86' }, protocol: 'ESMTP', id: 'S72E', for: 'a@example.net' },
  ],
  [
    'smap HELO after the address',
    'from smtp.example.com(192.0.2.51, HELO smtp.example.net) by x.example.org via smap (V1.3) id xma002908; Fri, 27 Feb 04 14:16:56 -0800',
    {
      from: {
        name: 'smtp.example.com',
        ip: '192.0.2.51',
        helo: 'smtp.example.net',
        heloCommand: 'HELO',
      },
      via: 'smap',
      iso: '2004-02-27T22:16:56.000Z',
    },
  ],
  [
    'empty by (malformed spam)',
    'from [192.0.2.27] (account a@example.it HELO kzr.example.com) by  (Postfix) with ESMTPA id 24hEA8; Tue, 24 May 2016 13:09:41 +0100',
    {
      from: { name: '[192.0.2.27]', helo: 'kzr.example.com' },
      by: { name: null },
      protocol: 'ESMTPA',
    },
  ],
  [
    'clauses after the date (EzMTS)',
    'from olgisoft.example (127.0.0.1) by 127.0.0.1 (EzMTS MTSSmtp 1.55d5) ; Thu, 20 Mar 03 10:06:43 +0100 for <a@example.org>',
    { for: 'a@example.org', iso: '2003-03-20T09:06:43.000Z' },
  ],
  [
    'unclosed comment runs to the end without crashing',
    'from a.example.org (unclosed [192.0.2.1] by mx.example.com with ESMTP; Tue, 12 Mar 2024 09:00:00 +0000',
    { by: null, iso: null },
  ],
];

describe('parseReceived', () => {
  test.each(CASES)('%s', (_name, field, expected) => {
    const hop = parse(field);
    if (expected.from === null) expect(hop.from).toBeNull();
    else if (expected.from) expect(hop.from).toMatchObject(expected.from);
    if (expected.by === null) expect(hop.by).toBeNull();
    else if (expected.by) expect(hop.by).toMatchObject(expected.by);
    for (const key of ['protocol', 'with', 'via', 'id', 'for'] as const) {
      if (expected[key] !== undefined) expect(hop[key]).toBe(expected[key]);
    }
    if (expected.iso !== undefined) expect(hop.date?.iso ?? null).toBe(expected.iso);
  });

  it('keeps every top-level comment as written', () => {
    const hop = parse(
      'from a (b [192.0.2.1]) by c (Postfix) with ESMTP; Tue, 12 Mar 2024 09:00:00 +0000 (UTC)',
    );
    expect(hop.comments).toEqual(['(b [192.0.2.1])', '(Postfix)', '(UTC)']);
  });
});

describe('protocolOf', () => {
  test.each([
    ['ESMTPS', 'ESMTPS'],
    ['esmtpsa', 'ESMTPSA'],
    ['local-esmtps', 'ESMTPS'],
    ['ESMTP/TLS/AES256-SHA', 'ESMTP'],
    ['ESMTP-TLS', 'ESMTPS'],
    ['Microsoft SMTPSVC', 'SMTP'],
    ['smtp.notes.example.com ESMTP', 'ESMTP'],
    ['HTTPREST', 'HTTP'],
    ['qmail-scanner-1.24', null],
    ['spam-scanned', null],
  ])('%s → %s', (text, expected) => {
    expect(protocolOf(text)).toBe(expected);
  });
});
