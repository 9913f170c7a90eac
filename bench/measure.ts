/**
 * One measurement, in its own process so that runs do not share caches, heap or JIT state:
 * `measure.ts <app> <variant> <compliant|noncompliant>` prints one JSON line.
 *
 * Variants: `bare` (synth only), `aspect` (EnforceEncryption), `empty-plugin` (a validation plugin
 * that does nothing: what CDK charges for any plugin), `empty-aspect` (an Aspect that
 * does nothing: what CDK charges for any Aspect), `plugin` (EncryptionChecks), `aspect-all`
 * (EnforceEncryption with the whole catalogue, not only the rules that match cdk-nag's),
 * `nag` (a cdk-nag v3 NagPack of the matching rules); `eval` and `eval-nag` synthesize bare, then
 * time one cold evaluation of the whole app by our gate (`EncryptionGate.evaluate`) or by the
 * cdk-nag pack (`validateScope`).
 * Non-compliant apps run the gates at warning level, so every synth runs to the end.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Aspects, Stage, Validations } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { IConstruct, IValidation, Node } from 'constructs';
import { APPS } from './apps';
import { EncryptionChecks, EncryptionGate, EnforceEncryption, FindingLevel } from '../src';
import { RULES } from '../src/rules/catalogue';
import { EncryptionNagPack } from '../test/support/encryption-nag-pack';

const [appName, variant, compliance] = process.argv.slice(2);
const spec = APPS.find(a => a.name === appName)!;
const compliant = compliance !== 'noncompliant';
// Like for like with the cdk-nag pack (S3DefaultEncryptionKMS, EC2EBSVolumeEncrypted,
// RDSStorageEncrypted): the gate's at-rest rules for the same resources, as strict. cdk-nag's
// EC2EBSVolumeEncrypted judges volumes, instances and Auto Scaling groups (through their launch
// templates) and launch configurations: CEG-EBS-1 to 4 (EBS-2 judges launch templates too, a little
// more than cdk-nag). S3DefaultEncryptionKMS wants KMS: requireKmsForS3.
const AT_REST = ['CEG-S3-1', 'CEG-EBS-1', 'CEG-EBS-2', 'CEG-EBS-3', 'CEG-EBS-4', 'CEG-RDS-1', 'CEG-RDS-2'];
const warnings = {
  ruleIds: AT_REST,
  requireKmsForS3: true,
  ...compliant ? {} : {
    levels: Object.fromEntries(AT_REST.map(id => [id, FindingLevel.WARNING])),
    unresolvableLevel: FindingLevel.WARNING,
  },
};

// The whole catalogue, for the line that shows what every rule costs (no like-for-like with cdk-nag).
const everything = compliant ? {} : {
  levels: Object.fromEntries(RULES.map(r => [r.id, FindingLevel.WARNING])),
  unresolvableLevel: FindingLevel.WARNING,
};

const outdir = mkdtempSync(join(tmpdir(), 'ceg-bench-'));
const built = process.hrtime.bigint();
const app = spec.build(compliant, outdir);
// In the Stage layout every Stage gets its own Aspect, as teams do.
const aspectRoots = spec.stages ? app.node.children.filter(Stage.isStage) : [app];
/**
 * The time the gate spends in its own code inside the synthesis: the Aspect's visits and the
 * validations it registers (or the plugin's `validate`), on a clock read only around them. Less
 * disturbed by other processes than the difference of two whole synthesis times; it leaves out
 * what the gate makes CDK do (the Aspect walk, more garbage to collect later).
 */
let gateNs = 0n;
function timedInside<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return function (this: unknown, ...args: A): R {
    const t = process.hrtime.bigint();
    try {
      return fn.apply(this, args);
    } finally {
      gateNs += process.hrtime.bigint() - t;
    }
  };
}
if (variant === 'aspect') {
  // Validations the Aspect registers while it visits are timed too (only those).
  const addValidation = Node.prototype.addValidation;
  let visiting = false;
  Node.prototype.addValidation = function (this: Node, validation: IValidation) {
    return addValidation.call(this, visiting ? { validate: timedInside(() => validation.validate()) } : validation);
  };
  const visit = EnforceEncryption.prototype.visit;
  EnforceEncryption.prototype.visit = timedInside(function (this: EnforceEncryption, node: IConstruct) {
    visiting = true;
    try {
      return visit.call(this, node);
    } finally {
      visiting = false;
    }
  });
  aspectRoots.forEach(root => Aspects.of(root).add(new EnforceEncryption(warnings)));
} else if (variant === 'aspect-all') {
  aspectRoots.forEach(root => Aspects.of(root).add(new EnforceEncryption(everything)));
} else if (variant === 'empty-aspect') {
  // CDK's own cost of running any Aspect over the tree: the floor under EnforceEncryption.
  aspectRoots.forEach(root => Aspects.of(root).add({ visit: () => undefined }));
} else if (variant === 'empty-plugin') {
  // CDK's own cost of running any validation plugin (it writes a report and builds a tree of the
  // app for it): the floor under EncryptionChecks and under cdk-nag 3, which is a plugin too.
  Validations.of(app).addPlugins({ name: 'Empty', validate: () => ({ success: true, violations: [] }) });
} else if (variant === 'plugin') {
  const plugin = new EncryptionChecks(warnings);
  plugin.validate = timedInside(plugin.validate.bind(plugin));
  Validations.of(app).addPlugins(plugin);
} else if (variant === 'nag') {
  Validations.of(app).addPlugins(new EncryptionNagPack(compliant ? NagMessageLevel.ERROR : NagMessageLevel.WARN, false));
}

const start = process.hrtime.bigint();
const startCpu = process.cpuUsage();
let refused = 0;
try {
  app.synth();
} catch (e) {
  // cdk-nag's report fails synthesis even at warning level. Validation plugins run after the
  // assembly is written, so this synthesis ran to its end like the others; it is recorded as refused.
  if (variant !== 'nag' || compliant) {
    throw e;
  }
  refused = 1;
}
const end = process.hrtime.bigint();
const cpu = process.cpuUsage(startCpu);
const synthMs = Number(end - start) / 1e6;
// CPU time of the synthesis (all threads of the process): what another busy process on the machine
// inflates least.
const synthCpuMs = (cpu.user + cpu.system) / 1000;
// What `cdk synth` runs: building the app, then synthesizing it (the gate is registered in between).
const appMs = Number(end - built) / 1e6;

const result: Record<string, number> = { synthMs, synthCpuMs, appMs, refused };
if (variant === 'aspect' || variant === 'plugin') {
  result.gateInsideMs = Number(gateNs) / 1e6;
}
if (variant === 'eval' || variant === 'eval-nag') {
  // Evaluation alone on the synthesized tree: once cold (what a synthesis pays), then warm (the
  // median of five more). The garbage synthesis left behind is collected first, for both gates.
  const evaluate = variant === 'eval'
    ? () => EncryptionGate.evaluate(app, warnings).length
    : () => new EncryptionNagPack(NagMessageLevel.ERROR, false).validateScope(app).violations.length;
  const timed = (onCpu?: (ms: number) => void) => {
    (global as unknown as { gc?: () => void }).gc?.();
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    result.findings = evaluate();
    const used = process.cpuUsage(c);
    onCpu?.((used.user + used.system) / 1000);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  // Also in CPU time, which another busy process on the machine inflates less.
  result.evaluateMs = timed(ms => result.evaluateCpuMs = ms);
  const warm = [timed(), timed(), timed(), timed(), timed()].sort((a, b) => a - b);
  result.warmEvaluateMs = warm[2];
}
result.peakRssMb = process.resourceUsage().maxRSS / 1024;
rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(result) + '\n');
