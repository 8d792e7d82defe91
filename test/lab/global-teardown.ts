import type { Lab } from './lab';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as unknown as { mtiLab?: Lab }).mtiLab?.stop();
}
