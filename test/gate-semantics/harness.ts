import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, AppProps, Aspects, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { EncryptionChecks, EncryptionGate, EncryptionGateOptions, EnforceEncryption } from '../../src';
import { cdkVersionProblem, installedCdkVersion } from '../../src/private/cdk-version';

/**
 * Runs one app factory through the three front ends of the gate and returns, per front end, the
 * set of `ruleId path kind` lines (error and warning findings; acknowledged ones are left out), or
 * a crash: an exception that is not the gate's ordinary "synthesis failed" report.
 */
export const ACCOUNT = '111111111111';

export type Front = 'aspect' | 'plugin' | 'evaluate';
/**
 * The plugin needs a newer aws-cdk-lib than the rest (src/private/cdk-version.ts): at the package's
 * floor (the CI floor job) the semantics are checked through the Aspect and evaluate only.
 */
const PLUGIN_AVAILABLE = cdkVersionProblem('EncryptionChecks', installedCdkVersion()) === undefined;
export const FRONTS: readonly Front[] = PLUGIN_AVAILABLE ? ['aspect', 'plugin', 'evaluate'] : ['aspect', 'evaluate'];

export interface FrontResult {
  readonly lines: Set<string>;
  /** The message of an unexpected exception (the gate itself threw), if any. */
  readonly crash?: string;
}
export type Results = Record<Front, FrontResult>;

export type Factory = (app: App) => void;

export function newApp(props: AppProps = {}): App {
  return new App({ builtinCloudFormationValidation: false, ...props });
}

export function envStack(scope: IConstruct, id = 'Stack', region = 'eu-west-1', props: StackProps = {}): Stack {
  return new Stack(scope as any, id, { env: { account: ACCOUNT, region }, ...props });
}

/** An HTTPS listener on a new load balancer with a TLS 1.2+ policy and this certificate (the fixture of the ELB certificate cases). */
export function httpsListener(stack: Stack, certificateArn: string): elbv2.CfnListener {
  const alb = new elbv2.CfnLoadBalancer(stack, 'Alb', { subnets: ['subnet-1', 'subnet-2'] });
  return new elbv2.CfnListener(stack, 'Listener', {
    loadBalancerArn: alb.ref,
    port: 443,
    protocol: 'HTTPS',
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    certificates: [{ certificateArn }],
    defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }],
  });
}

function quietly<T>(fn: () => T): T {
  const spies = (['log', 'error', 'warn', 'info'] as const).map(m => jest.spyOn(console, m).mockImplementation(() => undefined));
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return fn();
  } finally {
    spies.forEach(s => s.mockRestore());
    write.mockRestore();
    out.mockRestore();
  }
}

function kindOf(message: string): string {
  return /An unresolvable value is not a pass/.test(message) ? 'unresolvable' : 'non-compliant';
}

/** Synthesizes; returns the exception unless it is CDK's ordinary validation failure (kept in `failures`). */
function synth(app: App, failures: string[] = []): string | undefined {
  try {
    quietly(() => app.synth());
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if ((e as { name?: string }).name === 'ValidationFailed' || /^Validation failed with the following errors/.test(message)) {
      failures.push(message);
      return undefined;
    }
    return `${message}\n${e instanceof Error ? (e.stack ?? '').split('\n').slice(1, 6).join('\n') : ''}`;
  }
}

function annotationLines(app: App): Set<string> {
  const lines = new Set<string>();
  const visit = (c: IConstruct) => {
    for (const m of c.node.metadata) {
      if (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') {
        const text = String(m.data);
        const id = /^(CEG-[A-Z0-9]+-\d+):/.exec(text);
        if (id) {
          lines.add(`${id[1]} ${c.node.path} ${kindOf(text)}`);
        }
      }
    }
    c.node.children.forEach(visit);
  };
  visit(app);
  return lines;
}

export function runAspect(factory: Factory, options: EncryptionGateOptions = {}): FrontResult {
  try {
    const app = newApp();
    factory(app);
    Aspects.of(app).add(new EnforceEncryption(options));
    const failures: string[] = [];
    const crash = synth(app, failures);
    const lines = annotationLines(app);
    // Stages the App's Aspect cannot reach: their errors are listed only in the exception
    // (`<path>: CEG-X-n: ... (in Stage "...", which Aspects of the App do not reach ...)`).
    for (const failure of failures) {
      for (const m of failure.matchAll(/(\S+): (CEG-[A-Z0-9]+-\d+): (.*?)\(in Stage "/g)) {
        lines.add(`${m[2]} ${m[1]} ${kindOf(m[3])}`);
      }
    }
    // Errors in Stages the App's Aspect cannot reach come back only in the exception.
    return crash === undefined ? { lines } : { lines, crash };
  } catch (e) {
    return { lines: new Set(), crash: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
  }
}

export function runPlugin(factory: Factory, options: EncryptionGateOptions = {}): FrontResult {
  try {
    const app = newApp();
    factory(app);
    Validations.of(app).addPlugins(new EncryptionChecks(options));
    const crash = synth(app);
    const lines = new Set<string>();
    const path = join(app.outdir, 'validation-report.json');
    if (existsSync(path)) {
      const report = JSON.parse(readFileSync(path, 'utf8'));
      for (const plugin of report.pluginReports ?? []) {
        if (plugin.pluginName !== 'EncryptionChecks') {
          continue;
        }
        for (const v of plugin.violations ?? []) {
          if (v.severity === 'info') {
            continue;
          }
          for (const c of v.violatingConstructs ?? []) {
            lines.add(`${v.ruleName} ${c.constructPath} ${v.ruleMetadata?.kind ?? '?'}`);
          }
        }
      }
    }
    return crash === undefined ? { lines } : { lines, crash };
  } catch (e) {
    return { lines: new Set(), crash: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
  }
}

export function runEvaluate(factory: Factory, options: EncryptionGateOptions = {}): FrontResult {
  try {
    const app = newApp();
    factory(app);
    // Synthesize first (cross-stack references are made then); no front end is attached.
    quietly(() => app.synth());
    const findings = EncryptionGate.evaluate(app, options);
    return { lines: new Set(findings.filter(f => !f.acknowledged && f.level !== 'info').map(f => `${f.ruleId} ${f.constructPath} ${f.kind}`)) };
  } catch (e) {
    return { lines: new Set(), crash: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
  }
}

/** The three front ends on fresh apps built by `factory`. */
export function runAll(factory: Factory, options: EncryptionGateOptions = {}): Results {
  const aspect = runAspect(factory, options);
  return { aspect, plugin: PLUGIN_AVAILABLE ? runPlugin(factory, options) : aspect, evaluate: runEvaluate(factory, options) };
}

/** `pass`, `non-compliant`, `unresolvable`, or `crash: ...` of one rule on one path in one front end. */
export function verdictIn(result: FrontResult, ruleId: string, path: string): string {
  if (result.crash !== undefined) {
    return `crash: ${result.crash.split('\n')[0]}`;
  }
  const kinds = [...result.lines].filter(l => l.startsWith(`${ruleId} ${path} `)).map(l => l.split(' ')[2]);
  if (kinds.length === 0) {
    return 'pass';
  }
  return kinds.sort().join('+');
}

/**
 * The verdict of one rule on one resource, if the three front ends agree; otherwise a string that
 * shows the disagreement (so that `expect(verdict(...)).toBe('pass')` fails on it, readably).
 */
export function verdict(results: Results, ruleId: string, path: string): string {
  const each = FRONTS.map(f => [f, verdictIn(results[f], ruleId, path)] as const);
  return new Set(each.map(e => e[1])).size === 1 ? each[0][1] : each.map(([f, v]) => `${f}=${v}`).join(' | ');
}

/** Crashes of any front end (empty when none threw). */
export function crashes(results: Results): string[] {
  return FRONTS.filter(f => results[f].crash !== undefined).map(f => `${f}: ${results[f].crash!.split('\n').slice(0, 3).join(' / ')}`);
}

/** Every `ruleId path kind` line of one front end for one rule. */
export function linesOf(result: FrontResult, ruleId: string): string[] {
  return [...result.lines].filter(l => l.startsWith(`${ruleId} `)).sort();
}

/**
 * The three front ends on ONE app and one synthesis (Aspect and plugin registered together, then
 * `evaluate` on the synthesized tree): cheaper, for crash-proofing where only "did it throw" counts.
 */
export function runCombined(factory: Factory, options: EncryptionGateOptions = {}): Results {
  const crashed = (e: unknown): FrontResult => ({ lines: new Set(), crash: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  let app: App;
  try {
    app = newApp();
    factory(app);
    Aspects.of(app).add(new EnforceEncryption(options));
    if (PLUGIN_AVAILABLE) {
      Validations.of(app).addPlugins(new EncryptionChecks(options));
    }
  } catch (e) {
    return { aspect: crashed(e), plugin: crashed(e), evaluate: crashed(e) };
  }
  const crash = synth(app);
  const synthesized: FrontResult = crash === undefined ? { lines: annotationLines(app) } : { lines: new Set(), crash };
  let evaluate: FrontResult;
  try {
    evaluate = { lines: new Set(EncryptionGate.evaluate(app, options).map(f => `${f.ruleId} ${f.constructPath} ${f.kind}`)) };
  } catch (e) {
    evaluate = crashed(e);
  }
  return { aspect: synthesized, plugin: synthesized, evaluate };
}
