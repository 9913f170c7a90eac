/**
 * `profile.ts <app> <variant> [out.cpuprofile]`: a CPU profile of `app.synth()` alone (module loading and
 * building the app left out), for finding where a variant's time goes. Variants as in measure.ts:
 * bare, empty-aspect, aspect, plugin, nag, and eval (one cold
 * `EncryptionGate.evaluate` after a bare synthesis).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { Session } from 'inspector';
import { tmpdir } from 'os';
import { join } from 'path';
import { Aspects, Stage, Validations } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { APPS } from './apps';
import { EncryptionChecks, EncryptionGate, EnforceEncryption } from '../src';
import { EncryptionNagPack } from '../test/support/encryption-nag-pack';

const [appName, variant, out = `${appName}-${variant}.cpuprofile`] = process.argv.slice(2);
const spec = APPS.find(a => a.name === appName)!;
// The rules that match cdk-nag's (as in measure.ts).
const options = { ruleIds: ['CEG-S3-1', 'CEG-EBS-1', 'CEG-EBS-2', 'CEG-EBS-3', 'CEG-EBS-4', 'CEG-RDS-1', 'CEG-RDS-2'], requireKmsForS3: true };
const outdir = mkdtempSync(join(tmpdir(), 'ceg-profile-'));
const app = spec.build(true, outdir);
const roots = spec.stages ? app.node.children.filter(Stage.isStage) : [app];
if (variant === 'aspect') {
  roots.forEach(root => Aspects.of(root).add(new EnforceEncryption(options)));
} else if (variant === 'empty-aspect') {
  roots.forEach(root => Aspects.of(root).add({ visit: () => undefined }));
} else if (variant === 'plugin') {
  Validations.of(app).addPlugins(new EncryptionChecks(options));
} else if (variant === 'nag') {
  Validations.of(app).addPlugins(new EncryptionNagPack(NagMessageLevel.ERROR, false));
}
const session = new Session();
session.connect();
const post = (method: string, params?: object) => new Promise<any>((resolve, reject) =>
  session.post(method, params, (err, result) => err ? reject(err) : resolve(result)));
void (async () => {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  if (variant !== 'eval') {
    await post('Profiler.start');
  }
  if (variant === 'eval') {
    // Evaluation alone, cold, on the synthesized tree (as measure.ts times it).
    app.synth();
    await post('Profiler.start');
  }
  const t = process.hrtime.bigint();
  if (variant === 'eval') {
    EncryptionGate.evaluate(app, options);
  } else {
    app.synth();
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const { profile } = await post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
  rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(`${variant}: synth ${ms.toFixed(0)} ms, profile in ${out}\n`);
})();
