/**
 * ELB rules: HTTP listeners only redirect, TLS 1.2+ policies with certificates, ACM certificates.
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elb from 'aws-cdk-lib/aws-elasticloadbalancing';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { EncryptionGate, FindingKind } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

describe('ELB rules', () => {
  function listeners(stack: Stack) {
    const alb = new elbv2.CfnLoadBalancer(stack, 'Alb', { subnets: ['subnet-1', 'subnet-2'] });
    const certificates = [{ certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc' }];
    const forward = [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }];
    return {
      listener: (id: string, props: Partial<elbv2.CfnListenerProps>) =>
        new elbv2.CfnListener(stack, id, { loadBalancerArn: alb.ref, defaultActions: forward, ...props }),
      certificates,
      forward,
    };
  }

  test('CEG-ELB-1: an HTTP listener only redirects to HTTPS, rules included', () => {
    const stack = newStack(newApp());
    const { listener } = listeners(stack);
    const redirect = [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }];
    listener('Redirects', { port: 80, protocol: 'HTTP', defaultActions: redirect });
    listener('Serves', { port: 80, protocol: 'HTTP' });
    const withRule = listener('RedirectsButRule', { port: 8080, protocol: 'HTTP', defaultActions: redirect });
    new elbv2.CfnListenerRule(stack, 'Rule', {
      listenerArn: withRule.ref,
      priority: 1,
      conditions: [{ field: 'path-pattern', values: ['/health'] }],
      actions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }],
    });
    listener('Tcp', { port: 22, protocol: 'TCP' });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-ELB-1'] });
    expect(findings.map(f => f.constructPath).sort()).toEqual(['Stack/RedirectsButRule', 'Stack/Serves']);
    expect(verdictOn(findings, 'Stack/RedirectsButRule', 'CEG-ELB-1')!.detail).toBe('Listener rule Rule of the HTTP listener does not redirect to HTTPS, so it serves traffic unencrypted');
  });

  test('CEG-ELB-2: HTTPS and TLS listeners need a certificate and an explicit TLS 1.2+ policy; a parameter is unresolvable', () => {
    const stack = newStack(newApp());
    const { listener, certificates } = listeners(stack);
    listener('Good', { port: 443, protocol: 'HTTPS', certificates, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    listener('NoPolicy', { port: 443, protocol: 'HTTPS', certificates });
    listener('Legacy', { port: 443, protocol: 'HTTPS', certificates, sslPolicy: 'ELBSecurityPolicy-2016-08' });
    listener('NoCertificate', { port: 443, protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    listener('NlbTls', { port: 443, protocol: 'TLS', certificates, sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' });
    listener('Chosen', { port: 443, protocol: 'HTTPS', certificates, sslPolicy: new CfnParameter(stack, 'Policy').valueAsString });
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-ELB-2'] });
    expect(findings.map(f => `${f.constructPath.replace('Stack/', '')} ${f.kind}`).sort()).toEqual([
      'Chosen unresolvable', 'Legacy non-compliant', 'NoCertificate non-compliant', 'NoPolicy non-compliant',
    ]);
    expect(verdictOn(findings, 'Stack/NoPolicy', 'CEG-ELB-2')!.detail).toBe('The HTTPS listener sets no SslPolicy, so the template does not decide which TLS versions it accepts');
  });

  test('CEG-ELB-3 (warning): IAM server certificates', () => {
    const stack = newStack(newApp());
    const { listener } = listeners(stack);
    const policy = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
    listener('Iam', { port: 443, protocol: 'HTTPS', sslPolicy: policy, certificates: [{ certificateArn: 'arn:aws:iam::111111111111:server-certificate/old' }] });
    const cert = new acm.CfnCertificate(stack, 'Cert', { domainName: 'a.example.com', validationMethod: 'DNS' });
    listener('Acm', { port: 443, protocol: 'HTTPS', sslPolicy: policy, certificates: [{ certificateArn: cert.ref }] });
    // A Classic Load Balancer names its certificate in each listener.
    const classic = (id: string, sslCertificateId: string) => new elb.CfnLoadBalancer(stack, id, {
      availabilityZones: ['eu-west-1a'], listeners: [{ loadBalancerPort: '443', instancePort: '80', protocol: 'HTTPS', sslCertificateId }],
    });
    classic('ClassicIam', 'arn:aws:iam::111111111111:server-certificate/old');
    classic('ClassicAcm', cert.ref);
    classic('ClassicChosen', new CfnParameter(stack, 'Certificate').valueAsString);
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-ELB-3'] });
    expect(findings.map(f => `${f.constructPath} ${f.level} ${f.kind}`)).toEqual([
      'Stack/Iam warning non-compliant', 'Stack/ClassicIam warning non-compliant', 'Stack/ClassicChosen warning unresolvable',
    ]);
    expect(findings[0]).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
  });

  test('CEG-ELB-4: a Classic Load Balancer listens only over HTTPS or SSL with ELBSecurityPolicy-TLS-1-2-2017-01', () => {
    const stack = newStack(newApp());
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const certificate = 'arn:aws:acm:eu-west-1:111111111111:certificate/abc';
    // The L2 attaches no policy: the listener gets ELBSecurityPolicy-2016-08 (TLS 1.0).
    const https = { externalPort: 443, externalProtocol: elb.LoadBalancingProtocol.HTTPS, internalPort: 80, sslCertificateArn: certificate };
    new elb.LoadBalancer(stack, 'L2Default', { vpc, internetFacing: true, listeners: [https] });
    const tls12 = new elb.LoadBalancer(stack, 'L2Tls12', { vpc, internetFacing: true, listeners: [{ ...https, policyNames: ['Tls12'] }] });
    const policy = (policyName: string, attributes: Array<[string, string]>, extra: object = {}): elb.CfnLoadBalancer.PoliciesProperty =>
      ({ policyName, policyType: 'SSLNegotiationPolicyType', attributes: attributes.map(([name, value]) => ({ name, value })), ...extra });
    (tls12.node.defaultChild as elb.CfnLoadBalancer).policies = [policy('Tls12', [['Reference-Security-Policy', 'ELBSecurityPolicy-TLS-1-2-2017-01']])];
    new elb.LoadBalancer(stack, 'Http', { vpc, internetFacing: true, listeners: [{ externalPort: 80, externalProtocol: elb.LoadBalancingProtocol.HTTP, internalPort: 80 }] });
    const classic = (id: string, listener: object, policies?: elb.CfnLoadBalancer.PoliciesProperty[]) => new elb.CfnLoadBalancer(stack, id, {
      availabilityZones: ['eu-west-1a'],
      listeners: [{ loadBalancerPort: '443', instancePort: '443', protocol: 'SSL', sslCertificateId: certificate, ...listener }],
      policies,
    });
    // Attached by port, and custom attributes that turn every older protocol off.
    classic('ByPort', {}, [policy('Custom', [['Protocol-TLSv1', 'false'], ['Protocol-SSLv3', 'false'], ['Protocol-TLSv1.1', 'false'], ['Protocol-TLSv1.2', 'true']], { loadBalancerPorts: ['443'] })]);
    classic('TurnsTls1On', { policyNames: ['P'] }, [policy('P', [['Reference-Security-Policy', 'ELBSecurityPolicy-TLS-1-2-2017-01'], ['Protocol-TLSv1', 'true']])]);
    classic('LeavesTls11', { policyNames: ['P'] }, [policy('P', [['Protocol-TLSv1', 'false'], ['Protocol-SSLv3', 'false']])]);
    classic('PredefinedByName', { policyNames: ['ELBSecurityPolicy-TLS-1-2-2017-01'] });
    classic('OtherPort', {}, [policy('P', [['Reference-Security-Policy', 'ELBSecurityPolicy-TLS-1-2-2017-01']], { loadBalancerPorts: ['8443'] })]);
    classic('Tcp', { protocol: 'tcp' });
    classic('ChosenPolicy', { policyNames: [new CfnParameter(stack, 'PolicyName').valueAsString] },
      [policy('P', [['Reference-Security-Policy', 'ELBSecurityPolicy-TLS-1-2-2017-01']])]);
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-ELB-4'] });
    expect(findings.map(f => `${f.constructPath.replace('Stack/', '')} ${f.kind}`).sort()).toEqual([
      'ChosenPolicy unresolvable', 'Http/Resource non-compliant', 'L2Default/Resource non-compliant', 'LeavesTls11 non-compliant',
      'OtherPort non-compliant', 'Tcp non-compliant', 'TurnsTls1On non-compliant',
    ]);
    expect(verdictOn(findings, 'Stack/L2Default/Resource', 'CEG-ELB-4')!.detail)
      .toBe('Listener 0 has no SSL negotiation policy, so it gets ELBSecurityPolicy-2016-08, which accepts TLS 1.0');
    expect(verdictOn(findings, 'Stack/TurnsTls1On', 'CEG-ELB-4')!.detail).toBe('Listener 0\'s SSL negotiation policy P turns on Protocol-TLSv1');
    expect(verdictOn(findings, 'Stack/LeavesTls11', 'CEG-ELB-4')!.detail)
      .toBe('Listener 0\'s SSL negotiation policy P neither references ELBSecurityPolicy-TLS-1-2-2017-01 nor turns off Protocol-TLSv1.1');
    expect(verdictOn(findings, 'Stack/Tcp', 'CEG-ELB-4')!.detail).toBe('Listener 0 uses tcp, so the load balancer carries its traffic unencrypted');
  });
});
