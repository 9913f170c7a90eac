/**
 * `cdk-encryption-guard report` at the edges (thirty-fifth red-team pass): the level of an error
 * that failed synthesis, copies of one finding at different levels, nested stacks of one class,
 * and an output directory that a failing synthesis left with an earlier assembly.
 */
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Aspects, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptionChecks, EnforceEncryption, FindingLevel } from '../../src';
import { main } from '../../src/cli/main';
import { cdkNarrowsAcknowledgements } from '../support/cdk-features';

const env = { account: '111111111111', region: 'eu-west-1' };
const dirs: string[] = [];
afterAll(() => dirs.forEach(dir => rmSync(dir, { recursive: true, force: true })));

function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), 'ceg-report-edges-'));
  dirs.push(outdir);
  return new App({ outdir, builtinCloudFormationValidation: false });
}

/** CDK prints the validation report: keep the test output quiet. Returns whether synthesis failed. */
function synthQuietly(app: App): boolean {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
    return false;
  } catch {
    return true;
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function report(dir: string, format = 'sarif'): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(['report', dir, '--format', format], { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, cwd: dir });
  return { code, stdout, stderr };
}

function results(dir: string): Array<{ ruleId: string; level: string; suppressions?: unknown[]; path: string; uri: string; line: number }> {
  const sarif = JSON.parse(report(dir).stdout);
  return sarif.runs[0].results.map((r: any) => ({
    ruleId: r.ruleId,
    level: r.level,
    suppressions: r.suppressions,
    path: r.properties.constructPath,
    uri: r.locations[0].physicalLocation.artifactLocation.uri,
    line: r.locations[0].physicalLocation.region.startLine,
  }));
}

const narrows = cdkNarrowsAcknowledgements();

(narrows ? test : test.skip)('an error the plugin reports as fatal (a narrowed acknowledgement in its namespace) is an open error', () => {
  const app = newApp();
  const bucket = new s3.CfnBucket(new Stack(app, 'Data', { env }), 'Bare');
  Validations.of(bucket).acknowledge({ id: 'EncryptionChecks::CEG-S3-1', reason: 'legacy prefix only', where: { prefix: 'legacy/' } });
  Validations.of(app).addPlugins(new EncryptionChecks({ ruleIds: ['CEG-S3-1'] }));
  expect(synthQuietly(app)).toBe(true);
  expect(results(app.outdir).map(r => `${r.ruleId} ${r.level} ${r.suppressions === undefined ? 'open' : 'suppressed'}`)).toEqual(['CEG-S3-1 error open']);
  expect(report(app.outdir, 'markdown').stdout).toMatch(/\*\*1 error\*\*/);
});

(narrows ? test : test.skip)('an info under a narrowed acknowledgement is an open note: the acknowledgement acknowledges none of the gate\'s findings', () => {
  for (const front of ['aspect', 'plugin']) {
    const app = newApp();
    const bucket = new s3.Bucket(new Stack(app, 'Data', { env }), 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, blockedEncryptionTypes: [s3.BlockedEncryptionType.SSE_C],
    });
    Validations.of(bucket).acknowledge({ id: 'CEG-S3-3', reason: 'legacy clients', where: { prefix: 'legacy/' } });
    const options = { ruleIds: ['CEG-S3-3'], levels: { 'CEG-S3-3': FindingLevel.INFO } };
    if (front === 'aspect') {
      Aspects.of(app).add(new EnforceEncryption(options));
    } else {
      Validations.of(app).addPlugins(new EncryptionChecks(options));
    }
    expect(synthQuietly(app)).toBe(false);
    expect(results(app.outdir).map(r => `${front} ${r.ruleId} ${r.level} ${r.suppressions === undefined ? 'open' : 'suppressed'}`))
      .toEqual([`${front} CEG-S3-3 note open`]);
  }
});

test('copies of one finding at different levels (plugins of other options on the App and a Stage): the level that failed synthesis', () => {
  const app = newApp();
  const stage = new Stage(app, 'Prod', { env });
  new s3.CfnBucket(new Stack(stage, 'Data'), 'Bare');
  Validations.of(app).addPlugins(new EncryptionChecks({ ruleIds: ['CEG-S3-1'] }));
  Validations.of(stage).addPlugins(new EncryptionChecks({ ruleIds: ['CEG-S3-1'], levels: { 'CEG-S3-1': FindingLevel.WARNING } }));
  expect(synthQuietly(app)).toBe(true);
  expect(results(app.outdir).map(r => `${r.ruleId} ${r.path} ${r.level}`)).toEqual(['CEG-S3-1 Prod/Data/Bare error']);
  expect(report(app.outdir, 'markdown').stdout).toMatch(/\*\*1 error\*\*, 0 warnings/);
});

/** A nested stack class: every instance has the same logical IDs. */
class Disks extends NestedStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ec2.CfnVolume(this, 'Disk', { availabilityZone: 'eu-west-1a', size: 1 });
  }
}

test('nested stacks of one class, sharing logical IDs: each finding at its own nested template, in both front ends', () => {
  for (const front of ['aspect', 'plugin']) {
    const app = newApp();
    const stack = new Stack(app, 'Shop', { env });
    new Disks(stack, 'Web');
    new Disks(stack, 'Worker');
    // The parent holds a resource of the same logical ID, which must not be taken for theirs.
    new ec2.CfnVolume(stack, 'Disk', { availabilityZone: 'eu-west-1a', size: 1, encrypted: true });
    const options = { ruleIds: ['CEG-EBS-1'], levels: { 'CEG-EBS-1': FindingLevel.WARNING } };
    if (front === 'aspect') {
      Aspects.of(app).add(new EnforceEncryption(options));
    } else {
      Validations.of(app).addPlugins(new EncryptionChecks(options));
    }
    expect(synthQuietly(app)).toBe(false);
    expect(results(app.outdir).map(r => `${r.path} ${r.uri.replace(/[0-9A-F]{8}\./, '<hash>.')}:${r.line}`).sort()).toEqual([
      'Shop/Web/Disk ShopWeb<hash>.nested.template.json:3',
      'Shop/Worker/Disk ShopWorker<hash>.nested.template.json:3',
    ]);
  }
});

test('a stack defined inside a nested stack\'s scope is read from its own template, not the nested stack\'s of the same logical ID', () => {
  const app = newApp();
  const shop = new Stack(app, 'Shop', { env });
  const web = new Disks(shop, 'Web');
  new ec2.CfnVolume(new Stack(web, 'Side', { env }), 'Disk', { availabilityZone: 'eu-west-1a', size: 1 });
  Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-EBS-1'], levels: { 'CEG-EBS-1': FindingLevel.WARNING } }));
  expect(synthQuietly(app)).toBe(false);
  expect(results(app.outdir).map(r => `${r.path} ${r.uri.replace(/[0-9A-F]{8}\./, '<hash>.')}:${r.line}`).sort()).toEqual([
    'Shop/Web/Disk ShopWeb<hash>.nested.template.json:3',
    'Shop/Web/Side/Disk ShopWebSide<hash>.template.json:3',
  ]);
});

describe('an output directory where an error came after the assembly (error.txt newer than manifest.json)', () => {
  function passingAssembly(): string {
    const app = newApp();
    new s3.Bucket(new Stack(app, 'Data', { env }), 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
    Aspects.of(app).add(new EnforceEncryption({ ruleIds: ['CEG-S3-1'] }));
    expect(synthQuietly(app)).toBe(false);
    return app.outdir;
  }

  test('newer: read as usual, with a warning that the findings may be an earlier synthesis\'s (stderr and the Markdown)', () => {
    const dir = passingAssembly();
    // What the cdk CLI leaves when the next synthesis fails in the Aspect: the old assembly, and error.txt.
    writeFileSync(join(dir, 'error.txt'), 'ValidationFailedWithErrors');
    const old = new Date(Date.now() - 60_000);
    // The assembly, written before (some releases write a validation report without a plugin).
    for (const file of ['manifest.json', 'validation-report.json'].filter(f => existsSync(join(dir, f)))) {
      utimesSync(join(dir, file), old, old);
    }
    const out = report(dir);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/error.txt is newer than the assembly there: the last `cdk synth` into this directory may have failed/);
    expect(report(dir, 'markdown').stdout).toMatch(/^> ⚠️ error.txt is newer than the assembly there/m);
  });

  test('older than the validation report, which aws-cdk-lib writes after its validation phase: no warning', () => {
    const app = newApp();
    new s3.Bucket(new Stack(app, 'Data', { env }), 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
    Validations.of(app).addPlugins(new EncryptionChecks({ ruleIds: ['CEG-S3-3'] }));
    expect(synthQuietly(app)).toBe(false);
    const at = (seconds: number) => new Date(Date.now() - seconds * 1000);
    // An error made and caught in the validation phase: after the manifest, before the report.
    writeFileSync(join(app.outdir, 'error.txt'), 'ShouldBeCreatedInStackScope');
    utimesSync(join(app.outdir, 'manifest.json'), at(3), at(3));
    utimesSync(join(app.outdir, 'error.txt'), at(2), at(2));
    utimesSync(join(app.outdir, 'validation-report.json'), at(1), at(1));
    expect(report(app.outdir).stderr).toBe('');
  });

  test('older: aws-cdk-lib writes it for any error made, even a caught one, before the assembly is written: no warning', () => {
    const dir = passingAssembly();
    writeFileSync(join(dir, 'error.txt'), 'CannotAccessAliasTargetKey');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'error.txt'), old, old);
    const out = report(dir);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(report(dir, 'markdown').stdout).not.toMatch(/⚠️/);
  });
});
