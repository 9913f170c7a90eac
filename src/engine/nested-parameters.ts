import { ResourceRecord } from './resource-view';
import { Fork, World } from './worlds';
import { intrinsicName, isJsonObject } from '../aws/json';

/**
 * The literal a parent stack passes to one of a nested stack's parameters, read from the nested
 * stack's `AWS::CloudFormation::Stack` resource (`stackResource`, in the parent) as the parent's
 * template will show its `Parameters` (a name of another case matches only in a template that
 * CloudFormation refuses: it names no parameter of the nested stack). A literal
 * only when the parent's template gives it in every one of its worlds; `null` when the parent passes
 * nothing for the parameter (then its default applies); else `undefined`: the deployment tells.
 */
export function passedByParent(stackResource: ResourceRecord, logicalId: string): string | null | undefined {
  const view = stackResource.in(World.EMPTY);
  let value: unknown;
  try {
    // The one parameter only: a condition on another one decides nothing here.
    value = view.read('Parameters', logicalId);
  } catch (e) {
    if (e instanceof Fork) {
      // It depends on a condition of the parent's template.
      return undefined;
    }
    throw e;
  }
  if (value === undefined) {
    // Nothing passed for it, unless the whole map is computed (an intrinsic hides its keys).
    const properties = stackResource.template.properties;
    const whole = isJsonObject(properties) && intrinsicName(properties) === undefined ? properties.Parameters : properties;
    return whole === undefined || (isJsonObject(whole) && intrinsicName(whole) === undefined) ? null : undefined;
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
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
