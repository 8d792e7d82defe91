import {
  explainCompauthReason,
  parseAuthenticationResults,
  parseReceivedSpf,
} from '../../../src/core/auth/authentication-results';

describe('Authentication-Results (RFC 8601)', () => {
  it('reads authserv-id, methods, reasons, properties and comments', () => {
    const ar = parseAuthenticationResults(
      ' mx.example.com;\r\n\tdkim=pass header.i=@example.org header.s=s1 header.b=AbCd;\r\n\tspf=softfail (mx.example.com: 192.0.2.1 is neither permitted nor denied) smtp.mailfrom=bounce@example.org;\r\n\tdmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=example.org',
      'Authentication-Results',
    );
    expect(ar.authservId).toBe('mx.example.com');
    expect(ar.results.map((r) => [r.method, r.result])).toEqual([
      ['dkim', 'pass'],
      ['spf', 'softfail'],
      ['dmarc', 'fail'],
    ]);
    expect(ar.results[1]?.comment).toBe(
      'mx.example.com: 192.0.2.1 is neither permitted nor denied',
    );
    expect(ar.results[1]?.properties['smtp.mailfrom']).toBe('bounce@example.org');
    expect(ar.results[2]?.explanation).toMatch(/^DMARC failed for example\.org/);
  });

  it('reads Exchange Online results, which omit the authserv-id', () => {
    const ar = parseAuthenticationResults(
      ' spf=pass (sender IP is 192.0.2.41) smtp.mailfrom=example.com; dkim=pass (signature was verified) header.d=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100',
      'Authentication-Results',
    );
    expect(ar.authservId).toBeNull();
    expect(ar.results.map((r) => r.method)).toEqual(['spf', 'dkim', 'dmarc', 'compauth']);
    const compauth = ar.results[3];
    expect(compauth?.reason).toBe('100');
    expect(compauth?.explanation).toBe(
      'Microsoft composite authentication passed. Reason 100: the message passed authentication.',
    );
  });

  it('reads the ARC instance', () => {
    const ar = parseAuthenticationResults(
      ' i=2; mx.google.com; arc=pass (i=1 spf=pass)',
      'ARC-Authentication-Results',
    );
    expect(ar.instance).toBe(2);
    expect(ar.authservId).toBe('mx.google.com');
    expect(ar.results[0]).toMatchObject({ method: 'arc', result: 'pass', comment: 'i=1 spf=pass' });
  });

  it('keeps quoted reasons whole', () => {
    const ar = parseAuthenticationResults(
      ' mx.example.com; dkim=fail reason="signature verification failed; bad key" header.d=example.org',
      'Authentication-Results',
    );
    expect(ar.results[0]?.reason).toBe('signature verification failed; bad key');
  });

  test.each([
    ['000', /explicit authentication/],
    ['001', /implicit authentication/],
    ['010', /your own accepted domains/],
    ['130', /passed/],
    ['201', /soft-passed/],
    ['301', /not checked/],
    ['451', /bypassed/],
    ['905', /bypassed/],
    ['601', /implicit authentication and the sending domain is one of your own/],
    ['xyz', /not a documented code/],
  ])('compauth reason %s', (code, pattern) => {
    expect(explainCompauthReason(code)).toMatch(pattern);
  });
});

describe('Received-SPF (RFC 7208 §9.1)', () => {
  it('reads result, comment and key-value pairs', () => {
    const spf = parseReceivedSpf(
      ' Pass (protection.outlook.com: domain of example.com designates 192.0.2.41 as permitted sender) receiver=protection.outlook.com; client-ip=192.0.2.41; helo=mail.example.com; pr=C',
    );
    expect(spf.result).toBe('pass');
    expect(spf.comment).toMatch(/^protection\.outlook\.com: domain of example\.com/);
    expect(spf.properties).toMatchObject({
      receiver: 'protection.outlook.com',
      'client-ip': '192.0.2.41',
      helo: 'mail.example.com',
    });
    expect(spf.explanation).toMatch(/^SPF passed/);
  });
});
