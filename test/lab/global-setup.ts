import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLab, type Lab } from './lab';

/** Starts the lab once for the live suite; the tests find its CA through MTI_LAB_CA. */
export default async function globalSetup(): Promise<void> {
  const lab = await startLab();
  const caFile = path.join(lab.directory, 'lab-ca.pem');
  writeFileSync(caFile, lab.caPem);
  process.env.MTI_LAB_CA = caFile;
  (globalThis as unknown as { mtiLab: Lab }).mtiLab = lab;
}
