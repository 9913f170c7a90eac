import { readFileSync } from 'fs';
import { join } from 'path';

/** This package's version, read from its package.json (same place from `src/` and `lib/`). */
export const VERSION: string = (() => {
  try {
    return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
})();
