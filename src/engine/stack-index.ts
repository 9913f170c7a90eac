import { CfnParameter, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ResourceView } from './resource-view';

/**
 * Everything a rule needs to know about one stack, built once per stack in a single walk of its
 * constructs: the resources (as views), grouped by type, and lookups by logical ID and by physical
 * name that are built on first use. Rules follow references through this index, so judging a
 * resource never scans the stack.
 *
 * Nested stacks and stages have their own index: the walk stops at them.
 */
export class StackIndex {
  /** Every resource of this stack, in construct order. */
  public readonly resources: ResourceView[] = [];
  /** The nested stacks and stages directly below this stack's own constructs. */
  public readonly children: Array<Stack | Stage> = [];
  private readonly byResource = new Map<CfnResource, ResourceView>();
  private readonly byType = new Map<string, ResourceView[]>();
  private readonly parameterElements: CfnParameter[] = [];
  private readonly byLogicalIdMaps = new Map<string, Map<string, ResourceView>>();
  private parameterIds?: Set<string>;
  private readonly byNameMaps = new Map<string, Map<string, ResourceView>>();
  private readonly byRefTokenMaps = new Map<string, Map<string, ResourceView>>();

  constructor(public readonly stack: Stack) {
    this.collect(stack);
  }

  /** The view of a resource of this stack (created on demand for resources added late). */
  public viewOf(resource: CfnResource): ResourceView {
    let view = this.byResource.get(resource);
    if (view === undefined) {
      view = this.add(resource);
      // Lookups built before it was added must be rebuilt.
      this.byLogicalIdMaps.delete(view.type);
      this.byRefTokenMaps.delete(view.type);
      this.byNameMaps.clear();
    }
    return view;
  }

  /** Whether the resource was in the stack when the index was built. */
  public has(resource: CfnResource): boolean {
    return this.byResource.has(resource);
  }

  /** The resources of one CloudFormation type. */
  public ofType(type: string): readonly ResourceView[] {
    return this.byType.get(type) ?? [];
  }

  /**
   * The resource of one of `types` with this logical ID, if it is in this stack. Logical IDs are
   * computed (hashed) only for resources of the types asked for, once per type.
   */
  public byLogicalId(logicalId: string, types: readonly string[]): ResourceView | undefined {
    for (const type of types) {
      let map = this.byLogicalIdMaps.get(type);
      if (map === undefined) {
        map = new Map(this.ofType(type).map(r => [r.logicalId, r]));
        this.byLogicalIdMaps.set(type, map);
      }
      const found = map.get(logicalId);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }

  /**
   * The resource of one of `types` whose `Ref` token string (`resource.ref`) is exactly `token`.
   * CDK hands out one string per reference, so the exact string finds the resource without parsing.
   */
  public byRefToken(token: string, types: readonly string[]): ResourceView | undefined {
    for (const type of types) {
      let map = this.byRefTokenMaps.get(type);
      if (map === undefined) {
        map = new Map(this.ofType(type).map(r => [r.resource.ref, r]));
        this.byRefTokenMaps.set(type, map);
      }
      const found = map.get(token);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }

  /** Whether this logical ID names a parameter of this stack. */
  public isParameter(logicalId: string): boolean {
    if (this.parameterIds === undefined) {
      this.parameterIds = new Set(this.parameterElements.map(p => this.stack.resolve(p.logicalId) as string));
    }
    return this.parameterIds.has(logicalId);
  }

  /**
   * The resource of `type` whose `nameProperty` is literally `name` (for example a launch template
   * by `LaunchTemplateName`). Names compare case-insensitively, as AWS does for these identifiers.
   */
  public byPhysicalName(type: string, nameProperty: string, name: string): ResourceView | undefined {
    const key = `${type}|${nameProperty}`;
    let map = this.byNameMaps.get(key);
    if (map === undefined) {
      map = new Map();
      for (const view of this.ofType(type)) {
        const value = view.read(nameProperty);
        if (typeof value === 'string') {
          map.set(value.toLowerCase(), view);
        }
      }
      this.byNameMaps.set(key, map);
    }
    return map.get(name.toLowerCase());
  }

  private collect(scope: IConstruct): void {
    for (const child of scope.node.children) {
      if (CfnResource.isCfnResource(child)) {
        // A resource holds no other resources: no need to walk below it.
        this.add(child);
        continue;
      } else if (Stack.isStack(child) || Stage.isStage(child)) {
        this.children.push(child);
        continue;
      } else if (child instanceof CfnParameter) {
        this.parameterElements.push(child);
      }
      this.collect(child);
    }
  }

  private add(resource: CfnResource): ResourceView {
    const view = new ResourceView(resource, this.stack);
    this.resources.push(view);
    this.byResource.set(resource, view);
    let list = this.byType.get(view.type);
    if (list === undefined) {
      list = [];
      this.byType.set(view.type, list);
    }
    list.push(view);
    return view;
  }
}
