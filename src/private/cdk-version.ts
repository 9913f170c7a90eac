import { readFileSync } from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';

/**
 * The lowest aws-cdk-lib each part of the library works with, measured by installing each release
 * into a copy of this repository and running the tests of that part (`scripts/cdk-floor.sh`).
 *
 * - constructs: `BlockedEncryptionType` and the post-quantum ELB TLS policies (2.245).
 * - the Aspect and `EncryptionGate`: `Validations.ACKNOWLEDGED_RULES_METADATA_KEY` (2.252).
 * - the validation plugin: `IPolicyValidationContext.stackTemplates` and `appConstruct` (2.262).
 *
 * The package's peer range starts at `PACKAGE`, the highest of constructs and Aspect; the plugin
 * alone needs more, and says so.
 */
export const CDK_FLOORS = {
  /** The peer range floor: every construct, the Aspect and acknowledgements. */
  PACKAGE: '2.252.0',
  /** The `EncryptionChecks` validation plugin. */
  PLUGIN: '2.262.0',
} as const;

/** A part of the library with its own aws-cdk-lib floor. */
export type CdkPart = 'EnforceEncryption' | 'EncryptionChecks' | 'EncryptionGate' | 'constructs';

const FLOOR_OF: Record<CdkPart, string> = {
  EnforceEncryption: CDK_FLOORS.PACKAGE,
  EncryptionGate: CDK_FLOORS.PACKAGE,
  constructs: CDK_FLOORS.PACKAGE,
  EncryptionChecks: CDK_FLOORS.PLUGIN,
};

let installed: string | null | undefined;

/**
 * The version of the aws-cdk-lib that this module loads (the one the user's app uses), or
 * `undefined` when it cannot be told: then nothing is refused.
 *
 * It reads the version jsii records on aws-cdk-lib's classes, else `aws-cdk-lib/package.json`
 * (exported by the package), else the `package.json` next to the resolved entry point.
 */
export function installedCdkVersion(): string | undefined {
  if (installed === undefined) {
    installed = readInstalledVersion() ?? null;
  }
  return installed ?? undefined;
}

function readInstalledVersion(): string | undefined {
  // jsii records each class's package version on the class itself: reading it from the Stack this
  // module uses costs nothing, where resolving and parsing aws-cdk-lib's package.json costs
  // milliseconds inside the first evaluation.
  // Its own, not inherited from `constructs`' Construct, which carries the version of constructs.
  const rtti = Object.getOwnPropertyDescriptor(Stack, Symbol.for('jsii.rtti'))?.value as { fqn?: unknown; version?: unknown } | undefined;
  if (rtti?.fqn === 'aws-cdk-lib.Stack' && typeof rtti.version === 'string') {
    return rtti.version;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const version = require('aws-cdk-lib/package.json').version;
    if (typeof version === 'string') {
      return version;
    }
  } catch {
    // not exported in this release: look next to the entry point
  }
  try {
    let dir = path.dirname(require.resolve('aws-cdk-lib'));
    for (let depth = 0; depth < 4; depth++) {
      let pkg: { name?: unknown; version?: unknown } | undefined;
      try {
        pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      } catch {
        pkg = undefined;
      }
      if (pkg?.name === 'aws-cdk-lib' && typeof pkg.version === 'string') {
        return pkg.version;
      }
      dir = path.dirname(dir);
    }
  } catch {
    // unknown
  }
  return undefined;
}

/** `[major, minor, patch]`, or `undefined` for a version that is not `x.y.z[-pre]`. */
function parse(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether `version` is below `minimum`; `false` when either cannot be compared. */
export function isBelow(version: string, minimum: string): boolean {
  const v = parse(version);
  const m = parse(minimum);
  // aws-cdk-lib built from source reports 0.0.0: never refuse it.
  if (v === undefined || m === undefined || (v[0] === 0 && v[1] === 0 && v[2] === 0)) {
    return false;
  }
  for (let i = 0; i < 3; i++) {
    if (v[i] !== m[i]) {
      return v[i] < m[i];
    }
  }
  return false;
}

/** The message for `part` on `found`, or `undefined` when `found` is recent enough. */
export function cdkVersionProblem(part: CdkPart, found: string | undefined): string | undefined {
  const floor = FLOOR_OF[part];
  if (found === undefined || !isBelow(found, floor)) {
    return undefined;
  }
  const upgrade = `Upgrade aws-cdk-lib in your app (npm install aws-cdk-lib@^${floor}).`;
  if (floor !== CDK_FLOORS.PACKAGE && !isBelow(found, CDK_FLOORS.PACKAGE)) {
    const alternative = part === 'EncryptionChecks' ? ' Or use the EnforceEncryption Aspect, which runs the same rules on this version.' : '';
    return `cdk-encryption-guard's ${part} needs aws-cdk-lib ≥ ${floor} (found ${found}); the rest of `
      + `cdk-encryption-guard works from ${CDK_FLOORS.PACKAGE}. ${upgrade}${alternative}`;
  }
  const extra = floor !== CDK_FLOORS.PACKAGE ? ` (${part} needs ${floor}, the rest ${CDK_FLOORS.PACKAGE})` : '';
  return `cdk-encryption-guard needs aws-cdk-lib ≥ ${floor} (found ${found})${extra}. ${upgrade}`;
}

/**
 * Fails fast, with the version found and the one needed, when the aws-cdk-lib in use is older
 * than `part` supports (instead of a `TypeError` deep inside synthesis).
 */
export function assertCdkVersion(part: CdkPart): void {
  const problem = cdkVersionProblem(part, installedCdkVersion());
  if (problem !== undefined) {
    const error = new Error(problem);
    error.name = 'UnsupportedCdkVersion';
    throw error;
  }
}
