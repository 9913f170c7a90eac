import { CfnResource, Stack } from 'aws-cdk-lib';
import { DeployValues, NO_VALUE, StackFacts } from './deploy-values';
import { PropertyLookup, PropertyNames, RenderedResource, renderProperty, renderResource, WHOLE } from './rendering';
import { ReferenceTable } from './resource-reference';
import { readBoolean, readList, readObject, readString, Reading } from './values';
import { World } from './worlds';
import { fieldOf, intrinsicName } from '../aws/json';
import { cfnPropertiesOf, rawOverridesOf, templateTypeOf } from '../private/cdk-internals';

const NOT_READ = Symbol('not read');

/** Where the readers of a stack's values come from, one per world (a stack's index entry). */
export interface ValueReaders {
  valuesIn(world: World): DeployValues;
}

/** What the gate holds about one resource for a whole evaluation: rendered once, viewed per world. */
export class ResourceRecord {
  private rendered?: RenderedResource;
  private props?: PropertyLookup;
  private readonly properties = new Map<string, unknown>();
  private plain?: ResourceView;
  private views?: Map<string, ResourceView>;
  private _logicalId?: string;
  private _condition: unknown = NOT_READ;

  constructor(
    public readonly resource: CfnResource,
    public readonly facts: StackFacts,
    private readonly table: ReferenceTable,
    /** Shared by the records of one evaluation. */
    private readonly names: PropertyNames = new PropertyNames(),
    /** The readers of the stack's values, shared by its resources (else one per view). */
    private readonly readers: ValueReaders = { valuesIn: world => new DeployValues(facts, world, table) },
  ) {}

  public get stack(): Stack {
    return this.facts.stack;
  }

  /** The resource as its template shows it (rendered on first use). */
  public get template(): RenderedResource {
    if (this.rendered === undefined) {
      this.rendered = renderResource(this.resource, this.facts.stack, this.table);
    }
    return this.rendered;
  }

  /**
   * One top-level property as the template shows it (rendered alone, on first use: resolving a
   * whole resource costs far more than the few properties a rule reads), or `WHOLE`.
   */
  public property(name: string): unknown {
    if (!this.properties.has(name)) {
      const props = this.props ?? (this.props = new PropertyLookup(cfnPropertiesOf(this.resource), this.names, this.resource.constructor));
      this.properties.set(name, renderProperty(this.resource, this.facts.stack, this.table, props, name));
    }
    return this.properties.get(name);
  }

  /**
   * The logical ID of the resource's `Condition`, or `undefined`. Read without rendering the
   * resource unless an escape hatch sets it.
   */
  public get condition(): unknown {
    if (this._condition === NOT_READ) {
      const overrides = rawOverridesOf(this.resource);
      const condition = this.resource.cfnOptions.condition;
      this._condition = Object.prototype.hasOwnProperty.call(overrides, 'Condition') ? this.template.condition
        : condition === undefined ? undefined : this.facts.stack.resolve(condition.logicalId);
    }
    return this._condition;
  }

  /** The logical ID in its template (computed on first use: CDK hashes it). */
  public get logicalId(): string {
    if (this._logicalId === undefined) {
      this._logicalId = this.facts.stack.resolve(this.resource.logicalId) as string;
    }
    return this._logicalId;
  }

  /** The view of this resource in one world. */
  public in(world: World): ResourceView {
    if (world.key === '') {
      // The world without conditions, the only one of most templates: no map needed.
      return this.plain ?? (this.plain = new ResourceView(this, world, this.readers.valuesIn(world)));
    }
    const views = this.views ?? (this.views = new Map());
    let view = views.get(world.key);
    if (view === undefined) {
      view = new ResourceView(this, world, this.readers.valuesIn(world));
      views.set(world.key, view);
    }
    return view;
  }
}

/** A property read in one world, with where it is for messages and report locations. */
export type Field<T> = Reading<T> & { readonly location: string };

/**
 * One resource as CloudFormation will see it in one world (see `World`): every property the
 * template gives it, escape hatches applied, `Fn::If` decided, `AWS::NoValue` removed, values
 * known at synth time folded, and references to app resources as `ResourceReference`s.
 */
export class ResourceView {
  private readonly cache = new Map<string, unknown>();

  constructor(public readonly record: ResourceRecord, public readonly world: World, private readonly values: DeployValues) {}

  public get resource(): CfnResource {
    return this.record.resource;
  }

  public get stack(): Stack {
    return this.record.stack;
  }

  /** The CloudFormation resource type. */
  public get type(): string {
    return templateTypeOf(this.record.resource);
  }

  /** The construct path of the L1. */
  public get path(): string {
    return this.record.resource.node.path;
  }

  /** The construct path relative to its stack, for messages. */
  public get displayName(): string {
    const stackPath = this.stack.node.path;
    const path = this.path;
    return stackPath === '' ? path : path.slice(stackPath.length + 1);
  }

  public get logicalId(): string {
    return this.record.logicalId;
  }

  /** Whether the resource exists in this world (its `Condition`, when it has one, holds). */
  public exists(): boolean {
    const condition = this.record.condition;
    return condition === undefined || this.values.decide(condition);
  }

  /** Whether a condition (by logical ID) holds in this world. */
  public decide(condition: unknown): boolean {
    return this.values.decide(condition);
  }

  /** The value at `Properties.<path...>` in this world, or `undefined` when absent. */
  public read(...path: string[]): unknown {
    return this.readPath(path);
  }

  private readPath(path: readonly string[]): unknown {
    const first = path.length > 0 ? this.record.property(path[0]) : WHOLE;
    if (first === undefined) {
      // A property the template does not give is absent in every world: nothing to cache.
      return undefined;
    }
    // Most reads name one property: its name is the key, no joining needed.
    const key = path.length === 1 ? path[0] : path.join('\u0000');
    const cached = this.cache.get(key);
    if (cached !== undefined || this.cache.has(key)) {
      return cached;
    }
    let node: unknown = this.values.shallow(first === WHOLE ? this.record.template.properties : first);
    for (let i = first === WHOLE ? 0 : 1; i < path.length; i++) {
      if (node === NO_VALUE || node === undefined) {
        break;
      }
      if (Array.isArray(node)) {
        // Elements removed by AWS::NoValue in this world do not count for indexes.
        node = node.map(item => this.values.shallow(item)).filter(item => item !== NO_VALUE);
      }
      node = this.values.shallow(step(node, path[i]));
    }
    const value = node === NO_VALUE || node === undefined ? undefined : this.values.deep(node);
    this.cache.set(key, value);
    return value;
  }

  /** Whether the template gives a value at `Properties.<path...>` in this world. */
  public has(...path: string[]): boolean {
    return this.readPath(path) !== undefined;
  }

  /** A boolean property (`true`, `"true"`, any case), or why it is not known. */
  public boolean(...path: string[]): Field<boolean | undefined> {
    return { ...readBoolean(this.readPath(path), path.join('.')), location: locationOf(path) };
  }

  /** A string (or number) property, or why it is not known. */
  public string(...path: string[]): Field<string | undefined> {
    return { ...readString(this.readPath(path), path.join('.')), location: locationOf(path) };
  }

  /** A list property, or why it is not known. */
  public list(...path: string[]): Field<unknown[] | undefined> {
    return { ...readList(this.readPath(path), path.join('.')), location: locationOf(path) };
  }

  /** An object property, or why it is not known. */
  public object(...path: string[]): Field<{ [key: string]: unknown } | undefined> {
    return { ...readObject(this.readPath(path), path.join('.')), location: locationOf(path) };
  }

  /** Evaluates a raw template value (for example a condition expression) in this world. */
  public evaluate(value: unknown): unknown {
    return this.values.deep(value);
  }
}

/** `Properties.A.B`, the report location of a property path. */
export function locationOf(path: readonly string[]): string {
  return ['Properties', ...path].join('.');
}

/** One step down a template value: an object's key (exact, then any case) or a list's index. */
function step(node: unknown, name: string): unknown {
  if (Array.isArray(node)) {
    return /^\d+$/.test(name) ? node[Number(name)] : undefined;
  }
  if (intrinsicName(node) !== undefined) {
    // An intrinsic hides the structure below it: the whole value is what it computes.
    return node;
  }
  return fieldOf(node, name);
}
