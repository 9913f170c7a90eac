import { CfnCondition, CfnOutput, CfnParameter, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { pseudoParameterOf, StackFacts } from './deploy-values';
import { ReferenceTable } from './resource-reference';
import { ResourceRecord } from './resource-view';

/**
 * Everything the gate looks up, for the whole app, built in one walk of the construct tree per
 * evaluation: every stack (nested stacks and Stages at any depth included), its resources by type
 * (also those created under another L1), parameters, conditions and exports. Logical IDs, which
 * CDK hashes, are computed only for the types and stacks a lookup asks about.
 */
export class AppIndex {
  /** Every stack of the app, in construct order. */
  public readonly stacks: Stack[] = [];
  private readonly entries = new Map<Stack, StackEntry>();
  private readonly records = new Map<CfnResource, ResourceRecord>();
  private readonly byType = new Map<string, ResourceRecord[]>();
  private readonly outputs: CfnOutput[] = [];
  private exports?: Map<string, CfnOutput>;

  constructor(root: IConstruct, private readonly table: ReferenceTable) {
    this.walk(root, undefined);
  }

  /** The record of a resource (created on demand for resources added after the walk). */
  public recordOf(resource: CfnResource): ResourceRecord {
    return this.records.get(resource) ?? this.add(resource, this.entryOf(Stack.of(resource)));
  }

  /** Whether the resource was in the tree when the index was built. */
  public has(resource: CfnResource): boolean {
    return this.records.has(resource);
  }

  /** The facts of one stack. */
  public factsOf(stack: Stack): StackFacts {
    return this.entryOf(stack);
  }

  /** The resources of one type in one stack. */
  public ofType(stack: Stack, type: string): readonly ResourceRecord[] {
    return this.entryOf(stack).ofType(type);
  }

  /** The resources of one type in the whole app. */
  public allOfType(type: string): readonly ResourceRecord[] {
    return this.byType.get(type) ?? [];
  }

  /** The resources of one stack, in construct order. */
  public resourcesOf(stack: Stack): readonly ResourceRecord[] {
    return this.entryOf(stack).resources;
  }

  /** The resource of one of `types` with this logical ID in `stack`. */
  public byLogicalId(stack: Stack, logicalId: string, types: readonly string[]): ResourceRecord | undefined {
    return this.entryOf(stack).byLogicalId(logicalId, types);
  }

  /** Whether this logical ID names a parameter of `stack`. */
  public isParameter(stack: Stack, logicalId: string): boolean {
    return this.entryOf(stack).isParameter(logicalId);
  }

  /** The parameter of `stack` with this logical ID, if any. */
  public parameterOf(stack: Stack, logicalId: string): CfnParameter | undefined {
    return this.entryOf(stack).parameterOf(logicalId);
  }

  /** The output of this app that exports `name`, if any. */
  public exportNamed(name: string): CfnOutput | undefined {
    if (this.exports === undefined) {
      this.exports = new Map();
      for (const output of this.outputs) {
        const exportName = output.exportName === undefined ? undefined : Stack.of(output).resolve(output.exportName);
        if (typeof exportName === 'string') {
          this.exports.set(exportName, output);
        }
      }
    }
    return this.exports.get(name);
  }

  private entryOf(stack: Stack): StackEntry {
    let entry = this.entries.get(stack);
    if (entry === undefined) {
      entry = new StackEntry(stack, this.table);
      this.entries.set(stack, entry);
      this.stacks.push(stack);
    }
    return entry;
  }

  private walk(construct: IConstruct, entry: StackEntry | undefined): void {
    if (Stack.isStack(construct)) {
      entry = this.entryOf(construct);
    } else if (entry !== undefined) {
      if (CfnResource.isCfnResource(construct)) {
        this.add(construct, entry);
      } else if (construct instanceof CfnParameter) {
        entry.parameters.push(construct);
      } else if (construct instanceof CfnCondition) {
        entry.conditions.push(construct);
      } else if (construct instanceof CfnOutput) {
        this.outputs.push(construct);
      }
    }
    // Constructs may sit below an L1 too: walk every child.
    for (const child of construct.node.children) {
      this.walk(child, entry);
    }
  }

  private add(resource: CfnResource, entry: StackEntry): ResourceRecord {
    const record = new ResourceRecord(resource, entry, this.table);
    this.records.set(resource, record);
    entry.add(record);
    const list = this.byType.get(record.resource.cfnResourceType) ?? [];
    list.push(record);
    this.byType.set(record.resource.cfnResourceType, list);
    return record;
  }
}

/** One stack's part of the index; also what values in its template can know (`StackFacts`). */
class StackEntry implements StackFacts {
  public readonly resources: ResourceRecord[] = [];
  public readonly parameters: CfnParameter[] = [];
  public readonly conditions: CfnCondition[] = [];
  private readonly byType = new Map<string, ResourceRecord[]>();
  private readonly logicalIds = new Map<string, Map<string, ResourceRecord>>();
  private parameterIds?: Map<string, CfnParameter>;
  private conditionIds?: Map<string, CfnCondition>;
  private readonly expressions = new Map<string, unknown>();

  constructor(public readonly stack: Stack, private readonly table: ReferenceTable) {}

  public add(record: ResourceRecord): void {
    this.resources.push(record);
    const list = this.byType.get(record.resource.cfnResourceType) ?? [];
    list.push(record);
    this.byType.set(record.resource.cfnResourceType, list);
    this.logicalIds.delete(record.resource.cfnResourceType);
  }

  public ofType(type: string): readonly ResourceRecord[] {
    return this.byType.get(type) ?? [];
  }

  public byLogicalId(logicalId: string, types: readonly string[]): ResourceRecord | undefined {
    for (const type of types) {
      let map = this.logicalIds.get(type);
      if (map === undefined) {
        map = new Map(this.ofType(type).map(r => [r.logicalId, r]));
        this.logicalIds.set(type, map);
      }
      const found = map.get(logicalId);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }

  public isParameter(logicalId: string): boolean {
    return this.parameterOf(logicalId) !== undefined;
  }

  public parameterOf(logicalId: string): CfnParameter | undefined {
    if (this.parameterIds === undefined) {
      this.parameterIds = new Map(this.parameters.map(p => [this.stack.resolve(p.logicalId) as string, p]));
    }
    return this.parameterIds.get(logicalId);
  }

  public pseudo(name: string): string | undefined {
    return pseudoParameterOf(this.stack, name);
  }

  public conditionExpression(logicalId: string): unknown {
    if (this.conditionIds === undefined) {
      this.conditionIds = new Map(this.conditions.map(c => [this.stack.resolve(c.logicalId) as string, c]));
    }
    if (!this.expressions.has(logicalId)) {
      const condition = this.conditionIds.get(logicalId);
      this.expressions.set(logicalId, condition === undefined ? undefined : this.table.resolve(this.stack, condition.expression));
    }
    return this.expressions.get(logicalId);
  }
}

/** The account and Region of a stack as `account/region`, `?` for a part known only at deploy time. */
export function environmentOf(stack: Stack): { account?: string; region?: string } {
  return {
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
  };
}
