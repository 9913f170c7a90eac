import { CfnCondition, CfnParameter, Stack } from 'aws-cdk-lib';
import { pseudoParameterOf, StackFacts } from './deploy-values';
import { ReferenceTable } from './resource-reference';
import { ResourceRecord } from './resource-view';

/** One stack's part of the index; also what values in its template can know (`StackFacts`). */
export class StackEntry implements StackFacts {
  public readonly resources: ResourceRecord[] = [];
  public readonly parameters: CfnParameter[] = [];
  public readonly conditions: CfnCondition[] = [];
  private readonly byType = new Map<string, ResourceRecord[]>();
  private readonly logicalIds = new Map<string, Map<string, ResourceRecord>>();
  private parameterIds?: Map<string, CfnParameter>;
  private conditionIds?: Map<string, CfnCondition>;
  private readonly expressions = new Map<string, unknown>();
  private filled: boolean;

  /**
   * @param walk fills the lists from the stack's part of the tree (on first need); `undefined` for
   * a stack outside the tree below the root, whose lists hold only the resources asked about.
   */
  constructor(public readonly stack: Stack, private readonly table: ReferenceTable, private readonly walk?: (stack: Stack) => void) {
    this.filled = walk === undefined;
  }

  /** Whether the lists come from a walk of the stack (else from the resources asked about). */
  public get walkable(): boolean {
    return this.walk !== undefined;
  }

  /** Whether the lists are filled (or need no walk). */
  public get isFilled(): boolean {
    return this.filled;
  }

  /** Fills the lists from the stack's part of the tree, once. */
  public fill(): void {
    if (!this.filled) {
      this.filled = true;
      this.walk!(this.stack);
    }
  }


  public add(record: ResourceRecord): void {
    this.resources.push(record);
    const list = this.byType.get(record.resource.cfnResourceType) ?? [];
    list.push(record);
    this.byType.set(record.resource.cfnResourceType, list);
    this.logicalIds.delete(record.resource.cfnResourceType);
  }

  public ofType(type: string): readonly ResourceRecord[] {
    this.fill();
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
    this.fill();
    if (this.parameterIds === undefined) {
      this.parameterIds = new Map(this.parameters.map(p => [this.stack.resolve(p.logicalId) as string, p]));
    }
    return this.parameterIds.get(logicalId);
  }

  public pseudo(name: string): string | undefined {
    return pseudoParameterOf(this.stack, name);
  }

  public conditionExpression(logicalId: string): unknown {
    this.fill();
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
