import type { TlsStatus } from '../types';
import type { ParsedReceived } from '../received/parse';

/**
 * The TLS evidence rules: one entry per way an MTA records (or does not record) TLS in a
 * Received field. The judge tries them in this order and the first match decides, so:
 *   1. statements of a TLS version or cipher (they override any protocol keyword: Mailgun writes
 *      "with SMTP … (version=TLS1.3, …)"),
 *   2. RFC 3848 TLS keywords (ESMTPS …),
 *   3. internal hand-offs (MAPI, webmail, local pickup, no sending peer),
 *   4. transfers that never record TLS (IIS SMTPSVC, qmail "invoked", fetchmail …): unknown,
 *   5. plain SMTP keywords with no TLS detail: none.
 * Anything else is "unknown": we never claim TLS without evidence.
 *
 * Patterns run on bounded text (a Received field is cut at Limits.maxFieldChars) and use no
 * nested quantifiers, so matching stays linear. Named groups carry what a rule extracts:
 * evidence, version, cipher, bits, kex, verify. Each example is a field written by us in the
 * shape the MTA produces; test/core/tls/rules.test.ts walks this table.
 */
export interface TlsRule {
  id: string;
  /** The MTA or product whose writing style this is. */
  mta: string;
  description: string;
  status: TlsStatus;
  /** What the pattern runs on: the whole unfolded field, or one clause from its keyword on. */
  target: 'field' | 'with' | 'via';
  pattern: RegExp;
  /** Extra condition on the parsed field, for rules about structure rather than words. */
  applies?: (parsed: ParsedReceived) => boolean;
  example: {
    field: string;
    version?: string | null;
    cipher?: string | null;
    bits?: number | null;
  };
}

const VERSION = '(?<version>TLSv?1(?:[._]\\d)?|SSLv[23]|SSL3_0|TLSv1\\/SSLv3)';
const CIPHER = '(?<cipher>[A-Za-z0-9][A-Za-z0-9_-]*)';
const TLS_KEYWORDS =
  'UTF8SMTPSA|UTF8SMTPS|UTF8LMTPSA|UTF8LMTPS|ESMTPSA|ESMTPS|LMTPSA|LMTPS|SMTPSA|SMTPS';
const PLAIN_KEYWORDS = 'UTF8SMTPA|UTF8SMTP|UTF8LMTPA|UTF8LMTP|ESMTPA|ESMTP|LMTPA|LMTP|SMTP';
/** Words an MTA may put between "with" and the keyword ("with smtp.example.net ESMTP"). */
const WITH_PREFIX = '^with\\s+(?:[^\\s()]+\\s+){0,6}?(?:local-)?';

const hasNoSendingPeer = (p: ParsedReceived): boolean =>
  p.clauses.from === undefined && p.localSubmission === null;

export const TLS_RULES: readonly TlsRule[] = [
  {
    id: 'postfix-using',
    mta: 'Postfix (also Stalwart, iCloud, Zimbra, Fastmail)',
    description:
      'Postfix smtpd_tls_received_header: "(using TLSv1.3 with cipher … (256/256 bits) …)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(
      `(?<evidence>using\\s+${VERSION}\\s+with\\s+cipher\\s+${CIPHER})(?:\\s+\\((?<bits>\\d+)\\/\\d+\\s+bits\\))?(?:\\s+key-exchange\\s+(?<kex>[A-Za-z0-9_-]+))?`,
    ),
    example: {
      field:
        'from mail-out.example.com (mail-out.example.com [192.0.2.25]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256) (No client certificate requested) by mx.example.net (Postfix) with ESMTPS id 4Xb2c1Qz9Hz1 for <alice@example.net>; Tue, 12 Mar 2024 10:15:02 +0100 (CET)',
      version: 'TLS1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      bits: 256,
    },
  },
  {
    id: 'exchange-version-cipher',
    mta: 'Microsoft Exchange 2013+ and Exchange Online',
    description: 'Exchange: "with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_…)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(`(?<evidence>version=(?<version>TLS1_[0-3]|SSL3_0),\\s*cipher=${CIPHER})`),
    example: {
      field:
        'from AM6PR02MB1234.eurprd02.prod.outlook.com (2603:10a6:20b:1::12) by DB9PR02MB5678.eurprd02.prod.outlook.com (2603:10a6:10:2::34) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7452.49; Tue, 12 Mar 2024 09:15:02 +0000',
      version: 'TLS1.2',
      cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    },
  },
  {
    id: 'mimecast-starttls',
    mta: 'Mimecast',
    description: 'Mimecast: "with ESMTP with both STARTTLS and AUTH (version=TLSv1.2, cipher=…)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(
      `(?<evidence>with\\s+(?:both\\s+)?STARTTLS(?:\\s+and\\s+AUTH)?\\s+\\(version=${VERSION},\\s*cipher=${CIPHER})`,
    ),
    example: {
      field:
        'from mail-relay.example.com (mail-relay.example.com [198.51.100.7]) by relay.mimecast.com with ESMTP with both STARTTLS and AUTH (version=TLSv1.2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id uk-mta-12-AbCdEfGhIjKlMnOp-1; Tue, 12 Mar 2024 09:15:03 +0000',
      version: 'TLS1.2',
      cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    },
  },
  {
    id: 'gmail-version-cipher',
    mta: 'Gmail (mx.google.com, smtp.gmail.com)',
    description: 'Gmail: "(version=TLS1_3 cipher=TLS_AES_128_GCM_SHA256 bits=128/128)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(
      `(?<evidence>version=(?<version>TLS1(?:_[0-3])?|SSLv3)\\s+cipher=${CIPHER})(?:\\s+bits=(?<bits>\\d+)\\/\\d+)?`,
    ),
    example: {
      field:
        'from mail-sender.example.org (mail-sender.example.org. [203.0.113.45]) by mx.google.com with ESMTPS id a1b2c3d4e5f6.12.2024.03.12.02.15.04 for <bob@example.com> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 12 Mar 2024 02:15:04 -0700 (PDT)',
      version: 'TLS1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      bits: 256,
    },
  },
  {
    id: 'sendmail-version-cipher',
    mta: 'Sendmail (also Proofpoint, Barracuda, Kerio, IBM gateways)',
    description: 'Sendmail $_ with TLS macros: "(version=TLSv1.2 cipher=… bits=256 verify=NOT)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(
      `(?<evidence>version=${VERSION}\\s+cipher=${CIPHER})(?:\\s+bits=(?<bits>\\d+)(?:\\/\\d+)?)?(?:\\s+verify=(?<verify>[A-Za-z]+))?`,
    ),
    example: {
      field:
        'from mail.example.org (mail.example.org [192.0.2.80]) by mx0a-00123401.pphosted.com (8.17.1.19/8.17.1.19) with ESMTPS id 42C9F5aB012345 (version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NOT) for <carol@example.com>; Tue, 12 Mar 2024 05:15:05 -0400',
      version: 'TLS1.2',
      cipher: 'ECDHE-RSA-AES256-GCM-SHA384',
      bits: 256,
    },
  },
  {
    id: 'version-comma-cipher',
    mta: 'Mailgun, Zoho, SparkPost and other comma-separated writers',
    description: 'Comma-separated key=value: "(version=TLS1.3, cipher=TLS_AES_128_GCM_SHA256)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(`(?<evidence>version=${VERSION},\\s*cipher=${CIPHER})`),
    example: {
      field:
        'from [10.20.30.40] (host-203-0-113-9.example.net [203.0.113.9]) by smtp-out-n02.prod.us-east-1.example-mailer.com with SMTP id 65f0a1b2c3d4e5f6a7b8c9d0 (version=TLS1.3, cipher=TLS_AES_128_GCM_SHA256); Tue, 12 Mar 2024 09:15:06 GMT',
      version: 'TLS1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
    },
  },
  {
    id: 'haraka-cipher',
    mta: 'Haraka',
    description: 'Haraka tls plugin: "(cipher=TLS_AES_256_GCM_SHA384)" with no version.',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(`(?<evidence>\\(cipher=${CIPHER})`),
    example: {
      field:
        'from mail-relay.example.org (mail-relay.example.org [198.51.100.61]) by mx.example.com (Haraka/3.0.3) with ESMTPS id 0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0.1 envelope-from <news@example.org> (cipher=TLS_AES_256_GCM_SHA384); Tue, 12 Mar 2024 09:15:07 +0000',
      cipher: 'TLS_AES_256_GCM_SHA384',
    },
  },
  {
    id: 'opensmtpd',
    mta: 'OpenSMTPD',
    description: 'OpenSMTPD: "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)", the last field is verify.',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(`(?<evidence>\\(${VERSION}:${CIPHER}:(?<bits>\\d+):(?<verify>YES|NO)\\))`),
    example: {
      field:
        'from mail.example.org (mail.example.org [192.0.2.14]) by mx.example.com (OpenSMTPD) with ESMTPS id 3f9a2b1c (TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO) for <dave@example.com>; Tue, 12 Mar 2024 10:15:08 +0100 (CET)',
      version: 'TLS1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      bits: 256,
    },
  },
  {
    id: 'exim-tls-keyword',
    mta: 'Exim 4.93+ with received_header_text using $tls_in_ver',
    description: 'Exim: "with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(
      `(?<evidence>\\((?<version>TLS1\\.[0-3]|TLSv1(?:\\.[0-3])?|SSLv3)\\)\\s+tls\\s+${CIPHER})`,
    ),
    example: {
      field:
        'from mail.example.org ([192.0.2.33]) by mx.example.com with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.97.1) (envelope-from <erin@example.org>) id 1rk2Ab-00ABCD-1x for frank@example.com; Tue, 12 Mar 2024 09:15:09 +0000',
      version: 'TLS1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
    },
  },
  {
    id: 'exim-tls-colon',
    mta: 'Exim 4 (OpenSSL or GnuTLS builds)',
    description:
      'Exim: "with esmtps (TLSv1.3:TLS_AES_256_GCM_SHA384:256)" or GnuTLS "(TLS1.2:ECDHE_RSA_…:256)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(
      `(?<evidence>\\((?<version>TLS-?v?1(?:[._]\\d)?|SSLv3):${CIPHER}:(?<bits>\\d+)\\))`,
    ),
    example: {
      field:
        'from mail-relay.example.net ([198.51.100.90]) by mx.example.com with esmtps (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) (Exim 4.92) (envelope-from <grace@example.net>) id 1rk2Ac-0003Xy-Pq for heidi@example.com; Tue, 12 Mar 2024 09:15:10 +0000',
      version: 'TLS1.2',
      cipher: 'ECDHE_RSA_AES_256_GCM_SHA384',
      bits: 256,
    },
  },
  {
    id: 'exim3-cipher',
    mta: 'Exim 3 and early Exim 4',
    description:
      'Old Exim: "(Cipher TLSv1:DES-CBC3-SHA:168)" or "(tls_cipher TLS-1.0:RSA_AES_256_CBC_SHA:32)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(
      `(?<evidence>\\((?:Cipher|tls_cipher)\\s+(?<version>TLS-?v?1(?:[._]\\d)?|SSLv3):${CIPHER}:(?<bits>\\d+)\\))`,
      'i',
    ),
    example: {
      field:
        'from relay.example.org ([192.0.2.140] helo=relay.example.org) by lists.example.com with esmtp (Cipher TLSv1:DES-CBC3-SHA:168) (Exim 3.36 #1 (Debian)) id 18lyuU-0007TI-00 for <ivan@example.com>; Thu, 20 Feb 2003 14:11:18 -0800',
      version: 'TLS1.0',
      cipher: 'DES-CBC3-SHA',
      bits: 168,
    },
  },
  {
    id: 'courier-tls',
    mta: 'Courier-MTA (also ESMTP servers copying its style)',
    description: 'Courier: "(AUTH: LOGIN user, TLS: TLSv1/SSLv3,256bits,AES256-SHA)".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(`(?<evidence>TLS:\\s*${VERSION},\\s*(?<bits>\\d+)bits,\\s*${CIPHER})`),
    example: {
      field:
        'from laptop.example.org (laptop.example.org [198.51.100.23]) (AUTH: PLAIN judy@example.org, TLS: TLSv1/SSLv3,256bits,ECDHE-RSA-AES256-GCM-SHA384) by mail.example.org with ESMTPSA; Tue, 12 Mar 2024 09:15:11 +0000',
      version: null,
      cipher: 'ECDHE-RSA-AES256-GCM-SHA384',
      bits: 256,
    },
  },
  {
    id: 'ironport-esmtp-tls',
    mta: 'Cisco IronPort / Secure Email Gateway',
    description: 'IronPort: "with ESMTP/TLS/ECDHE-RSA-AES128-GCM-SHA256" (cipher only).',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(`(?<evidence>E?SMTPS?\\/TLS\\/${CIPHER})`),
    example: {
      field:
        'from mail.example.org ([192.0.2.77]) by esa3.example.iphmx.com with ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384; 12 Mar 2024 05:15:12 -0400',
      cipher: 'ECDHE-RSA-AES256-GCM-SHA384',
    },
  },
  {
    id: 'qmail-tls-patch',
    mta: 'qmail with the TLS patch (netqmail, s/qmail)',
    description: 'qmail-smtpd TLS patch: "with (ECDHE-RSA-AES256-GCM-SHA384 encrypted) SMTP".',
    status: 'tls',
    target: 'field',
    pattern: new RegExp(`with\\s+(?<evidence>\\(?${CIPHER}\\s+encrypted\\)?\\s+E?SMTPS?A?)\\b`),
    example: {
      field:
        'from mail.example.org (HELO mail.example.org) (192.0.2.9) by mx.example.com with (ECDHE-RSA-AES256-GCM-SHA384 encrypted) SMTP; 12 Mar 2024 09:15:13 -0000',
      cipher: 'ECDHE-RSA-AES256-GCM-SHA384',
    },
  },
  {
    id: 'exchange-2010-tls',
    mta: 'Microsoft Exchange 2007/2010',
    description:
      'Exchange 2010: "with Microsoft SMTP Server (TLS) id 14.3.…" (no version written).',
    status: 'tls',
    target: 'field',
    pattern: /(?<evidence>Microsoft\s+SMTP\s+Server\s+\(TLS\))/,
    example: {
      field:
        'from EXCH01.corp.example.com (192.0.2.50) by EXCH02.corp.example.com (192.0.2.51) with Microsoft SMTP Server (TLS) id 14.3.498.0; Tue, 12 Mar 2024 10:15:14 +0100',
    },
  },
  {
    id: 'communigate-esmtp-tls',
    mta: 'CommuniGate Pro',
    description: 'CommuniGate Pro before RFC 3848 keywords: "with ESMTP-TLS".',
    status: 'tls',
    target: 'with',
    pattern: new RegExp(`(?<evidence>${WITH_PREFIX}E?SMTPA?-TLS)\\b`, 'i'),
    example: {
      field:
        'from [192.0.2.104] (account mallory HELO [192.0.2.104]) by mail.example.com (CommuniGate Pro SMTP 5.1.13) with ESMTP-TLS id 2088434; Fri, 07 Mar 2008 13:05:06 -0500',
    },
  },
  {
    id: 'rfc3848-tls-keyword',
    mta: 'Any RFC 3848 writer (Postfix, Sendmail, Exim, Gmail, Yahoo, Zoho, Migadu …)',
    description:
      'A TLS protocol keyword in the with clause: ESMTPS, ESMTPSA, LMTPS, UTF8SMTPS, SMTPS ….',
    status: 'tls',
    target: 'with',
    pattern: new RegExp(`(?<evidence>${WITH_PREFIX}(?:${TLS_KEYWORDS}))\\b`, 'i'),
    example: {
      field:
        'from mail-relay.example.org (mail-relay.example.org [198.51.100.18]) by mx.example.com (Postfix) with ESMTPS id 7C3A91E00F2 for <niaj@example.com>; Tue, 12 Mar 2024 10:15:15 +0100 (CET)',
    },
  },
  {
    id: 'exchange-mapi',
    mta: 'Microsoft Exchange / Exchange Online',
    description:
      'Submission from Outlook over MAPI inside the mailbox server: "with mapi id 15.20.…".',
    status: 'internal',
    target: 'with',
    pattern: /(?<evidence>^with\s+mapi)\b/i,
    example: {
      field:
        'from AM6PR02MB1234.eurprd02.prod.outlook.com ([fe80::a1b2:c3d4:e5f6:1234]) by AM6PR02MB1234.eurprd02.prod.outlook.com ([fe80::a1b2:c3d4:e5f6:1234%5]) with mapi id 15.20.7452.049; Tue, 12 Mar 2024 09:15:01 +0000',
    },
  },
  {
    id: 'webmail-http',
    mta: 'Webmail and API submission (Exchange Online HTTPS, SquirrelMail, SendGrid, Gmail API)',
    description:
      'Submitted over HTTP(S) by a web client or API: "with HTTP", "with HTTPS", "with HTTPREST".',
    status: 'internal',
    target: 'with',
    pattern: /(?<evidence>^with\s+HTTP(?:S|REST)?)\b/i,
    example: {
      field:
        'from DB9PR02MB5678.eurprd02.prod.outlook.com (2603:10a6:10:2::34) by PA4PR02MB9012.eurprd02.prod.outlook.com with HTTPS via PR1P264CA0123.FRAP264.PROD.OUTLOOK.COM; Tue, 12 Mar 2024 09:15:16 +0000',
    },
  },
  {
    id: 'webmail-via-http',
    mta: 'Yahoo Mail web front end',
    description: 'Yahoo webmail submission: "from [ip] by web….mail.yahoo.com via HTTP".',
    status: 'internal',
    target: 'via',
    pattern: /(?<evidence>^via\s+HTTPS?)\b/i,
    example: {
      field:
        'from [203.0.113.120] by web123.mail.example.com via HTTP; Tue, 12 Mar 2024 02:15:17 PDT',
    },
  },
  {
    id: 'exim-local',
    mta: 'Exim',
    description:
      'Exim accepted the message from a local process: "with local" / "with local-esmtp".',
    status: 'internal',
    target: 'with',
    pattern: /(?<evidence>^with\s+local(?:-b?e?smtpa?)?)(?![-\w])/i,
    example: {
      field:
        'from www-data by web01.example.com with local (Exim 4.96) (envelope-from <www-data@web01.example.com>) id 1rk2Ad-0004Ab-Cd for oscar@example.com; Tue, 12 Mar 2024 09:15:18 +0000',
    },
  },
  {
    id: 'postfix-pickup',
    mta: 'Postfix',
    description:
      'Postfix pickup of a message written by a local program: "(Postfix, from userid 33)".',
    status: 'internal',
    target: 'field',
    pattern: /(?<evidence>\([\w.-]+, from userid [^()\s]+\))/,
    example: {
      field:
        'by web01.example.com (Postfix, from userid 33) id 4A1B2C3D4E; Tue, 12 Mar 2024 10:15:19 +0100 (CET)',
    },
  },
  {
    id: 'sendmail-local-submit',
    mta: 'Sendmail',
    description:
      'Sendmail local submission (MSP): "(from user@localhost) by host (8.x/8.x/Submit)".',
    status: 'internal',
    target: 'field',
    pattern: /^\s*(?<evidence>\(from\s+[^\s()[\]]+@[^\s()[\]]+\))/,
    applies: (p) => p.clauses.from === undefined,
    example: {
      field:
        '(from peggy@localhost) by host.example.com (8.17.1/8.17.1/Submit) id 42C9F5aC012345; Tue, 12 Mar 2024 10:15:20 +0100',
    },
  },
  {
    id: 'fastmail-proxy',
    mta: 'Fastmail',
    description: 'Fastmail internal proxies: "by compute3.internal (MEProxy)" / "(LMTPProxy)".',
    status: 'internal',
    target: 'field',
    pattern: /(?<evidence>by\s+\S+\s+\((?:MEProxy|LMTPProxy)\))/,
    example: {
      field:
        'from imap41 ([10.202.2.91]) by compute2.internal (MEProxy); Tue, 12 Mar 2024 05:15:21 -0400',
    },
  },
  {
    id: 'no-sending-peer',
    mta: 'Gmail, Google Workspace and other providers',
    description:
      'A Received field with no "from" clause records a hand-off inside one host or provider: "by 2002:a05:… with SMTP id …".',
    status: 'internal',
    target: 'with',
    pattern: new RegExp(`(?<evidence>^with\\s+(?:${PLAIN_KEYWORDS}))\\b`, 'i'),
    applies: hasNoSendingPeer,
    example: {
      field:
        'by 2002:a05:6a10:1b2c:b0:5a1:2b3c:4d5e with SMTP id x12csp345678abc; Tue, 12 Mar 2024 02:15:22 -0700 (PDT)',
    },
  },
  {
    id: 'iis-smtpsvc',
    mta: 'Microsoft IIS SMTP service and Exchange 2000/2003',
    description:
      'IIS SMTPSVC never records whether the session used TLS: "with Microsoft SMTPSVC(…)".',
    status: 'unknown',
    target: 'with',
    pattern: /(?<evidence>^with\s+Microsoft\s+SMTPSVC)/i,
    example: {
      field:
        'from WS-0042 ([192.0.2.200]) by smtp.corp.example.com with Microsoft SMTPSVC(10.0.17763.1697); Tue, 12 Mar 2024 10:15:23 +0100',
    },
  },
  {
    id: 'qmail-invoked',
    mta: 'qmail',
    description:
      'qmail-queue bookkeeping: "(qmail 1234 invoked from network)" says nothing about TLS.',
    status: 'unknown',
    target: 'field',
    pattern: /^\s*\((?<evidence>qmail\s+\d+\s+invoked\s+(?:from\s+network|by\s+[^()]*))\)/,
    example: {
      field: '(qmail 20959 invoked from network); 12 Mar 2024 09:15:24 -0000',
    },
  },
  {
    id: 'non-smtp-transfer',
    mta: 'fetchmail, qmail QMQP, Yahoo NNFMP',
    description:
      'Transfers by other protocols (IMAP/POP3 retrieval, QMQP, NNFMP) whose TLS use the field does not record.',
    status: 'unknown',
    target: 'with',
    pattern: new RegExp(`(?<evidence>${WITH_PREFIX}(?:IMAP|POP3|QMQP|NNFMP|BSMTP))\\b`, 'i'),
    example: {
      field:
        'from imap.example.org [192.0.2.143] by localhost with IMAP (fetchmail-6.4.37) for <quentin@localhost> (single-drop); Tue, 12 Mar 2024 10:15:25 +0100 (CET)',
    },
  },
  {
    id: 'unrecognised-protocol',
    mta: 'Filters and gateways with their own with-clause words',
    description:
      'A with clause with no SMTP keyword ("with qmail-scanner-2.11", "with spam-scanned", "with FQDP"): TLS not stated.',
    status: 'unknown',
    target: 'with',
    pattern: /(?<evidence>^with\s+\S+)/i,
    applies: (p) => p.protocol === null,
    example: {
      field:
        'from mail by mx.example.com with spam-scanned (Exim 4.96) id 1rk2Ae-0005Ef-Gh for <rupert@example.com>; Tue, 12 Mar 2024 09:15:26 +0000',
    },
  },
  {
    id: 'exchange-smtp-plain',
    mta: 'Microsoft Exchange 2007+ and Exchange Online',
    description:
      'Exchange writes the TLS version and cipher after "Microsoft SMTP Server" when TLS was used; here it wrote none.',
    status: 'none',
    target: 'with',
    pattern: /(?<evidence>^with\s+Microsoft\s+SMTP\s+Server)\b/i,
    example: {
      field:
        'from mx.partner.example (192.0.2.61) by EXCH01.corp.example.com (192.0.2.50) with Microsoft SMTP Server id 15.2.1258.12; Tue, 12 Mar 2024 10:15:27 +0100',
    },
  },
  {
    id: 'plain-smtp-keyword',
    mta: 'Any RFC 3848 writer',
    description:
      'A protocol keyword without TLS (SMTP, ESMTP, ESMTPA, LMTP, UTF8SMTP …) and no TLS detail anywhere in the field.',
    status: 'none',
    target: 'with',
    pattern: new RegExp(`(?<evidence>${WITH_PREFIX}(?:${PLAIN_KEYWORDS}))\\b`, 'i'),
    example: {
      field:
        'from mail.example.org (mail.example.org [192.0.2.181]) by mx.example.com (Postfix) with ESMTP id 1A2B3C4D5E for <sybil@example.com>; Tue, 12 Mar 2024 10:15:28 +0100 (CET)',
    },
  },
  {
    id: 'plain-via-keyword',
    mta: 'Scalix, smail, TIS smap',
    description: 'Old MTAs that name the protocol with "via": "via ESMTP", "via SMTP".',
    status: 'none',
    target: 'via',
    pattern: /(?<evidence>^via\s+E?SMTP)\b/i,
    applies: (p) => p.clauses.with === undefined,
    example: {
      field:
        'from laptop (192.0.2.201) by mail.example.com (Scalix SMTP Relay 11.4.6) via ESMTP; Tue, 12 Mar 2024 10:15:29 +0100',
    },
  },
];
