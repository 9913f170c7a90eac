import { CfnResource, Stack } from 'aws-cdk-lib';

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

/** The properties of a resource as the L1 holds them (camelCase for typed L1s). */
export function cfnPropertiesOf(resource: CfnResource): { [key: string]: unknown } {
  return internals(resource).cfnProperties ?? {};
}

/** Renders resolved properties under their CloudFormation names, as the template will show them. */
export function renderPropertiesOf(resource: CfnResource, resolved: { [key: string]: unknown }): { [key: string]: unknown } | undefined {
  const render = internals(resource).renderProperties;
  return typeof render === 'function' ? render.call(resource, resolved) : resolved;
}

/** Whether the stack was created with `crossRegionReferences: true`. */
export function hasCrossRegionReferences(stack: Stack): boolean {
  return (stack as unknown as { _crossRegionReferences?: boolean })._crossRegionReferences === true;
}
