/**
 * `anatomy.ts <app>`: where one cold evaluation of the gate spends its time, next to the floors
 * that any checker reading the construct tree pays on the same synthesized app. In one fresh
 * process, after a bare synthesis, once each (the order below: each floor runs before the gate, so
 * the gate is not helped by code they warm up, and they are not helped by the gate):
 * - walking the tree and telling the L1s apart (what any Aspect or plugin does first);
 * - reading every L1's properties once through aws-cdk-lib's own getter (`cfnProperties`);
 * - CDK resolving every L1's properties once (what a checker that renders each resource pays);
 * - the gate's evaluation, as chunks of 10 % of the resources: the first chunk carries the code's
 *   first run and the index's walk; the garbage collections that fell inside it, from `perf_hooks`.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PerformanceObserver } from 'perf_hooks';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { APPS } from './apps';
import { Evaluation } from '../src/engine/evaluation';
import { RuleSelection } from '../src/engine/rule-selection';
import { RULES } from '../src/rules/catalogue';

const [appName = '5k-in-50-stacks'] = process.argv.slice(2);
const spec = APPS.find(a => a.name === appName);
if (spec === undefined) {
  throw new Error(`No bench app "${appName}": one of ${APPS.map(a => a.name).join(', ')}`);
}
// The rules that match cdk-nag's (as in measure.ts).
const options = { ruleIds: ['CEG-S3-1', 'CEG-EBS-1', 'CEG-EBS-2', 'CEG-EBS-3', 'CEG-EBS-4', 'CEG-RDS-1', 'CEG-RDS-2'], requireKmsForS3: true };
const outdir = mkdtempSync(join(tmpdir(), 'ceg-anatomy-'));
const app = spec.build(true, outdir);
app.synth();

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const gcs: Array<{ start: number; duration: number }> = [];
const observer = new PerformanceObserver(list => list.getEntries().forEach(e => gcs.push({ start: e.startTime, duration: e.duration })));
observer.observe({ entryTypes: ['gc'] });

let t = process.hrtime.bigint();
const resources: CfnResource[] = [];
const walk = (construct: IConstruct) => {
  if (CfnResource.isCfnResource(construct)) {
    resources.push(construct);
  }
  construct.node.children.forEach(walk);
};
walk(app);
const walkMs = ms(t);

t = process.hrtime.bigint();
let properties = 0;
for (const resource of resources) {
  properties += Object.keys((resource as unknown as { cfnProperties: object }).cfnProperties).length;
}
const readMs = ms(t);

t = process.hrtime.bigint();
for (const resource of resources) {
  Stack.of(resource).resolve((resource as unknown as { cfnProperties: object }).cfnProperties);
}
const resolveMs = ms(t);

const selection = new RuleSelection(RULES, options);
const startedAt = performance.now();
t = process.hrtime.bigint();
const evaluation = new Evaluation(app, selection);
const chunk = Math.ceil(resources.length / 10);
const chunks: string[] = [];
let judged = 0;
let last = process.hrtime.bigint();
resources.forEach((resource, i) => {
  for (const rule of selection.rulesFor(resource.cfnResourceType)) {
    evaluation.judge(rule, resource);
    judged++;
  }
  if ((i + 1) % chunk === 0 || i === resources.length - 1) {
    const now = process.hrtime.bigint();
    chunks.push((Number(now - last) / 1e6).toFixed(1));
    last = now;
  }
});
const evaluationMs = ms(t);
const endedAt = performance.now();

// GC entries are delivered asynchronously: read them a little later.
setTimeout(() => {
  observer.disconnect();
  const inside = gcs.filter(g => g.start >= startedAt && g.start <= endedAt);
  const gcMs = inside.reduce((sum, g) => sum + g.duration, 0);
  const steady = chunks.slice(1).map(Number).sort((a, b) => a - b);
  const perJudged = steady.length > 0 ? steady[Math.floor(steady.length / 2)] / (judged / 10) * 1000 : NaN;
  process.stdout.write([
    `${appName}: ${resources.length} L1s, ${properties} properties`,
    `  floor: walk the tree, tell L1s apart         ${walkMs.toFixed(1)} ms`,
    `  floor: read every L1's properties once        ${readMs.toFixed(1)} ms`,
    `  CDK resolving every L1's properties once      ${resolveMs.toFixed(1)} ms`,
    `  gate: cold evaluation, ${judged} judgements      ${evaluationMs.toFixed(1)} ms`,
    `    per 10 % of the resources (first: first run of the code and the index walk): ${chunks.join(' ')} ms`,
    `    steady, median chunk: ${perJudged.toFixed(1)} µs per judgement`,
    `    garbage collection inside it: ${inside.length} pauses, ${gcMs.toFixed(1)} ms (${gcs.length} in the whole run)`,
    '',
  ].join('\n'));
  rmSync(outdir, { recursive: true, force: true });
}, 100);
