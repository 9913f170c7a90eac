import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The VPC's own default choice for private resources: with egress if it has such subnets, else isolated. */
export function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  const withEgress = vpc.privateSubnets.length > 0 || vpc.isolatedSubnets.length === 0;
  return { subnetType: withEgress ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED };
}

/** Whether the selection picks any public subnet of the VPC (by type, group name or list). */
export function selectsPublicSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): boolean {
  if (selection?.subnetType === ec2.SubnetType.PUBLIC) {
    return true;
  }
  const publicIds = new Set(vpc.publicSubnets.map(s => s.subnetId));
  try {
    return vpc.selectSubnets(selection).subnets.some(s => publicIds.has(s.subnetId));
  } catch {
    // A selection the VPC cannot satisfy is the L2's to report.
    return false;
  }
}

/** How a refusal names the selection it refuses. */
export function describeSelection(selection: ec2.SubnetSelection | undefined): string {
  if (selection === undefined) {
    return '(the default)';
  }
  return selection.subnetGroupName !== undefined ? `(subnetGroupName "${selection.subnetGroupName}")`
    : selection.subnets !== undefined ? '(subnets)' : `(${JSON.stringify(selection.subnetType ?? selection)})`;
}
