import { parseIp, parseIpWithPort } from '../../../src/core/received/address';

describe('parseIp', () => {
  test.each([
    ['192.0.2.1', '192.0.2.1'],
    ['[192.0.2.1]', '192.0.2.1'],
    ['[IPv6:2001:db8::1]', '2001:db8::1'],
    ['IPv6:::1', '::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2401:db00:1110:50e8:face:0000:002f:0000', '2401:db00:1110:50e8:face:0:2f:0'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['fe80::1de8:374c:90f8:62f3%4', 'fe80::1de8:374c:90f8:62f3'],
    ['2002:a19:cb97:0:0:0:0:0', '2002:a19:cb97::'],
    ['256.1.1.1', null],
    ['1.2.3', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1::2::3', null],
    ['example.com', null],
    ['', null],
  ])('%s → %s', (text, expected) => {
    expect(parseIp(text)).toBe(expected);
  });
});

describe('parseIpWithPort', () => {
  test.each([
    ['192.0.2.1:25', '192.0.2.1'],
    ['[192.0.2.1]:25', '192.0.2.1'],
    ['[192.0.2.1:33672]', '192.0.2.1'],
    ['192.0.2.1', '192.0.2.1'],
    ['192.0.2.1:999999', null],
  ])('%s → %s', (text, expected) => {
    expect(parseIpWithPort(text)).toBe(expected);
  });
});
