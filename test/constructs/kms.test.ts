import { CfnElement, CfnParameter, CliCredentialsStackSynthesizer, DefaultStackSynthesizer, Duration, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CmkWithPolicy, EncryptedBucket, EnvelopeEncryption, MultiRegionKey, ReplicaKey, RuleService, SecureStringParameter } from '../../src';
import { ADMIN_ACTIONS } from '../../src/constructs/kms/key-policy';
import { findingsAfterSynth, newApp, newStack } from '../support/app';

const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] };
const USE = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const DENY_FOREIGN_GRANTS = {
  Sid: 'DenyGrantsNotForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};
const ADMINISTRATION = { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ADMIN_ACTIONS, Resource: '*' };

function role(stack: Stack, id: string): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

function arnOf(r: iam.Role): unknown {
  return { 'Fn::GetAtt': [Stack.of(r).getLogicalId(r.node.defaultChild as CfnElement), 'Arn'] };
}

function refOf(r: iam.Role): unknown {
  return { Ref: Stack.of(r).getLogicalId(r.node.defaultChild as CfnElement) };
}

function keyProperties(stack: Stack): { [key: string]: any } {
  const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
  const [key] = Object.values(keys);
  return key;
}

describe('CmkWithPolicy', () => {
  test('defaults: symmetric, rotation every 365 days, 30-day window, retained, the account administers but cannot use', () => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'Key');
    expect(key).toBeInstanceOf(kms.Key);
    const resource = keyProperties(stack);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
    expect(resource.Properties).toEqual({
      EnableKeyRotation: true,
      RotationPeriodInDays: 365,
      PendingWindowInDays: 30,
      // As deployed keys of this class have them: another rendering is an update CloudFormation sends to KMS.
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyPolicy: { Version: '2012-10-17', Statement: [ADMINISTRATION, DENY_FOREIGN_GRANTS] },
    });
    expect(ADMIN_ACTIONS).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
    expect(ADMIN_ACTIONS.some(a => /Encrypt|GenerateDataKey|CreateGrant|\*/.test(a))).toBe(false);
  });

  test('key users, MFA for decrypt, other accounts and services, statement by statement', () => {
    const stack = newStack(newApp());
    const app = role(stack, 'App');
    new CmkWithPolicy(stack, 'Key', {
      keyUsers: [app],
      requireMfaForDecrypt: true,
      crossAccountIds: ['222222222222'],
      viaServices: ['s3', 'rds'],
      alias: 'orders',
      description: 'Orders data',
      rotationPeriod: Duration.days(90),
      pendingWindow: Duration.days(7),
    });
    const via = { StringEquals: { 'kms:ViaService': ['s3.eu-west-1.amazonaws.com', 'rds.eu-west-1.amazonaws.com'] } };
    const appArn = arnOf(app);
    const other = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] };
    const grants = (sid: string, principal: unknown) => ({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    });
    const decrypt = (sid: string, principal: unknown) => ({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ...via, Bool: { 'aws:MultiFactorAuthPresent': true } },
    });
    const resource = keyProperties(stack);
    expect(resource.Properties).toMatchObject({ Description: 'Orders data', RotationPeriodInDays: 90, PendingWindowInDays: 7 });
    expect(resource.Properties.KeyPolicy.Statement).toEqual([
      ADMINISTRATION,
      { Sid: 'KeyUsersUse', Effect: 'Allow', Principal: { AWS: appArn }, Action: USE, Resource: '*', Condition: via },
      decrypt('KeyUsersDecryptWithMfa', appArn),
      grants('KeyUsersGrantsForAwsResources', appArn),
      { Sid: 'CrossAccountUse', Effect: 'Allow', Principal: { AWS: other }, Action: USE, Resource: '*', Condition: via },
      decrypt('CrossAccountDecryptWithMfa', other),
      grants('CrossAccountGrantsForAwsResources', other),
      DENY_FOREIGN_GRANTS,
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/orders' });
  });

  test('named administrators replace the account, and the deploying role stays administrator (KMS lockout check); removal policy can be chosen', () => {
    const stack = newStack(newApp());
    const admin = role(stack, 'Admin');
    new CmkWithPolicy(stack, 'Key', { administrators: [admin], removalPolicy: RemovalPolicy.DESTROY });
    const resource = keyProperties(stack);
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.Properties.KeyPolicy.Statement[0]).toEqual({ ...ADMINISTRATION, Principal: { AWS: arnOf(admin) } });
    expect(resource.Properties.KeyPolicy.Statement[1]).toEqual({
      ...ADMINISTRATION,
      Sid: 'DeployingRoleAdministration',
      Condition: { ArnEquals: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1' } } },
    });
  });

  test('the lockout check: with the account among administrators no deploying role is added; without a known deploying role the key is refused', () => {
    const app = newApp();
    const stack = newStack(app);
    new CmkWithPolicy(stack, 'WithAccount', { administrators: [role(stack, 'Admin'), new iam.AccountRootPrincipal()] });
    new CmkWithPolicy(stack, 'Explicit', { administrators: [role(stack, 'Admin2')], deployingRoleArn: 'arn:aws:iam::111111111111:role/deployer' });
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    const policyOf = (prefix: string) => Object.entries(keys).find(([id]) => id.startsWith(prefix))![1].Properties.KeyPolicy;
    const sids = (prefix: string) => policyOf(prefix).Statement.map((st: any) => st.Sid);
    expect(sids('WithAccount')).not.toContain('DeployingRoleAdministration');
    expect(JSON.stringify(Object.entries(keys).find(([id]) => id.startsWith('Explicit'))![1])).toContain('arn:aws:iam::111111111111:role/deployer');
    const cli = new Stack(app, 'Cli', { env: { account: '111111111111', region: 'eu-west-1' }, synthesizer: new CliCredentialsStackSynthesizer() });
    expect(() => new CmkWithPolicy(cli, 'Key', { administrators: [role(cli, 'Admin')] }))
      .toThrow(/administrators leaves out the account, and the stack's CliCredentialsStackSynthesizer names no deploying role: KMS CreateKey runs a lockout safety check/);
    expect(() => new CmkWithPolicy(cli, 'Fine')).not.toThrow();
  });

  test('a key in a nested stack: its top-level stack\'s execution role deploys it (the nested stack\'s synthesizer names none)', () => {
    const app = newApp();
    const parent = new Stack(app, 'Parent', { env: { account: '111111111111', region: 'eu-west-1' }, synthesizer: new DefaultStackSynthesizer({ qualifier: 'team1' }) });
    const nested = new NestedStack(new NestedStack(parent, 'Outer'), 'Inner');
    new CmkWithPolicy(nested, 'Key', { administrators: [role(nested, 'Admin')] });
    const policy = Object.values(Template.fromStack(nested).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy;
    expect(policy.Statement.find((st: any) => st.Sid === 'DeployingRoleAdministration').Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::111111111111:role/cdk-team1-cfn-exec-role-111111111111-eu-west-1' } },
    });
    const cli = new Stack(app, 'Cli', { env: { account: '111111111111', region: 'eu-west-1' }, synthesizer: new CliCredentialsStackSynthesizer() });
    const underCli = new NestedStack(cli, 'Nested');
    expect(() => new CmkWithPolicy(underCli, 'Key', { administrators: [role(underCli, 'Admin')] }))
      .toThrow(/the CliCredentialsStackSynthesizer of the top-level stack "Cli", which deploys this nested stack, names no deploying role/);
  });

  test('grants name the grantee in the key policy and in its own policy', () => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'Key');
    const reader = role(stack, 'Reader');
    key.grantDecrypt(reader);
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    const writer = role(stack, 'Writer');
    bucket.grantWrite(writer);
    const statements: any[] = keyProperties(stack).Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual({ Effect: 'Allow', Principal: { AWS: arnOf(reader) }, Action: 'kms:Decrypt', Resource: '*' });
    expect(statements).toContainEqual(expect.objectContaining({ Principal: { AWS: arnOf(writer) }, Action: expect.arrayContaining(['kms:GenerateDataKey*']) }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [refOf(reader)],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnElement), 'Arn'] } }] },
    });
  });

  test('refuses what would lock the key out or open it to everyone, naming the prop', () => {
    const stack = newStack(newApp());
    expect(() => new CmkWithPolicy(stack, 'NoAdmin', { administrators: [] })).toThrow(/administrators is empty: a key policy without an administrator locks the key out/);
    expect(() => new CmkWithPolicy(stack, 'PublicUser', { keyUsers: [new iam.AnyPrincipal()] })).toThrow(/keyUsers includes every principal \("\*"\)/);
    expect(() => new CmkWithPolicy(stack, 'PublicAdmin', { administrators: [new iam.StarPrincipal()] })).toThrow(/administrators includes every principal/);
    expect(() => new CmkWithPolicy(stack, 'BadAccount', { crossAccountIds: ['1234'] })).toThrow(/crossAccountIds includes "1234", which is not a 12-digit AWS account ID/);
    expect(() => new CmkWithPolicy(stack, 'BadService', { viaServices: ['s3.amazonaws.com'] })).toThrow(/viaServices includes "s3.amazonaws.com"/);
    expect(() => new CmkWithPolicy(stack, 'Short', { rotationPeriod: Duration.days(30) })).toThrow(/rotationPeriod of key "Short" is 30 days; it must be from 90 to 2560 days/);
    expect(() => new CmkWithPolicy(stack, 'Long', { rotationPeriod: Duration.days(2561) })).toThrow(/from 90 to 2560 days/);
    expect(() => new CmkWithPolicy(stack, 'Window', { pendingWindow: Duration.days(6) })).toThrow(/pendingWindow of key "Window" is 6 days; it must be from 7 to 30 days/);
    // KMS counts in days: a period in hours is refused by name, not by aws-cdk-lib's conversion error.
    expect(() => new CmkWithPolicy(stack, 'Hours', { rotationPeriod: Duration.hours(2172) }))
      .toThrow(/rotationPeriod of key "Hours" is 90 days 12 hours, not a whole number of days: KMS takes it in days, from 90 to 2560/);
    // A period known only at deploy time cannot be checked: refused with the way out.
    expect(() => new CmkWithPolicy(stack, 'Parameter', { rotationPeriod: Duration.days(new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber) }))
      .toThrow(/rotationPeriod of key "Parameter" is known only at deploy time .* give Duration.days\(...\) with a number/);
    // The key's own account among the other accounts would make every principal of it a key user through IAM.
    expect(() => new CmkWithPolicy(stack, 'OwnAccount', { crossAccountIds: ['222222222222', stack.account] }))
      .toThrow(new RegExp(`crossAccountIds includes "${stack.account}", the key's own account`));
  });

  test('statements and grants open to everyone are refused; a limiting condition makes them acceptable', () => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'Key');
    const open = new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] });
    expect(() => key.addToResourcePolicy(open)).toThrow(/allows "kms:Decrypt" to every principal \("\*"\) without a condition that limits who/);
    // The error names only conditions that limit who: kms:ViaService alone lets every account call through the service.
    expect(() => key.addToResourcePolicy(open)).toThrow(/\(aws:PrincipalAccount, aws:PrincipalOrgID, kms:CallerAccount, \.\.\.; kms:ViaService alone does not\)/);
    const viaOnly = new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
    expect(() => key.addToResourcePolicy(viaOnly)).toThrow(/every principal/);
    expect(() => key.grantDecrypt(new iam.AnyPrincipal())).toThrow(/every principal/);
    const limited = new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:CallerAccount': '111111111111' } },
    });
    expect(key.addToResourcePolicy(limited).statementAdded).toBe(true);
  });
});

describe('MultiRegionKey and ReplicaKey', () => {
  function twoRegions() {
    const app = newApp();
    const primary = newStack(app, 'Primary', 'eu-west-1');
    const replicaStack = new Stack(app, 'Replica', { env: { account: '111111111111', region: 'us-east-1' }, crossRegionReferences: true });
    return { app, primary, replicaStack };
  }

  test('a multi-Region primary with the policy model, and a replica L2 in another Region', () => {
    const { primary, replicaStack } = twoRegions();
    const user = role(primary, 'User');
    const key = new MultiRegionKey(primary, 'Key', { keyUsers: [user], viaServices: ['s3'], description: 'Primary only', alias: 'orders' });
    const replica = key.addReplica(replicaStack, { alias: 'orders-dr' });
    expect(key).toBeInstanceOf(kms.Key);
    expect(key.replicaRegions).toEqual(['us-east-1']);
    expect(keyProperties(primary).Properties).toMatchObject({ MultiRegion: true, EnableKeyRotation: true });

    const template = Template.fromStack(replicaStack);
    template.hasResource('AWS::KMS::ReplicaKey', {
      DeletionPolicy: 'Retain',
      Properties: {
        Enabled: true,
        PendingWindowInDays: 30,
        PrimaryKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportsReader'), Match.stringLikeRegexp('FnGetAttKey.*Arn')] },
        KeyPolicy: {
          Statement: [
            ADMINISTRATION,
            Match.objectLike({ Sid: 'KeyUsersUse', Condition: { StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } } }),
            Match.objectLike({ Sid: 'KeyUsersGrantsForAwsResources' }),
            DENY_FOREIGN_GRANTS,
          ],
        },
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/orders-dr', TargetKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
    // The primary's description is its own (ReplicaKeyOptions.description defaults to none).
    template.hasResourceProperties('AWS::KMS::ReplicaKey', { Description: Match.absent() });
    expect(replicaStack.resolve(replica.keyId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ReplicaOf/), 'KeyId'] });
  });

  test('refuses a replica in the primary Region, a second replica in a Region, and unknown Regions', () => {
    const { app, primary, replicaStack } = twoRegions();
    const key = new MultiRegionKey(primary, 'Key');
    key.addReplica(replicaStack);
    expect(() => key.addReplica(replicaStack)).toThrow(/already has a replica in us-east-1/);
    const samePlace = new Stack(app, 'Same', { env: { account: '111111111111', region: 'eu-west-1' }, crossRegionReferences: true });
    expect(() => key.addReplica(samePlace)).toThrow(/is in eu-west-1, the primary key's own Region/);
    const agnostic = new Stack(app, 'Agnostic');
    expect(() => key.addReplica(agnostic)).toThrow(/"Agnostic" is environment-agnostic/);
    const otherAccount = new Stack(app, 'OtherAccount', { env: { account: '222222222222', region: 'us-west-2' }, crossRegionReferences: true });
    expect(() => key.addReplica(otherAccount)).toThrow(/is in account 222222222222, but the primary key is in 111111111111: a multi-Region key and its replicas stay in one account/);
    const noCrossRegion = newStack(app, 'NoCross', 'ap-southeast-2');
    expect(() => key.addReplica(noCrossRegion)).toThrow(/must be created with crossRegionReferences: true/);
    // A nested stack reads the primary's ARN through its top-level stack, which holds the option.
    expect(() => key.addReplica(new NestedStack(newStack(app, 'NoCrossParent', 'ap-south-1'), 'Keys')))
      .toThrow(/addReplica: stack "NoCrossParent" must be created with crossRegionReferences: true/);
    const nestedReplica = key.addReplica(new NestedStack(new Stack(app, 'Dr', { env: { account: '111111111111', region: 'ap-northeast-1' }, crossRegionReferences: true }), 'Keys'));
    expect(Stack.of(nestedReplica).region).toBe('ap-northeast-1');
    expect(() => new MultiRegionKey(new Stack(app, 'AgnosticPrimary'), 'Key')).toThrow(/environment-agnostic stack: give the stack an explicit env.region/);
  });

  test('a replica is a kms.IKey: grants and statements go to its own key policy, with the same guard', () => {
    const { primary, replicaStack } = twoRegions();
    const replica = new MultiRegionKey(primary, 'Key').addReplica(replicaStack);
    const reader = role(replicaStack, 'Reader');
    replica.grantDecrypt(reader);
    const statements: any[] = Object.values(Template.fromStack(replicaStack).findResources('AWS::KMS::ReplicaKey'))[0].Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual({ Effect: 'Allow', Principal: { AWS: arnOf(reader) }, Action: 'kms:Decrypt', Resource: '*' });
    expect(() => replica.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:*'], resources: ['*'] })))
      .toThrow(/every principal/);
    expect(() => new ReplicaKey(replicaStack, 'Orphan', { primaryKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/mrk-1', pendingWindow: Duration.days(31) }))
      .toThrow(/pendingWindow of replica key "Orphan" is 31 days/);
  });

  test('a two-Region app: replicas in two Regions, a bucket in a replica Region encrypted with the replica, and the gate passes', () => {
    const app = newApp();
    const primary = newStack(app, 'Primary', 'eu-west-1');
    const key = new MultiRegionKey(primary, 'Key', { alias: 'global-data' });
    const regions = ['us-east-1', 'ap-southeast-2'];
    const replicas = regions.map(region => {
      const stack = new Stack(app, `Dr-${region}`, { env: { account: '111111111111', region }, crossRegionReferences: true });
      return key.addReplica(stack);
    });
    const drStack = Stack.of(replicas[0]);
    new EncryptedBucket(drStack, 'Archive', { encryptionKey: replicas[0] });
    const findings = findingsAfterSynth(app, { services: [RuleService.KMS, RuleService.S3] });
    expect(findings).toEqual([]);
    Template.fromStack(drStack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReplicaOf'), 'Arn'] } }, BucketKeyEnabled: true }] },
    });
    expect(key.replicaRegions).toEqual(regions);
  });
});

describe('EnvelopeEncryption', () => {
  test('writers may generate data keys and readers decrypt them, bound to an encryption context, in the key policy of our keys', () => {
    const stack = newStack(newApp());
    const key = new CmkWithPolicy(stack, 'Key');
    const writer = role(stack, 'Writer');
    const reader = role(stack, 'Reader');
    EnvelopeEncryption.grantWriter(key, writer, { encryptionContext: { tenant: 'acme' } });
    EnvelopeEncryption.grantReader(key, reader);
    const statements: any[] = keyProperties(stack).Properties.KeyPolicy.Statement;
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Principal: { AWS: arnOf(writer) },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } },
    });
    expect(statements).toContainEqual({ Effect: 'Allow', Principal: { AWS: arnOf(reader) }, Action: 'kms:Decrypt', Resource: '*' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [refOf(writer)],
      PolicyDocument: {
        Statement: [{
          Action: 'kms:GenerateDataKey',
          Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } },
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnElement), 'Arn'] },
        }],
      },
    });
  });

  test('with a plain kms.Key, which trusts IAM, the grant goes to the grantee\'s policy only', () => {
    const stack = newStack(newApp());
    const key = new kms.Key(stack, 'Plain', { enableKeyRotation: true });
    EnvelopeEncryption.grantWriter(key, role(stack, 'Writer'));
    const statements: any[] = keyProperties(stack).Properties.KeyPolicy.Statement;
    expect(statements).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [Match.objectLike({ Action: 'kms:GenerateDataKey' })] } });
  });
});

describe('cross-stack grants and IAM\'s 50 tags on a role', () => {
  const app = (buckets: number) => {
    const built = newApp();
    const data = newStack(built, 'Data');
    const worker = new iam.Role(newStack(built, 'Apps'), 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (let i = 0; i < buckets; i++) {
      const bucket = new EncryptedBucket(data, `Bucket${i}`);
      bucket.grantRead(worker);
      bucket.grantPut(worker);
      bucket.grantReadWrite(worker);
    }
    return built;
  };
  test('a role the grants\' tags take past 50 is refused at synthesis, with the count and the way out', () => {
    expect(() => app(17).synth()).toThrow(/Apps\/Worker would carry 51 tags, 51 of them for grants on keys of other stacks .* IAM allows 50/);
  });
  test('up to 50, synthesis goes on', () => {
    expect(() => app(16).synth()).not.toThrow();
  });
  test('the stack\'s own tags count too (CloudFormation puts them on every resource it creates)', () => {
    const built = newApp();
    const data = newStack(built, 'Data');
    const apps = newStack(built, 'Apps', 'eu-west-1', { tags: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`team-tag-${i}`, 'x'])) });
    const worker = new iam.Role(apps, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (let i = 0; i < 15; i++) {
      const bucket = new EncryptedBucket(data, `Bucket${i}`);
      bucket.grantRead(worker);
      bucket.grantPut(worker);
      bucket.grantReadWrite(worker);
    }
    expect(() => built.synth()).toThrow(/Apps\/Worker would carry 51 tags, 45 of them for grants/);
  });
});

describe('the key policy\'s length (KMS takes 32,768 characters)', () => {
  const app = (parameters: number) => {
    const built = newApp();
    const stack = newStack(built, 'Params');
    const key = new CmkWithPolicy(stack, 'Shared');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (let i = 0; i < parameters; i++) {
      new SecureStringParameter(stack, `Parameter${i}`, { parameterName: `/app/parameter${i}`, encryptionKey: key }).grantRead(reader);
    }
    return built;
  };
  test('surely too long (even with every deploy-time value empty): refused at synthesis', () => {
    expect(() => app(80).synth()).toThrow(/The key policy of Params\/Shared is at least 35,\d{3} characters long, but KMS takes at most 32,768/);
  });
  test('maybe too long (as rendered): a warning; well under: nothing', () => {
    const warnings = (built: ReturnType<typeof app>) => built.synth().getStackByName('Params').messages
      .filter(m => m.level === 'warning' && String(m.entry.data).includes('may be longer than the 32,768 characters'));
    expect(warnings(app(50))).toHaveLength(1);
    expect(warnings(app(10))).toHaveLength(0);
  });
});

describe('thirtieth red-team pass', () => {
  test('the 50 tags of a role in a nested stack count the tags of the stacks above it, which CloudFormation passes down', () => {
    const built = newApp();
    const key = new CmkWithPolicy(newStack(built, 'Keys'), 'Shared');
    const parent = newStack(built, 'App', 'eu-west-1', { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`team-tag-${i}`, 'x'])) });
    key.grantDecrypt(new iam.Role(new NestedStack(parent, 'Nested'), 'Worker', { assumedBy: new iam.AccountRootPrincipal() }));
    expect(() => built.synth()).toThrow(/Worker would carry 51 tags/);
  });
});
