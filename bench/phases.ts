/**
 * `phases.ts <app> [aspect|plugin]`: the gate's own time inside one `app.synth()`, split into the
 * Aspect's visits and the validations it registers (or the plugin's `validate`), timed in process.
 * Also the process's CPU time for them (user + system, all threads), which another process on
 * a busy machine inflates far less than wall-clock time. For finding where time goes.
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
// The rules that match cdk-nag's (as in measure.ts).
const options = { ruleIds: ['CEG-S3-1', 'CEG-EBS-1', 'CEG-EBS-2', 'CEG-EBS-3', 'CEG-EBS-4', 'CEG-RDS-1', 'CEG-RDS-2'], requireKmsForS3: true };
const outdir = mkdtempSync(join(tmpdir(), 'ceg-phases-'));
const app = spec.build(true, outdir);
let visitNs = 0n;
let validateNs = 0n;
let visitCpu = 0;
let validateCpu = 0;
let validations = 0;
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const timed = <A extends unknown[], R>(fn: (...args: A) => R, add: (ns: bigint, cpuMs: number) => void) => function (this: unknown, ...args: A): R {
  const t = process.hrtime.bigint();
  const c = cpu();
  try {
    return fn.apply(this, args);
  } finally {
    add(process.hrtime.bigint() - t, cpu() - c);
  }
};
const addValidation = Node.prototype.addValidation;
Node.prototype.addValidation = function (this: Node, validation) {
  validations++;
  return addValidation.call(this, { validate: timed(() => validation.validate(), (ns, c) => { validateNs += ns; validateCpu += c; }) });
};
const roots = spec.stages ? app.node.children.filter(Stage.isStage) : [app];
if (variant === 'aspect') {
  const visit = EnforceEncryption.prototype.visit;
  EnforceEncryption.prototype.visit = timed(visit, (ns, c) => { visitNs += ns; visitCpu += c; });
  roots.forEach(root => Aspects.of(root).add(new EnforceEncryption(options)));
} else {
  const plugin = new EncryptionChecks(options);
  plugin.validate = timed(plugin.validate.bind(plugin), (ns, c) => { validateNs += ns; validateCpu += c; });
  Validations.of(app).addPlugins(plugin);
}
const t = process.hrtime.bigint();
const c = cpu();
app.synth();
const synthMs = Number(process.hrtime.bigint() - t) / 1e6;
const synthCpu = cpu() - c;
rmSync(outdir, { recursive: true, force: true });
const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1);
process.stdout.write(`${appName} ${variant}: synth ${synthMs.toFixed(0)} ms (CPU ${synthCpu.toFixed(0)}); visit ${ms(visitNs)} ms (CPU ${visitCpu.toFixed(1)}); `
  + `validate ${ms(validateNs)} ms (CPU ${validateCpu.toFixed(1)}; ${validations} validations)\n`);
