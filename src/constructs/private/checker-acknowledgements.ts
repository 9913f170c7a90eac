import { AspectPriority, Aspects, CfnResource, IAspect, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The cdk-nag compliance packs that carry a rule of the same name. */
export const COMPLIANCE_PACKS = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

/** The rule IDs of `rule` in the compliance packs (`HIPAA.Security-<rule>`, ...). */
export function inCompliancePacks(rule: string): string[] {
  return COMPLIANCE_PACKS.map(pack => `${pack}-${rule}`);
}

/** The acknowledgement ID of a Control Tower control of `@cdklabs/cdk-validator-cfnguard`. */
export function controlTower(rule: string): string {
  return `cdk-validator-cfnguard::${rule}`;
}

/**
 * Acknowledges checker findings (cdk-nag, Control Tower) that do not apply to one of our own L1
 * resources, with the AWS fact as the reason. The acknowledgement sits on the resource itself, so
 * it never covers a resource of the user's.
 *
 * With `stillApplies`, the acknowledgement is made only at synthesis, and only if the resource is
 * still what the reason says: a user who later adds an open rule to our security group, or a
 * forwarding rule to our redirect-only listener, gets the checker's finding.
 */
export function acknowledgeOnResource(resource: CfnResource, ids: string[], reason: string, stillApplies?: () => boolean): void {
  const acknowledge = () => Validations.of(resource).acknowledge(...ids.map(id => ({ id, reason })));
  if (stillApplies === undefined) {
    acknowledge();
    return;
  }
  const aspect: IAspect = {
    visit(node: IConstruct) {
      if (node === resource && stillApplies()) {
        acknowledge();
      }
    },
  };
  // Read-only priority: it runs after every aspect that may still change the resource.
  Aspects.of(resource).add(aspect, { priority: AspectPriority.READONLY });
}
