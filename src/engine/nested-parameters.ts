import { ResourceRecord } from './resource-view';
import { Fork, World } from './worlds';
import { hasMacro, intrinsicName, isJsonObject } from '../aws/json';

/** What a parent passes for one parameter, when `passed` cannot say: nothing, or only the deployment tells. */
const NOTHING = Symbol('nothing passed');
const UNKNOWN = Symbol('known at deploy time');

/**
 * What the parent's template passes to one of a nested stack's parameters, read from the nested
 * stack's `AWS::CloudFormation::Stack` resource (`stackResource`, in the parent): names matched
 * exactly (they are case-sensitive), the value the same in every world of the parent's template
 * (`AWS::NoValue` in every world passes nothing); `UNKNOWN` when the map is computed or a
 * condition decides.
 */
function passed(stackResource: ResourceRecord, logicalId: string): unknown {
  // Which names the parent passes, from the template as rendered (an intrinsic hides its keys).
  const properties = stackResource.template.properties;
  const whole = isJsonObject(properties) && intrinsicName(properties) === undefined && !hasMacro(properties) ? properties.Parameters : properties;
  if (whole === undefined) {
    return NOTHING;
  }
  // A macro among the properties or the parameters returns the map: only the deployment tells.
  if (!isJsonObject(whole) || intrinsicName(whole) !== undefined || hasMacro(whole)) {
    return UNKNOWN;
  }
  if (!Object.prototype.hasOwnProperty.call(whole, logicalId)) {
    return NOTHING;
  }
  try {
    // The one parameter only: a condition on another one decides nothing here.
    return stackResource.in(World.EMPTY).read('Parameters', logicalId) ?? NOTHING;
  } catch (e) {
    if (e instanceof Fork) {
      return UNKNOWN;
    }
    throw e;
  }
}

/**
 * The literal a parent stack passes to one of a nested stack's parameters (see `passed`); `null`
 * when it passes nothing for the parameter (then its default applies); else `undefined`: the
 * deployment tells.
 */
export function passedByParent(stackResource: ResourceRecord, logicalId: string): string | null | undefined {
  const value = passed(stackResource, logicalId);
  return value === NOTHING ? null : typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * The parameter of the parent stack that a parent passes whole to one of a nested stack's
 * parameters (`{ Ref: P }`, what CDK renders for a value of the parent that is its own parameter:
 * `MachineImage.fromSsmParameter` used in a nested stack), in every world of the parent's template;
 * else `undefined`.
 */
export function parameterPassedByParent(stackResource: ResourceRecord, logicalId: string): string | undefined {
  const value = passed(stackResource, logicalId);
  const ref = intrinsicName(value) === 'Ref' ? (value as { Ref: unknown }).Ref : undefined;
  return typeof ref === 'string' && !ref.startsWith('AWS::') ? ref : undefined;
}
