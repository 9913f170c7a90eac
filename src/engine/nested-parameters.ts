import { ResourceRecord } from './resource-view';
import { Fork, World } from './worlds';
import { intrinsicName, isJsonObject } from '../aws/json';

/**
 * The literal a parent stack passes to one of a nested stack's parameters, read from the nested
 * stack's `AWS::CloudFormation::Stack` resource (`stackResource`, in the parent) as the parent's
 * template will show its `Parameters`, names matched exactly (they are case-sensitive). A literal
 * only when the parent's template gives it in every one of its worlds; `null` when the parent passes
 * nothing for the parameter (then its default applies); else `undefined`: the deployment tells.
 */
export function passedByParent(stackResource: ResourceRecord, logicalId: string): string | null | undefined {
  // Which names the parent passes, from the template as rendered (an intrinsic hides its keys).
  const properties = stackResource.template.properties;
  const whole = isJsonObject(properties) && intrinsicName(properties) === undefined ? properties.Parameters : properties;
  if (whole === undefined) {
    return null;
  }
  if (!isJsonObject(whole) || intrinsicName(whole) !== undefined) {
    return undefined;
  }
  if (!Object.prototype.hasOwnProperty.call(whole, logicalId)) {
    return null;
  }
  let value: unknown;
  try {
    // The one parameter only: a condition on another one decides nothing here.
    value = stackResource.in(World.EMPTY).read('Parameters', logicalId);
  } catch (e) {
    if (e instanceof Fork) {
      // It depends on a condition of the parent's template.
      return undefined;
    }
    throw e;
  }
  // `AWS::NoValue` in every world passes nothing.
  return value === undefined ? null : typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * The parameter of the parent stack that a parent passes whole to one of a nested stack's
 * parameters (`{ Ref: P }`, what CDK renders for a value of the parent that is its own parameter:
 * `MachineImage.fromSsmParameter` used in a nested stack), in every world of the parent's template;
 * else `undefined`.
 */
export function parameterPassedByParent(stackResource: ResourceRecord, logicalId: string): string | undefined {
  let passed: unknown;
  try {
    passed = stackResource.in(World.EMPTY).read('Parameters', logicalId);
  } catch (e) {
    if (e instanceof Fork) {
      return undefined;
    }
    throw e;
  }
  const ref = intrinsicName(passed) === 'Ref' ? (passed as { Ref: unknown }).Ref : undefined;
  return typeof ref === 'string' && !ref.startsWith('AWS::') ? ref : undefined;
}
