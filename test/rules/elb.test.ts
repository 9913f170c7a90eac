/**
 * ELB rules: HTTP listeners only redirect, TLS 1.2+ policies with certificates, ACM certificates.
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
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
    const findings = EncryptionGate.evaluate(stack, { ruleIds: ['CEG-ELB-3'] });
    expect(findings.map(f => `${f.constructPath} ${f.level}`)).toEqual(['Stack/Iam warning']);
    expect(findings[0]).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
  });
});
