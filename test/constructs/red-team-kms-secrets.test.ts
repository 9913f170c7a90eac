import { CfnResource, Errors, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CmkWithPolicy, EncryptedBucket, EnvelopeEncryption, MultiRegionKey, RotatingSecret, SecureStringParameter } from '../../src';
import { ACCOUNT, newApp, newStack } from '../support/app';

/** Defects of the red team's report (redteam-tmp2/REPORT.md) that need no policy simulator. */

/** The error `fn` throws (fails the test when it throws none). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** A principal of the app whose resource cannot be tagged (as an IAM group's cannot), but that a policy can name. */
class UntaggablePrincipal extends Construct implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction = 'sts:AssumeRole';
  public readonly principalAccount = ACCOUNT;
  private readonly arn = new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/Custom`);

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new CfnResource(this, 'Resource', { type: 'Custom::Principal' });
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.arn.policyFragment;
  }

  public addToPrincipalPolicy(): iam.AddToPrincipalPolicyResult {
    return { statementAdded: false };
  }
}

describe('grants to an IAM group (defect 8): a clear ValidationError, with what to do instead', () => {
  const lambdaRole = (stack: Stack, id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

  function expectGroupRefusal(error: Error, grantee: string): void {
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toContain(`the IAM group ${grantee}`);
    expect(error.message).toMatch(/does not accept a group as a principal/);
    expect(error.message).toMatch(/Grant to a role/);
    expect(error.message).toMatch(/identity policy on the key ARN/);
    expect(error.message).not.toMatch(/define both in one stack/);
  }

  test.each([
    ['key.grantDecrypt', (key: CmkWithPolicy, group: iam.IGroup) => key.grantDecrypt(group)],
    ['key.grantEncryptDecrypt', (key: CmkWithPolicy, group: iam.IGroup) => key.grantEncryptDecrypt(group)],
    ['EnvelopeEncryption.grantReader', (key: CmkWithPolicy, group: iam.IGroup) => EnvelopeEncryption.grantReader(key, group)],
    ['an imported group', (key: CmkWithPolicy) => key.grantDecrypt(iam.Group.fromGroupArn(Stack.of(key), 'Imported', `arn:aws:iam::${ACCOUNT}:group/Imported`))],
  ])('%s in the key\'s stack', (_label, grant) => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'Key');
    const group = new iam.Group(stack, 'Analysts');
    const error = errorOf(() => grant(key, group));
    expectGroupRefusal(error, _label === 'an imported group' ? 'Stack/Imported' : 'Stack/Analysts');
    expect(error.message).toContain('on key Stack/Key');
  });

  test('EncryptedBucket.grantRead, in the same stack and across stacks', () => {
    const app = newApp();
    const stack = newStack(app);
    const bucket = new EncryptedBucket(stack, 'Bucket', { serverAccessLogs: false });
    expectGroupRefusal(errorOf(() => bucket.grantRead(new iam.Group(stack, 'Analysts'))), 'Stack/Analysts');
    const other = newStack(app, 'People');
    expectGroupRefusal(errorOf(() => bucket.grantRead(new iam.Group(other, 'Analysts'))), 'People/Analysts');
  });

  test('SecureStringParameter.grantRead: refused with a CmkWithPolicy given; its own key lets the account in through Parameter Store', () => {
    const stack = newStack(newApp());
    const group = new iam.Group(stack, 'Analysts');
    const given = new SecureStringParameter(stack, 'Given', { parameterName: '/app/given', encryptionKey: new CmkWithPolicy(stack, 'Key') });
    expectGroupRefusal(errorOf(() => given.grantRead(group)), 'Stack/Analysts');
    const own = new SecureStringParameter(stack, 'Own', { parameterName: '/app/own' });
    expect(() => own.grantRead(group)).not.toThrow();
  });

  test('keyUsers and administrators', () => {
    const stack = newStack(newApp());
    const group = new iam.Group(stack, 'Analysts');
    for (const prop of ['keyUsers', 'administrators'] as const) {
      const error = errorOf(() => new CmkWithPolicy(stack, `Key${prop}`, { [prop]: [group] }));
      expectGroupRefusal(error, 'Stack/Analysts');
      expect(error.message).toMatch(new RegExp(`^${prop} names`));
    }
  });

  test('a role still works, and a cross-stack principal that cannot be tagged is not told to share a stack it cannot', () => {
    const app = newApp();
    const stack = newStack(app);
    const key = new CmkWithPolicy(stack, 'Key');
    key.grantDecrypt(lambdaRole(stack, 'Reader'));
    const error = errorOf(() => key.grantDecrypt(new UntaggablePrincipal(newStack(app, 'Apps'), 'Custom')));
    expect(error.message).toMatch(/Grant to an iam\.Role or iam\.User/);
    expect(error.message).not.toMatch(/define both in one stack/);
  });
});

describe('MultiRegionKey.addReplica with named administrators (defect 1): the primary\'s policy lets the replica\'s deploying role in', () => {
  test('one ReplicateKey statement (that role, that Region) and one DescribeKey statement per replica', () => {
    const app = newApp();
    const primary = newStack(app, 'P');
    const key = new MultiRegionKey(primary, 'Key', { administrators: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/KeyAdmins`)] });
    key.addReplica(newStack(app, 'DR', 'us-east-1', { crossRegionReferences: true }));
    const statements = Object.values(Template.fromStack(primary).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    const role = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1` };
    const added = statements.filter((s: { Sid: string }) => s.Sid.startsWith('ReplicaDeployingRole'));
    expect(added).toEqual([
      expect.objectContaining({
        Sid: 'ReplicaDeployingRoleReplicateUsEast1',
        Action: 'kms:ReplicateKey',
        Condition: { ArnEquals: { 'aws:PrincipalArn': role }, StringEquals: { 'kms:ReplicaRegion': 'us-east-1' } },
      }),
      expect.objectContaining({ Sid: 'ReplicaDeployingRoleDescribeUsEast1', Action: 'kms:DescribeKey', Condition: { ArnEquals: { 'aws:PrincipalArn': role } } }),
    ]);
  });
});

describe('RotatingSecret replica Regions (defect 2): imported replica keys are left as they were', () => {
  test('an imported replica key gets no key policy statement (it cannot) and grantRead adds nothing on it', () => {
    const app = newApp();
    const stack = newStack(app);
    const replicaArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1234`;
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:rotate`);
    const secret = new RotatingSecret(stack, 'Secret', {
      rotationLambda: fn,
      replicaRegions: [{ region: 'us-east-1', encryptionKey: kms.Key.fromKeyArn(stack, 'Replica', replicaArn) }],
    });
    secret.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(JSON.stringify(policies)).not.toContain(replicaArn);
  });
});

describe('RotatingSecret replicated with a MultiRegionKey replica whose primary is in the secret\'s stack (fifteenth red-team pass)', () => {
  const build = (secretInOwnStack: boolean) => {
    const app = newApp();
    const env = (region: string) => ({ account: ACCOUNT, region });
    const primary = new Stack(app, 'Primary', { env: env('eu-west-1'), crossRegionReferences: true });
    const dr = new Stack(app, 'Dr', { env: env('us-east-1'), crossRegionReferences: true });
    const key = new MultiRegionKey(primary, 'Key');
    const replica = key.addReplica(dr);
    const home = secretInOwnStack ? new Stack(app, 'Secrets', { env: env('eu-west-1'), crossRegionReferences: true }) : primary;
    const fn = lambda.Function.fromFunctionArn(home, 'Fn', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:rotate`);
    return () => {
      new RotatingSecret(home, 'Secret', { rotationLambda: fn, encryptionKey: key, replicaRegions: [{ region: 'us-east-1', encryptionKey: replica }] });
      app.synth();
    };
  };

  test('in the primary key\'s stack: refused at construction, naming the replica and the fix (it was CDK\'s bare cycle error)', () => {
    const error = errorOf(build(false));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toMatch(/RotatingSecret "Secret": replicaRegions\[0\] \(us-east-1\) uses replica key Dr\/\S+, whose primary key is deployed with this secret's stack "Primary"/);
    expect(error.message).toMatch(/a dependency cycle\. Put the secret in a top-level stack of its own in the primary's Region/);
  });

  test('in a stack nested in the primary key\'s, or with the primary key nested in the secret\'s stack: refused too (deployed together)', () => {
    const app = newApp();
    const env = (region: string) => ({ account: ACCOUNT, region });
    const primary = new Stack(app, 'Primary', { env: env('eu-west-1'), crossRegionReferences: true });
    const dr = new Stack(app, 'Dr', { env: env('us-east-1'), crossRegionReferences: true });
    const key = new MultiRegionKey(new NestedStack(primary, 'Keys'), 'Key');
    const replica = key.addReplica(dr);
    const secrets = new NestedStack(primary, 'Secrets');
    const fn = lambda.Function.fromFunctionArn(secrets, 'Fn', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:rotate`);
    const error = errorOf(() => new RotatingSecret(secrets, 'Secret', { rotationLambda: fn, encryptionKey: key, replicaRegions: [{ region: 'us-east-1', encryptionKey: replica }] }));
    expect(error.message).toMatch(/whose primary key is deployed with this secret's stack "Primary\/Secrets"/);
  });

  test('in a stack of its own: accepted, and it synthesizes', () => {
    expect(build(true)).not.toThrow();
  });
});
