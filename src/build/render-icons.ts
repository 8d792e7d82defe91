/**
 * npm run icons — renders assets/icons/icon.svg to every PNG the manifest declares: desktop
 * 16/32/80, IconUrl 64, HighResolutionIconUrl 128, and the mobile 25/32/48 at scales 1, 2, 3.
 * The PNGs are committed, so building the add-in needs no renderer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

export const ICON_SIZES = [16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144] as const;

const folder = path.join(__dirname, '../../assets/icons');
const svg = readFileSync(path.join(folder, 'icon.svg'));
for (const size of ICON_SIZES) {
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
  writeFileSync(path.join(folder, `icon-${size}.png`), png);
  console.log(`icon-${size}.png  ${png.length} bytes`);
}
