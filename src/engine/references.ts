import { CfnResource, Reference, Stack, Token } from 'aws-cdk-lib';
import { isResourceReference, ResourceReference } from './reference-resolver';
import { ResourceView } from './resource-view';
import { RuleContext } from './rule-context';
import { describeIntrinsic, intrinsicName, isObject, JsonObject, known, Reading, unknown } from './values';

/** How to recognise the resource a property points at. */
export interface TargetSpec {
  /** The CloudFormation types it may be. */
  readonly types: readonly string[];
  /** A property that holds its physical name, for literal names (`LaunchTemplateName`). */
  readonly nameProperty?: string;
  /** For ARNs: the resource segment before the name (`db` in `arn:aws:rds:...:db:name`). */
  readonly arnResource?: string;
  /** Words for messages: "launch template", "source DB instance". */
  readonly noun: string;
}

/**
 * Finds the resource that the property at `path` of `from` refers to. A CDK reference
 * (`resource.ref`, an attribute, an ARN built from them) leads straight to its target, in any stack
 * of the app. Otherwise the resolved value is followed: a `Ref`/`Fn::GetAtt` in the same stack, an
 * `Fn::ImportValue` of an export of this app, an ARN or name built around a `Ref`, or a literal
 * physical name of a resource in the app. Anything else is unknown, with the reason: a parameter,
 * a condition, an import from outside the app, a resource the app does not define.
 */
export function findTarget(context: RuleContext, from: ResourceView, path: string[], spec: TargetSpec): Reading<ResourceView> {
  const raw = from.rawValue(...path);
  if (raw !== undefined && typeof raw.value === 'string') {
    // Most references are `resource.ref` of a resource of the same stack: found by their exact string.
    const local = context.indexOf(from.stack).byRefToken(raw.value, spec.types);
    if (local !== undefined) {
      return known(local);
    }
  }
  const target = raw === undefined ? undefined : referencesIn(context, raw.value).find(r => spec.types.includes(r.cfnResourceType));
  if (target !== undefined) {
    return known(context.indexOf(Stack.of(target)).viewOf(target));
  }
  return findResolvedTarget(context, from, from.read(...path), spec, path.join('.'));
}

/** The resources a raw (unresolved) value refers to through CDK references. */
function referencesIn(context: RuleContext, value: unknown): CfnResource[] {
  if (typeof value === 'string') {
    if (!Token.isUnresolved(value)) {
      return [];
    }
    const found = findReferencesInside(context.splitReferences(value));
    return found.map(r => r.target);
  }
  return Reference.isReference(value) && CfnResource.isCfnResource(value.target) ? [value.target] : [];
}

function findReferencesInside(value: unknown): ResourceReference[] {
  if (isResourceReference(value)) {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(findReferencesInside);
  }
  return isObject(value) ? Object.values(value).flatMap(findReferencesInside) : [];
}

function findResolvedTarget(context: RuleContext, from: ResourceView, value: unknown, spec: TargetSpec, what: string): Reading<ResourceView> {
  const marked = isResourceReference(value) ? value : findReferenceInside(value);
  if (marked !== undefined) {
    if (spec.types.includes(marked.target.cfnResourceType)) {
      return known(context.indexOf(Stack.of(marked.target)).viewOf(marked.target));
    }
    return unknown(`${what} refers to ${marked.target.node.path}, which is not a ${spec.noun}`);
  }
  const fn = intrinsicName(value);
  if (fn === 'Ref' || fn === 'Fn::GetAtt') {
    return inStack(context, from, logicalIdOf(value as JsonObject, fn), spec, what);
  }
  if (fn === 'Fn::ImportValue') {
    const name = (value as JsonObject)[fn];
    const target = typeof name === 'string' ? context.exportedResource(name, spec.types) : undefined;
    if (target !== undefined) {
      return known(target);
    }
    return unknown(`${what} ${describeIntrinsic(value as JsonObject, fn)}, so the ${spec.noun} cannot be judged`);
  }
  if (fn === 'Fn::Join') {
    // An ARN or name assembled around a Ref, as CDK's formatArn renders it.
    const ref = findRefInside(value);
    if (ref !== undefined) {
      return inStack(context, from, ref, spec, what);
    }
  }
  if (typeof value === 'string') {
    const name = physicalName(value, spec);
    if (spec.nameProperty !== undefined) {
      // Physical names are unique per account and Region: look in the same stack first.
      const local = context.indexOf(from.stack).byPhysicalName(spec.types[0], spec.nameProperty, name);
      const matches = local ? [local] : context.resourcesNamed(spec.types[0], spec.nameProperty, name);
      if (matches.length === 1) {
        return known(matches[0]);
      }
    }
    return unknown(`${what} "${value}" names a ${spec.noun} that this app does not define, so it cannot be judged`);
  }
  if (fn !== undefined) {
    return unknown(`${what} cannot be known at synth time: ${describeIntrinsic(value as JsonObject, fn)}`);
  }
  return unknown(`${what} has an unexpected value ${JSON.stringify(value)}`);
}

function inStack(context: RuleContext, from: ResourceView, logicalId: string, spec: TargetSpec, what: string): Reading<ResourceView> {
  const index = context.indexOf(from.stack);
  const target = index.byLogicalId(logicalId, spec.types);
  if (target !== undefined) {
    return known(target);
  }
  if (index.isParameter(logicalId)) {
    return unknown(`${what} is a Ref to the parameter "${logicalId}", so the ${spec.noun} is only known at deploy time`);
  }
  return unknown(`${what} refers to "${logicalId}", which is not a ${spec.noun} in this stack`);
}

function logicalIdOf(value: JsonObject, fn: string): string {
  const arg = value[fn];
  if (fn === 'Ref') {
    return String(arg);
  }
  // Fn::GetAtt: [id, attribute] or "id.attribute"
  return Array.isArray(arg) ? String(arg[0]) : String(arg).split('.')[0];
}

/** The first reference to a resource of the app inside a value (an ARN built around it). */
function findReferenceInside(value: unknown): ResourceReference | undefined {
  if (isResourceReference(value)) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(findReferenceInside).find(r => r !== undefined);
  }
  return isObject(value) ? Object.values(value).map(findReferenceInside).find(r => r !== undefined) : undefined;
}

/** The logical ID of the first `Ref` to a resource (not a pseudo parameter) inside a value. */
function findRefInside(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findRefInside(item);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (!isObject(value)) {
    return undefined;
  }
  const fn = intrinsicName(value);
  if (fn === 'Ref' && typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) {
    return value.Ref;
  }
  if (fn === 'Fn::GetAtt') {
    return logicalIdOf(value, fn);
  }
  for (const inner of Object.values(value)) {
    const found = findRefInside(inner);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/** The name part of an ARN (`arn:aws:rds:eu-west-1:111:db:name` -> `name`), or the value itself. */
function physicalName(value: string, spec: TargetSpec): string {
  if (spec.arnResource && value.startsWith('arn:')) {
    const parts = value.split(':');
    const at = parts.indexOf(spec.arnResource, 5);
    if (at >= 0 && at + 1 < parts.length) {
      return parts.slice(at + 1).join(':');
    }
  }
  return value;
}

/** The Region segment of a literal ARN, if `value` is one. */
export function arnRegion(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('arn:')) {
    return undefined;
  }
  return value.split(':')[3] || undefined;
}
