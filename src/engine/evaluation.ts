import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AppIndex } from './app-index';
import { createdAfter } from './creation-order';
import { environmentOf } from './environments';
import { Relations } from './relations';
import { ReferenceTable } from './resource-reference';
import { ResourceRecord, ResourceView } from './resource-view';
import { Failure, Rule, unresolvable, Verdict } from './rule';
import { MemoKey, ParameterFacts, RuleContext, RuleSettings, TargetSpec } from './rule-context';
import { Reading } from './values';
import { Fork, ImpossibleWorld, MAX_WORLDS, World } from './worlds';

/** A rule's failing verdict on one resource: the raw material of a finding. */
export interface Judgement {
  readonly rule: Rule;
  readonly record: ResourceRecord;
  readonly verdict: Failure;
}

/** Thrown by `memo` when a computation needs its own result: resources that refer to each other in a loop. */
class ReferenceLoop extends Error {}

/**
 * One evaluation of the gate over an app: one index, one reference table, one set of memoized
 * values, whatever the number of front ends, stacks and Stages that ask. Rules are judged per
 * resource in every world its values depend on (see `World`); a judgement that fails to read a
 * value ends in an unresolvable finding that says so, never in a pass or an exception.
 */
export class Evaluation implements RuleContext {
  public readonly index: AppIndex;
  private readonly table = new ReferenceTable();
  private readonly relations: Relations;
  private readonly memos = new Map<MemoKey<unknown>, Map<ResourceView, { value?: unknown; done: boolean }>>();
  private readonly verdicts = new Map<Rule, Map<ResourceRecord, Failure | undefined>>();

  /**
   * @param scope where resources and their relations are searched: the app, or the Stage being
   * synthesized (a Stage is synthesized on its own, before the app; references cannot cross Stages).
   */
  constructor(scope: IConstruct, public readonly settings: RuleSettings) {
    this.index = new AppIndex(scope, this.table);
    this.relations = new Relations(this.index, this.table);
  }

  /** The failing verdict of one rule on one resource (memoized), or `undefined` when it passes. */
  public judge(rule: Rule, resource: CfnResource): Failure | undefined {
    const record = this.index.recordOf(resource);
    let byRecord = this.verdicts.get(rule);
    if (byRecord === undefined) {
      byRecord = new Map();
      this.verdicts.set(rule, byRecord);
    }
    if (!byRecord.has(record)) {
      byRecord.set(record, this.judgeInEveryWorld(rule, record));
    }
    return byRecord.get(record);
  }

  /** The failing verdicts of `rules` on every resource of one stack, rule by rule, type by type. */
  public judgeStack(stack: Stack, rules: readonly Rule[]): Judgement[] {
    const judgements: Judgement[] = [];
    for (const rule of rules) {
      for (const type of rule.resourceTypes) {
        for (const record of this.index.ofType(stack, type)) {
          const verdict = this.judge(rule, record.resource);
          if (verdict !== undefined) {
            judgements.push({ rule, record, verdict });
          }
        }
      }
    }
    return judgements;
  }

  private judgeInEveryWorld(rule: Rule, record: ResourceRecord): Failure | undefined {
    // Most templates have no conditions: one judgement in the empty world says it all, without the
    // bookkeeping of several worlds. A read that forks starts the exploration of both branches.
    const first = this.judgeInOneWorld(rule, record, World.EMPTY);
    if (!(first instanceof Fork)) {
      return isFailure(first) ? first : undefined;
    }
    const results: Array<{ world: World; verdict: Failure }> = [];
    const queue: World[] = [World.EMPTY.with(first.atom, true, first.label), World.EMPTY.with(first.atom, false, first.label)];
    // The bound is on combinations (worlds judged to the end), not on judgements: each world
    // waiting in the queue ends in one combination at least.
    let combinations = 0;
    while (queue.length > 0) {
      if (combinations + queue.length > MAX_WORLDS) {
        return unresolvable(`Its verdict depends on more than ${MAX_WORLDS} combinations of CloudFormation conditions, more than the gate explores`, 'Properties');
      }
      const world = queue.shift()!;
      const verdict = this.judgeInOneWorld(rule, record, world);
      if (verdict instanceof Fork) {
        queue.push(world.with(verdict.atom, true, verdict.label), world.with(verdict.atom, false, verdict.label));
        continue;
      }
      combinations++;
      if (isFailure(verdict)) {
        results.push({ world, verdict });
      }
    }
    const failure = results.find(r => r.verdict.kind === 'non-compliant') ?? results[0];
    if (failure === undefined) {
      return undefined;
    }
    const when = failure.world.describe();
    return when === '' ? failure.verdict : { ...failure.verdict, message: `${capitalize(when)}: ${lowerFirst(failure.verdict.message)}` };
  }

  /**
   * The verdict in one world (`undefined` when the resource does not exist there), or the `Fork`
   * of a read that depends on a condition the world leaves undecided.
   */
  private judgeInOneWorld(rule: Rule, record: ResourceRecord, world: World): Verdict | Fork | undefined {
    try {
      const view = record.in(world);
      return view.exists() ? rule.check(view, this) : undefined;
    } catch (e) {
      if (e instanceof ImpossibleWorld) {
        return undefined;
      }
      if (e instanceof Fork) {
        return e;
      }
      if (e instanceof ReferenceLoop) {
        return unresolvable(e.message, 'Properties');
      }
      const message = e instanceof Error ? e.message : String(e);
      return unresolvable(`The gate could not read this resource (${message}); please report this defect of cdk-encryption-guard`, 'Properties');
    }
  }

  public target(from: ResourceView, path: readonly string[], spec: TargetSpec): Reading<ResourceView> {
    return this.relations.target(from, path, spec);
  }

  public exported(from: ResourceView, name: string): Reading<unknown> {
    return this.relations.exported(from, name, 'the value');
  }

  public referrers(target: ResourceView, type: string, path: readonly string[], spec: TargetSpec): Reading<ResourceView[]> {
    return this.relations.referrers(target, type, path, spec);
  }

  public inSameEnvironment(view: ResourceView, type: string): ResourceView[] {
    const all = this.index.allOfType(type);
    if (all.length === 0) {
      return [];
    }
    const here = environmentOf(view.stack);
    if (here.account === undefined || here.region === undefined) {
      return [];
    }
    return all
      .filter(r => {
        const there = environmentOf(r.stack);
        return there.account === here.account && there.region === here.region;
      })
      .map(r => r.in(view.world))
      .filter(v => v.exists());
  }

  public createdAfter(later: ResourceView, earlier: ResourceView): boolean {
    return createdAfter(later, earlier, {
      recordOf: r => this.index.recordOf(r),
      byLogicalId: (stack, logicalId) => this.index.anyByLogicalId(stack, logicalId)?.resource,
    });
  }

  public isParameter(view: ResourceView, logicalId: string): boolean {
    return this.index.isParameter(view.stack, logicalId);
  }

  public parameter(view: ResourceView, logicalId: string): ParameterFacts | undefined {
    return this.parameterOf(view.stack, logicalId, 0);
  }

  private parameterOf(stack: Stack, logicalId: string, depth: number): ParameterFacts | undefined {
    const parameter = this.index.parameterOf(stack, logicalId);
    if (parameter === undefined) {
      return undefined;
    }
    const noEcho = parameter.noEcho === true;
    if (stack.nestedStackResource === undefined) {
      return { type: parameter.type, default: stack.resolve(parameter.default), noEcho };
    }
    // A nested stack's parameter is what its parent gives it: a literal (a dynamic reference kept
    // as written), its own default when the parent gives nothing, or a parameter of the parent.
    const passed = this.index.parentPasses(stack, logicalId);
    if (passed === undefined && depth < 32) {
      const from = this.index.parentParameterOf(stack, logicalId);
      const parent = from === undefined ? undefined : this.parameterOf(from.stack, from.logicalId, depth + 1);
      if (parent !== undefined) {
        // That one's value, resolved from an SSM path by whichever of the two has an SSM type;
        // secret if either is NoEcho.
        const ssm = parameter.type?.startsWith('AWS::SSM::Parameter::Value') ? parameter.type : parent.type;
        return { type: ssm, default: parent.default, noEcho: noEcho || parent.noEcho === true };
      }
    }
    const own = stack.resolve(parameter.default);
    return { type: parameter.type, default: passed === null ? (typeof own === 'string' ? own : undefined) : passed, noEcho };
  }

  public memo<T>(key: MemoKey<T>, view: ResourceView, compute: () => T): T {
    let memo = this.memos.get(key);
    if (memo === undefined) {
      memo = new Map();
      this.memos.set(key, memo);
    }
    const entry = memo.get(view);
    if (entry !== undefined) {
      if (!entry.done) {
        throw new ReferenceLoop(`${view.displayName} is reached again while reading it (${key.name}): its resources refer to each other in a loop`);
      }
      return entry.value as T;
    }
    const pending: { value?: unknown; done: boolean } = { done: false };
    memo.set(view, pending);
    try {
      pending.value = compute();
      pending.done = true;
      return pending.value as T;
    } finally {
      if (!pending.done) {
        memo.delete(view);
      }
    }
  }
}

function isFailure(verdict: Verdict | undefined): verdict is Failure {
  return verdict !== undefined && (verdict.kind === 'non-compliant' || verdict.kind === 'unresolvable');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  // Keep names that start with capitals (`SSEAlgorithm`, `BucketEncryption`) as they are.
  return /^[A-Z][a-z]/.test(text) && !/^[A-Z][a-z]+[A-Z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
