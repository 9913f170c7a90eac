/**
 * `npm run bench`: synth overhead of the gate, side by side with a cdk-nag v3 pack, in one run.
 *
 * Every measurement is a fresh process (`measure.ts`), so no run inherits another's heap or JIT
 * state; within a round the variants of an app alternate, and each figure is the median of
 * `BENCH_RUNS` rounds (at least 5). Two ratios: `app.synth()` alone (the phase the gate works in:
 * the strictest ratio) and building plus synthesizing the app (what `cdk synth` runs). Timings are
 * printed, never asserted. The raw samples land in bench/results/.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { cpus } from 'os';
import { join } from 'path';
import { APPS, BenchApp, DEFAULT_APPS } from './apps';

type Variant = 'bare' | 'empty-aspect' | 'empty-plugin' | 'aspect' | 'aspect-all' | 'plugin' | 'nag' | 'eval' | 'eval-nag';

interface Sample {
  readonly synthMs: number;
  readonly synthCpuMs: number;
  readonly appMs: number;
  readonly evaluateMs?: number;
  readonly warmEvaluateMs?: number;
  readonly evaluateCpuMs?: number;
  readonly gateInsideMs?: number;
  readonly peakRssMb: number;
}

const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const ONLY = process.env.BENCH_APPS?.split(',') ?? DEFAULT_APPS;
// `compliant` or `noncompliant` measures one variant of each app only (the goals concern the compliant one).
const COMPLIANCE = process.env.BENCH_COMPLIANCE === 'compliant' ? [true] : process.env.BENCH_COMPLIANCE === 'noncompliant' ? [false] : [true, false];
const COMPLIANT: Variant[] = ['bare', 'empty-aspect', 'aspect', 'empty-plugin', 'plugin', 'nag', 'aspect-all', 'eval', 'eval-nag'];
const NONCOMPLIANT: Variant[] = ['bare', 'aspect', 'nag', 'eval'];

function measure(app: BenchApp, variant: Variant, compliant: boolean): Sample {
  const out = execFileSync(process.execPath, [
    '--expose-gc', '-r', 'ts-node/register/transpile-only', join(__dirname, 'measure.ts'),
    app.name, variant, compliant ? 'compliant' : 'noncompliant',
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' }, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(7)} ms`;
const ratio = (a: number, b: number) => `×${(a / b).toFixed(3)}`;

function benchmark(app: BenchApp, compliant: boolean): string[] {
  const variants = compliant ? COMPLIANT : NONCOMPLIANT;
  const samples = new Map<Variant, Sample[]>(variants.map(v => [v, []]));
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order between rounds so that no variant always runs on a warmer machine.
    const order = run % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      samples.get(variant)!.push(measure(app, variant, compliant));
    }
    process.stderr.write('.');
  }
  const synth = (v: Variant) => median(samples.get(v)!.map(s => s.synthMs));
  const whole = (v: Variant) => median(samples.get(v)!.map(s => s.appMs));
  const cpu = (v: Variant) => median(samples.get(v)!.map(s => s.synthCpuMs));
  const rss = (v: Variant) => Math.max(...samples.get(v)!.map(s => s.peakRssMb));
  const evaluate = (v: Variant) => median(samples.get(v)!.map(s => s.evaluateMs!));
  const warm = (v: Variant) => median(samples.get(v)!.map(s => s.warmEvaluateMs!));
  const bare = synth('bare');
  const bareWhole = whole('bare');
  const title = `${app.name} (${app.resources} resources, ${app.stacks} stack${app.stacks > 1 ? 's' : ''}), ${compliant ? 'compliant' : 'non-compliant, gates at warning level'}`;
  const lines = [title];
  lines.push(`  ${''.padEnd(36)} ${'app.synth()'.padStart(10)}  ${'ratio'.padEnd(7)}  ${'build+synth'.padStart(11)}  ${'ratio'.padEnd(7)}  `
    + `${'synth CPU'.padStart(10)}  peak RSS`);
  const row = (label: string, v: Variant) => lines.push(`  ${label.padEnd(36)} ${fmt(synth(v))}  ${ratio(synth(v), bare).padEnd(7)}  `
    + `${fmt(whole(v)).padStart(11)}  ${ratio(whole(v), bareWhole).padEnd(7)}  ${fmt(cpu(v))}  ${rss(v).toFixed(0)} MB`);
  row('bare synth', 'bare');
  if (compliant) {
    row('synth + an empty Aspect (CDK\'s cost)', 'empty-aspect');
  }
  row('synth + EnforceEncryption (Aspect)', 'aspect');
  if (compliant) {
    row('synth + an empty plugin (CDK\'s cost)', 'empty-plugin');
    row('synth + EncryptionChecks (plugin)', 'plugin');
  }
  row('synth + cdk-nag v3 NagPack', 'nag');
  if (compliant) {
    // Not like for like: every rule of the gate, on every resource type of the app.
    row('synth + EnforceEncryption, all rules', 'aspect-all');
  }
  if (compliant) {
    // The goals of the gate-semantics issue: its own cost above CDK's cost of any Aspect, as a share
    // of bare synthesis, and its extra time next to cdk-nag's matching rules.
    const own = synth('aspect') - synth('empty-aspect');
    const gateExtra = synth('aspect') - bare;
    const pluginExtra = synth('plugin') - bare;
    const nagExtra = synth('nag') - bare;
    const times = (extra: number) => extra > 0 ? ` (cdk-nag/gate ${(nagExtra / extra).toFixed(1)}×)` : ' (gate within noise of bare)';
    lines.push(`  gate's own cost above an empty Aspect: ${own.toFixed(0)} ms = ${(100 * own / bare).toFixed(1)} % of bare synth`);
    // cdk-nag 3 is a validation plugin, so it pays no Aspect walk: the Aspect's extra time includes
    // CDK's cost of any Aspect, the plugin's does not. Both are shown.
    lines.push(`  extra time over bare synth: gate Aspect ${gateExtra.toFixed(0)} ms, cdk-nag ${nagExtra.toFixed(0)} ms${times(gateExtra)}`);
    lines.push(`  extra time over bare synth, both validation plugins: gate ${pluginExtra.toFixed(0)} ms, cdk-nag ${nagExtra.toFixed(0)} ms${times(pluginExtra)}`);
    // Above CDK's floor of any plugin, the rules' own cost: the gate's and cdk-nag's compared alone.
    const pluginOwn = synth('plugin') - synth('empty-plugin');
    const nagOwn = synth('nag') - synth('empty-plugin');
    lines.push(`  above an empty plugin (CDK's cost of any plugin, ${(synth('empty-plugin') - bare).toFixed(0)} ms): gate ${pluginOwn.toFixed(0)} ms, `
      + `cdk-nag ${nagOwn.toFixed(0)} ms${pluginOwn > 0 ? ` (cdk-nag/gate ${(nagOwn / pluginOwn).toFixed(1)}×)` : ''}`);
    // The gate's own code, timed inside the synthesis (see measure.ts): the steadiest of these figures.
    const inside = (v: Variant) => median(samples.get(v)!.map(s => s.gateInsideMs ?? NaN));
    lines.push(`  timed inside the synthesis: the Aspect's visits and validations ${inside('aspect').toFixed(0)} ms = `
      + `${(100 * inside('aspect') / bare).toFixed(1)} % of bare synth; the plugin's validate ${inside('plugin').toFixed(0)} ms = ${(100 * inside('plugin') / bare).toFixed(1)} %`);
    // The goals of the gate-semantics issue, said plainly for this app (medians of this run).
    const goals = [`cheaper than cdk-nag's matching rules: ${gateExtra < nagExtra ? 'met' : 'NOT met'}`];
    if (app.stacks === 50) {
      goals.push(`own cost <= 2 % of bare synth: ${own <= 0.02 * bare ? 'met' : 'NOT met'} (${(100 * own / bare).toFixed(1)} %)`);
    }
    if (app.stacks === 1) {
      goals.push(`>= 10x less extra time than cdk-nag: ${nagExtra >= 10 * gateExtra ? 'met' : 'NOT met'} (${gateExtra > 0 ? (nagExtra / gateExtra).toFixed(1) : '-'}x)`);
    }
    lines.push(`  goals: ${goals.join('; ')}`);
    const ownCpu = cpu('aspect') - cpu('empty-aspect');
    lines.push(`  in CPU time: gate's own cost ${ownCpu.toFixed(0)} ms = ${(100 * ownCpu / cpu('bare')).toFixed(1)} % of bare; extra over bare: `
      + `gate Aspect ${(cpu('aspect') - cpu('bare')).toFixed(0)} ms, gate plugin ${(cpu('plugin') - cpu('bare')).toFixed(0)} ms, cdk-nag ${(cpu('nag') - cpu('bare')).toFixed(0)} ms`);
  }
  {
    // How much one variant varies from run to run on this machine: differences smaller than this
    // spread are noise, whatever the medians say.
    const spread = samples.get('bare')!.map(s => s.synthMs);
    lines.push(`  noise: bare synth took ${Math.min(...spread).toFixed(0)} to ${Math.max(...spread).toFixed(0)} ms across the ${RUNS} runs`);
  }
  if (compliant) {
    // The fastest of the runs: what a busy machine (another process on the 2 cores) disturbs least.
    const min = (v: Variant) => Math.min(...samples.get(v)!.map(s => s.synthMs));
    const ownMin = min('aspect') - min('empty-aspect');
    lines.push(`  fastest of ${RUNS} runs (least disturbed by other processes): bare ${min('bare').toFixed(0)}, empty Aspect ${min('empty-aspect').toFixed(0)}, `
      + `gate Aspect ${min('aspect').toFixed(0)}, empty plugin ${min('empty-plugin').toFixed(0)}, gate plugin ${min('plugin').toFixed(0)}, cdk-nag ${min('nag').toFixed(0)}, all rules ${min('aspect-all').toFixed(0)} ms`);
    lines.push(`    gate's own cost ${ownMin.toFixed(0)} ms = ${(100 * ownMin / min('bare')).toFixed(1)} % of bare; extra over bare: gate Aspect `
      + `${(min('aspect') - min('bare')).toFixed(0)} ms, gate plugin ${(min('plugin') - min('bare')).toFixed(0)} ms, cdk-nag ${(min('nag') - min('bare')).toFixed(0)} ms`);
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', `${app.name}-${compliant ? 'compliant' : 'noncompliant'}.json`), JSON.stringify(Object.fromEntries(samples), undefined, 1));
  const ours = evaluate('eval');
  const cpuOf = (v: Variant) => median(samples.get(v)!.map(s => s.evaluateCpuMs ?? NaN));
  lines.push(`  ${'rule evaluation alone, ours'.padEnd(36)} ${fmt(ours)} cold (CPU ${cpuOf('eval').toFixed(0)} ms), ${fmt(warm('eval'))} warm`);
  if (compliant) {
    const nag = evaluate('eval-nag');
    lines.push(`  ${'rule evaluation alone, cdk-nag'.padEnd(36)} ${fmt(nag)} cold (CPU ${cpuOf('eval-nag').toFixed(0)} ms), ${fmt(warm('eval-nag'))} warm`
      + `  (ours is ${(nag / ours).toFixed(1)}× faster cold, ${(warm('eval-nag') / warm('eval')).toFixed(1)}× warm)`);
  }
  return lines;
}

function main(): void {
  const apps = APPS.filter(a => ONLY.includes(a.name));
  const report: string[] = [
    `cdk-encryption-guard benchmark: median of ${RUNS} runs, one fresh process per measurement, built-in CloudFormation validator off`,
    `node ${process.version}, ${cpus().length} CPUs`,
    '',
  ];
  for (const app of apps) {
    for (const compliant of COMPLIANCE) {
      report.push(...benchmark(app, compliant), '');
    }
  }
  process.stderr.write('\n');
  console.log(report.join('\n'));
}

main();
