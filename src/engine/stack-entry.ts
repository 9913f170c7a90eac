import { CfnCondition, CfnElement, CfnMapping, CfnParameter, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { DeployValues, ExportRead, pseudoParameterOf, StackFacts } from './deploy-values';
import { ReferenceTable } from './resource-reference';
import { ResourceRecord } from './resource-view';
import { MappedValue } from './stack-facts';
import { World } from './worlds';
import { hasMacro } from '../aws/json';
import { mappingDataOf, templateTypeOf } from '../private/cdk-internals';

/** One stack's part of the index; also what values in its template can know (`StackFacts`). */
export class StackEntry implements StackFacts {
  public readonly parameters: CfnParameter[] = [];
  public readonly conditions: CfnCondition[] = [];
  public readonly mappings: CfnMapping[] = [];
  private mappingIds?: Map<string, CfnMapping>;
  /** The stack's L1s by type, in order; their records are made when a lookup asks for the type. */
  private readonly resourcesByType = new Map<string, CfnResource[]>();
  private readonly listed = new Set<CfnResource>();
  private readonly byType = new Map<string, ResourceRecord[]>();
  private readonly logicalIds = new Map<string, Map<string, ResourceRecord>>();
  private parameterIds?: Map<string, CfnParameter>;
  private conditionIds?: Map<string, CfnCondition>;
  private readonly expressions = new Map<string, unknown>();
  private readonly readers = new Map<string, DeployValues>();
  private readonly givenValues = new Map<string, string | null>();
  private filled: boolean;

  /**
   * @param recordOf the index's record of one of the stack's resources (made on first use).
   * @param walk fills the lists from the stack's part of the tree (on first need); `undefined` for
   * a stack outside the tree below the root, whose lists hold only the resources asked about.
   * @param passedByParent the literal a parent stack passes to one of this (nested) stack's
   * parameters; `null` when it passes nothing for it; absent for a stack that is not nested.
   */
  constructor(
    public readonly stack: Stack,
    private readonly table: ReferenceTable,
    private readonly recordOf: (resource: CfnResource) => ResourceRecord,
    private readonly walk?: (stack: Stack) => void,
    private readonly passedByParent?: (logicalId: string) => string | null | undefined,
    /** The output an `Fn::ImportValue` in this stack surely reads (see `StackFacts.exportRead`). */
    private readonly exported?: (name: string) => ExportRead | undefined,
  ) {
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

  /**
   * Lists a resource of the stack, after those listed before it (its record is made when asked for).
   * @param type the type its template shows, when the caller has worked it out already.
   */
  /** A parameter, condition or mapping of the stack's part of the tree. */
  public addElement(element: CfnElement): void {
    if (element instanceof CfnParameter) {
      this.parameters.push(element);
    } else if (element instanceof CfnMapping) {
      this.mappings.push(element);
    } else {
      this.conditions.push(element as CfnCondition);
    }
  }

  public mapped(name: string, key1: string, key2: string): MappedValue | undefined {
    this.fill();
    this.mappingIds ??= new Map(this.mappings.map(m => [this.stack.resolve(m.logicalId) as string, m]));
    const mapping = this.mappingIds.get(name);
    const data = mapping === undefined ? undefined : mappingDataOf(mapping);
    // A macro in the mapping (`AWS::Include` of its entries) or in the row returns it whole.
    if (data === undefined || hasMacro(data)) {
      return undefined;
    }
    const row = Object.prototype.hasOwnProperty.call(data, key1) ? data[key1] : undefined;
    if (hasMacro(row)) {
      return undefined;
    }
    return row !== undefined && Object.prototype.hasOwnProperty.call(row, key2) ? { found: true, value: row[key2] } : { found: false };
  }

  public add(resource: CfnResource, type: string = templateTypeOf(resource)): void {
    this.listed.add(resource);
    const resources = this.resourcesByType.get(type);
    if (resources === undefined) {
      this.resourcesByType.set(type, [resource]);
    } else {
      resources.push(resource);
    }
    // A type already asked about has its records listed: the new one joins them.
    this.byType.get(type)?.push(this.recordOf(resource));
    this.logicalIds.delete(type);
  }

  /** Whether the resource is listed (its record may not be made yet). */
  public lists(resource: CfnResource): boolean {
    return this.listed.has(resource);
  }

  public ofType(type: string): readonly ResourceRecord[] {
    this.fill();
    let records = this.byType.get(type);
    if (records === undefined) {
      const resources = this.resourcesByType.get(type);
      records = resources === undefined ? [] : resources.map(this.recordOf);
      this.byType.set(type, records);
    }
    return records;
  }

  /** The stack's L1s of one type, with no record made for them. */
  public resourcesOfType(type: string): readonly CfnResource[] {
    this.fill();
    return this.resourcesByType.get(type) ?? [];
  }

  /** The types of the stack's resources. */
  public types(): string[] {
    this.fill();
    return [...this.resourcesByType.keys()];
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

  /**
   * The reader of this stack's values in one world. It holds nothing of a single resource, so all
   * the resources of the stack share it: fewer objects that live as long as the evaluation.
   */
  public valuesIn(world: World): DeployValues {
    let values = this.readers.get(world.key);
    if (values === undefined) {
      values = new DeployValues(this, world, this.table);
      this.readers.set(world.key, values);
    }
    return values;
  }

  public given(logicalId: string): string | null | undefined {
    if (this.passedByParent === undefined) {
      return undefined;
    }
    if (!this.givenValues.has(logicalId)) {
      const parameter = this.parameterOf(logicalId);
      const passed = parameter === undefined ? undefined : this.passedByParent(logicalId);
      // A nested stack gets its values from its parent only: what it is not passed is its default.
      const value = passed === null ? literalDefault(parameter!.default) ?? null : passed ?? null;
      // A dynamic reference (`{{resolve:ssm:...}}`) is resolved by CloudFormation at deploy time.
      this.givenValues.set(logicalId, value !== null && value.includes('{{resolve:') ? null : value);
    }
    return this.givenValues.get(logicalId);
  }

  public parameterValue(logicalId: string): string | undefined {
    const parameter = this.parameterOf(logicalId);
    // A list parameter splits what it is given, and an SSM or AWS-specific type resolves it at
    // deploy time: only a String or Number is the literal itself. A NoEcho one stays a reference
    // to a secret value (the rules that look for secrets read it as one).
    if (parameter === undefined || !isPlainValueType(parameter.type) || parameter.noEcho === true) {
      return undefined;
    }
    const given = this.given(logicalId);
    if (given !== undefined && given !== null) {
      return given;
    }
    // CloudFormation refuses any value outside AllowedValues: with one, the parameter is that one.
    const allowed = this.allowedValues(logicalId);
    return allowed !== undefined && allowed.every(value => value === allowed[0]) ? allowed[0] : undefined;
  }

  public allowedValues(logicalId: string): readonly string[] | undefined {
    const parameter = this.parameterOf(logicalId);
    // For an SSM parameter type, AllowedValues bound the key, not the value a Ref reads.
    const allowed = parameter !== undefined && isPlainValueType(parameter.type) ? parameter.allowedValues : undefined;
    return Array.isArray(allowed) && allowed.length > 0 && allowed.every(v => typeof v === 'string' && !Token.isUnresolved(v)) ? allowed : undefined;
  }

  public exportRead(name: string): ExportRead | undefined {
    return this.exported?.(name);
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

/** Whether a `Ref` to a parameter of this type reads the literal it is given (`String`, the default, or `Number`). */
function isPlainValueType(type: string | undefined): boolean {
  return type === undefined || type === 'String' || type === 'Number';
}

/** A parameter's default when it is a literal. */
function literalDefault(value: unknown): string | undefined {
  return (typeof value === 'string' || typeof value === 'number') && !Token.isUnresolved(value) ? String(value) : undefined;
}
