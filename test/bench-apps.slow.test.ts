import { CfnResource } from 'aws-cdk-lib';
import { APPS } from '../bench/apps';
import { EncryptionGate } from '../src';

/**
 * The benchmark's apps mean what their names say: the resource count is exact, the compliant
 * variant has no finding under the whole catalogue, and the non-compliant one has findings of the
 * newer services too (not only of the rules cdk-nag matches).
 */
describe('benchmark apps', () => {
  test.each(APPS.filter(a => a.resources <= 5000).map(a => [a.name, a]))('%s has exactly its resources', (_name, spec) => {
    const app = spec.build(true);
    const resources = app.node.findAll().filter(c => CfnResource.isCfnResource(c));
    expect(resources.length).toBe(spec.resources);
  });

  test('25k-in-50-stacks is 50 stacks of 500', () => {
    const spec = APPS.find(a => a.name === '25k-in-50-stacks')!;
    expect([spec.resources, spec.stacks]).toEqual([25000, 50]);
  });

  test('compliant: no finding with every rule; non-compliant: findings of the newer services too', () => {
    const spec = APPS.find(a => a.name === '1k-in-10-stacks')!;
    const compliant = spec.build(true);
    compliant.synth();
    expect(EncryptionGate.evaluate(compliant).map(f => f.message)).toEqual([]);
    const noncompliant = spec.build(false);
    noncompliant.synth();
    const rules = new Set(EncryptionGate.evaluate(noncompliant).map(f => f.ruleId));
    for (const id of ['CEG-S3-1', 'CEG-EBS-1', 'CEG-RDS-2', 'CEG-KMS-1', 'CEG-DDB-1', 'CEG-EFS-1', 'CEG-CF-1', 'CEG-APIGW-1']) {
      expect(rules).toContain(id);
    }
  });
});
