/**
 * Every construct of the library in one app, under what our users run: cdk-nag's four packs
 * (AwsSolutions, HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1) registered as validation plugins,
 * the AWS Control Tower controls of `@cdklabs/cdk-validator-cfnguard`, our gate, and CDK's built-in
 * validator with its default rules as errors.
 *
 * - No finding on our resources, except those that stay the user's choice: exactly the rows of the
 *   README's "cdk-nag and Control Tower" table.
 * - Each acknowledgement our constructs make is needed: without it, the checker flags that resource.
 * - No acknowledgement reaches a resource of the user's, and none survives a change of the user's
 *   that makes the finding true.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnResource, IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { everyConstruct, isUsers } from './every-construct.app';
import { nagViolations, OracleViolation, oracleApp, ruleOf, templateOracles, USER_CHOICES } from './oracles';
import { AccessLogBucket, AcmFrontedAlb, EncryptedBucket, EncryptedRdsInstance, EncryptionChecks } from '../../src';

interface Acknowledgement {
  readonly path: string;
  readonly scope: IConstruct;
  readonly id: string;
}

/** Runs `build` and returns the acknowledgements made meanwhile (with `drop`, they are not made). */
function recordAcknowledgements(build: () => void, drop = false): Acknowledgement[] {
  const spy = jest.spyOn(Validations.prototype, 'acknowledge');
  if (drop) {
    spy.mockImplementation(() => undefined);
  }
  try {
    build();
    return spy.mock.contexts.flatMap((v, i) => {
      const scope = (v as unknown as { scope: IConstruct }).scope;
      return (spy.mock.calls[i] as Array<{ id: string }>).map(rule => ({ path: scope.node.path, scope, id: rule.id }));
    });
  } finally {
    spy.mockRestore();
  }
}

/** The report of every validation plugin, as violations. */
function pluginViolations(app: App): OracleViolation[] {
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => ({
    plugin: r.pluginName, rule: v.ruleName, severity: v.severity, paths: v.violatingConstructs.map((c: any) => c.constructPath),
  })));
}

/** The user-choice rows of the README table: `<construct> <rule>`. */
function readmeRows(): Set<string> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## cdk-nag and Control Tower'));
  const table = section.slice(0, section.indexOf('\n## ', 5));
  return new Set([...table.matchAll(/^\| `(\w+)` \| `(\w+)`/gm)].map(m => `${m[1]} ${m[2]}`));
}

/** The construct of ours a resource belongs to, for the README's rows: the nearest of the four kinds. */
function ownerKind(app: App, path: string): string {
  let c: IConstruct | undefined = app.node.findAll().find(x => x.node.path === path);
  for (; c !== undefined; c = c.node.scope) {
    for (const [kind, type] of [['AccessLogBucket', AccessLogBucket], ['EncryptedBucket', EncryptedBucket], ['AcmFrontedAlb', AcmFrontedAlb],
      ['EncryptedRdsInstance', EncryptedRdsInstance]] as const) {
      if (c instanceof type) {
        return kind;
      }
    }
  }
  return `(no construct of ours: ${path})`;
}

const key = (rule: string, path: string) => `${rule} ${path}`;

describe('every construct in one app', () => {
  // The app as users run it: the packs and controls registered as validation plugins.
  const app = oracleApp();
  let synthError: unknown;
  let printed = '';
  // Built while tests are collected, so that each acknowledgement gets a test of its own.
  let acknowledgements = recordAcknowledgements(() => {
    everyConstruct(app, true);
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app),
      new CfnGuardValidator({ controlTowerRulesEnabled: true }) as unknown as IPolicyValidationPlugin,
      new EncryptionChecks(),
    );
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      app.synth();
    } catch (e) {
      synthError = e;
    } finally {
      printed = errors.mock.calls.map(c => c.join(' ')).join('\n');
      errors.mockRestore();
    }
  });
  const violations = pluginViolations(app);
  // CDK's own Stack acknowledges a warning of its validator (W3010, hard-coded Availability Zones): not ours.
  acknowledgements = acknowledgements.filter(a => !(a.scope instanceof Stack && a.id.startsWith('CloudFormation-Validate::')));
  // A database whose port the user gives at deploy time: the checkers cannot tell it from the
  // engine's default, so the finding stays, the user's to acknowledge.
  const deployTimePort = (v: OracleViolation, p: string) => /^(RDS11|rds_instance_no_default_ports_check)$/.test(ruleOf(v)) && p.startsWith('Main/ParameterPortDb/');
  const oursAndNotUsers = (v: OracleViolation, p: string) => p !== '' && !isUsers(p) && !deployTimePort(v, p);

  test('no finding on our resources but the user\'s choices; none from the gate or the built-in validator', () => {
    const ours = violations.map(v => ({ ...v, paths: v.paths.filter(p => oursAndNotUsers(v, p)) })).filter(v => v.paths.length > 0);
    const userChoices = new Set(Object.values(USER_CHOICES).flat());
    expect(ours.filter(v => !userChoices.has(ruleOf(v)))).toEqual([]);
    expect(violations.filter(v => v.plugin === 'EncryptionChecks')).toEqual([]);
    expect(violations.filter(v => /CloudFormation/i.test(v.plugin))).toEqual([]);
    // The user's choices are errors of the packs: synthesis fails, and its error carries the report
    // (nothing else is printed).
    expect(String(synthError)).toMatch(/^ValidationFailed[\s\S]*RDSInBackupPlan[\s\S]*Acknowledge with/);
    expect(printed).toBe('');
  });

  test('the user\'s choices found are exactly the README table\'s rows, and USER_CHOICES', () => {
    const found = new Set(violations.flatMap(v => v.paths.filter(p => oursAndNotUsers(v, p)).map(p => `${ownerKind(app, p)} ${ruleOf(v)}`)));
    const listed = new Set(Object.entries(USER_CHOICES).flatMap(([kind, rules]) => rules.map(r => `${kind} ${r}`)));
    expect(found).toEqual(listed);
    expect(readmeRows()).toEqual(listed);
  });

  test('every acknowledgement sits on a resource of ours, and no resource of the user\'s is under it', () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
    const users = app.node.findAll().filter(c => isUsers(c.node.path)).map(c => c.node.path);
    for (const ack of acknowledgements) {
      expect({ ack: ack.path, ours: !isUsers(ack.path) }).toEqual({ ack: ack.path, ours: true });
      expect(users.filter(u => u.startsWith(`${ack.path}/`))).toEqual([]);
      // On an L1 resource, or on one of our providers' roles (whose policy is the resource).
      expect(ack.scope instanceof CfnResource || /^Main\/Ceg\w+Provider\//.test(ack.path)).toBe(true);
    }
  });

  describe('each acknowledgement is needed: without it, the checker flags that resource', () => {
    // The same app, its acknowledgements not made; synthesized once, by the first test that needs it.
    let flagged: Set<string> | undefined;
    const flaggedWithout = () => {
      if (flagged === undefined) {
        const bare = oracleApp();
        let found: OracleViolation[] = [];
        // Synthesis too: some acknowledgements are made there.
        recordAcknowledgements(() => {
          everyConstruct(bare, true);
          found = [...templateOracles(bare), ...nagViolations(bare)];
        }, true);
        flagged = new Set(found.flatMap(v => v.paths.map(p => key(v.plugin === 'cdk-validator-cfnguard' ? `cdk-validator-cfnguard::${v.rule.split(' ')[0]}` : v.rule, p))));
      }
      return flagged;
    };
    const cases = [...new Set(acknowledgements.map(a => key(a.id, a.path)))].map(c => [c.slice(0, c.indexOf(' ')), c.slice(c.indexOf(' ') + 1)]);

    test('there are acknowledgements to prove', () => {
      expect(cases.length).toBeGreaterThanOrEqual(20);
    });

    test.each(cases)('%s on %s', (id, path) => {
      // The finding is on the resource, or (for a role) on its policy below it; with the acknowledgement, it is gone.
      const hit = (set: Set<string>) => [...set].some(f => f === key(id, path) || f.startsWith(`${id} ${path}/`));
      expect(hit(flaggedWithout())).toBe(true);
      const withIt = new Set(violations.flatMap(v => v.paths.map(p => key(v.plugin === 'cdk-validator-cfnguard' ? `cdk-validator-cfnguard::${v.rule}` : v.rule, p))));
      expect(hit(withIt)).toBe(false);
    });
  });
});

describe('acknowledgements never reach the user\'s resources, nor survive the user\'s changes', () => {
  // Cheap: cdk-nag only (no cfn-guard, no built-in validator); synthesized for the lazy acknowledgements.
  function findings(change: (e: ReturnType<typeof everyConstruct>) => void): Set<string> {
    const app = new App({ builtinCloudFormationValidation: false });
    const e = everyConstruct(app);
    change(e);
    app.synth();
    return new Set(nagViolations(app).flatMap(v => v.paths.map(p => key(v.rule, p))));
  }
  const untouched = findings(() => undefined);

  test.each<[string, (e: ReturnType<typeof everyConstruct>) => void, string]>([
    ['a plain bucket of the user\'s next to ours keeps S1',
      e => new s3.Bucket(e.main, 'UserBucket'), 'AwsSolutions-S1 Main/UserBucket/Resource'],
    ['a port the user opens to the internet on our load balancer\'s security group brings EC23 back',
      e => e.web.loadBalancer.connections.allowFrom(ec2.Peer.anyIpv4(), ec2.Port.tcp(8080)), 'AwsSolutions-EC23 Main/Web/SecurityGroup/Resource'],
    ['a rule that answers over HTTP on the redirect listener brings the certificate finding back',
      e => e.web.httpListener!.addAction('Plain', { priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/plain'])], action: elbv2.ListenerAction.fixedResponse(200) }),
      'NIST.800.53.R5-ELBv2ACMCertificateRequired Main/Web/LoadBalancer/Http/Resource'],
    ['the user\'s own rule into the database, on its deploy-time port, keeps its finding',
      e => e.db.connections.allowDefaultPortFrom(new ec2.SecurityGroup(e.main, 'UserSg', { vpc: e.vpc })),
      'HIPAA.Security-EC2RestrictedCommonPorts Main/Db/SecurityGroup/from MainUserSg'],
  ])('%s', (_name, change, expected) => {
    const matches = (set: Set<string>) => [...set].some(f => f.startsWith(expected));
    expect(matches(untouched)).toBe(false);
    expect(matches(findings(change))).toBe(true);
  });
});
