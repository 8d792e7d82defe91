/**
 * The checks Microsoft's store validation makes and an XSD cannot: https everywhere and on one
 * origin, icons that exist at their declared pixel size, resource ids that resolve and fit,
 * function commands the commands page registers, a four-part version that tracks package.json.
 * (The XSD itself is checked by `npm run test:manifest`, which needs xmllint.)
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { FUNCTION_COMMANDS } from '../../src/addin/commands/function-names';

const ROOT = path.join(__dirname, '../..');
const DEVELOPMENT_ORIGIN = 'https://localhost:3000';
const xml = readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
const doc = new DOMParser().parseFromString(xml, 'application/xml');
const all = (name: string) => Array.from(doc.getElementsByTagName(name));
const text = (name: string) => doc.getElementsByTagName(name)[0]?.textContent?.trim() ?? '';

/** Every resource of <Resources>, by id. */
const resources = new Map(
  ['bt:Image', 'bt:Url', 'bt:String'].flatMap((tag) =>
    all(tag)
      .filter((element) => element.hasAttribute('id'))
      .map((element) => [element.getAttribute('id') as string, element] as const),
  ),
);

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  // PNG signature (8 bytes), then the IHDR chunk: length, "IHDR", width, height (big-endian).
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The project file an add-in URL serves: /assets/x.png comes from assets/icons/x.png. */
function localFileFor(url: string): string {
  const pathname = new URL(url).pathname;
  return pathname.startsWith('/assets/')
    ? path.join(ROOT, 'assets/icons', pathname.slice('/assets/'.length))
    : path.join(ROOT, 'src/addin/pages', pathname.slice(1));
}

describe('manifest.xml', () => {
  it('is well-formed XML', () => {
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.tagName).toBe('OfficeApp');
  });

  it('uses https on the development origin for every URL', () => {
    const urls = [...xml.matchAll(/(?:DefaultValue|Override)="(https?:[^"]*)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\//);
      expect(new URL(url as string).origin).toBe(DEVELOPMENT_ORIGIN);
    }
  });

  it('points every URL at a page or icon the build serves', () => {
    const urls = [...xml.matchAll(/DefaultValue="(https:[^"]*)"/g)].map((m) => m[1] as string);
    for (const url of urls) expect(existsSync(localFileFor(url))).toBe(true);
  });

  it('declares icons whose PNGs have the declared pixel size', () => {
    const checks: [string, number][] = [
      [doc.getElementsByTagName('IconUrl')[0]?.getAttribute('DefaultValue') ?? '', 64],
      [
        doc.getElementsByTagName('HighResolutionIconUrl')[0]?.getAttribute('DefaultValue') ?? '',
        128,
      ],
    ];
    for (const image of all('bt:Image').filter((element) => element.hasAttribute('resid'))) {
      const resource = resources.get(image.getAttribute('resid') as string);
      expect(resource).toBeDefined();
      const size = Number(image.getAttribute('size'));
      const scale = Number(image.getAttribute('scale') ?? '1');
      checks.push([resource?.getAttribute('DefaultValue') ?? '', size * scale]);
    }
    expect(checks.length).toBeGreaterThanOrEqual(2 + 6 + 9);
    for (const [url, pixels] of checks) {
      expect({ url, ...pngSize(localFileFor(url)) }).toEqual({
        url,
        width: pixels,
        height: pixels,
      });
    }
  });

  it('resolves every resid, and keeps ids within 32 characters', () => {
    const referenced = all('*')
      .map((element) => element.getAttribute('resid'))
      .filter((id): id is string => id !== null);
    expect(referenced.length).toBeGreaterThan(10);
    for (const id of referenced) expect(resources.has(id)).toBe(true);
    for (const id of resources.keys()) expect(id.length).toBeLessThanOrEqual(32);
    for (const control of all('Control')) {
      expect((control.getAttribute('id') ?? '').length).toBeLessThanOrEqual(125);
    }
  });

  it('names only functions the commands page registers', () => {
    const named = all('FunctionName').map((element) => element.textContent?.trim());
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(Object.values(FUNCTION_COMMANDS)).toContain(name);
  });

  it('has a four-part version equal to package.json’s version plus ".0"', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(text('Version')).toMatch(/^\d{1,5}\.\d{1,5}\.\d{1,5}\.\d{1,5}$/);
    expect(text('Version')).toBe(`${version}.0`);
  });

  it('asks for ReadItem only and activates on read messages with a low requirement minimum', () => {
    expect(text('Permissions')).toBe('ReadItem');
    const set = doc.querySelector('Requirements > Sets > Set');
    expect(set?.getAttribute('Name')).toBe('Mailbox');
    expect(set?.getAttribute('MinVersion')).toBe('1.1');
    expect(text('Id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('has a pinnable Check TLS pane, a Quick verdict command and a mobile button', () => {
    const actions = all('Action').map((action) => action.getAttribute('xsi:type'));
    expect(actions).toEqual(['ShowTaskpane', 'ExecuteFunction', 'ShowTaskpane']);
    expect(text('SupportsPinning')).toBe('true');
    const surfaces = all('ExtensionPoint').map((point) => point.getAttribute('xsi:type'));
    expect(surfaces).toEqual(['MessageReadCommandSurface', 'MobileMessageReadCommandSurface']);
  });
});
