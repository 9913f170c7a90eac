/**
 * `cdk-encryption-guard report` on real cloud assemblies synthesized here: findings of the
 * validation plugin (validation-report.json) and of the Aspect (annotations in the stacks'
 * metadata), acknowledged findings, a nested Stage and a nested stack. The SARIF output is
 * validated against the SARIF 2.1.0 JSON schema.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { App, Aspects, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptedBucket, EncryptionChecks, EnforceEncryption, FindingLevel, RuleCatalogue } from '../../src';
import { main, USAGE } from '../../src/cli/main';
import { resourceLines } from '../../src/cli/template-lines';

/* eslint-disable @typescript-eslint/no-require-imports */
const Ajv = require('ajv');
/** The SARIF 2.1.0 schema (draft-04), as shipped by @microsoft/jest-sarif: nothing is downloaded. */
const SARIF_SCHEMA = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const DRAFT_04 = JSON.parse(readFileSync(require.resolve('ajv/lib/refs/json-schema-draft-04.json'), 'utf8'));

const env = { account: '111111111111', region: 'eu-west-1' };
const dirs: string[] = [];
afterAll(() => dirs.forEach(dir => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ceg-report-'));
  dirs.push(dir);
  return dir;
}

/**
 * An app with: a bare bucket (errors and warnings), a bucket whose CEG-S3-1 is acknowledged, a
 * compliant bucket, a bare bucket in a nested stack, and a bare bucket in a Stage.
 */
function buildApp(outdir: string): { app: App; stage: Stage } {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Data', { env });
  new s3.CfnBucket(stack, 'Bare');
  const acked = new s3.CfnBucket(stack, 'Acked');
  Validations.of(acked).acknowledge({ id: 'CEG-S3-1', reason: 'Holds public test fixtures only' });
  new EncryptedBucket(stack, 'Good');
  new s3.CfnBucket(new NestedStack(stack, 'Inner'), 'NestedBare');
  const stage = new Stage(app, 'Prod', { env });
  new s3.CfnBucket(new Stack(stage, 'Archive'), 'StageBare');
  return { app, stage };
}

/** Synthesizes with the plugin; the failed validation still writes the assembly and the report. */
function pluginAssembly(): string {
  const outdir = tempDir();
  const { app } = buildApp(outdir);
  Validations.of(app).addPlugins(new EncryptionChecks());
  quietly(() => expect(() => app.synth()).toThrow(/CEG-S3-1/));
  return outdir;
}

/** CDK prints the validation report to the console: keep the test output readable. */
function quietly(action: () => void): void {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    action();
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Synthesizes with the Aspect at warning level (errors would stop synthesis before the assembly). */
function aspectAssembly(): string {
  const outdir = tempDir();
  const { app, stage } = buildApp(outdir);
  const levels = Object.fromEntries(RuleCatalogue.all().map(r => [r.id, FindingLevel.WARNING]));
  Aspects.of(app).add(new EnforceEncryption({ levels }));
  Aspects.of(stage).add(new EnforceEncryption({ levels }));
  app.synth();
  return outdir;
}

interface Run { code: number; stdout: string; stderr: string }

function run(argv: string[], cwd: string): Run {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, cwd });
  return { code, stdout, stderr };
}

function validateSarif(log: unknown): string[] {
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true, validateSchema: false });
  ajv.addMetaSchema(DRAFT_04);
  const valid = ajv.validate(SARIF_SCHEMA, log);
  return valid ? [] : ajv.errors.map((e: any) => `${e.dataPath} ${e.message}`);
}

let plugin: string;
let aspect: string;
beforeAll(() => {
  plugin = pluginAssembly();
  aspect = aspectAssembly();
});

describe.each([
  ['the validation plugin', () => plugin, 'validation-report'],
  ['the Aspect', () => aspect, 'annotation'],
])('SARIF from an assembly synthesized with %s', (_name, dir, source) => {
  let sarif: any;
  let results: any[];
  beforeAll(() => {
    const out = run(['report', dir()], dir());
    expect(out).toMatchObject({ code: 0, stderr: '' });
    sarif = JSON.parse(out.stdout);
    results = sarif.runs[0].results;
  });

  test('is valid SARIF 2.1.0', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(validateSarif(sarif)).toEqual([]);
  });

  test('lists the rule catalogue as the driver\'s rules, with descriptions and the fix', () => {
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules.map((r: any) => r.id)).toEqual(RuleCatalogue.all().map(r => r.id));
    const s31 = RuleCatalogue.get('CEG-S3-1');
    expect(rules[0]).toMatchObject({
      id: 'CEG-S3-1',
      shortDescription: { text: s31.title },
      fullDescription: { text: s31.rationale },
      help: { text: `Fix: ${s31.fix}` },
      defaultConfiguration: { level: 'error' },
    });
    expect(rules[0].help.markdown).toContain('acknowledge');
  });

  test('one result per finding, from the expected source, at the template line of the logical ID', () => {
    const keys = results.map(r => `${r.ruleId} ${r.locations[0].logicalLocations[0].fullyQualifiedName}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const path of ['Data/Bare', 'Data/Inner/NestedBare', 'Prod/Archive/StageBare']) {
      expect(keys).toEqual(expect.arrayContaining(['CEG-S3-1', 'CEG-S3-2', 'CEG-S3-3', 'CEG-S3-4'].map(id => `${id} ${path}`)));
    }
    expect(keys.filter(k => k.endsWith(' Data/Good/Resource'))).toEqual([]);
    expect(results.every(r => r.properties.source === source)).toBe(true);

    const bare = results.find(r => r.ruleId === 'CEG-S3-1' && r.properties.constructPath === 'Data/Bare');
    const template = readFileSync(join(dir(), 'Data.template.json'), 'utf8');
    expect(bare.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'Data.template.json' },
      region: { startLine: template.split('\n').findIndex(l => l.includes('"Bare": {')) + 1 },
    });
    expect(bare.locations[0].logicalLocations[0]).toEqual({ name: 'Bare', fullyQualifiedName: 'Data/Bare', kind: 'resource' });
    expect(bare.message.text).toMatch(/^CEG-S3-1 on Data\/Bare: The bucket declares no BucketEncryption/);
  });

  test('levels follow the findings', () => {
    const levelOf = (id: string, path: string) => results.find(r => r.ruleId === id && r.properties.constructPath === path).level;
    if (source === 'annotation') {
      // every rule was set to warning for this app
      expect(levelOf('CEG-S3-1', 'Data/Bare')).toBe('warning');
    } else {
      expect(levelOf('CEG-S3-1', 'Data/Bare')).toBe('error');
      expect(levelOf('CEG-S3-3', 'Data/Bare')).toBe('warning');
    }
  });

  test('a nested Stage is read from its own assembly, a nested stack from its own template', () => {
    const stageResult = results.find(r => r.properties.constructPath === 'Prod/Archive/StageBare');
    const uri: string = stageResult.locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toMatch(/^assembly-Prod\/.*\.template\.json$/);
    expect(resourceLines(readFileSync(join(dir(), uri), 'utf8')).get('StageBare')).toBe(stageResult.locations[0].physicalLocation.region.startLine);

    const nested = results.find(r => r.properties.constructPath === 'Data/Inner/NestedBare');
    const nestedUri: string = nested.locations[0].physicalLocation.artifactLocation.uri;
    expect(nestedUri).toMatch(/\.nested\.template\.json$/);
    expect(resourceLines(readFileSync(join(dir(), nestedUri), 'utf8')).get(nested.properties.logicalId)).toBe(nested.locations[0].physicalLocation.region.startLine);
  });

  test('an acknowledged finding is a suppression with its reason; the others are not suppressed', () => {
    const acked = results.filter(r => r.suppressions !== undefined);
    expect(acked).toHaveLength(1);
    expect(acked[0]).toMatchObject({
      ruleId: 'CEG-S3-1',
      properties: { constructPath: 'Data/Acked' },
      suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'Holds public test fixtures only' }],
      // The level it would have without the acknowledgement, as the front end recorded it (the
      // Aspect's assembly is synthesized with every rule at warning level).
      level: source === 'annotation' ? 'warning' : 'error',
    });
    expect(results.filter(r => r.properties.constructPath === 'Data/Acked').map(r => r.ruleId).sort()).toEqual(['CEG-S3-1', 'CEG-S3-2', 'CEG-S3-3', 'CEG-S3-4']);
  });
});

test('a finding reported by both the plugin and the Aspect is one result', () => {
  const outdir = tempDir();
  const { app } = buildApp(outdir);
  const levels = Object.fromEntries(RuleCatalogue.all().map(r => [r.id, FindingLevel.WARNING]));
  Aspects.of(app).add(new EnforceEncryption({ levels }));
  Validations.of(app).addPlugins(new EncryptionChecks({ levels }));
  quietly(() => app.synth());
  const sarif = JSON.parse(run(['report', outdir], outdir).stdout);
  const bare = sarif.runs[0].results.filter((r: any) => r.ruleId === 'CEG-S3-1' && r.properties.constructPath === 'Data/Bare');
  expect(bare).toHaveLength(1);
  expect(validateSarif(sarif)).toEqual([]);
});

test('an acknowledgement in the plugin\'s namespace is a suppression too (CDK moves it to suppressedViolations)', () => {
  const outdir = tempDir();
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Data', { env });
  const bucket = new s3.CfnBucket(stack, 'Acked');
  Validations.of(stack).acknowledge({ id: 'EncryptionChecks::CEG-S3-1', reason: 'Public fixtures' });
  Validations.of(bucket).acknowledge(
    { id: 'CEG-S3-2', reason: 'No TLS needed' }, { id: 'CEG-S3-3', reason: 'No TLS needed' }, { id: 'CEG-S3-4', reason: 'No SSE-C risk' });
  Validations.of(app).addPlugins(new EncryptionChecks());
  quietly(() => app.synth());
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports[0].suppressedViolations.map((v: any) => v.acknowledgedId).sort())
    .toEqual(['Annotation::CEG-S3-2', 'Annotation::CEG-S3-3', 'Annotation::CEG-S3-4', 'EncryptionChecks::CEG-S3-1']);
  const sarif = JSON.parse(run(['report', outdir], outdir).stdout);
  expect(validateSarif(sarif)).toEqual([]);
  const byRule = Object.fromEntries(sarif.runs[0].results.map((r: any) => [r.ruleId, r]));
  expect(Object.keys(byRule).sort()).toEqual(['CEG-S3-1', 'CEG-S3-2', 'CEG-S3-3', 'CEG-S3-4']);
  expect(byRule['CEG-S3-1']).toMatchObject({ level: 'error', suppressions: [{ justification: 'Public fixtures' }] });
  expect(byRule['CEG-S3-3']).toMatchObject({ level: 'warning', suppressions: [{ justification: 'No TLS needed' }] });
});

test('--format markdown gives a pull-request comment: counts, open findings, fixes, acknowledged reasons', () => {
  const out = run(['report', plugin, '--format', 'markdown'], plugin);
  expect(out.code).toBe(0);
  const md = out.stdout;
  expect(md).toMatch(/^## cdk-encryption-guard\n\n\*\*7 errors\*\*, 8 warnings, 0 info, 1 acknowledged, in 2 stacks\.\n/);
  expect(md).toContain('| 🔴 error | `CEG-S3-1` | `Data/Bare` | `Data.template.json:');
  expect(md).toContain(`- **\`CEG-S3-1\`** ${RuleCatalogue.get('CEG-S3-1').title}: ${RuleCatalogue.get('CEG-S3-1').fix}`);
  expect(md).toContain('| `CEG-S3-1` | `Data/Acked` | Holds public test fixtures only |');
});

test('--output writes the file; the default directory is cdk.out of the working directory', () => {
  const cwd = join(plugin, '..');
  const name = relative(cwd, plugin);
  const file = join(tempDir(), 'out', 'report.sarif');
  const out = run(['report', name, '--output', file], cwd);
  expect(out).toEqual({ code: 0, stdout: '', stderr: '' });
  const sarif = JSON.parse(readFileSync(file, 'utf8'));
  expect(validateSarif(sarif)).toEqual([]);
  // URIs are relative to the working directory, where code scanning expects them.
  expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri.startsWith(`${name}/`)).toBe(true);

  const missing = run(['report'], tempDir());
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/CLOUD_ASSEMBLY_DIR ".*\/cdk\.out" is not a cloud assembly \(no manifest\.json there\)\. Run `cdk synth` first/);
});

test('wrong usage names the input, the value and the fix, with exit code 2', () => {
  expect(run(['report', plugin, '--format', 'html'], plugin)).toMatchObject({ code: 2, stdout: '' });
  expect(run(['report', plugin, '--format', 'html'], plugin).stderr).toContain('--format "html" is not supported: use --format sarif (the default) or --format markdown.');
  expect(run(['lint'], plugin).stderr).toContain('Unknown command "lint"');
  expect(run(['report', plugin, '--colour'], plugin).stderr).toContain('Unknown option "--colour"');
  expect(run(['report', plugin, '--output'], plugin).stderr).toContain('--output needs a value.');
  expect(run(['--help'], plugin)).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  expect(run([], plugin)).toEqual({ code: 2, stdout: '', stderr: USAGE });
});

test('the package exposes the command as a bin with a node shebang', () => {
  const pkg = require('../../package.json');
  expect(pkg.bin).toEqual({ 'cdk-encryption-guard': 'lib/cli/main.js' });
  expect(readFileSync(join(__dirname, '../../src/cli/main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});

test('template lines: logical IDs of Resources only, escapes and other sections ignored', () => {
  const text = JSON.stringify({
    Parameters: { Bare: { Type: 'String' } },
    Resources: {
      A: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'x"y', Value: '{' }] } },
      B: { Type: 'AWS::S3::Bucket', Metadata: { Resources: { C: 1 } } },
    },
  }, undefined, 1);
  const lineOf = (key: string) => text.split('\n').findIndex(l => l.includes(`"${key}": {`)) + 1;
  expect([...resourceLines(text)]).toEqual([['A', lineOf('A')], ['B', lineOf('B')]]);
  expect(lineOf('A')).toBeGreaterThan(lineOf('Bare'));
});
