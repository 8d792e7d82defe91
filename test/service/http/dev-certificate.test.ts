import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDevCertificate } from '../../../src/service/http/dev-certificate';

const DAY = 86_400_000;

describe('ensureDevCertificate', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'mti-certs-'));
  const start = new Date('2026-01-01T00:00:00Z');

  it('creates a CA and a localhost certificate it signed, for localhost, 127.0.0.1 and ::1', async () => {
    const dev = await ensureDevCertificate(directory, start);
    expect(dev.created).toBe('authority and certificate');
    const ca = new X509Certificate(readFileSync(dev.caCertFile));
    const leaf = new X509Certificate(dev.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(leaf.checkHost('example.com')).toBeUndefined();
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / DAY;
    expect(days).toBeLessThanOrEqual(825);
    expect(statSync(path.join(directory, 'localhost.key')).mode & 0o077).toBe(0);
    expect(statSync(path.join(directory, 'ca.key')).mode & 0o077).toBe(0);
  });

  it('reuses both on the next start, so the user trusts the CA once', async () => {
    const before = readFileSync(path.join(directory, 'ca.crt'), 'utf8');
    const dev = await ensureDevCertificate(directory, new Date(start.getTime() + 10 * DAY));
    expect(dev.created).toBe('nothing');
    expect(readFileSync(dev.caCertFile, 'utf8')).toBe(before);
  });

  it('renews the localhost certificate from the same CA before it expires', async () => {
    const ca = readFileSync(path.join(directory, 'ca.crt'), 'utf8');
    const oldLeaf = readFileSync(path.join(directory, 'localhost.crt'), 'utf8');
    const dev = await ensureDevCertificate(directory, new Date(start.getTime() + 380 * DAY));
    expect(dev.created).toBe('certificate');
    expect(readFileSync(dev.caCertFile, 'utf8')).toBe(ca);
    expect(dev.cert).not.toBe(oldLeaf);
    expect(new X509Certificate(dev.cert).checkIssued(new X509Certificate(ca))).toBe(true);
  });
});
