/**
 * One measurement, in its own process so that runs do not share caches, heap or JIT state:
 * `measure.ts <app> <variant> <compliant|noncompliant>` prints one JSON line.
 *
 * Variants: `bare` (synth only), `aspect` (EnforceEncryption), `plugin` (EncryptionChecks),
 * `nag` (a cdk-nag v3 NagPack of the matching rules). `bare` also times the gate's evaluation
 * alone on the synthesized tree (`EncryptionGate.evaluate`), whole app and biggest stack.
 * Non-compliant apps run the gates at warning level, so every synth runs to the end.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Aspects, Stack, Validations } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { APPS } from './apps';
import { EncryptionChecks, EncryptionGate, EnforceEncryption, FindingLevel, RuleCatalogue } from '../src';
import { EncryptionNagPack } from '../test/support/encryption-nag-pack';

const [appName, variant, compliance] = process.argv.slice(2);
const spec = APPS.find(a => a.name === appName)!;
const compliant = compliance !== 'noncompliant';
const warnings = compliant ? {} : {
  levels: Object.fromEntries(RuleCatalogue.all().map(r => [r.id, FindingLevel.WARNING])),
  unresolvableLevel: FindingLevel.WARNING,
};

const app = spec.build(compliant);
const outdir = mkdtempSync(join(tmpdir(), 'ceg-bench-'));
if (variant === 'aspect') {
  Aspects.of(app).add(new EnforceEncryption(warnings));
} else if (variant === 'plugin') {
  Validations.of(app).addPlugins(new EncryptionChecks(warnings));
} else if (variant === 'nag') {
  Validations.of(app).addPlugins(new EncryptionNagPack(compliant ? NagMessageLevel.ERROR : NagMessageLevel.WARN));
}

const start = process.hrtime.bigint();
app.synth({ force: true, outdir } as any);
const synthMs = Number(process.hrtime.bigint() - start) / 1e6;

const result: Record<string, number> = { synthMs };
if (variant === 'bare') {
  let t = process.hrtime.bigint();
  const findings = EncryptionGate.evaluate(app, warnings);
  result.evaluateMs = Number(process.hrtime.bigint() - t) / 1e6;
  result.findings = findings.length;
  if (spec.bigStack) {
    const stack = app.node.findChild(spec.bigStack) as Stack;
    t = process.hrtime.bigint();
    EncryptionGate.evaluate(stack, warnings);
    result.bigStackEvaluateMs = Number(process.hrtime.bigint() - t) / 1e6;
  }
}
result.peakRssMb = process.resourceUsage().maxRSS / 1024;
rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(result) + '\n');
