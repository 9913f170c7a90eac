/**
 * `npm run demo`: synthesizes both example apps through the gate with the real `cdk` CLI, and
 * shows that the compliant app passes and the non-compliant app is refused, with its findings.
 * Exits 0 only when both happen as expected.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

interface Run {
  readonly exitCode: number;
  readonly output: string;
}

/** Expected findings of the non-compliant app: one per unencrypted resource (rule, construct). */
export const EXPECTED_REFUSALS: ReadonlyArray<[string, string]> = [
  ['CEG-S3-1', 'NonCompliantApp/Uploads/Resource'],
  ['CEG-S3-2', 'NonCompliantApp/Uploads/Resource'],
  ['CEG-EBS-1', 'NonCompliantApp/Scratch/Resource'],
  ['CEG-EBS-3', 'NonCompliantApp/Bastion/Resource'],
  ['CEG-RDS-2', 'NonCompliantApp/Orders/Resource'],
  ['CEG-SM-1', 'NonCompliantApp/Orders/Secret/Resource'],
  ['CEG-SM-2', 'NonCompliantApp/Orders/Secret/Resource'],
  ['CEG-RDS-1', 'NonCompliantApp/Analytics/Resource'],
  ['CEG-RDS-3', 'NonCompliantApp/Analytics/Resource'],
  ['CEG-RDS-2', 'NonCompliantApp/Analytics/Writer/Resource'],
  ['CEG-SM-1', 'NonCompliantApp/Analytics/Secret/Resource'],
  ['CEG-SM-2', 'NonCompliantApp/Analytics/Secret/Resource'],
];

/** Runs `cdk synth` on an example app; the CLI is the project's own devDependency. */
export function cdkSynth(example: string): Run {
  const outdir = mkdtempSync(join(tmpdir(), 'ceg-demo-'));
  try {
    const result = spawnSync('npx', [
      'cdk', 'synth', '--quiet', '--no-notices', '--output', outdir,
      '--app', `npx ts-node --transpile-only ${join('examples', example)}`,
    ], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true' },
    });
    return { exitCode: result.status ?? 1, output: `${result.stdout}\n${result.stderr}` };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The `[construct path] RULE-ID: message` lines a refused synthesis prints. */
export function listedFindings(output: string): Array<[string, string]> {
  return [...output.matchAll(/^\s*\[([^\]]+)\] (CEG-[A-Z0-9]+-\d+): /gm)].map(m => [m[2], m[1]]);
}

/** The apps that must pass the gate, and what each shows. */
const COMPLIANT_APPS: ReadonlyArray<[string, string]> = [
  ['compliant-app.ts', 'secure L2s, CmkWithPolicy, EncryptedBucket, EncryptedRdsInstance, RotatingSecret'],
  ['multi-region-keys-app.ts', 'a MultiRegionKey with replicas in two Regions'],
  ['web-app.ts', 'AcmFrontedAlb, an Auto Scaling group, an EncryptedRdsInstance'],
  ['encryption-services-app.ts', 'SecureStringParameter, EbsEncryptionByDefault, EncryptedSnapshotCopy of an RDS database and an EBS volume'],
];

function main(): number {
  let ok = true;
  for (const [example, shows] of COMPLIANT_APPS) {
    console.log(`Synthesizing examples/${example} (${shows}) through EnforceEncryption with \`cdk synth\`...`);
    const run = cdkSynth(example);
    if (run.exitCode === 0) {
      console.log('  PASSED: it synthesized (exit code 0).\n');
    } else {
      ok = false;
      console.log(`  UNEXPECTED: it was refused (exit code ${run.exitCode}):\n${run.output}\n`);
    }
  }

  console.log('Synthesizing examples/noncompliant-app.ts through EnforceEncryption with `cdk synth`...');
  const refused = cdkSynth('noncompliant-app.ts');
  const findings = listedFindings(refused.output);
  const missing = EXPECTED_REFUSALS.filter(([rule, path]) => !findings.some(([r, p]) => r === rule && p === path));
  if (refused.exitCode !== 0 && missing.length === 0) {
    // Warnings do not fail synthesis; the gate lists them with the errors (a failing synthesis writes no assembly to show them in).
    const warnings = refused.output.split('\n').filter(l => /^\s*warning on \S+: CEG-/.test(l));
    console.log(`  REFUSED as expected (exit code ${refused.exitCode}), with ${findings.length} errors and ${warnings.length} warnings:`);
    for (const line of [...refused.output.split('\n').filter(l => /^\s*\[[^\]]+\] CEG-/.test(l)), ...warnings]) {
      console.log(`    ${line.trim()}`);
    }
  } else {
    ok = false;
    console.log(`  UNEXPECTED: exit code ${refused.exitCode}; missing findings: ${JSON.stringify(missing)}\n${refused.output}`);
  }

  console.log(ok ? '\nDemo OK: the gate passed the compliant apps and refused the non-compliant one.' : '\nDemo FAILED.');
  return ok ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main();
}
