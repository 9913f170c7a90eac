/**
 * Property-based: every AcmFrontedAlb generated over its props passes our gate, has no finding from
 * cdk-nag's ELBv2ACMCertificateRequired and ALBHttpToHttpsRedirection (NIST 800-53 R5, PCI DSS
 * 3.2.1), none from the Control Tower controls CT.ELASTICLOADBALANCING.PR.1 (redirect), .2 (ACM
 * certificate) and .4 (invalid headers dropped), and no error from the
 * built-in validator. cdk-nag asks a certificate of every listener, the redirect-only HTTP listener
 * included: the construct acknowledges that finding, with the reason.
 *
 * Beyond TLS: no unacknowledged finding at all on the construct's resources from the four cdk-nag
 * packs and the Control Tower controls, except those that stay the user's choice (USER_CHOICES,
 * the README table), and except access logging where the user turned it off, where it must appear.
 */
import { Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { nagViolations, oracleApp, relevant, ruleOf, templateOracles, unacknowledgedFindings } from './oracles';
import { AcmFrontedAlb, EncryptionGate } from '../../src';

const TEMPLATE_RULES = /CT\.ELASTICLOADBALANCING\.PR\.(1|2|4)\b/;
const NAG_RULES = /ELBv2ACMCertificateRequired|ALBHttpToHttpsRedirection/;

const albProps = fc.record({
  sslPolicy: fc.constantFrom(
    undefined, elbv2.SslPolicy.RECOMMENDED_TLS, elbv2.SslPolicy.TLS13_12_PQ, elbv2.SslPolicy.FIPS_TLS13_12, elbv2.SslPolicy.TLS13_12_RES_PQ),
  tls13Only: fc.boolean(),
  redirectHttp: fc.boolean(),
  internetFacing: fc.boolean(),
  importedCertificate: fc.boolean(),
  httpsToTargets: fc.boolean(),
  accessLogs: fc.boolean(),
  alternativeNames: fc.boolean(),
  sources: fc.constantFrom('default', 'narrow', 'vpc-peer'),
});

test('generated load balancers pass our gate and the third-party oracles', () => {
  fc.assert(fc.property(fc.array(albProps, { minLength: 1, maxLength: 3 }), albs => {
    const app = oracleApp();
    const stack = new Stack(app, 'Web', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
    const optedOut: string[] = [];
    albs.forEach((a, i) => {
      const web = new AcmFrontedAlb(stack, `Web${i}`, {
        vpc,
        hostedZone,
        domainName: `app${i}.example.com`,
        sslPolicy: a.tls13Only ? undefined : a.sslPolicy,
        tls13Only: a.tls13Only,
        redirectHttp: a.redirectHttp,
        internetFacing: a.internetFacing,
        certificate: a.importedCertificate ? acm.Certificate.fromCertificateArn(stack, `Cert${i}`, `arn:aws:acm:eu-west-1:111111111111:certificate/c${i}`) : undefined,
        subjectAlternativeNames: a.alternativeNames && !a.importedCertificate ? [`www${i}.example.com`] : undefined,
        httpsToTargets: a.httpsToTargets,
        accessLogs: a.accessLogs,
        allowedSources: a.sources === 'narrow' ? [ec2.Peer.ipv4('192.0.2.0/24'), ec2.Peer.prefixList('pl-0123456789abcdef0')]
          : a.sources === 'vpc-peer' ? [ec2.Peer.ipv4('10.20.0.0/16')] : undefined,
      });
      web.addTargets('App', { port: 8443 });
      if (!a.accessLogs) {
        optedOut.push(...['ELB2', 'ELBLoggingEnabled', 'elbv2_logging_enabled_check'].map(r => `${r} ${web.loadBalancer.node.path}/Resource`));
      }
    });

    const findings = unacknowledgedFindings(app, p => !/^Web\/(Vpc|Zone|Cert\d)\//.test(p));
    expect(relevant(findings, TEMPLATE_RULES)).toEqual([]);
    expect(new Set(findings.flatMap(v => v.paths.map(p => `${ruleOf(v)} ${p}`)))).toEqual(new Set(optedOut));
    expect(EncryptionGate.evaluate(app)).toEqual([]);
    expect(nagViolations(app).filter(v => NAG_RULES.test(v.rule))).toEqual([]);
  }), { numRuns: 4 });
});

test('the ELB oracles are wired: they flag a plain HTTP load balancer', () => {
  const app = oracleApp();
  const stack = new Stack(app, 'Plain', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  alb.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
  const path = 'Plain/Alb/Http/Resource';
  expect(nagViolations(app).filter(v => NAG_RULES.test(v.rule)).flatMap(v => v.paths)).toContain(path);
  expect(EncryptionGate.evaluate(app).map(f => `${f.ruleId} ${f.constructPath}`)).toContain(`CEG-ELB-1 ${path}`);
  expect(relevant(templateOracles(app), TEMPLATE_RULES).flatMap(v => v.paths)).toContain(path);
});
