import path from 'node:path';
import { pricingFileSchema, type PricingFile } from '../core/budget/pricing.js';
import type { ReadResult } from '../core/session/ports.js';
import { readJsonFile } from '../store/read-json.js';

/** Where pricing.json may be: the home's config/ (a person's override) first, then the install's. */
export interface PricingLocations {
  readonly homeDir: string;
  readonly installDir: string;
}

/**
 * Reads and validates config/pricing.json: `<home>/config/pricing.json` when it exists (so
 * prices can be corrected without a new release), else the one shipped with CodeSleuth.
 * Every failure is a value naming the file and field.
 */
export async function loadPricing(locations: PricingLocations): Promise<ReadResult<PricingFile>> {
  const homeFile = path.join(locations.homeDir, 'config', 'pricing.json');
  const installFile = path.join(locations.installDir, 'config', 'pricing.json');
  const fromHome = await readJsonFile(homeFile, pricingFileSchema);
  if (fromHome.kind !== 'missing') return fromHome;
  return readJsonFile(installFile, pricingFileSchema);
}
