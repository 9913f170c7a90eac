/**
 * The fail-fast check of the aws-cdk-lib version. The floor job (scripts/cdk-floor.sh) runs this
 * file with the floor installed and CEG_EXPECT_CDK_VERSION set: then the version read must be the
 * floor, and the plugin must refuse it with the message that names both floors.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { EncryptionChecks, EnforceEncryption } from '../../src';
import { assertCdkVersion, CDK_FLOORS, cdkVersionProblem, installedCdkVersion, isBelow } from '../../src/private/cdk-version';

const installed = require('aws-cdk-lib/package.json').version as string;

test('reads the version of the aws-cdk-lib in use', () => {
  expect(installedCdkVersion()).toBe(installed);
  if (process.env.CEG_EXPECT_CDK_VERSION) {
    expect(installedCdkVersion()).toBe(process.env.CEG_EXPECT_CDK_VERSION);
  }
});

/**
 * Runs `fn` with the version jsii records on aws-cdk-lib's Stack class removed, as a build without
 * it would be. Call it inside `jest.isolateModules`: the Stack changed is the one that registry's
 * cdk-version module will load.
 */
function withoutJsiiTypeInfo(fn: () => void): void {
  const { Stack } = require('aws-cdk-lib');
  const key = Symbol.for('jsii.rtti');
  const saved = Object.getOwnPropertyDescriptor(Stack, key);
  expect(saved?.value?.version).toBe(installed);
  delete Stack[key];
  try {
    fn();
  } finally {
    Object.defineProperty(Stack, key, saved!);
  }
}

test('reads the package.json when the classes carry no jsii type information', () => {
  jest.isolateModules(() => withoutJsiiTypeInfo(() => {
    const isolated = require('../../src/private/cdk-version') as typeof import('../../src/private/cdk-version');
    expect(isolated.installedCdkVersion()).toBe(installed);
  }));
});

test('falls back to the package.json next to the entry point when package.json is not exported', () => {
  jest.isolateModules(() => withoutJsiiTypeInfo(() => {
    jest.doMock('aws-cdk-lib/package.json', () => {
      throw Object.assign(new Error('Package subpath \'./package.json\' is not defined by "exports"'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
    });
    expect(() => require('aws-cdk-lib/package.json')).toThrow('not defined by "exports"');
    const isolated = require('../../src/private/cdk-version') as typeof import('../../src/private/cdk-version');
    expect(isolated.installedCdkVersion()).toBe(installed);
  }));
  jest.dontMock('aws-cdk-lib/package.json');
});

test('compares versions numerically, and never refuses a version it cannot read', () => {
  expect(isBelow('2.251.9', '2.252.0')).toBe(true);
  expect(isBelow('2.252.0', '2.252.0')).toBe(false);
  expect(isBelow('2.1000.0', '2.252.0')).toBe(false);
  expect(isBelow('1.204.0', '2.252.0')).toBe(true);
  expect(isBelow('2.252.0-rc.1', '2.252.0')).toBe(false);
  expect(isBelow('0.0.0', '2.252.0')).toBe(false); // aws-cdk-lib built from source
  expect(isBelow('not-a-version', '2.252.0')).toBe(false);
  expect(cdkVersionProblem('EnforceEncryption', undefined)).toBeUndefined();
});

test('below the package floor, every part names the floor and the version found', () => {
  expect(cdkVersionProblem('EnforceEncryption', '2.240.0')).toBe(
    `cdk-encryption-guard needs aws-cdk-lib ≥ ${CDK_FLOORS.PACKAGE} (found 2.240.0). Upgrade aws-cdk-lib in your app (npm install aws-cdk-lib@^${CDK_FLOORS.PACKAGE}).`);
  expect(cdkVersionProblem('constructs', '2.240.0')).toContain(`needs aws-cdk-lib ≥ ${CDK_FLOORS.PACKAGE} (found 2.240.0)`);
  expect(cdkVersionProblem('EncryptionChecks', '2.240.0')).toContain(
    `needs aws-cdk-lib ≥ ${CDK_FLOORS.PLUGIN} (found 2.240.0) (EncryptionChecks needs ${CDK_FLOORS.PLUGIN}, the rest ${CDK_FLOORS.PACKAGE})`);
});

test('between the floors, only the plugin refuses, and says the rest works', () => {
  const between = '2.255.0';
  expect(isBelow(CDK_FLOORS.PACKAGE, between) && isBelow(between, CDK_FLOORS.PLUGIN)).toBe(true);
  expect(cdkVersionProblem('EnforceEncryption', between)).toBeUndefined();
  expect(cdkVersionProblem('EncryptionGate', between)).toBeUndefined();
  const problem = cdkVersionProblem('EncryptionChecks', between)!;
  expect(problem).toContain(`cdk-encryption-guard's EncryptionChecks needs aws-cdk-lib ≥ ${CDK_FLOORS.PLUGIN} (found ${between})`);
  expect(problem).toContain(`the rest of cdk-encryption-guard works from ${CDK_FLOORS.PACKAGE}`);
  expect(problem).toContain('EnforceEncryption');
  expect(cdkVersionProblem('EncryptionChecks', CDK_FLOORS.PLUGIN)).toBeUndefined();
});

test('the front ends check the aws-cdk-lib in use when they are created', () => {
  expect(() => new EnforceEncryption()).not.toThrow();
  if (isBelow(installed, CDK_FLOORS.PLUGIN)) {
    expect(() => new EncryptionChecks()).toThrow(`EncryptionChecks needs aws-cdk-lib ≥ ${CDK_FLOORS.PLUGIN} (found ${installed})`);
  } else {
    expect(() => new EncryptionChecks()).not.toThrow();
    expect(() => assertCdkVersion('EncryptionChecks')).not.toThrow();
  }
});

test('the peer range of the package starts at the package floor', () => {
  const pkg = require('../../package.json');
  expect(pkg.peerDependencies['aws-cdk-lib']).toBe(`^${CDK_FLOORS.PACKAGE}`);
});
