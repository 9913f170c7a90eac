/**
 * Acknowledgements at the edges (thirty-fifth red-team pass): CDK's own `Annotations`
 * acknowledgements, which remove the Aspect's warnings and infos, and acknowledgements naming no
 * rule on an App or a Stage, whose metadata CDK writes nowhere.
 */
import { readFileSync } from 'fs';
import { Annotations as CdkAnnotations, Aspects, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptionChecks, EncryptionGate, EnforceEncryption, FindingLevel } from '../../src';
import { ACKNOWLEDGED_FINDING_METADATA } from '../../src/gate/report-metadata';
import { newApp, newStack } from '../support/app';

/** SSE-S3 and TLS only, without TLS 1.2 or SSE-C blocked: CEG-S3-3 and CEG-S3-4 (warnings), nothing else. */
function bucketWithWarnings(scope: Construct): s3.Bucket {
  return new s3.Bucket(scope, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
}

const ASPECT_LEVELS = { levels: { 'CEG-S3-4': FindingLevel.INFO } };

/** CDK prints the plugin's report (the acknowledged infos included): keep the test output quiet. */
function quietly<T>(action: () => T): T {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return action();
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('Annotations.acknowledgeWarning and acknowledgeInfo acknowledge a warning or an info in every front end', () => {
  function build() {
    const app = newApp();
    const stack = newStack(app);
    const bucket = bucketWithWarnings(stack);
    CdkAnnotations.of(bucket).acknowledgeWarning('Annotation::CEG-S3-3', 'legacy clients');
    CdkAnnotations.of(bucket).acknowledgeInfo('CEG-S3-4', 'accepted');
    return { app, stack };
  }

  test('the Aspect records both as acknowledged (CDK would have removed its annotations without a trace)', () => {
    const { app, stack } = build();
    Aspects.of(app).add(new EnforceEncryption(ASPECT_LEVELS));
    app.synth();
    const metadata = stack.node.findAll().flatMap(c => c.node.metadata).filter(m => m.type === ACKNOWLEDGED_FINDING_METADATA);
    expect(metadata.map(m => `${m.data.ruleId} ${m.data.level}`).sort()).toEqual(['CEG-S3-3 warning', 'CEG-S3-4 info']);
    expect(metadata.every(m => /acknowledgeWarning or acknowledgeInfo/.test(m.data.reason))).toBe(true);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('CEG-S3'))).toEqual([]);
  });

  test('the plugin and evaluate say acknowledged too', () => {
    const { app } = build();
    Validations.of(app).addPlugins(new EncryptionChecks(ASPECT_LEVELS));
    const assembly = quietly(() => app.synth());
    const report = JSON.parse(readFileSync(`${assembly.directory}/validation-report.json`, 'utf8'));
    const plugin = report.pluginReports.find((r: { pluginName: string }) => r.pluginName === 'EncryptionChecks');
    const all = [...plugin.violations ?? [], ...plugin.suppressedViolations ?? []];
    expect(all.filter((v: { severity: string }) => v.severity !== 'info')).toEqual([]);
    const findings = EncryptionGate.evaluate(app, ASPECT_LEVELS);
    expect(findings.map(f => `${f.ruleId} ${f.level} ${f.acknowledged}`).sort()).toEqual(['CEG-S3-3 warning true', 'CEG-S3-4 info true']);
  });

  test('never an error, as in CDK: acknowledgeWarning of an error-level rule leaves it failing', () => {
    const app = newApp();
    const stack = newStack(app);
    const bucket = new s3.Bucket(stack, 'Plain');
    CdkAnnotations.of(bucket).acknowledgeWarning('Annotation::CEG-S3-1', 'not a warning');
    CdkAnnotations.of(bucket).acknowledgeWarning('CEG-S3-1', 'not a warning');
    const finding = EncryptionGate.evaluate(app).find(f => f.ruleId === 'CEG-S3-1')!;
    expect(finding.level).toBe(FindingLevel.ERROR);
    expect(finding.acknowledged).toBe(false);
    Aspects.of(app).add(new EnforceEncryption());
    expect(() => app.synth()).toThrow(/CEG-S3-1/);
  });
});

describe('an acknowledgement naming no rule, on an App or a Stage, is warned of on the first stack it synthesizes', () => {
  test('on a Stage: the warning is on its first stack, naming the Stage', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    const stack = newStack(new Construct(stage, 'Group'), 'Data');
    const later = newStack(stage, 'Later');
    Validations.of(stage).acknowledge({ id: 'CEG-S3-12', reason: 'typo at the Stage' });
    Validations.of(stack).acknowledge({ id: 'CEG-S3-13', reason: 'typo at the stack' });
    Aspects.of(stage).add(new EnforceEncryption());
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Prod/Group/Data', Match.stringLikeRegexp('names CEG-S3-12 on Stage "Prod", which is no rule'));
    Annotations.fromStack(stack).hasWarning('/Prod/Group/Data', Match.stringLikeRegexp('names CEG-S3-13, which is no rule'));
    expect(Annotations.fromStack(later).findWarning('*', Match.stringLikeRegexp('CEG-S3-1[23]'))).toEqual([]);
  });

  test('on a plain construct grouping stacks: on its first stack, naming the construct', () => {
    const app = newApp();
    const group = new Construct(app, 'Group');
    const stack = newStack(group, 'Data');
    Validations.of(group).acknowledge({ id: 'CEG-S3-14', reason: 'typo on a group of stacks' });
    Aspects.of(app).add(new EnforceEncryption());
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Group/Data', Match.stringLikeRegexp('names CEG-S3-14 on "Group", which is no rule'));
  });

  test('on the App: on its first stack, naming the App', () => {
    const app = newApp();
    const stack = newStack(app);
    Validations.of(app).acknowledge({ id: 'CEG-S3-11', reason: 'typo at the App' });
    Aspects.of(app).add(new EnforceEncryption());
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Stack', Match.stringLikeRegexp('names CEG-S3-11 on the App, which is no rule'));
  });
});
