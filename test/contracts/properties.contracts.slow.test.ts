/**
 * Property-based authorization contracts: over the props space of the keys (and of the buckets that
 * use them), the deploying role passes KMS's lockout check and may make every lifecycle call, key
 * users and grantees (same stack or another) may use the key, and a role of the account with
 * `Allow *:*` that was granted nothing may not.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fc from 'fast-check';
import { BucketEncryptionChoice, CmkWithPolicy, CmkWithPolicyProps, EncryptedBucket, MultiRegionKey } from '../../src';
import { newApp } from '../support/app';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, deployRole } from './support/simulator';

const REGION = 'eu-west-1';

const keyProps = fc.record({
  administrators: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  withAccountAdmin: fc.boolean(),
  keyUsers: fc.integer({ min: 0, max: 2 }),
  requireMfaForDecrypt: fc.boolean(),
  crossAccountIds: fc.subarray(['222222222222']),
  viaServices: fc.subarray(['s3', 'rds', 'secretsmanager']),
  multiRegion: fc.boolean(),
  grantCrossStack: fc.boolean(),
  bucket: fc.constantFrom(undefined, BucketEncryptionChoice.KMS, BucketEncryptionChoice.DSSE),
});

test('generated keys: deploy, key users and grantees get their calls; an ungranted role does not', async () => {
  await fc.assert(fc.asyncProperty(keyProps, async k => {
    const app = newApp();
    const env = { account: ACCOUNT, region: REGION };
    const data = new Stack(app, 'Data', { env });
    const apps = new Stack(app, 'Apps', { env });
    const role = (scope: Stack, id: string) => new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const admins: iam.IPrincipal[] | undefined = k.administrators === undefined ? undefined
      : [...Array.from({ length: k.administrators }, (_, i) => role(data, `Admin${i}`)), ...(k.withAccountAdmin ? [new iam.AccountRootPrincipal()] : [])];
    const props: CmkWithPolicyProps = {
      administrators: admins,
      keyUsers: Array.from({ length: k.keyUsers }, (_, i) => role(data, `User${i}`)),
      requireMfaForDecrypt: k.requireMfaForDecrypt,
      crossAccountIds: k.crossAccountIds,
      viaServices: k.viaServices,
    };
    const key: kms.Key = k.multiRegion ? new MultiRegionKey(data, 'Key', props) : new CmkWithPolicy(data, 'Key', props);
    if (k.bucket !== undefined) {
      new EncryptedBucket(data, 'Bucket', { encryptionKey: key, encryptionChoice: k.bucket });
    }
    key.grantDecrypt(role(k.grantCrossStack ? apps : data, 'Grantee'));
    role(apps, 'Ungranted');

    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    const keyArn = resolved.resource('AWS::KMS::Key', 'Key', 'Data').arn;
    const roleArn = (prefix: string) => resolved.resources('AWS::IAM::Role').find(r => r.logicalId.startsWith(prefix))!.arn;
    const deployer = deployRole(REGION);
    for (const action of ['kms:PutKeyPolicy', 'kms:EnableKeyRotation', 'kms:TagResource', 'kms:ScheduleKeyDeletion', 'kms:CreateAlias']) {
      expect([action, await authorizer.decide({ principal: deployer, action, resource: keyArn, identityPolicies: [ALLOW_ALL] })]).toEqual([action, 'Allowed']);
    }
    const via: Record<string, string> = k.viaServices.length > 0 ? { 'kms:ViaService': `${k.viaServices[0]}.${REGION}.amazonaws.com` } : {};
    if (k.keyUsers > 0) {
      expect(await authorizer.decide({ principal: roleArn('User0'), action: 'kms:GenerateDataKey', resource: keyArn, identityPolicies: [], context: via })).toBe('Allowed');
    }
    expect(await authorizer.decide({ principal: roleArn('Grantee'), action: 'kms:Decrypt', resource: keyArn })).toBe('Allowed');
    expect(await authorizer.decide({ principal: roleArn('Ungranted'), action: 'kms:Decrypt', resource: keyArn, identityPolicies: [ALLOW_ALL], context: via }))
      .toBe('ImplicitlyDenied');
  }), { numRuns: 8 });
});
