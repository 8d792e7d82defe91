import { isPublicUnicast, parseNetwork, targetGuard } from '../../src/service/targets';

describe('isPublicUnicast (the target guard)', () => {
  test.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['0.0.0.0', false],
    ['10.1.2.3', false],
    ['100.64.0.1', false],
    ['127.0.0.10', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.0.2.1', false],
    ['192.168.1.1', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::808:808', true],
    ['2002:c0a8:101::1', false],
    ['2002:808:808::1', true],
    ['not an address', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPublicUnicast(ip)).toBe(expected);
  });
});

describe('targetGuard', () => {
  it('adds only the networks the operator allows', () => {
    const mayConnect = targetGuard({
      allowedNetworks: ['10.1.0.0/16', 'fd00:1::/32', '127.0.0.9'],
    });
    expect(mayConnect('8.8.8.8')).toBe(true);
    expect(mayConnect('10.1.200.3')).toBe(true);
    expect(mayConnect('10.2.0.1')).toBe(false);
    expect(mayConnect('fd00:1:2::5')).toBe(true);
    expect(mayConnect('127.0.0.9')).toBe(true);
    expect(mayConnect('127.0.0.10')).toBe(false);
    expect(mayConnect('169.254.169.254')).toBe(false);
  });

  it('allows every address in a lab, and refuses a bad network at configuration time', () => {
    expect(targetGuard({ allowPrivate: true })('169.254.169.254')).toBe(true);
    expect(targetGuard({ allowPrivate: true })('not an address')).toBe(false);
    expect(() => targetGuard({ allowedNetworks: ['10.0.0.0/33'] })).toThrow(/not a network/);
  });

  test.each([
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['2001:db8::/32', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['192.0.2.7', { address: '192.0.2.7', prefix: 32, family: 'ipv4' }],
    ['10.0.0.0/33', null],
    ['10.0.0.0/-1', null],
    ['10.0.0.0/8/8', null],
    ['example.com/8', null],
  ])('parseNetwork(%s)', (text, expected) => {
    expect(parseNetwork(text)).toEqual(expected);
  });
});
