import { domainOfInput } from '../../../src/service/dns/lookups';

describe('domainOfInput', () => {
  test.each([
    ['example.com', 'example.com'],
    ['  Example.COM. ', 'example.com'],
    ['postmaster@example.org', 'example.org'],
    ['"odd@local"@example.net', 'example.net'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
  ])('%s → %s', (input, domain) => {
    expect(domainOfInput(input)).toEqual({ domain });
  });

  test.each([
    ['', /empty/],
    ['localhost', /two labels/],
    ['192.0.2.1', /address literal/],
    ['user@[192.0.2.1]', /address literal/],
    ['::1', /address literal/],
    ['exa mple.com', /characters|label/],
    ['-bad.example', /label "-bad"/],
    ['a'.repeat(64) + '.example', /label/],
    [`${'a.'.repeat(130)}example`, /253/],
    ['x'.repeat(400), /too long/],
    ['<script>@example.com', null],
  ])('refuses %j', (input, why) => {
    const result = domainOfInput(input);
    if (why === null) {
      expect(result).toEqual({ domain: 'example.com' });
      return;
    }
    expect('error' in result && result.error.code).toBe('INVALID_INPUT');
    expect('error' in result && result.error.message).toMatch(why);
  });
});
