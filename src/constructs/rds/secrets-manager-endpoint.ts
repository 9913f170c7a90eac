import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Secrets Manager endpoints this library added, by VPC: one per VPC is enough. */
const ENDPOINTS = new WeakMap<ec2.IVpc, ec2.InterfaceVpcEndpoint>();

/**
 * A rotation function in isolated subnets cannot reach Secrets Manager through a NAT: rotation
 * would deploy and then fail on its first run. Give the VPC an interface endpoint in those subnets
 * (once per VPC, unless it has one) and let the rotation function use it.
 */
export function reachSecretsManager(scope: Construct, vpc: ec2.IVpc, subnets: ec2.SubnetSelection | undefined, rotation: ec2.SecurityGroup): void {
  const selected = vpc.selectSubnets(subnets).subnets;
  const isolated = new Set(vpc.isolatedSubnets);
  if (selected.length === 0 || !selected.every(s => isolated.has(s))) {
    return;
  }
  let endpoint = ENDPOINTS.get(vpc) ?? existingSecretsManagerEndpoint(scope, vpc);
  if (endpoint === undefined) {
    endpoint = new ec2.InterfaceVpcEndpoint(Stack.of(scope), `${vpc.node.id}SecretsManagerEndpoint`, {
      vpc, service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, subnets, privateDnsEnabled: true, open: false,
    });
  }
  ENDPOINTS.set(vpc, endpoint);
  allowRotation(endpoint, rotation);
}

/**
 * Lets the rotation function reach the endpoint. In the endpoint's own stack, through its
 * connections. From another stack (a second database in the same VPC), the rule is written in the
 * rotation function's stack: CDK would put it in the endpoint's, which would then depend on this
 * one, so this stack could deploy first, with no endpoint to rotate through.
 */
function allowRotation(endpoint: ec2.InterfaceVpcEndpoint, rotation: ec2.SecurityGroup): void {
  if (Stack.of(endpoint) === Stack.of(rotation)) {
    endpoint.connections.allowDefaultPortFrom(rotation, 'Secrets Manager rotation');
    return;
  }
  endpoint.connections.securityGroups.forEach((group, i) => {
    new ec2.CfnSecurityGroupIngress(rotation, `SecretsManagerEndpointIngress${i === 0 ? '' : i}`, {
      groupId: group.securityGroupId,
      sourceSecurityGroupId: rotation.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'Secrets Manager rotation',
    });
  });
}

/**
 * A Secrets Manager interface endpoint the VPC already has, found by its service name (whatever
 * its construct ID): a second one with private DNS would be rejected by EC2.
 */
function existingSecretsManagerEndpoint(scope: Construct, vpc: ec2.IVpc): ec2.InterfaceVpcEndpoint | undefined {
  const stack = Stack.of(scope);
  const vpcId = stack.resolve(vpc.vpcId);
  const service = `com.amazonaws.${stack.region}.secretsmanager`;
  const candidates = [...new Set([...vpc.node.findAll(), ...Stack.of(vpc).node.findAll()])];
  return candidates.find((c): c is ec2.InterfaceVpcEndpoint => {
    if (!(c instanceof ec2.InterfaceVpcEndpoint)) {
      return false;
    }
    const cfn = c.node.defaultChild as ec2.CfnVPCEndpoint;
    const name = String(stack.resolve(cfn.serviceName));
    return JSON.stringify(stack.resolve(cfn.vpcId)) === JSON.stringify(vpcId) && (name === service || name.endsWith('.secretsmanager'));
  });
}
