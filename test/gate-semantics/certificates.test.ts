import { CustomResource } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { crashes, envStack, runAll, verdict } from './harness';

/** CEG-ELB-3 on certificates that other resources produce (fourth red-team pass). */
describe('listener certificates made by other resources (CEG-ELB-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const listener = (id: string, certificate: elbv2.IListenerCertificate) => new elbv2.ApplicationLoadBalancer(stack, id, { vpc }).addListener('Https', {
      port: 443, certificates: [certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction: elbv2.ListenerAction.fixedResponse(200),
    });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
    // Deprecated, still in aws-cdk-lib: a custom resource that requests the certificate from ACM.
    // jsii prints the deprecation when it is made: expected here, kept out of the test output.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    listener('Requested', new acm.DnsValidatedCertificate(stack, 'Dvc', { domainName: 'www.example.com', hostedZone: zone }));
    warn.mockRestore();
    const uploaded = new iam.CfnServerCertificate(stack, 'Uploaded', { certificateBody: 'body', privateKey: 'key' });
    listener('Iam', elbv2.ListenerCertificate.fromArn(uploaded.attrArn));
    const custom = new CustomResource(stack, 'Issuer', { serviceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:issue' });
    listener('Custom', elbv2.ListenerCertificate.fromArn(custom.getAttString('Arn')));
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('DnsValidatedCertificate requests an ACM certificate: pass', () => {
    expect(verdict(results, 'CEG-ELB-3', 'Stack/Requested/Https/Resource')).toBe('pass');
  });
  test('an IAM server certificate is non-compliant; what a custom resource returns is unresolvable', () => {
    expect(verdict(results, 'CEG-ELB-3', 'Stack/Iam/Https/Resource')).toBe('non-compliant');
    expect(verdict(results, 'CEG-ELB-3', 'Stack/Custom/Https/Resource')).toBe('unresolvable');
  });
});
