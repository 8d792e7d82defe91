import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a static request resolved to. */
export type StaticResult =
  | {
      kind: 'file';
      body: Buffer;
      contentType: string;
      cacheControl: string;
      encoding: 'gzip' | null;
    }
  | { kind: 'not-found' };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Types worth compressing; PNGs are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.map', '.json', '.xml', '.svg', '.txt']);

/** webpack names bundles "name.<8 hex>.js": their content never changes, so caches may keep them. */
const HASHED_NAME = /\.[0-9a-f]{8}\.js(?:\.map)?$/;

/**
 * Serves the built add-in from one folder. Paths are decoded once, must stay inside the folder
 * after symlinks are resolved, and only regular files are served. Compressed bodies are kept in
 * memory per file version: the whole add-in is a few hundred kilobytes.
 */
export function staticFiles(root: string) {
  const rootReal = realpath(root);
  const gzipCache = new Map<string, { mtimeMs: number; body: Buffer }>();

  return async function resolve(urlPath: string, acceptsGzip: boolean): Promise<StaticResult> {
    const relative = safeRelativePath(urlPath);
    if (relative === null) return { kind: 'not-found' };
    const base = await rootReal;
    let file: string;
    try {
      file = await realpath(path.join(base, relative));
    } catch {
      return { kind: 'not-found' };
    }
    if (file !== base && !file.startsWith(base + path.sep)) return { kind: 'not-found' };
    const info = await stat(file).catch(() => null);
    const extension = path.extname(file).toLowerCase();
    const contentType = CONTENT_TYPES[extension];
    if (!info?.isFile() || contentType === undefined) return { kind: 'not-found' };

    const cacheControl = HASHED_NAME.test(file)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    if (acceptsGzip && COMPRESSIBLE.has(extension)) {
      let cached = gzipCache.get(file);
      if (cached?.mtimeMs !== info.mtimeMs) {
        cached = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(file), { level: 9 }) };
        gzipCache.set(file, cached);
      }
      return { kind: 'file', body: cached.body, contentType, cacheControl, encoding: 'gzip' };
    }
    return { kind: 'file', body: await readFile(file), contentType, cacheControl, encoding: null };
  };
}

/**
 * The URL path as a path relative to the served folder, or null when it cannot be one: bad
 * percent-encoding, NUL, backslashes, or any "." / ".." segment (never normalised away).
 */
export function safeRelativePath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.slice(1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..' || segment === '')) {
    return null;
  }
  return segments.join(path.sep);
}
