import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { acknowledgeOnResource, inCompliancePacks } from '../private/checker-acknowledgements';

/**
 * The default sources are open on 443 and 80 only: to the internet for an internet-facing load
 * balancer (which is what it is for), to the VPC's own CIDR block for an internal one. The
 * acknowledgement holds only while the group's inbound rules are exactly ours.
 */
export function acknowledgeDefaultSources(securityGroup: ec2.SecurityGroup, internetFacing: boolean): void {
  const cfn = securityGroup.node.defaultChild as ec2.CfnSecurityGroup;
  const stack = Stack.of(securityGroup);
  const ours = JSON.stringify(stack.resolve(cfn.securityGroupIngress));
  const groupId = JSON.stringify(stack.resolve(securityGroup.securityGroupId));
  const unchanged = () => JSON.stringify(stack.resolve(cfn.securityGroupIngress)) === ours
    && !stack.node.findAll().some(c => c instanceof ec2.CfnSecurityGroupIngress && JSON.stringify(stack.resolve(c.groupId)) === groupId);
  if (internetFacing) {
    acknowledgeOnResource(cfn, ['AwsSolutions-EC23'],
      'An internet-facing load balancer serves a public domain: HTTPS on 443 (and, on 80, only a redirect to HTTPS) must be reachable from any '
      + 'address. No other port is open. Narrow it with allowedSources.', unchanged);
  } else {
    acknowledgeOnResource(cfn, ['AwsSolutions-EC23', ...inCompliancePacks('EC2RestrictedCommonPorts'), ...inCompliancePacks('EC2RestrictedSSH')],
      'The only source is the VPC\'s own CIDR block (Fn::GetAtt VpcCidrBlock), on ports 443 and 80: not 0.0.0.0/0. The checker cannot resolve '
      + 'the attribute at synthesis and reports its own failure instead.', unchanged);
  }
}

/**
 * The HTTP listener only redirects to HTTPS (301): no request is served over it, so it needs no
 * certificate. The acknowledgement holds only while that is so: a listener rule that forwards or
 * answers over HTTP, or another default action, brings the checker's finding back.
 */
export function acknowledgeRedirectOnly(listener: elbv2.ApplicationListener): void {
  const cfn = listener.node.defaultChild as elbv2.CfnListener;
  const stack = Stack.of(listener);
  const onlyRedirects = (actions: unknown) => Array.isArray(actions) && actions.length > 0
    && actions.every((a: { type?: string; redirectConfig?: { protocol?: string } }) => a.type === 'redirect' && a.redirectConfig?.protocol === 'HTTPS');
  const redirectOnly = () => {
    const self = JSON.stringify(stack.resolve(listener.listenerArn));
    const rules = stack.node.findAll().filter((c): c is elbv2.CfnListenerRule => c instanceof elbv2.CfnListenerRule
      && JSON.stringify(stack.resolve(c.listenerArn)) === self);
    return onlyRedirects(stack.resolve(cfn.defaultActions)) && (stack.resolve(cfn.certificates) ?? []).length === 0
      && rules.every(r => onlyRedirects(stack.resolve(r.actions)));
  };
  acknowledgeOnResource(cfn, inCompliancePacks('ELBv2ACMCertificateRequired'),
    'This listener only redirects every request to HTTPS on 443 (HTTP 301): it serves no content, so there is nothing for a certificate to protect. '
    + 'The HTTPS listener has the ACM certificate.', redirectOnly);
}
