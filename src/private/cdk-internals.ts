import { CfnMapping, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct, MetadataEntry } from 'constructs';

/**
 * Every use of an aws-cdk-lib member that is not public API, in one place. A CDK release that
 * renames one of them breaks the tests of this file (`test/private/cdk-internals.test.ts`)
 * first and loudly, instead of changing the gate's verdicts quietly.
 */

interface CfnResourceInternals {
  /** Escape hatches (`addOverride`, `addPropertyOverride`, deletions), as recorded. */
  readonly rawOverrides?: { [key: string]: unknown };
  /** The typed L1's properties (camelCase, tokens unresolved), tags merged in. */
  readonly cfnProperties?: { [key: string]: unknown };
  /** Turns resolved typed properties into CloudFormation names (the generated converter). */
  renderProperties?(props: { [key: string]: unknown }): { [key: string]: unknown } | undefined;
}

function internals(resource: CfnResource): CfnResourceInternals {
  return resource as unknown as CfnResourceInternals;
}

/** The escape hatches recorded on a resource, or an empty object. */
export function rawOverridesOf(resource: CfnResource): { [key: string]: unknown } {
  return internals(resource).rawOverrides ?? {};
}

/**
 * The resource type the template will show: the L1's own, unless an escape hatch replaces it
 * (`addOverride('Type', ...)`). CloudFormation takes only a literal string there; an override that
 * renders anything else leaves a template it refuses, so the L1's own type stands.
 */
export function templateTypeOf(resource: CfnResource): string {
  const overrides = rawOverridesOf(resource);
  if (!Object.prototype.hasOwnProperty.call(overrides, 'Type')) {
    return resource.cfnResourceType;
  }
  let type = overrides.Type;
  if (Token.isUnresolved(type)) {
    type = Stack.of(resource).resolve(type);
  }
  return typeof type === 'string' && type !== '' ? type : resource.cfnResourceType;
}

/** The properties of a resource as the L1 holds them (camelCase for typed L1s). */
export function cfnPropertiesOf(resource: CfnResource): { [key: string]: unknown } {
  return internals(resource).cfnProperties ?? {};
}

/** Renders resolved properties under their CloudFormation names, as the template will show them. */
export function renderPropertiesOf(resource: CfnResource, resolved: { [key: string]: unknown }): { [key: string]: unknown } | undefined {
  const render = internals(resource).renderProperties;
  return typeof render === 'function' ? render.call(resource, resolved) : resolved;
}

interface NodeInternals {
  /** The metadata entries, in the order they were added (absent until the first one). */
  readonly _metadata?: MetadataEntry[];
}

/**
 * A construct's metadata entries, read without the copy `node.metadata` makes on every read: the
 * gate looks for acknowledgements on every construct of the app. Not to be modified.
 */
export function metadataOf(construct: IConstruct): readonly MetadataEntry[] {
  const node = construct.node as unknown as NodeInternals;
  return Array.isArray(node._metadata) ? node._metadata : construct.node.metadata;
}

interface AcknowledgementStore {
  /**
   * By construct path (no leading `/`), then by the acknowledged ID: one record per `acknowledge`
   * call. Releases before filters keep a `Set` of IDs per path instead.
   */
  readonly acks?: Map<string, Map<string, Array<{ readonly where?: { [key: string]: unknown } }>> | Set<string>>;
}

/**
 * Whether every `Validations.acknowledge` of `id` on this construct narrowed itself with a
 * non-empty `where` filter. CDK keeps the filter only in its app-wide acknowledgement store (the
 * metadata it writes has the ID and reason alone), and a filter never matches an occurrence
 * without context, as the gate's findings are. `false` when the store is absent (a release
 * without filters) or does not list the ID there.
 */
export function isNarrowedAcknowledgement(construct: IConstruct, id: string): boolean {
  const store = (construct.node.root as unknown as { [key: symbol]: AcknowledgementStore | undefined })[Symbol.for('@aws-cdk/core.Acknowledgements')];
  const byId = store?.acks instanceof Map ? store.acks.get(construct.node.path.replace(/^\//, '')) : undefined;
  const records = byId instanceof Map ? byId.get(id) : undefined;
  return Array.isArray(records) && records.length > 0
    && records.every(r => r.where !== undefined && r.where !== null && Object.keys(r.where).length > 0);
}

/**
 * The first of `ids` that CDK's acknowledgement store holds without a filter for this construct or
 * an ancestor: what `Annotations.acknowledgeWarning` and `acknowledgeInfo` record (they write no
 * metadata; `Validations.acknowledge` records there too). `undefined` without a store.
 */
export function storedAcknowledgement(construct: IConstruct, ids: readonly string[]): string | undefined {
  const store = (construct.node.root as unknown as { [key: symbol]: AcknowledgementStore | undefined })[Symbol.for('@aws-cdk/core.Acknowledgements')];
  const acks = store?.acks;
  if (!(acks instanceof Map) || acks.size === 0) {
    return undefined;
  }
  for (let node: IConstruct | undefined = construct; node !== undefined; node = node.node.scope) {
    const byId = acks.get(node.node.path.replace(/^\//, ''));
    for (const id of ids) {
      const records = byId instanceof Map ? byId.get(id) : undefined;
      if (byId instanceof Set ? byId.has(id) : Array.isArray(records) && records.some(r => r.where == null || Object.keys(r.where).length === 0)) {
        return id;
      }
    }
  }
  return undefined;
}

/**
 * A mapping's entries as its template fragment renders them, by top-level and second-level key
 * (tokens unresolved); `undefined` when the template will not hold it (a `lazy` mapping no
 * unresolved key made CDK render).
 */
export function mappingDataOf(mapping: CfnMapping): { [key1: string]: { [key2: string]: unknown } } | undefined {
  // What `_toCloudFormation` renders, read without calling it (it annotates the mapping).
  const fields = mapping as unknown as { mapping?: unknown; lazy?: boolean; lazyRender?: boolean };
  const data = fields.lazy === true && fields.lazyRender !== true ? undefined : fields.mapping;
  return typeof data === 'object' && data !== null ? data as { [key1: string]: { [key2: string]: unknown } } : undefined;
}

/** Whether the stack was created with `crossRegionReferences: true`. */
export function hasCrossRegionReferences(stack: Stack): boolean {
  return (stack as unknown as { _crossRegionReferences?: boolean })._crossRegionReferences === true;
}

interface CfnResourceRendering {
  /** The resource's template fragment: `{ Resources: { [logicalId]: { Type, Properties, ... } } }`, tokens unresolved. */
  _toCloudFormation?(): object;
}

/**
 * The resource's properties exactly as its template will show them: the typed properties rendered
 * under their CloudFormation names, escape hatches merged in, tokens resolved. `undefined` when the
 * resource renders no properties (or this aws-cdk-lib cannot say).
 */
export function renderedPropertiesOf(resource: CfnResource): { [key: string]: unknown } | undefined {
  const render = (resource as unknown as CfnResourceRendering)._toCloudFormation;
  if (typeof render !== 'function') {
    return undefined;
  }
  const fragment = Stack.of(resource).resolve(render.call(resource)) as { Resources?: { [id: string]: { Properties?: { [key: string]: unknown } } } };
  const [definition] = Object.values(fragment?.Resources ?? {});
  return definition?.Properties;
}

/**
 * The escape hatches recorded on a resource that touch one of its properties, as the dotted paths
 * given to `addOverride` (`Properties.KeyPolicy.Statement.0.Principal`); `Properties` when all of
 * them were replaced or deleted.
 */
export function overridePathsOf(resource: CfnResource, property: string): string[] {
  const overrides = rawOverridesOf(resource);
  if (!Object.prototype.hasOwnProperty.call(overrides, 'Properties')) {
    return [];
  }
  const all = overrides.Properties;
  if (typeof all !== 'object' || all === null || Array.isArray(all)) {
    return ['Properties'];
  }
  if (!Object.prototype.hasOwnProperty.call(all, property)) {
    return [];
  }
  const paths: string[] = [];
  const walk = (value: unknown, path: string) => {
    // `Statement.0.Principal` is recorded as a (sparse) list: its set elements are the paths.
    // CDK records nested overrides in prototype-less objects.
    const proto = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
    const plain = Array.isArray(value) || proto === Object.prototype || proto === null;
    const keys = plain ? Object.keys(value as object) : [];
    // Down to a statement's element (`Properties.KeyPolicy.Statement.0.Principal`), not into it.
    if (keys.length === 0 || keys.some(k => k === 'Ref' || k.startsWith('Fn::')) || path.split('.').length >= 5) {
      paths.push(path);
      return;
    }
    for (const key of keys) {
      walk((value as { [key: string]: unknown })[key], `${path}.${key}`);
    }
  };
  walk((all as { [key: string]: unknown })[property], `Properties.${property}`);
  return paths;
}

/**
 * The parameter group family an `rds.ParameterGroup` was made for (the `family` field aws-cdk-lib
 * works out from its engine's version; `undefined` for an engine without a version).
 */
export function parameterGroupFamilyOf(group: object): string | undefined {
  const family = (group as { family?: unknown }).family;
  return typeof family === 'string' ? family : undefined;
}
