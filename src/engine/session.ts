import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgementReason } from './acknowledgements';
import { splitReferences } from './reference-resolver';
import { findTarget, TargetSpec } from './references';
import { ResourceView } from './resource-view';
import { RuleContext } from './rule-context';
import { StackIndex } from './stack-index';
import { intrinsicName } from './values';
import { Finding, FindingKind } from '../gate/finding';
import { ResolvedOptions } from '../gate/resolved-options';
import type { Rule, Verdict } from '../rules/rule';

/**
 * One evaluation of the gate over an app (one synthesis, or one `EncryptionGate.evaluate` call).
 * It owns the per-stack indexes and memoized verdicts, so every resource is read once and every
 * related resource is found through an index.
 */
export class GateSession implements RuleContext {
  private readonly indexes = new Map<Stack, StackIndex>();
  private readonly memos = new Map<string, Map<ResourceView, unknown>>();
  private exports?: Map<string, { output: CfnOutput }>;
  private readonly names = new Map<string, Map<string, ResourceView[]>>();
  private readonly stackFindings = new Map<Stack, Map<CfnResource, Finding[]>>();
  private readonly reverse = new Map<Stack, Map<string, ReverseIndex>>();
  private readonly splits = new Map<string, unknown>();

  constructor(private readonly root: IConstruct, public readonly options: ResolvedOptions) {}

  public get settings(): ResolvedOptions {
    return this.options;
  }

  public indexOf(stack: Stack): StackIndex {
    let index = this.indexes.get(stack);
    if (index === undefined) {
      index = new StackIndex(stack);
      this.indexes.set(stack, index);
    }
    return index;
  }

  /** The findings of every selected rule on one resource. */
  public evaluateResource(resource: CfnResource): Finding[] {
    const rules = this.options.rulesFor(resource.cfnResourceType);
    if (rules.length === 0) {
      return [];
    }
    const view = this.indexOf(Stack.of(resource)).viewOf(resource);
    const findings: Finding[] = [];
    for (const rule of rules) {
      this.judge(rule, view, findings);
    }
    return findings;
  }

  /**
   * The findings on one resource, from an evaluation of its whole stack done once per session:
   * judging a stack rule by rule, type by type, keeps each rule's code hot.
   */
  public findingsOf(resource: CfnResource): Finding[] {
    const stack = Stack.of(resource);
    let byResource = this.stackFindings.get(stack);
    if (byResource === undefined) {
      byResource = this.judgeStack(stack);
      this.stackFindings.set(stack, byResource);
    }
    return byResource.get(resource) ?? (this.indexOf(stack).has(resource) ? [] : this.evaluateResource(resource));
  }

  /** The findings on every resource under `scope`, through nested stacks and stages. */
  public evaluateTree(scope: IConstruct): Finding[] {
    const findings: Finding[] = [];
    const visit = (construct: IConstruct) => {
      if (Stack.isStack(construct)) {
        findings.push(...this.evaluateStack(construct));
        this.indexOf(construct).children.forEach(visit);
      } else if (CfnResource.isCfnResource(construct)) {
        findings.push(...this.evaluateResource(construct));
      } else {
        construct.node.children.forEach(visit);
      }
    };
    visit(scope);
    return findings;
  }

  /** The findings on one stack and its nested stacks (not stages), by stack. */
  public evaluateStackAndNested(stack: Stack): Array<{ stack: Stack; findings: Finding[] }> {
    const results = [{ stack, findings: this.evaluateStack(stack) }];
    for (const child of this.indexOf(stack).children) {
      if (Stack.isStack(child)) {
        results.push(...this.evaluateStackAndNested(child));
      }
    }
    return results;
  }

  /** The findings on the resources of one stack (not its nested stacks), in construct order. */
  public evaluateStack(stack: Stack): Finding[] {
    const byResource = this.judgeStack(stack);
    return this.indexOf(stack).resources.flatMap(view => byResource.get(view.resource) ?? []);
  }

  private judgeStack(stack: Stack): Map<CfnResource, Finding[]> {
    const index = this.indexOf(stack);
    const byResource = new Map<CfnResource, Finding[]>();
    for (const rule of this.options.rules) {
      for (const type of rule.resourceTypes) {
        for (const view of index.ofType(type)) {
          let findings = byResource.get(view.resource);
          if (findings === undefined) {
            findings = [];
            byResource.set(view.resource, findings);
          }
          this.judge(rule, view, findings);
        }
      }
    }
    return byResource;
  }

  private judge(rule: Rule, view: ResourceView, findings: Finding[]): void {
    const verdict = rule.check(view, this);
    if (verdict.kind === 'non-compliant' || verdict.kind === 'unresolvable') {
      findings.push(this.toFinding(rule, view, verdict));
    }
  }

  public exportedResource(exportName: string, types: readonly string[]): ResourceView | undefined {
    if (this.exports === undefined) {
      this.exports = new Map();
      for (const output of constructsUnder(this.root, (c): c is CfnOutput => c instanceof CfnOutput)) {
        const name = output.exportName === undefined ? undefined : Stack.of(output).resolve(output.exportName);
        if (typeof name === 'string') {
          this.exports.set(name, { output });
        }
      }
    }
    const found = this.exports.get(exportName);
    if (found === undefined) {
      return undefined;
    }
    const stack = Stack.of(found.output);
    const value = stack.resolve(found.output.value);
    const ref = typeof value === 'object' && value !== null ? (value.Ref ?? value['Fn::GetAtt']) : undefined;
    const logicalId = Array.isArray(ref) ? ref[0] : ref;
    return typeof logicalId === 'string' ? this.indexOf(stack).byLogicalId(logicalId, types) : undefined;
  }

  public resourcesNamed(type: string, nameProperty: string, name: string): readonly ResourceView[] {
    const key = `${type}|${nameProperty}`;
    let map = this.names.get(key);
    if (map === undefined) {
      map = new Map();
      for (const stack of stacksUnder(this.root)) {
        for (const view of this.indexOf(stack).ofType(type)) {
          const value = view.read(nameProperty);
          if (typeof value === 'string') {
            const list = map.get(value.toLowerCase()) ?? [];
            list.push(view);
            map.set(value.toLowerCase(), list);
          }
        }
      }
      this.names.set(key, map);
    }
    return map.get(name.toLowerCase()) ?? [];
  }

  public referrers(target: ResourceView, type: string, path: string[], spec: TargetSpec): readonly ResourceView[] {
    return this.reverseIndex(target.stack, type, path, spec).byTarget.get(target) ?? [];
  }

  public unknownReferrer(stack: Stack, type: string, path: string[], spec: TargetSpec): string | undefined {
    return this.reverseIndex(stack, type, path, spec).unknown;
  }

  private reverseIndex(stack: Stack, type: string, path: string[], spec: TargetSpec): ReverseIndex {
    let byPath = this.reverse.get(stack);
    if (byPath === undefined) {
      byPath = new Map();
      this.reverse.set(stack, byPath);
    }
    const key = `${type}|${path.join('.')}`;
    let index = byPath.get(key);
    if (index === undefined) {
      index = { byTarget: new Map() };
      for (const referrer of this.indexOf(stack).ofType(type)) {
        const found = findTarget(this, referrer, path, spec);
        if (found.known) {
          const list = index.byTarget.get(found.value) ?? [];
          list.push(referrer);
          index.byTarget.set(found.value, list);
        } else if (index.unknown === undefined && intrinsicName(referrer.read(...path)) !== undefined) {
          // Known only at deploy time: it may refer to any resource of the stack.
          index.unknown = `${referrer.displayName} (${type}) refers to a ${spec.noun}, but ${found.why}`;
        }
      }
      byPath.set(key, index);
    }
    return index;
  }

  public splitReferences(value: string): unknown {
    let split = this.splits.get(value);
    if (split === undefined) {
      split = splitReferences(value);
      this.splits.set(value, split);
    }
    return split;
  }

  public memo<T>(purpose: string, view: ResourceView, compute: () => T): T {
    let memo = this.memos.get(purpose);
    if (memo === undefined) {
      memo = new Map();
      this.memos.set(purpose, memo);
    }
    if (memo.has(view)) {
      return memo.get(view) as T;
    }
    const value = compute();
    memo.set(view, value);
    return value;
  }

  private toFinding(rule: Rule, view: ResourceView, verdict: Verdict & { message: string; location: string }): Finding {
    const unresolvable = verdict.kind === 'unresolvable';
    const reason = acknowledgementReason(view.resource, rule.id);
    const message = unresolvable
      ? `${rule.id}: ${verdict.message}. An unresolvable value is not a pass: make it known at synth time, or acknowledge ${rule.id} with a reason.`
      : `${rule.id}: ${verdict.message}. Fix: ${rule.fix}`;
    return {
      ruleId: rule.id,
      kind: unresolvable ? FindingKind.UNRESOLVABLE : FindingKind.NON_COMPLIANT,
      level: this.options.levelOf(rule, unresolvable),
      message,
      detail: verdict.message,
      constructPath: view.path,
      stackPath: view.stack.node.path,
      logicalId: view.logicalId,
      resourceType: view.type,
      location: verdict.location,
      acknowledged: reason !== undefined,
      acknowledgementReason: reason,
    };
  }
}

/** Which resources of one type refer to which targets, and whether one refers to an unknown target. */
interface ReverseIndex {
  readonly byTarget: Map<ResourceView, ResourceView[]>;
  unknown?: string;
}

/** Every stack under `scope`, itself included, through stages and nested stacks. */
export function stacksUnder(scope: IConstruct): Stack[] {
  return constructsUnder(scope, Stack.isStack);
}

function constructsUnder<T extends IConstruct>(scope: IConstruct, accept: (c: IConstruct) => c is T): T[] {
  const found: T[] = [];
  const visit = (construct: IConstruct) => {
    if (accept(construct)) {
      found.push(construct);
    }
    for (const child of construct.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return found;
}
