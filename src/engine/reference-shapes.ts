import { isResourceReference, ReferenceTable } from './resource-reference';
import { intrinsicName, isJsonObject } from '../aws/json';

/**
 * The shapes of values that refer to resources, as relations read them: which references a value
 * is made of, and which text around a reference still names the referenced resource.
 */

/**
 * Resource types whose `Ref` or attributes hand on values of other resources: custom resources,
 * nested stacks' outputs, wait conditions' data, Parameter Store values, provisioned products'
 * outputs. A reference to one may stand for the ID of a resource of every type.
 */
const VALUE_CARRIERS = new Set([
  'AWS::CloudFormation::CustomResource', 'AWS::CloudFormation::Stack', 'AWS::CloudFormation::WaitCondition',
  'AWS::SSM::Parameter', 'AWS::ServiceCatalog::CloudFormationProvisionedProduct',
]);

export function carriesValues(type: string): boolean {
  return type.startsWith('Custom::') || VALUE_CARRIERS.has(type) || !type.startsWith('AWS::');
}

/**
 * Whether a raw value is nothing but references to app resources on every branch (an `Fn::If`
 * between references, or `AWS::NoValue`): no literal, parameter or import that could name a
 * resource by other means.
 */
export function onlyReferences(raw: unknown, table: ReferenceTable): boolean {
  if (!isJsonObject(raw)) {
    return false;
  }
  if (table.unmark(raw) !== undefined) {
    return true;
  }
  const args = raw['Fn::If'];
  if (intrinsicName(raw) === 'Fn::If' && Array.isArray(args) && args.length === 3) {
    return [args[1], args[2]].every(branch => onlyReferences(branch, table) || isNoValue(branch));
  }
  return false;
}

function isNoValue(value: unknown): boolean {
  return isJsonObject(value) && intrinsicName(value) === 'Ref' && value.Ref === 'AWS::NoValue';
}

/**
 * The reference an `Fn::Join` or `Fn::Sub` ends with, when all before it is the literal head of an
 * ARN (`arn:` ... ending in `:` or `/`, pseudo parameters allowed) or nothing: what `formatArn`
 * builds around a name. `undefined` for every other text built around a reference.
 */
export function arnEndingInReference(fn: string, args: unknown): unknown {
  if (fn === 'Fn::Join') {
    if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || !Array.isArray(args[1]) || args[1].length === 0) {
      return undefined;
    }
    const parts = args[1] as unknown[];
    const last = parts[parts.length - 1];
    const head = parts.slice(0, -1).map(part => typeof part === 'string' ? part : isPseudoParameter(part) ? 'x' : undefined);
    if (head.includes(undefined) || firstReference(last) !== last) {
      return undefined;
    }
    const text = head.length === 0 ? '' : `${head.join(args[0])}${args[0]}`;
    return text === '' || (text.startsWith('arn:') && /[:/]$/.test(text)) ? last : undefined;
  }
  // `Fn::Sub: [template, { Name: reference }]` whose template is an ARN head and then `${Name}`.
  if (Array.isArray(args) && typeof args[0] === 'string' && isJsonObject(args[1])) {
    const match = /^(arn:[^$]*[:/])?\$\{([^}!.]+)\}$/.exec(args[0]);
    const inner = match === null ? undefined : args[1][match[2]];
    return inner !== undefined && firstReference(inner) === inner ? inner : undefined;
  }
  return undefined;
}

function isPseudoParameter(value: unknown): boolean {
  return isJsonObject(value) && intrinsicName(value) === 'Ref' && typeof value.Ref === 'string' && value.Ref.startsWith('AWS::');
}

/** The first resource reference inside a value. */
export function firstReference(value: unknown): unknown {
  if (isResourceReference(value)) {
    return value;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstReference(item);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (isJsonObject(value)) {
    const fn = intrinsicName(value);
    if ((fn === 'Ref' && typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) || fn === 'Fn::GetAtt') {
      return value;
    }
    return firstReference(Object.values(value));
  }
  return undefined;
}
