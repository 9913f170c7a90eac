/**
 * CloudFront rules: the L2 Distribution's defaults, extra behaviours, origins (custom, S3, VPC),
 * certificates and conditions.
 */
import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EncryptionGate, FindingKind, RuleService } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

const CERT_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/abc';
const evaluate = (stack: Parameters<typeof EncryptionGate.evaluate>[0]) => EncryptionGate.evaluate(stack, { services: [RuleService.CLOUDFRONT] });

describe('CloudFront distributions through the L2', () => {
  test('the L2 defaults: allow-all viewers and the default certificate are findings; an HttpOrigin is HTTPS-only with TLSv1.2', () => {
    const stack = newStack(newApp());
    new cloudfront.Distribution(stack, 'Plain', { defaultBehavior: { origin: new origins.HttpOrigin('app.example.com') } });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-CF-1')!.detail).toBe('The default cache behaviour has ViewerProtocolPolicy "allow-all", so viewers may use plain HTTP');
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-CF-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-CF-3')!.detail).toMatch(/has no ViewerCertificate, so it serves the default \*\.cloudfront\.net certificate/);
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-CF-4')).toBeUndefined();
  });

  test('a certificate with TLSv1.2_2019 is a finding; the L2\'s default (TLSv1.2_2021 in aws-cdk-lib 2.276), TLSv1.3_2025 pass', () => {
    const stack = newStack(newApp());
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    const common = { domainNames: ['www.example.com'], certificate };
    const behavior = { origin: new origins.HttpOrigin('app.example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS };
    new cloudfront.Distribution(stack, 'Old', { ...common, defaultBehavior: behavior, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019 });
    new cloudfront.Distribution(stack, 'Modern', { ...common, defaultBehavior: behavior });
    new cloudfront.Distribution(stack, 'Tls13', { ...common, defaultBehavior: behavior, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_3_2025 });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Old/Resource', 'CEG-CF-2')!.detail).toMatch(/^The distribution's MinimumProtocolVersion TLSv1.2_2019 accepts/);
    for (const id of ['Modern', 'Tls13']) {
      expect(findings.filter(f => f.constructPath === `Stack/${id}/Resource`)).toEqual([]);
    }
  });

  test('one additional behaviour on allow-all is enough; S3 origins are reached with the viewer\'s (HTTPS) protocol', () => {
    const stack = newStack(newApp());
    const bucket = new s3.Bucket(stack, 'Site');
    new cloudfront.Distribution(stack, 'Mixed', {
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      },
      additionalBehaviors: {
        '/api/*': { origin: new origins.HttpOrigin('api.example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.ALLOW_ALL },
      },
    });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Mixed/Resource', 'CEG-CF-1')!.detail).toBe('The cache behaviour for "/api/*" has ViewerProtocolPolicy "allow-all", so viewers may use plain HTTP');
    expect(verdictOn(findings, 'Stack/Mixed/Resource', 'CEG-CF-1')!.location).toBe('Properties.DistributionConfig.CacheBehaviors.0.ViewerProtocolPolicy');
    expect(verdictOn(findings, 'Stack/Mixed/Resource', 'CEG-CF-4')).toBeUndefined();
  });

  test('custom origins: match-viewer, http-only, TLSv1.1 and missing OriginSSLProtocols are findings', () => {
    const stack = newStack(newApp());
    const origin = (id: string, config: object) => new cloudfront.CfnDistribution(stack, id, {
      distributionConfig: {
        enabled: true,
        origins: [{ id: 'app', domainName: 'app.example.com', customOriginConfig: config as cloudfront.CfnDistribution.CustomOriginConfigProperty }],
        defaultCacheBehavior: { targetOriginId: 'app', viewerProtocolPolicy: 'https-only' },
      },
    });
    origin('MatchViewer', { originProtocolPolicy: 'match-viewer', originSslProtocols: ['TLSv1.2'] });
    origin('HttpOnly', { originProtocolPolicy: 'http-only' });
    origin('Tls11', { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.1', 'TLSv1.2'] });
    origin('NoProtocols', { originProtocolPolicy: 'https-only' });
    new cloudfront.Distribution(stack, 'L2Tls1', {
      defaultBehavior: { origin: new origins.HttpOrigin('app.example.com', { originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1, cloudfront.OriginSslPolicy.TLS_V1_2] }) },
    });
    const findings = evaluate(stack);
    const detail = (id: string) => verdictOn(findings, id, 'CEG-CF-4')?.detail;
    expect(detail('Stack/MatchViewer')).toBe('Origin "app" has OriginProtocolPolicy "match-viewer", so CloudFront may reach it over plain HTTP (it must be "https-only")');
    expect(detail('Stack/HttpOnly')).toMatch(/"http-only"/);
    expect(detail('Stack/Tls11')).toBe('Origin "app" allows TLSv1.1 in OriginSSLProtocols');
    expect(detail('Stack/NoProtocols')).toMatch(/sets no OriginSSLProtocols/);
    expect(detail('Stack/L2Tls1/Resource')).toMatch(/allows TLSv1 in OriginSSLProtocols/);
  });

  test('VPC origins are judged by the VpcOrigin they name', () => {
    const stack = newStack(newApp());
    const vpcOrigin = (id: string, policy?: string) => new cloudfront.CfnVpcOrigin(stack, id, {
      vpcOriginEndpointConfig: { arn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/a/b', name: id, originProtocolPolicy: policy, originSslProtocols: ['TLSv1.2'] },
    });
    const distribution = (id: string, target: cloudfront.CfnVpcOrigin) => new cloudfront.CfnDistribution(stack, id, {
      distributionConfig: {
        enabled: true,
        origins: [{ id: 'alb', domainName: 'internal.example.com', vpcOriginConfig: { vpcOriginId: target.attrId } }],
        defaultCacheBehavior: { targetOriginId: 'alb', viewerProtocolPolicy: 'https-only' },
      },
    });
    distribution('ToHttps', vpcOrigin('Https', 'https-only'));
    distribution('ToHttp', vpcOrigin('Http', 'http-only'));
    // Without a policy a VPC origin matches the viewer (what aws-cdk-lib's VpcOrigin renders by default).
    distribution('ToDefault', vpcOrigin('Default'));
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/ToDefault', 'CEG-CF-4')!.detail)
      .toBe('Origin "alb" (VPC origin Default) has OriginProtocolPolicy (none, so "match-viewer"), so CloudFront may reach it over plain HTTP (it must be "https-only")');
    expect(verdictOn(findings, 'Stack/ToHttps', 'CEG-CF-4')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/ToHttp', 'CEG-CF-4')).toMatchObject({
      detail: 'Origin "alb" (VPC origin Http) has OriginProtocolPolicy "http-only", so CloudFront may reach it over plain HTTP (it must be "https-only")',
      location: 'Properties.DistributionConfig.Origins.0.VpcOriginConfig.VpcOriginId',
    });
  });

  test('conditions and parameters: each branch of the minimum protocol is judged; a certificate switch from a parameter is unresolvable', () => {
    const stack = newStack(newApp());
    const legacy = new CfnCondition(stack, 'Legacy', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Clients').valueAsString, 'old') });
    const config = (viewerCertificate: unknown) => ({
      enabled: true,
      origins: [{ id: 'app', domainName: 'app.example.com', customOriginConfig: { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] } }],
      defaultCacheBehavior: { targetOriginId: 'app', viewerProtocolPolicy: 'redirect-to-https' },
      viewerCertificate: viewerCertificate as cloudfront.CfnDistribution.ViewerCertificateProperty,
    });
    new cloudfront.CfnDistribution(stack, 'Conditional', {
      distributionConfig: config({ acmCertificateArn: CERT_ARN, sslSupportMethod: 'sni-only', minimumProtocolVersion: Fn.conditionIf(legacy.logicalId, 'TLSv1', 'TLSv1.2_2021') }),
    });
    new cloudfront.CfnDistribution(stack, 'Switch', {
      distributionConfig: config({ cloudFrontDefaultCertificate: new CfnParameter(stack, 'UseDefault').valueAsString }),
    });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Conditional', 'CEG-CF-2')!.detail).toBe('When condition "Legacy" is true: the distribution\'s MinimumProtocolVersion TLSv1 accepts TLS below 1.2 or ciphers that TLSv1.2_2021 removed');
    expect(verdictOn(findings, 'Stack/Switch', 'CEG-CF-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Switch', 'CEG-CF-3')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });
});
