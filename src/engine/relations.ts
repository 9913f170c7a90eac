import { Stack } from 'aws-cdk-lib';
import { AppIndex } from './app-index';
import { DeployValues } from './deploy-values';
import { stacksReachedByImports } from './imports';
import { NamedResources } from './named-resources';
import { arnEndingInReference, carriesValues, firstReference, onlyReferences } from './reference-shapes';
import { WHOLE } from './rendering';
import { isResourceReference, ReferenceTable } from './resource-reference';
import { ResourceRecord, ResourceView } from './resource-view';
import type { TargetSpec } from './rule-context';
import { known, Reading, unknown, whyUnknown } from './values';
import { Fork, ImpossibleWorld, MAX_WORLDS, World } from './worlds';
import { fieldOf, intrinsicName, isJsonObject, JsonObject, MACRO, macroCallOf } from '../aws/json';
import { templateTypeOf } from '../private/cdk-internals';
import { topLevelStackOf } from '../private/stack-references';

/**
 * How resources find each other: forwards (the launch template of an instance) and backwards (the
 * bucket policies of a bucket), across the whole app. The backwards index is built once per
 * evaluation and type, from every branch of every referrer's value, and each candidate is then
 * confirmed in the world being judged: a conditional policy may not exist, an `Fn::If` may point
 * elsewhere.
 */
export class Relations {
  private readonly candidates = new Map<string, CandidateIndex>();
  private readonly named: NamedResources;

  constructor(private readonly index: AppIndex, private readonly table: ReferenceTable) {
    this.named = new NamedResources(index);
  }

  public target(from: ResourceView, path: readonly string[], spec: TargetSpec): Reading<ResourceView> {
    const found = this.followIn(from, path, spec);
    return found.known ? known(found.value.in(from.world)) : found;
  }

  private followIn(from: ResourceView, path: readonly string[], spec: TargetSpec): Followed {
    return this.follow(from, from.read(...path), spec, path.join('.'), 0);
  }

  private follow(from: ResourceView, value: unknown, spec: TargetSpec, what: string, depth: number): Followed {
    if (depth > 8) {
      return unknown(`${what} leads through more than 8 exports`);
    }
    if (isResourceReference(value)) {
      if (spec.types.includes(templateTypeOf(value.target))) {
        return known(this.index.recordOf(value.target));
      }
      return unknown(`${what} refers to ${value.target.node.path}, which is not a ${spec.noun}`);
    }
    const fn = intrinsicName(value);
    const args = fn === undefined ? undefined : (value as JsonObject)[fn];
    if (fn === 'Ref' || fn === 'Fn::GetAtt') {
      const logicalId = fn === 'Ref' ? String(args) : Array.isArray(args) ? String(args[0]) : String(args).split('.')[0];
      const record = this.index.byLogicalId(from.stack, logicalId, spec.types);
      if (record !== undefined) {
        return known(record);
      }
      if (this.index.isParameter(from.stack, logicalId)) {
        return unknown(`${what} is a Ref to the parameter "${logicalId}", so the ${spec.noun} is only known at deploy time`);
      }
      return unknown(`${what} refers to "${logicalId}", which is not a ${spec.noun} of this stack`);
    }
    if (fn === 'Fn::ImportValue' && typeof args === 'string') {
      const exported = this.exported(from, args, what);
      return exported.known ? this.follow(from, exported.value, spec, what, depth + 1) : exported;
    }
    if (fn === 'Fn::Join' || fn === 'Fn::Sub') {
      // An ARN assembled around a reference that ends it (`formatArn`): the referenced resource.
      // Text after it (`${bucket.ref}-logs`) names another resource, which only the value tells.
      const inner = arnEndingInReference(fn, args);
      if (inner !== undefined) {
        return this.follow(from, inner, spec, what, depth + 1);
      }
      if (firstReference(args) !== undefined) {
        return unknown(`${what} is built with ${fn} around a reference to another value, so which ${spec.noun} it names cannot be known at synth time`);
      }
    }
    if (typeof value === 'string') {
      const { record, maybe, ambiguous } = this.named.named(from.stack, value, spec, from.world);
      if (record !== undefined) {
        return known(record);
      }
      if (maybe.length > 0) {
        const which = maybe.map(r => r.resource.node.path).join(', ');
        return {
          ...unknown(ambiguous ? `${what} "${value}" names one of ${which}, ${spec.noun}s of the same name in its account and Region, so only the `
            + 'deployment tells which' : `${what} "${value}" names ${which}, of stacks that may or may not be deployed to the same account and Region `
            + `(the name is unique only there), so only the deployment tells which ${spec.noun} it is`),
          maybe,
        };
      }
      return unknown(`${what} "${value}" names a ${spec.noun} that this app does not define in the same account and Region, so it cannot be judged`);
    }
    return unknown(whyUnknown(value, what));
  }

  /**
   * The value an `Fn::ImportValue` of `name` reads, evaluated in `from`'s world: an export of the app
   * followed when the exporting stack is surely in `from`'s account and Region (both stacks state the
   * same environment, or both leave it to the deployment).
   */
  public exported(from: ResourceView, name: string, what: string): Reading<unknown> {
    const { candidates, output } = this.index.importOf(from.stack, name);
    if (output === undefined && candidates.length > 0) {
      return unknown(`${what} is imported with Fn::ImportValue "${name}", which ${candidates.length > 1 ? 'several stacks' : 'a stack'} of this app `
        + 'that may or may not be in its account and Region export, so the deployment decides which it reads');
    }
    if (output === undefined) {
      return unknown(`${what} is imported with Fn::ImportValue "${name}", which no stack of this app in its account and Region exports`);
    }
    // Read as the value model reads it: a value of the exporting stack's own (its parameter, a
    // mapping) means nothing in `from`'s stack, and stays the import.
    const value = new DeployValues(this.index.factsOf(from.stack), from.world, this.table).deep({ 'Fn::ImportValue': name });
    return intrinsicName(value) === 'Fn::ImportValue' ? unknown(`${what} is imported with Fn::ImportValue "${name}", which ${Stack.of(output).node.path} `
      + 'exports as a value of its own (a parameter, a mapping, an attribute known only at deploy time), so only the deployment tells')
      : known(value);
  }

  public referrers(target: ResourceView, type: string, path: readonly string[], spec: TargetSpec): Reading<ResourceView[]> {
    const index = this.candidatesOf(type, path, spec);
    const found: ResourceView[] = [];
    for (const candidate of index.byTarget.get(target.record) ?? []) {
      const seen = this.candidateIn(candidate, target, path, spec);
      if (seen?.points.known && seen.points.value === target.record) {
        found.push(seen.view);
      } else if (seen !== undefined && !seen.points.known && seen.points.maybe?.includes(target.record)) {
        return unknown(`${seen.view.displayName} (${type}) may refer to it: ${seen.points.why}`);
      }
    }
    // A referrer whose target is a parameter or an outside import may name any resource of its
    // account and Region; the gate considers those of its own stack (documented limit).
    for (const candidate of index.opaque.get(target.stack) ?? []) {
      const seen = this.candidateIn(candidate, target, path, spec);
      if (seen?.points.known && seen.points.value === target.record) {
        found.push(seen.view);
      } else if (seen !== undefined && !seen.points.known) {
        return unknown(`${seen.view.displayName} (${type}) may refer to it: ${seen.points.why}`);
      }
    }
    return known(found);
  }

  /**
   * A candidate referrer in the judged resource's world and what it points at; `undefined` when it
   * does not exist there, or when its stack cannot deploy there (it imports an export that does not
   * exist then): the judged resource's own stack deploys all the same.
   */
  private candidateIn(candidate: ResourceRecord, target: ResourceView, path: readonly string[], spec: TargetSpec):
  { readonly view: ResourceView; readonly points: Followed } | undefined {
    const view = candidate.in(target.world);
    try {
      return view.exists() ? { view, points: this.followIn(view, path, spec) } : undefined;
    } catch (e) {
      // A nested stack deploys (or fails) with its parent: only another deployment keeps the world.
      if (e instanceof ImpossibleWorld && topLevelStackOf(candidate.stack) !== topLevelStackOf(target.stack)) {
        return undefined;
      }
      throw e;
    }
  }

  /** For every resource of `type`: the resources its `path` may refer to, on any branch. */
  private candidatesOf(type: string, path: readonly string[], spec: TargetSpec): CandidateIndex {
    const key = `${type}|${path.join('.')}`;
    let index = this.candidates.get(key);
    if (index === undefined) {
      index = { byTarget: new Map(), opaque: new Map() };
      for (const record of this.index.allOfType(type)) {
        const { targets, opaque } = this.possibleTargets(record, path, spec);
        if (opaque) {
          // Its own stack's resources, and those of every stack whose export it may import (a
          // macro's, anywhere in its input: the resource's properties).
          const raw = this.rawAt(record, path);
          const input = intrinsicName(raw) === MACRO ? record.template.properties : raw;
          const reached = stacksReachedByImports(input, record.stack, n => this.index.exportsNamed(n), this.table);
          for (const stack of new Set([record.stack, ...reached])) {
            index.opaque.set(stack, [...index.opaque.get(stack) ?? [], record]);
          }
        }
        for (const target of targets) {
          index.byTarget.set(target, [...index.byTarget.get(target) ?? [], record]);
        }
      }
      this.candidates.set(key, index);
    }
    return index;
  }

  /** A referrer's value at `path` as the template gives it, intrinsics undecided. */
  private rawAt(record: ResourceRecord, path: readonly string[]): unknown {
    const first = record.property(path[0]);
    // A macro returns the object that holds it: what lies below is only its input.
    const step = (node: unknown, name: string) => macroCallOf(node)
      ?? (isJsonObject(node) && intrinsicName(node) === undefined ? fieldOf(node, name) : node);
    let raw: unknown = first === WHOLE ? step(record.template.properties, path[0]) : first;
    for (const name of path.slice(1)) {
      raw = step(raw, name);
    }
    return raw;
  }

  /**
   * What a referrer's raw value may point at on any branch, and whether some branch is opaque (a
   * parameter, an import the app does not answer: only the deployment tells).
   */
  private possibleTargets(record: ResourceRecord, path: readonly string[], spec: TargetSpec): { targets: ResourceRecord[]; opaque: boolean } {
    const raw = this.rawAt(record, path);
    const references = this.table.referencesIn(raw);
    if (references.length > 0 && onlyReferences(raw, this.table)) {
      // Nothing but references on every branch: those of these types are the targets. A reference
      // to a resource of another kind (an HTTP API's ID where a REST API's would be) points at none
      // of them, unless that resource hands on other resources' values.
      const targets = references.filter(t => spec.types.includes(templateTypeOf(t))).map(t => this.index.recordOf(t));
      if (targets.length > 0 || references.every(t => !carriesValues(templateTypeOf(t)))) {
        return { targets, opaque: false };
      }
    }
    // A literal name, a parameter or a function around the references (`Fn::Select`, `Fn::Join`)
    // may name others on some branch: follow it the slow way in each world its conditions make
    // (as many as a judgement explores: more are opaque).
    const targets = new Set<ResourceRecord>();
    let opaque = false;
    const worlds = [World.EMPTY];
    let combinations = 0;
    while (worlds.length > 0) {
      // Bounded as a judgement is (see `Evaluation`): the worlds waiting end in a combination each, at least.
      if (combinations + worlds.length > MAX_WORLDS) {
        return { targets: [...targets], opaque: true };
      }
      const world = worlds.shift()!;
      try {
        const found = this.followIn(record.in(world), path, spec);
        combinations++;
        if (found.known) {
          targets.add(found.value);
        } else if (found.maybe !== undefined) {
          found.maybe.forEach(target => targets.add(target));
        } else if (!found.why.includes('does not define')) {
          // Only the deployment tells on this branch; the other branches still name what they name.
          opaque = true;
        }
      } catch (e) {
        if (e instanceof ImpossibleWorld) {
          // Its stack cannot deploy in that world: it points at nothing there.
          combinations++;
          continue;
        }
        if (!(e instanceof Fork)) {
          throw e;
        }
        worlds.push(world.with(e.atom, true, e.label), world.with(e.atom, false, e.label));
      }
    }
    return { targets: [...targets], opaque };
  }
}

/** A target followed: the resource, or why it is not known (with the resources a name may mean there). */
type Followed = Reading<ResourceRecord> & { readonly maybe?: readonly ResourceRecord[] };

interface CandidateIndex {
  readonly byTarget: Map<ResourceRecord, ResourceRecord[]>;
  /** Referrers whose target is known only at deploy time (a parameter, an outside import). */
  readonly opaque: Map<Stack, ResourceRecord[]>;
}
