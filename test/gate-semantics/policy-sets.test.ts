import { CfnCondition, CfnParameter, Fn, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { crashes, envStack, runAll, verdict } from './harness';

/**
 * Found by the fourth red-team pass: resource patterns judged on one sample ARN instead of every
 * ARN they must cover, principal names that a stranger can pick, administrators that no request
 * can use, and values built from pseudo parameters taken as unknown.
 */

const TLS = { Bool: { 'aws:SecureTransport': 'false' } };
const OLD_TLS = { NumericLessThan: { 's3:TlsVersion': 1.2 } };

function denyOn(bucket: s3.Bucket, resources: string[]): void {
  for (const condition of [TLS, OLD_TLS]) {
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:*'], resources, conditions: condition,
    }));
  }
}

function cfnBucket(scope: Construct, id: string, statements: (arn: string) => object[]): void {
  const bucket = new s3.CfnBucket(scope, id, {});
  new s3.CfnBucketPolicy(scope, `${id}Policy`, { bucket: bucket.ref, policyDocument: { Statement: statements(bucket.attrArn) } });
}

describe('bucket policies: every ARN the Deny must cover (CEG-S3-2, CEG-S3-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const bucket = (id: string, objects: (b: s3.Bucket) => string[]) => {
      const b = new s3.Bucket(stack, id, { encryption: s3.BucketEncryption.S3_MANAGED });
      denyOn(b, [b.bucketArn, ...objects(b)]);
    };
    // `arn/*/*` wants a `/` inside the key: `report.csv` is not denied.
    bucket('NestedOnly', b => [`${b.bucketArn}/*/*`]);
    bucket('PrefixOnly', b => [`${b.bucketArn}/c*`]);
    bucket('SuffixOnly', b => [`${b.bucketArn}/*y`]);
    bucket('Everything', b => [b.arnForObjects('*')]);
    // A generated bucket name need not end in `t`.
    const named = new s3.Bucket(stack, 'EndsInT', { encryption: s3.BucketEncryption.S3_MANAGED });
    denyOn(named, ['arn:aws:s3:::*t', 'arn:aws:s3:::*t/*']);
    const wildcard = new s3.Bucket(stack, 'AllBuckets', { encryption: s3.BucketEncryption.S3_MANAGED });
    denyOn(wildcard, ['arn:aws:s3:::*', 'arn:aws:s3:::*/*']);

    const deny = (extra: object) => ({ Effect: 'Deny', Principal: '*', Condition: TLS, ...extra });
    // Two statements share the work: one for the bucket, one for its objects.
    cfnBucket(stack, 'Split', arn => [deny({ Action: 's3:*', Resource: arn }), deny({ Action: 's3:*', Resource: `${arn}/*` })]);
    // Every action but IAM's: every S3 action.
    cfnBucket(stack, 'NotActionIam', arn => [deny({ NotAction: 'iam:*', Resource: [arn, `${arn}/*`] })]);
    cfnBucket(stack, 'NotActionGet', arn => [deny({ NotAction: 's3:Get*', Resource: [arn, `${arn}/*`] })]);
    // Every resource but another bucket's objects; every resource but this bucket's.
    cfnBucket(stack, 'NotResourceOther', () => [deny({ Action: 's3:*', NotResource: 'arn:aws:s3:::some-other-bucket/*' })]);
    cfnBucket(stack, 'NotResourceSelf', arn => [deny({ Action: 's3:*', NotResource: `${arn}/*` })]);
    cfnBucket(stack, 'NotResourceWildcard', () => [deny({ Action: 's3:*', NotResource: 'arn:aws:s3:::*/private/*' })]);
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('patterns that leave keys or bucket names out are non-compliant', () => {
    for (const id of ['NestedOnly', 'PrefixOnly', 'SuffixOnly', 'EndsInT']) {
      expect([id, verdict(results, 'CEG-S3-2', `Stack/${id}/Resource`), verdict(results, 'CEG-S3-3', `Stack/${id}/Resource`)])
        .toEqual([id, 'non-compliant', 'non-compliant']);
    }
  });
  test('`arn/*` and `arn:aws:s3:::*/*` cover every object: pass', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/Everything/Resource')).toBe('pass');
    expect(verdict(results, 'CEG-S3-2', 'Stack/AllBuckets/Resource')).toBe('pass');
  });
  test('statements that together cover the bucket and its objects pass', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/Split')).toBe('pass');
  });
  test('NotAction and NotResource count by what they leave out', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/NotActionIam')).toBe('pass');
    expect(verdict(results, 'CEG-S3-2', 'Stack/NotActionGet')).toBe('non-compliant');
    expect(verdict(results, 'CEG-S3-2', 'Stack/NotResourceOther')).toBe('pass');
    expect(verdict(results, 'CEG-S3-2', 'Stack/NotResourceSelf')).toBe('non-compliant');
  });
  test('a NotResource wildcard that leaves out some objects (the /private/ keys of every bucket) is non-compliant', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/NotResourceWildcard')).toBe('non-compliant');
  });
});

const ROOT = 'arn:aws:iam::111111111111:root';
const ADMIN = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

function cfnKey(scope: Construct, id: string, ...statements: object[]): void {
  new kms.CfnKey(scope, id, { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: statements } });
}

function openDecrypt(condition: object): object {
  return { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: condition };
}

describe('key policies: what a stranger can pick (CEG-KMS-2)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    // IAM names are unique within an account only: any account can make a role KeyUser or a user alice.
    cfnKey(stack, 'RoleNameAnyAccount', ADMIN, openDecrypt({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/KeyUser' } }));
    cfnKey(stack, 'UserName', ADMIN, openDecrypt({ StringEquals: { 'aws:username': 'alice' } }));
    cfnKey(stack, 'SessionName', ADMIN, openDecrypt({ StringLike: { 'aws:userid': '*:alice' } }));
    cfnKey(stack, 'AllButOneAccount', ADMIN, openDecrypt({ StringNotEquals: { 'kms:CallerAccount': '999999999999' } }));
    cfnKey(stack, 'SourceArnAnyAccount', ADMIN, openDecrypt({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:alerts' } }));
    // What keeps strangers out: a named account, a role of a named account, a unique ID, an organization path.
    cfnKey(stack, 'RoleOfAccount', ADMIN, openDecrypt({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/*' } }));
    cfnKey(stack, 'UniqueId', ADMIN, openDecrypt({ StringLike: { 'aws:userid': 'AROAEXAMPLEID:*' } }));
    cfnKey(stack, 'OrgPath', ADMIN, openDecrypt({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-mine000000/*' } }));
    // `AWS::AccountId` is the key's own account, which a stranger never is.
    const agnostic = new Stack(app, 'Agnostic');
    cfnKey(agnostic, 'OwnAccount', { ...ADMIN, Principal: { AWS: new iam.AccountRootPrincipal().arn } },
      openDecrypt({ StringEquals: { 'kms:CallerAccount': agnostic.account, 'kms:ViaService': `ec2.${agnostic.region}.amazonaws.com` } }));
    cfnKey(agnostic, 'NotOwnAccount', { ...ADMIN, Principal: { AWS: new iam.AccountRootPrincipal().arn } },
      openDecrypt({ StringNotEquals: { 'kms:CallerAccount': agnostic.account } }));
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('names and accounts a stranger can pick admit strangers: non-compliant', () => {
    for (const id of ['RoleNameAnyAccount', 'UserName', 'SessionName', 'AllButOneAccount', 'SourceArnAnyAccount']) {
      expect([id, verdict(results, 'CEG-KMS-2', `Stack/${id}`)]).toEqual([id, 'non-compliant']);
    }
    expect(verdict(results, 'CEG-KMS-2', 'Agnostic/NotOwnAccount')).toBe('non-compliant');
  });
  test('a named account, unique ID or organization keeps strangers out: pass', () => {
    for (const id of ['RoleOfAccount', 'UniqueId', 'OrgPath']) {
      expect([id, verdict(results, 'CEG-KMS-2', `Stack/${id}`)]).toEqual([id, 'pass']);
    }
    expect(verdict(results, 'CEG-KMS-2', 'Agnostic/OwnAccount')).toBe('pass');
  });
});

describe('key policies: an administrator some request can use (CEG-KMS-3)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const denyPut = (principal: object) => ({ Effect: 'Deny', Principal: principal, Action: 'kms:PutKeyPolicy', Resource: '*' });
    // A Deny naming the account's root covers every principal of the account.
    cfnKey(stack, 'DenyRootInList', ADMIN, denyPut({ AWS: [ROOT, 'arn:aws:iam::111111111111:role/Ops'] }));
    cfnKey(stack, 'DenyAccountId', ADMIN, denyPut({ AWS: '111111111111' }));
    cfnKey(stack, 'DenyRootSparesRoleOfOtherAccount', { ...ADMIN, Principal: { AWS: [ROOT, 'arn:aws:iam::222222222222:role/Admin'] } }, denyPut({ AWS: ROOT }));
    // Two administrators, each denied by its own statement.
    const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
    cfnKey(stack, 'EachDenied', { ...ADMIN, Principal: { AWS: role('A') } }, { ...ADMIN, Sid: 'B', Principal: { AWS: role('B') } },
      denyPut({ AWS: role('A') }), denyPut({ AWS: role('B') }));
    // An Allow whose condition no request meets allows nothing.
    cfnKey(stack, 'Expired', { ...ADMIN, Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } });
    cfnKey(stack, 'NoPrincipalArn', { ...ADMIN, Condition: { Null: { 'aws:PrincipalArn': 'true' } } });
    cfnKey(stack, 'Until2100', { ...ADMIN, Condition: { DateLessThan: { 'aws:CurrentTime': '2100-01-01T00:00:00Z' } } });
    // Everyone but the root is denied: the root keeps it. NotResource "*" denies nothing.
    cfnKey(stack, 'NotPrincipalRoot', ADMIN, { Effect: 'Deny', NotPrincipal: { AWS: [ROOT, role('Admin')] }, Action: 'kms:PutKeyPolicy', Resource: '*' });
    cfnKey(stack, 'NotResourceAll', ADMIN, { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', NotResource: '*' });
    const key = new kms.Key(stack, 'L2', { enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, principals: [new iam.AccountRootPrincipal(), new iam.ArnPrincipal(role('Ops'))], actions: ['kms:PutKeyPolicy'], resources: ['*'],
    }));
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('a Deny on the account root, or on each administrator, locks the key out: non-compliant', () => {
    for (const id of ['DenyRootInList', 'DenyAccountId', 'EachDenied', 'L2/Resource']) {
      expect([id, verdict(results, 'CEG-KMS-3', `Stack/${id}`)]).toEqual([id, 'non-compliant']);
    }
  });
  test('an Allow no request can meet gives no administrator: non-compliant', () => {
    expect(verdict(results, 'CEG-KMS-3', 'Stack/Expired')).toBe('non-compliant');
    expect(verdict(results, 'CEG-KMS-3', 'Stack/NoPrincipalArn')).toBe('non-compliant');
    expect(verdict(results, 'CEG-KMS-3', 'Stack/Until2100')).toBe('pass');
  });
  test('a principal the Deny leaves out keeps the key: pass', () => {
    for (const id of ['DenyRootSparesRoleOfOtherAccount', 'NotPrincipalRoot', 'NotResourceAll']) {
      expect([id, verdict(results, 'CEG-KMS-3', `Stack/${id}`)]).toEqual([id, 'pass']);
    }
  });
});

describe('key policies: the Allow and the Denies on the same requests of the principal (CEG-KMS-3, CEG-KMS-4; differential test with a policy simulator)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const adminRole = 'arn:aws:iam::111111111111:role/admin';
    const denyPut = (condition: object) => ({ Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: condition });
    // The Deny's condition holds for every request of the Allow's principal.
    cfnKey(stack, 'DenyOwnAccount', ADMIN, denyPut({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } }));
    cfnKey(stack, 'DenyAdminByArn', { ...ADMIN, Principal: { AWS: adminRole } }, denyPut({ ArnEquals: { 'aws:PrincipalArn': adminRole } }));
    // The Allow's condition no request of its principal meets.
    cfnKey(stack, 'AllowOtherAccount', { ...ADMIN, Principal: { AWS: adminRole }, Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } } });
    // The same condition on both: whenever the Allow holds, so does the Deny.
    const org = { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } };
    cfnKey(stack, 'SameCondition', { ...ADMIN, Condition: org }, denyPut(org));
    // An Allow on no resource, one whose condition key PutKeyPolicy never carries, one for a service.
    cfnKey(stack, 'AllowNoResource', { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', NotResource: '*' });
    cfnKey(stack, 'AllowGrantKey', { ...ADMIN, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    cfnKey(stack, 'ServiceOnly', { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'kms:*', Resource: '*' });
    // The Deny spares some requests: another account's, a role's other than the admin's.
    cfnKey(stack, 'DenyOtherAccount', ADMIN, denyPut({ StringEquals: { 'aws:PrincipalAccount': '222222222222' } }));
    // CEG-KMS-4: a Deny of CreateGrant on no resource takes nothing away.
    cfnKey(stack, 'GrantDenyNoResource', ADMIN, { Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', NotResource: '*' });
    cfnKey(stack, 'GrantDenyAll', ADMIN, { Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', Resource: '*' });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('no request of any principal keeps kms:PutKeyPolicy: non-compliant', () => {
    for (const id of ['DenyOwnAccount', 'DenyAdminByArn', 'AllowOtherAccount', 'SameCondition', 'AllowNoResource', 'AllowGrantKey', 'ServiceOnly']) {
      expect([id, verdict(results, 'CEG-KMS-3', `Stack/${id}`)]).toEqual([id, 'non-compliant']);
    }
  });
  test('a Deny that spares the administrator\'s requests keeps it: pass', () => {
    expect(verdict(results, 'CEG-KMS-3', 'Stack/DenyOtherAccount')).toBe('pass');
  });
  test('CreateGrant: a Deny on no resource leaves the Allow open; one on the key closes it', () => {
    expect(verdict(results, 'CEG-KMS-4', 'Stack/GrantDenyNoResource')).toBe('non-compliant');
    expect(verdict(results, 'CEG-KMS-4', 'Stack/GrantDenyAll')).toBe('pass');
  });
});

describe('file system policies: every file system of the stack (CEG-EFS-2)', () => {
  const results = runAll(app => {
    const fileSystem = (stack: Stack, id: string, resource: string) => new efs.CfnFileSystem(stack, id, {
      encrypted: true,
      fileSystemPolicy: { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Resource: resource, Condition: TLS }] },
    });
    const stack = envStack(app);
    fileSystem(stack, 'SomeIds', 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-0a*');
    fileSystem(stack, 'AllIds', 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/*');
    const agnostic = new Stack(app, 'Agnostic');
    fileSystem(agnostic, 'FormatArn', agnostic.formatArn({ service: 'elasticfilesystem', resource: 'file-system', resourceName: '*' }));
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('a pattern for some file system IDs only is non-compliant; every ID of the stack passes', () => {
    expect(verdict(results, 'CEG-EFS-2', 'Stack/SomeIds')).toBe('non-compliant');
    expect(verdict(results, 'CEG-EFS-2', 'Stack/AllIds')).toBe('pass');
    expect(verdict(results, 'CEG-EFS-2', 'Agnostic/FormatArn')).toBe('pass');
  });
});

describe('the time of a request is now or later (aws:CurrentTime)', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const since = (date: string) => ({ DateGreaterThan: { 'aws:CurrentTime': date } });
    cfnBucket(stack, 'DenySince2020', arn => [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { ...TLS, ...since('2020-01-01T00:00:00Z') } }]);
    cfnBucket(stack, 'DenyFrom2100', arn => [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { ...TLS, ...since('2100-01-01T00:00:00Z') } }]);
    cfnKey(stack, 'OpenUntil2020', ADMIN, openDecrypt({ DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }));
    cfnKey(stack, 'OpenFrom2100', ADMIN, openDecrypt({ DateGreaterThan: { 'aws:CurrentTime': '2100-01-01T00:00:00Z' } }));
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('a TLS Deny in force since 2020 holds for every request; one from 2100 on does not yet', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/DenySince2020')).toBe('pass');
    expect(verdict(results, 'CEG-S3-2', 'Stack/DenyFrom2100')).toBe('non-compliant');
  });
  test('an Allow for everyone that ended in 2020 admits nobody; one from 2100 on will admit strangers', () => {
    expect(verdict(results, 'CEG-KMS-2', 'Stack/OpenUntil2020')).toBe('pass');
    expect(verdict(results, 'CEG-KMS-2', 'Stack/OpenFrom2100')).toBe('non-compliant');
  });
});

describe('the new policy readers under conditions, parameters, nested stacks, Stages and other stacks', () => {
  const results = runAll(app => {
    const stack = envStack(app);
    const env = new CfnParameter(stack, 'Env');
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(env.valueAsString, 'prod') });
    // Objects covered in one branch only.
    cfnBucket(stack, 'ObjectsIfProd', arn => [{
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Condition: TLS,
      Resource: Fn.conditionIf(isProd.logicalId, [arn, `${arn}/*`], [arn, `${arn}/*/*`]),
    }]);
    // An account that only a parameter names: known at deploy time only.
    const account = new CfnParameter(stack, 'Trusted');
    cfnKey(stack, 'ParameterAccount', ADMIN, openDecrypt({ StringEquals: { 'kms:CallerAccount': account.valueAsString } }));
    // A key whose administrator is denied, in a nested stack and in a Stage under a plain construct.
    const lockedOut = (scope: Construct) => cfnKey(scope, 'LockedOut', ADMIN, {
      Effect: 'Deny', Principal: { AWS: ROOT }, Action: 'kms:PutKeyPolicy', Resource: '*',
    });
    lockedOut(new NestedStack(stack, 'Nested'));
    lockedOut(envStack(new Stage(new Construct(app, 'Teams'), 'Team'), 'Inner'));
    // A bucket policy in another stack, for objects with a `/` in their key only.
    const other = envStack(app, 'Other');
    const bucket = new s3.Bucket(stack, 'Shared', { encryption: s3.BucketEncryption.S3_MANAGED });
    new s3.CfnBucketPolicy(other, 'SharedPolicy', {
      bucket: bucket.bucketName,
      policyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: TLS, Resource: [bucket.bucketArn, `${bucket.bucketArn}/*/*`] }] },
    });
  });
  test('no front end throws', () => expect(crashes(results)).toEqual([]));
  test('a Resource that leaves out objects in one branch fails in that branch', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/ObjectsIfProd')).toBe('non-compliant');
  });
  test('an account named by a parameter is unresolvable, never a pass', () => {
    expect(verdict(results, 'CEG-KMS-2', 'Stack/ParameterAccount')).toBe('unresolvable');
  });
  test('a locked-out key fails in a nested stack and in a Stage', () => {
    expect(verdict(results, 'CEG-KMS-3', 'Stack/Nested/LockedOut')).toBe('non-compliant');
    expect(verdict(results, 'CEG-KMS-3', 'Teams/Team/Inner/LockedOut')).toBe('non-compliant');
  });
  test('a bucket policy of another stack is judged by every key it must cover', () => {
    expect(verdict(results, 'CEG-S3-2', 'Stack/Shared/Resource')).toBe('non-compliant');
  });
});
