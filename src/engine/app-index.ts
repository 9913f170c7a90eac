import { CfnElement, CfnOutput, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ExportRead, StackFacts } from './deploy-values';
import { exportsByName, ImportRead, outputsBelow, readExport } from './imports';
import { parameterPassedByParent, passedByParent } from './nested-parameters';
import { PropertyNames } from './rendering';
import { ReferenceTable } from './resource-reference';
import { ResourceRecord } from './resource-view';
import { StackEntry } from './stack-entry';
import { addToPart, isPartOfStack, Part, partOf } from './stack-parts';
import { templateTypeOf } from '../private/cdk-internals';

/**
 * Everything the gate looks up, for the whole app: every stack (nested stacks and Stages at any
 * depth included), its resources by type (also those created under another L1), parameters,
 * conditions and exports. Nothing is walked up front: a resource's record is made when a rule
 * asks about it, one stack's part of the tree is walked when a lookup first needs that stack's
 * lists, and the whole tree when one first needs the app's. Every list keeps the order the one
 * walk of the whole tree would give it (construct order, then resources met outside the tree in
 * the order they were asked about). Logical IDs, which CDK hashes, are computed only for the types
 * and stacks a lookup asks about.
 */
export class AppIndex {
  private readonly entries = new Map<Stack, StackEntry>();
  private readonly records = new Map<CfnResource, ResourceRecord>();
  /** Stacks met outside the tree below the root, in the order they were asked about. */
  private readonly outsideStacks: Stack[] = [];
  /** Resources met outside the tree below the root or added to it after its walk, in the order asked about. */
  private readonly later: ResourceRecord[] = [];
  private whole?: WholeApp;
  private readonly names = new PropertyNames();

  constructor(private readonly root: IConstruct, private readonly table: ReferenceTable) {}

  /** Every stack of the app, in construct order. */
  public get stacks(): readonly Stack[] {
    return this.app().stacks;
  }

  /** The record of a resource (made on first use). */
  public recordOf(resource: CfnResource): ResourceRecord {
    const record = this.records.get(resource);
    if (record !== undefined) {
      return record;
    }
    const entry = this.entryOf(resource.stack);
    if (entry.walkable && !entry.isFilled && this.whole !== undefined) {
      // The walk of the app has noted the stack's part: listing it now tells whether this
      // resource was in the tree then, or was added after (then it is listed last).
      entry.fill();
    }
    // Listed by the walk of its stack, whose records are made per type when asked for: not a late one.
    return entry.lists(resource) ? this.create(resource, entry) : this.add(resource, entry);
  }

  /** The facts of one stack. */
  public factsOf(stack: Stack): StackFacts {
    return this.entryOf(stack);
  }

  /** The resources of one type in one stack. */
  public ofType(stack: Stack, type: string): readonly ResourceRecord[] {
    return this.walked(stack).ofType(type);
  }

  /** The L1s of one type in one stack, with no record made. */
  public resourcesOfType(stack: Stack, type: string): readonly CfnResource[] {
    return this.walked(stack).resourcesOfType(type);
  }

  /**
   * Every construct of `scope` and below, in construct order (what `scope.node.findAll()` gives):
   * for the whole app, from the one walk the index makes anyway.
   */
  public constructsOf(scope: IConstruct): readonly IConstruct[] {
    return scope === this.root ? this.app().constructs : scope.node.findAll();
  }

  /**
   * Every L1 of `scope` and below, in construct order, with the type its template shows
   * (`types[i]` is that of `resources[i]`): for the whole app, from the one walk, which works the
   * types out once (reading an escape hatch off each of many L1 classes is not free).
   */
  public resourcesOf(scope: IConstruct): { readonly resources: readonly CfnResource[]; readonly types: readonly string[] } {
    if (scope === this.root) {
      const app = this.app();
      return { resources: app.l1s, types: app.l1Types };
    }
    const resources = scope.node.findAll().filter(CfnResource.isCfnResource);
    return { resources, types: resources.map(templateTypeOf) };
  }

  /** The resources of one type in the whole app. */
  public allOfType(type: string): readonly ResourceRecord[] {
    return this.typeList(type);
  }

  /** The resource of one of `types` with this logical ID in `stack`. */
  public byLogicalId(stack: Stack, logicalId: string, types: readonly string[]): ResourceRecord | undefined {
    return this.walked(stack).byLogicalId(logicalId, types);
  }

  /** The resource of any type with this logical ID in `stack`. */
  public anyByLogicalId(stack: Stack, logicalId: string): ResourceRecord | undefined {
    const entry = this.walked(stack);
    return entry.byLogicalId(logicalId, entry.types());
  }

  /** Whether this logical ID names a parameter of `stack`. */
  public isParameter(stack: Stack, logicalId: string): boolean {
    return this.walked(stack).isParameter(logicalId);
  }

  /** The parameter of `stack` with this logical ID, if any. */
  public parameterOf(stack: Stack, logicalId: string): CfnParameter | undefined {
    return this.walked(stack).parameterOf(logicalId);
  }

  /**
   * The outputs of this app that export `name`, in every stack: export names are unique per account
   * and Region only, so stacks of other environments may export the same name.
   */
  public exportsNamed(name: string): readonly CfnOutput[] {
    const app = this.app();
    // A Stage synthesized alone imports the exports of the whole app's stacks of its environment too.
    app.exports ??= exportsByName(this.root.node.root === this.root ? app.outputs : outputsBelow(this.root.node.root));
    return app.exports.get(name) ?? [];
  }

  /** What an `Fn::ImportValue` of `name` in `stack` reads among the app's exports (see `readExport`). */
  public importOf(stack: Stack, name: string): ImportRead {
    return readExport(this.exportsNamed(name), stack);
  }

  /** The output an import in `stack` surely reads, with its stack's facts and its value as rendered. */
  private exportRead(stack: Stack, name: string): ExportRead | undefined {
    const output = this.importOf(stack, name).output;
    if (output === undefined) {
      return undefined;
    }
    const from = Stack.of(output);
    const condition = output.condition && from.resolve(output.condition.logicalId);
    return { facts: this.entryOf(from), value: this.table.resolve(from, output.value), condition };
  }

  private entryOf(stack: Stack): StackEntry {
    let entry = this.entries.get(stack);
    if (entry === undefined) {
      const made: StackEntry = new StackEntry(stack, this.table, resource => this.records.get(resource) ?? this.create(resource, made),
        isWithin(stack, this.root) ? () => this.fillStack(made) : undefined,
        stack.nestedStackResource === undefined ? undefined : logicalId => this.parentPasses(stack, logicalId),
        name => this.exportRead(stack, name));
      entry = made;
      this.entries.set(stack, entry);
      if (!entry.walkable) {
        this.outsideStacks.push(stack);
        this.whole?.stacks.push(stack);
      }
    }
    return entry;
  }

  /** The parent's parameter that the parent of a nested stack passes whole to one of its parameters. */
  public parentParameterOf(stack: Stack, logicalId: string): { readonly stack: Stack; readonly logicalId: string } | undefined {
    const resource = stack.nestedStackResource;
    const parent = stack.nestedStackParent;
    if (resource === undefined || parent === undefined || !CfnResource.isCfnResource(resource)) {
      return undefined;
    }
    const passed = parameterPassedByParent(this.recordOf(resource), logicalId);
    return passed !== undefined && this.isParameter(parent, passed) ? { stack: parent, logicalId: passed } : undefined;
  }

  /** What the parent of a nested stack passes to one of its parameters (see `passedByParent`). */
  public parentPasses(stack: Stack, logicalId: string): string | null | undefined {
    const resource = stack.nestedStackResource;
    return resource !== undefined && CfnResource.isCfnResource(resource) ? passedByParent(this.recordOf(resource), logicalId) : undefined;
  }

  /** The entry of a stack with its lists filled. */
  private walked(stack: Stack): StackEntry {
    const entry = this.entryOf(stack);
    entry.fill();
    return entry;
  }

  /**
   * Fills a stack's lists from its part of the tree: the part the whole-app walk noted when it has
   * been made, else the part collected by walking the stack alone.
   */
  private fillStack(entry: StackEntry): void {
    const part = this.whole?.parts.get(entry.stack) ?? partOf(entry.stack);
    const members = part.members;
    for (let i = 0; i < members.length; i++) {
      const type = part.types[i];
      if (type !== undefined) {
        entry.add(members[i] as CfnResource, type);
      } else {
        entry.addElement(members[i] as CfnElement);
      }
    }
  }

  /**
   * The app's lists, from one walk of the tree below the root in construct order (a nested stack's
   * resources among its parent's where it sits). The walk only sorts the L1s by type: their records
   * are made when a lookup asks for that type. On the way it notes each stack's own part (the L1s,
   * parameters and conditions whose closest stack it is), so no stack's part is walked again.
   */
  private app(): WholeApp {
    if (this.whole === undefined) {
      const whole: WholeApp = {
        stacks: [], resources: new Map(), byType: new Map(), outputs: [], parts: new Map(), constructs: [], l1s: [], l1Types: [],
      };
      this.walkTree(this.root, undefined, whole);
      whole.stacks.push(...this.outsideStacks);
      this.whole = whole;
    }
    return this.whole;
  }

  /** @param part the part of the closest stack above `construct`, if any. */
  private walkTree(construct: IConstruct, part: Part | undefined, whole: WholeApp): void {
    whole.constructs.push(construct);
    // Most of the tree is L1s, which are never stacks: the cheaper test first.
    if (CfnResource.isCfnResource(construct)) {
      const type = templateTypeOf(construct);
      whole.l1s.push(construct);
      whole.l1Types.push(type);
      if (part !== undefined) {
        addToPart(part, construct, type);
        const list = whole.resources.get(type);
        if (list === undefined) {
          whole.resources.set(type, [construct]);
        } else {
          list.push(construct);
        }
      }
    } else if (Stack.isStack(construct)) {
      this.entryOf(construct);
      whole.stacks.push(construct);
      part = { members: [], types: [] };
      whole.parts.set(construct, part);
    } else if (part !== undefined && CfnElement.isCfnElement(construct)) {
      // Outputs, parameters and conditions are template elements; most constructs are not.
      if (construct instanceof CfnOutput) {
        whole.outputs.push(construct);
      } else if (isPartOfStack(construct)) {
        addToPart(part, construct, undefined);
      }
    }
    // Constructs may sit below an L1 too: walk every child (an indexed loop: it runs once, unoptimized).
    const children = construct.node.children;
    for (let i = 0; i < children.length; i++) {
      this.walkTree(children[i], part, whole);
    }
  }

  /**
   * The records of one type in the app: those of the tree below the root in construct order, then
   * those met outside it or added after the walk, in the order they were asked about.
   */
  private typeList(type: string): ResourceRecord[] {
    const app = this.app();
    let list = app.byType.get(type);
    if (list === undefined) {
      // In the tree, a resource's stack is the closest stack above it: its own `stack`.
      list = (app.resources.get(type) ?? []).map(resource => this.records.get(resource) ?? this.create(resource, this.entryOf(resource.stack)));
      for (const record of this.later) {
        if (templateTypeOf(record.resource) === type) {
          list.push(record);
        }
      }
      app.byType.set(type, list);
    }
    return list;
  }

  /** A record made by a walk, which lists it itself. */
  private create(resource: CfnResource, entry: StackEntry): ResourceRecord {
    const record = new ResourceRecord(resource, entry, this.table, this.names, entry);
    this.records.set(resource, record);
    return record;
  }

  /** A record asked for before (or without) a walk of its stack. */
  private add(resource: CfnResource, entry: StackEntry): ResourceRecord {
    const record = this.create(resource, entry);
    // Outside the tree below the root, or added to it after its walk: listed last, in the order asked about.
    const late = entry.walkable && entry.isFilled;
    if (!entry.walkable || late) {
      entry.add(resource);
    }
    if (!entry.walkable || (late && this.whole !== undefined)) {
      this.later.push(record);
      this.whole?.byType.get(templateTypeOf(resource))?.push(record);
    }
    return record;
  }
}

/** The app-wide lists, made by one walk of the tree below the root. */
interface WholeApp {
  readonly stacks: Stack[];
  /** The L1s of the tree below the root, by type, in construct order. */
  readonly resources: Map<string, CfnResource[]>;
  /** Their records (then the later ones), per type asked about. */
  readonly byType: Map<string, ResourceRecord[]>;
  readonly outputs: CfnOutput[];
  /** Every construct of the tree below the root (the root first), in construct order. */
  readonly constructs: IConstruct[];
  /** The L1s among them, in the same order, and the type each one's template shows. */
  readonly l1s: CfnResource[];
  readonly l1Types: string[];
  /** Each stack's own part of the tree. */
  readonly parts: Map<Stack, Part>;
  exports?: Map<string, CfnOutput[]>;
}

/** Whether `construct` is `root` or below it. */
function isWithin(construct: IConstruct, root: IConstruct): boolean {
  for (let node: IConstruct | undefined = construct; node !== undefined; node = node.node.scope) {
    if (node === root) {
      return true;
    }
  }
  return false;
}
