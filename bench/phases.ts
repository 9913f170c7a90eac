/**
 * `phases.ts <app> [aspect|plugin]`: the gate's own time inside one `app.synth()`, split into the
 * Aspect's visits and the validations it registers (or the plugin's `validate`), timed in process.
 * Less sensitive to a busy machine than whole-synth medians; for finding where time goes.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Aspects, Stage, Validations } from 'aws-cdk-lib';
import { Node } from 'constructs';
import { APPS } from './apps';
import { EncryptionChecks, EnforceEncryption } from '../src';

const [appName, variant = 'aspect'] = process.argv.slice(2);
const spec = APPS.find(a => a.name === appName)!;
const options = { ruleIds: ['CEG-S3-1', 'CEG-EBS-1', 'CEG-RDS-1', 'CEG-RDS-2'] };
const outdir = mkdtempSync(join(tmpdir(), 'ceg-phases-'));
const app = spec.build(true, outdir);
let visitNs = 0n;
let validateNs = 0n;
let validations = 0;
const timed = <A extends unknown[], R>(fn: (...args: A) => R, add: (ns: bigint) => void) => function (this: unknown, ...args: A): R {
  const t = process.hrtime.bigint();
  try {
    return fn.apply(this, args);
  } finally {
    add(process.hrtime.bigint() - t);
  }
};
const addValidation = Node.prototype.addValidation;
Node.prototype.addValidation = function (this: Node, validation) {
  validations++;
  return addValidation.call(this, { validate: timed(() => validation.validate(), ns => validateNs += ns) });
};
const roots = spec.stages ? app.node.children.filter(Stage.isStage) : [app];
if (variant === 'aspect') {
  const visit = EnforceEncryption.prototype.visit;
  EnforceEncryption.prototype.visit = timed(visit, ns => visitNs += ns);
  roots.forEach(root => Aspects.of(root).add(new EnforceEncryption(options)));
} else {
  const plugin = new EncryptionChecks(options);
  plugin.validate = timed(plugin.validate.bind(plugin), ns => validateNs += ns);
  Validations.of(app).addPlugins(plugin);
}
const t = process.hrtime.bigint();
app.synth();
const synthMs = Number(process.hrtime.bigint() - t) / 1e6;
rmSync(outdir, { recursive: true, force: true });
const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1);
process.stdout.write(`${appName} ${variant}: synth ${synthMs.toFixed(0)} ms; visit ${ms(visitNs)} ms; validate ${ms(validateNs)} ms (${validations} validations)\n`);
