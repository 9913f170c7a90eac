/**
 * Property-based authorization contracts of the constructs other than the keys and buckets
 * (properties.contracts.test.ts): `EncryptedRdsInstance`, `RotatingSecret`, `SecureStringParameter`,
 * `EbsEncryptionByDefault`, `EncryptedSnapshotCopy` and `AcmFrontedAlb`, generated over their props.
 * For every generated app, the same contract families as the tests at defaults:
 *
 * - deploy: the CloudFormation execution role (same account, `Allow *:*`) makes the lifecycle calls,
 *   every key passes KMS's PutKeyPolicy lockout check, and the calls services make on its behalf
 *   (RDS's grant, Secrets Manager's data key) are allowed;
 * - services and handler roles get exactly their calls;
 * - grantees (same stack and another stack) get theirs;
 * - an ungranted role of the account, another account and an anonymous caller are denied on the
 *   keys, secrets and parameters.
 *
 * Like properties.contracts.test.ts, no seed is fixed: fast-check draws a new seed on every run, so
 * the runs explore more of the props space over time, and a failure prints its seed and path
 * (`fc.assert(..., { seed, path })` replays it exactly). Nothing in an app depends on time or
 * randomness: the resolver makes names and IDs up from stack and logical ID.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as fc from 'fast-check';
import {
  AccessLogBucket, AcmFrontedAlb, CmkWithPolicy, EbsEncryptionByDefault, EncryptedRdsInstance, EncryptedSnapshotCopy, RotatingSecret,
  SecureStringParameter, SecureStringValue, SnapshotSource,
} from '../../src';
import { newApp, rdsManagesPasswords } from '../support/app';
import {
  allowed, arnOfConstruct, autoScalingRole, EC2_USE, forParameter, hostedRotationPolicy, hostedRotationRole, notAllowed, resourceOfConstruct, SLR_USE,
} from './support/calls';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, Call, deployerDeniedOnKey, deployRole, grantForResource, OTHER_ACCOUNT, viaService } from './support/simulator';

const REGION = 'eu-west-1';
const env = (region = REGION) => ({ account: ACCOUNT, region });
const role = (scope: Stack, id: string) => new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
/** A role of another account whose IAM policy allows everything. */
const STRANGER = `arn:aws:iam::${OTHER_ACCOUNT}:role/R`;
/** A role of the account that no policy of the app mentions and whose IAM policy allows nothing. */
const NO_POLICY = `arn:aws:iam::${ACCOUNT}:role/NoPolicy`;
/** A role of the account with `Allow *:*`, named nowhere. */
const POWER_USER = `arn:aws:iam::${ACCOUNT}:role/PowerUser`;

/** Where a key passed to a construct comes from: none (the construct makes one), this stack, another stack. */
type KeyChoice = 'made' | 'sameStack' | 'otherStack';
const keyChoice = fc.constantFrom<KeyChoice>('made', 'sameStack', 'otherStack');
const givenKey = (choice: KeyChoice, data: Stack, keys: Stack, id: string): kms.Key | undefined =>
  choice === 'made' ? undefined : new CmkWithPolicy(choice === 'sameStack' ? data : keys, id);

/** Expectation with the props in the message, so a failure names its case. */
function expectDecisions(label: unknown, actual: unknown, expected: unknown): void {
  expect({ label, actual }).toEqual({ label, actual: expected });
}

async function keyDeployable(authorizer: Authorizer, keyArn: string, label: unknown, region = REGION): Promise<void> {
  expectDecisions(label, await deployerDeniedOnKey(authorizer, region, keyArn), []);
}

// ---------------------------------------------------------------------------------------------
// EncryptedRdsInstance (and the RotatingSecret it makes)

const MANAGED = rdsManagesPasswords();
const ENGINES: { [name: string]: { engine: () => rds.IInstanceEngine; port: number } } = {
  postgres: { engine: () => rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }), port: 5432 },
  mysql: { engine: () => rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 }), port: 3306 },
  mariadb: { engine: () => rds.DatabaseInstanceEngine.mariaDb({ version: rds.MariaDbEngineVersion.VER_10_11_9 }), port: 3306 },
  sqlserver: { engine: () => rds.DatabaseInstanceEngine.sqlServerSe({ version: rds.SqlServerEngineVersion.VER_16_00_4175_1_V1 }), port: 1433 },
};

const databaseProps = fc.record({
  engine: fc.constantFrom(...Object.keys(ENGINES)),
  multiAz: fc.constantFrom(undefined, true, false),
  port: fc.oneof(fc.constant(undefined), fc.constant('default' as const), fc.integer({ min: 1150, max: 65535 })),
  managed: MANAGED ? fc.boolean() : fc.constant(false),
  key: keyChoice,
  insights: fc.constantFrom(undefined, true, false),
  insightsKey: fc.boolean(),
  replica: fc.boolean(),
});

test('generated RDS instances: deploy (key, grant, secret), rotation through Secrets Manager; strangers denied', async () => {
  await fc.assert(fc.asyncProperty(fc.array(databaseProps, { minLength: 1, maxLength: 2 }), async dbs => {
    const app = newApp();
    const data = new Stack(app, 'Db', { env: env() });
    const keys = new Stack(app, 'Keys', { env: env() });
    const vpc = new ec2.Vpc(data, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const made = dbs.map((d, i) => {
      const spec = ENGINES[d.engine];
      // Performance Insights is not offered on MariaDB instance classes alike: left off there.
      const insights = d.engine === 'mariadb' ? false : d.insights;
      const insightsKey = insights !== false && d.insightsKey ? new CmkWithPolicy(data, `InsightsKey${i}`) : undefined;
      const db = new EncryptedRdsInstance(data, `Db${i}`, {
        engine: spec.engine(),
        vpc,
        multiAz: d.multiAz,
        port: d.port === 'default' ? spec.port : d.port,
        manageMasterUserPassword: d.managed || undefined,
        storageEncryptionKey: givenKey(d.key, data, keys, `UserKey${i}`),
        enablePerformanceInsights: insights,
        performanceInsightEncryptionKey: insightsKey,
        licenseModel: d.engine === 'sqlserver' ? rds.LicenseModel.LICENSE_INCLUDED : undefined,
      });
      // SQL Server read replicas need the Enterprise edition.
      if (d.replica && d.engine !== 'sqlserver') {
        db.addReadReplica('Replica', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE) });
      }
      return { db, insightsKey };
    });

    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    const deployer = deployRole(REGION);
    for (const [i, { db, insightsKey }] of made.entries()) {
      const label = { db: i, ...dbs[i] };
      const key = arnOfConstruct(resolved, db.encryptionKey);
      await keyDeployable(authorizer, key, label);
      if (insightsKey !== undefined) {
        await keyDeployable(authorizer, arnOfConstruct(resolved, insightsKey), label);
      }
      const asDeployer = (action: string, context: Record<string, string> = {}): Call => ({
        principal: deployer, action, resource: key, identityPolicies: [ALLOW_ALL], context,
      });
      // CreateDBInstance (and a replica's CreateDBInstanceReadReplica) makes RDS create a grant; the
      // secret (ours or RDS's) is created and written through Secrets Manager.
      expectDecisions(label, await authorizer.decideAll({
        createGrant: asDeployer('kms:CreateGrant', grantForResource('rds', REGION)),
        describe: asDeployer('kms:DescribeKey', viaService('rds', REGION)),
        secretGenerate: asDeployer('kms:GenerateDataKey', viaService('secretsmanager', REGION)),
        secretDecrypt: asDeployer('kms:Decrypt', viaService('secretsmanager', REGION)),
        grantForItself: asDeployer('kms:CreateGrant', viaService('rds', REGION, { 'kms:GrantIsForAWSResource': 'false' })),
        directGrant: asDeployer('kms:CreateGrant'),
      }), {
        createGrant: 'Allowed',
        describe: 'Allowed',
        secretGenerate: 'Allowed',
        secretDecrypt: 'Allowed',
        grantForItself: 'ExplicitlyDenied',
        directGrant: 'ExplicitlyDenied',
      });

      const strangers: Record<string, Call> = {
        noPolicy: { principal: NO_POLICY, action: 'kms:Decrypt', resource: key, identityPolicies: [], context: viaService('secretsmanager', REGION) },
        powerUserDirect: { principal: POWER_USER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
        otherAccount: { principal: STRANGER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: viaService('secretsmanager', REGION) },
        otherAccountGrant: { principal: STRANGER, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource('rds', REGION) },
        anonymous: { principal: 'anonymous', action: 'kms:Decrypt', resource: key, context: viaService('secretsmanager', REGION) },
      };
      if (db.credentialsSecret !== undefined) {
        const secret = arnOfConstruct(resolved, db.credentialsSecret);
        const rotation = hostedRotationRole(ACCOUNT);
        const policy = hostedRotationPolicy(key, secret);
        const asRotation = (action: string, resource: string, context: Record<string, string> = {}): Call => ({
          principal: rotation, action, resource, identityPolicies: [policy], context,
        });
        expectDecisions(label, await authorizer.decideAll({
          decrypt: asRotation('kms:Decrypt', key, viaService('secretsmanager', REGION)),
          generate: asRotation('kms:GenerateDataKey', key, viaService('secretsmanager', REGION)),
          direct: asRotation('kms:Decrypt', key),
          putSecret: asRotation('secretsmanager:PutSecretValue', secret),
        }), { decrypt: 'Allowed', generate: 'Allowed', direct: 'ImplicitlyDenied', putSecret: 'Allowed' });
        strangers.otherAccountSecret = { principal: STRANGER, action: 'secretsmanager:GetSecretValue', resource: secret, identityPolicies: [ALLOW_ALL] };
        strangers.anonymousSecret = { principal: 'anonymous', action: 'secretsmanager:GetSecretValue', resource: secret };
      }
      expectDecisions(label, allowed(await authorizer.decideAll(strangers)), []);
    }
  }), { numRuns: 8 });
});

// ---------------------------------------------------------------------------------------------
// RotatingSecret

const secretProps = fc.record({
  hosted: fc.boolean(),
  days: fc.integer({ min: 1, max: 1000 }),
  crossAccount: fc.boolean(),
  key: keyChoice,
  removal: fc.constantFrom(undefined, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY),
  grantSameStack: fc.boolean(),
  grantOtherStack: fc.boolean(),
});

test('generated rotating secrets: deploy, rotation, grantees and other accounts read; strangers denied', async () => {
  await fc.assert(fc.asyncProperty(fc.array(secretProps, { minLength: 1, maxLength: 2 }), async secrets => {
    const app = newApp();
    const data = new Stack(app, 'Data', { env: env() });
    const keys = new Stack(app, 'Keys', { env: env() });
    const apps = new Stack(app, 'Apps', { env: env() });
    const vpc = new ec2.Vpc(data, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const rotator = new lambda.Function(data, 'Rotator', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const made = secrets.map((s, i) => {
      const secret = new RotatingSecret(data, `Secret${i}`, {
        rotationLambda: s.hosted ? undefined : rotator,
        hostedRotation: s.hosted
          ? secretsmanager.HostedRotation.postgreSqlSingleUser({ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })
          : undefined,
        rotationInterval: Duration.days(s.days),
        crossAccountReadIds: s.crossAccount ? ['222222222222'] : undefined,
        encryptionKey: givenKey(s.key, data, keys, `UserKey${i}`),
        removalPolicy: s.removal,
      });
      const readers = [
        ...(s.grantSameStack ? [role(data, `SameStackReader${i}`)] : []),
        ...(s.grantOtherStack ? [role(apps, `CrossStackReader${i}`)] : []),
      ];
      readers.forEach(r => secret.grantRead(r));
      return { secret, readers };
    });
    const ungranted = role(apps, 'Ungranted');

    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    for (const [i, { secret, readers }] of made.entries()) {
      const s = secrets[i];
      const label = { secret: i, ...s };
      const key = arnOfConstruct(resolved, secret.encryptionKey!);
      const arn = arnOfConstruct(resolved, secret);
      await keyDeployable(authorizer, key, label);
      const sm = viaService('secretsmanager', REGION);
      expectDecisions(label, notAllowed(await authorizer.decideAll({
        generate: { principal: deployRole(REGION), action: 'kms:GenerateDataKey', resource: key, identityPolicies: [ALLOW_ALL], context: sm },
        decrypt: { principal: deployRole(REGION), action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: sm },
      })), []);
      // aws-cdk-lib's rotation schedule denies DeleteSecret to the whole account in the secret's
      // resource policy; CloudFormation deletes that policy (which refers to the secret) before the
      // secret itself, so a DESTROY secret can still be deleted with its stack, and nobody deletes it
      // by hand meanwhile.
      expectDecisions(label, await authorizer.decide({
        principal: deployRole(REGION), action: 'secretsmanager:DeleteSecret', resource: arn, identityPolicies: [ALLOW_ALL],
      }), 'ExplicitlyDenied');
      const policy = resolved.resources('AWS::SecretsManager::ResourcePolicy', 'Data').find(r => r.properties.SecretId === arn);
      expectDecisions(label, policy !== undefined, true);
      expectDecisions(label, resourceOfConstruct(resolved, secret).template.DeletionPolicy, s.removal === RemovalPolicy.DESTROY ? 'Delete' : 'Retain');

      // The rotation function: the app's Lambda role (its policies are in the template) or the
      // hosted function's role, which the Secrets Manager transform makes with this key and secret.
      const rotation = s.hosted ? hostedRotationRole(ACCOUNT) : arnOfConstruct(resolved, rotator.role!);
      const rotationPolicies = s.hosted ? [hostedRotationPolicy(key, arn)] : undefined;
      const asRotation = (action: string, resource: string, context: Record<string, string> = {}): Call => ({
        principal: rotation, action, resource, identityPolicies: rotationPolicies, context,
      });
      expectDecisions(label, await authorizer.decideAll({
        get: asRotation('secretsmanager:GetSecretValue', arn),
        put: asRotation('secretsmanager:PutSecretValue', arn),
        describe: asRotation('secretsmanager:DescribeSecret', arn),
        stage: asRotation('secretsmanager:UpdateSecretVersionStage', arn),
        decrypt: asRotation('kms:Decrypt', key, sm),
        generate: asRotation('kms:GenerateDataKey', key, sm),
        direct: asRotation('kms:Decrypt', key),
      }), { get: 'Allowed', put: 'Allowed', describe: 'Allowed', stage: 'Allowed', decrypt: 'Allowed', generate: 'Allowed', direct: 'ImplicitlyDenied' });

      for (const reader of readers) {
        const principal = arnOfConstruct(resolved, reader);
        expectDecisions({ ...label, reader: reader.node.path }, await authorizer.decideAll({
          get: { principal, action: 'secretsmanager:GetSecretValue', resource: arn },
          decrypt: { principal, action: 'kms:Decrypt', resource: key, context: sm },
          direct: { principal, action: 'kms:Decrypt', resource: key },
          put: { principal, action: 'secretsmanager:PutSecretValue', resource: arn },
        }), { get: 'Allowed', decrypt: 'Allowed', direct: 'ImplicitlyDenied', put: 'ImplicitlyDenied' });
      }
      if (s.crossAccount) {
        const partner = 'arn:aws:iam::222222222222:role/Reader';
        expectDecisions(label, await authorizer.decideAll({
          get: { principal: partner, action: 'secretsmanager:GetSecretValue', resource: arn, identityPolicies: [ALLOW_ALL] },
          decrypt: { principal: partner, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: sm },
          direct: { principal: partner, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
          put: { principal: partner, action: 'secretsmanager:PutSecretValue', resource: arn, identityPolicies: [ALLOW_ALL] },
        }), { get: 'Allowed', decrypt: 'Allowed', direct: 'ImplicitlyDenied', put: 'ImplicitlyDenied' });
      }
      const other = arnOfConstruct(resolved, ungranted);
      expectDecisions(label, allowed(await authorizer.decideAll({
        ungrantedGet: { principal: other, action: 'secretsmanager:GetSecretValue', resource: arn },
        ungrantedDecrypt: { principal: other, action: 'kms:Decrypt', resource: key, context: sm },
        noPolicy: { principal: NO_POLICY, action: 'kms:Decrypt', resource: key, identityPolicies: [], context: sm },
        powerUserDirect: { principal: POWER_USER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
        otherAccountGet: { principal: STRANGER, action: 'secretsmanager:GetSecretValue', resource: arn, identityPolicies: [ALLOW_ALL] },
        otherAccountDecrypt: { principal: STRANGER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: sm },
        anonymousGet: { principal: 'anonymous', action: 'secretsmanager:GetSecretValue', resource: arn },
        anonymousDecrypt: { principal: 'anonymous', action: 'kms:Decrypt', resource: key, context: sm },
      })), []);
    }
  }), { numRuns: 8 });
});

// ---------------------------------------------------------------------------------------------
// SecureStringParameter

const parameterProps = fc.record({
  path: fc.boolean(),
  source: fc.constantFrom('generated', 'secret', 'secretWithKey', 'rotatingSecret'),
  length: fc.integer({ min: 16, max: 128 }),
  excludePunctuation: fc.boolean(),
  jsonField: fc.constantFrom(undefined, 'password'),
  key: keyChoice,
  tier: fc.constantFrom(undefined, ssm.ParameterTier.STANDARD, ssm.ParameterTier.ADVANCED),
  removal: fc.constantFrom(undefined, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY),
  grantSameStack: fc.boolean(),
  grantOtherStack: fc.boolean(),
});

test('generated SecureString parameters: deploy, the handler writes only its parameters, grantees read; strangers denied', async () => {
  await fc.assert(fc.asyncProperty(fc.array(parameterProps, { minLength: 1, maxLength: 2 }), async params => {
    const app = newApp();
    const data = new Stack(app, 'Data', { env: env() });
    const keys = new Stack(app, 'Keys', { env: env() });
    const apps = new Stack(app, 'Apps', { env: env() });
    const rotator = new lambda.Function(data, 'Rotator', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const made = params.map((p, i) => {
      const source: secretsmanager.Secret | undefined = p.source === 'secret' ? new secretsmanager.Secret(data, `Source${i}`)
        : p.source === 'secretWithKey' ? new secretsmanager.Secret(data, `Source${i}`, { encryptionKey: new CmkWithPolicy(data, `SourceKey${i}`) })
          : p.source === 'rotatingSecret' ? new RotatingSecret(data, `Source${i}`, { rotationLambda: rotator }) : undefined;
      const parameter = new SecureStringParameter(data, `Param${i}`, {
        parameterName: p.path ? `/app${i}/db/password` : `app${i}-password`,
        value: source === undefined ? SecureStringValue.generated({ length: p.length, excludePunctuation: p.excludePunctuation })
          : SecureStringValue.fromSecret(source, { jsonField: p.jsonField }),
        encryptionKey: givenKey(p.key, data, keys, `UserKey${i}`),
        tier: p.tier,
        removalPolicy: p.removal,
      });
      const readers = [
        ...(p.grantSameStack ? [role(data, `SameStackReader${i}`)] : []),
        ...(p.grantOtherStack ? [role(apps, `CrossStackReader${i}`)] : []),
      ];
      readers.forEach(r => parameter.grantRead(r));
      return { parameter, source, readers };
    });
    const unrelated = new secretsmanager.Secret(data, 'Unrelated');
    const ungranted = role(apps, 'Ungranted');

    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    const handler = resolved.resource('AWS::IAM::Role', 'CegSecureStringParameterProviderHandlerRole', 'Data').arn;
    const other = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/other/parameter`;
    const arns = made.map(({ parameter }) => resolved.resolve(resolved.stack('Data'), Stack.of(parameter).resolve(parameter.parameterArn)) as string);
    for (const [i, { parameter, source, readers }] of made.entries()) {
      const p = params[i];
      const label = { parameter: i, ...p };
      const arn = arns[i];
      const key = arnOfConstruct(resolved, parameter.encryptionKey);
      expectDecisions(label, arn, `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${p.path ? `app${i}/db/password` : `app${i}-password`}`);
      await keyDeployable(authorizer, key, label);
      expectDecisions(label, resourceOfConstruct(resolved, parameter.resource).template.DeletionPolicy,
        p.removal === RemovalPolicy.DESTROY ? 'Delete' : 'Retain');

      const ssmContext = forParameter(REGION, arn);
      const handlerCalls: Record<string, Call> = {
        put: { principal: handler, action: 'ssm:PutParameter', resource: arn },
        get: { principal: handler, action: 'ssm:GetParameter', resource: arn },
        delete: { principal: handler, action: 'ssm:DeleteParameter', resource: arn },
        encrypt: { principal: handler, action: 'kms:Encrypt', resource: key, context: ssmContext },
        generate: { principal: handler, action: 'kms:GenerateDataKey', resource: key, context: ssmContext },
        decrypt: { principal: handler, action: 'kms:Decrypt', resource: key, context: ssmContext },
      };
      if (source !== undefined) {
        handlerCalls.readSource = { principal: handler, action: 'secretsmanager:GetSecretValue', resource: arnOfConstruct(resolved, source) };
        if (source.encryptionKey !== undefined) {
          handlerCalls.decryptSource = {
            principal: handler, action: 'kms:Decrypt', resource: arnOfConstruct(resolved, source.encryptionKey), context: viaService('secretsmanager', REGION),
          };
        }
      }
      expectDecisions(label, notAllowed(await authorizer.decideAll(handlerCalls)), []);
      expectDecisions(label, allowed(await authorizer.decideAll({
        putOther: { principal: handler, action: 'ssm:PutParameter', resource: other },
        direct: { principal: handler, action: 'kms:Decrypt', resource: key },
        otherParameter: { principal: handler, action: 'kms:Encrypt', resource: key, context: forParameter(REGION, other) },
        ...(made.length > 1 ? { crossed: { principal: handler, action: 'kms:Encrypt', resource: key, context: forParameter(REGION, arns[1 - i]) } } : {}),
        unrelatedSecret: { principal: handler, action: 'secretsmanager:GetSecretValue', resource: arnOfConstruct(resolved, unrelated) },
        manage: { principal: handler, action: 'kms:PutKeyPolicy', resource: key },
      })), []);

      for (const reader of readers) {
        const principal = arnOfConstruct(resolved, reader);
        expectDecisions({ ...label, reader: reader.node.path }, await authorizer.decideAll({
          get: { principal, action: 'ssm:GetParameter', resource: arn },
          getMany: { principal, action: 'ssm:GetParameters', resource: arn },
          decrypt: { principal, action: 'kms:Decrypt', resource: key, context: ssmContext },
          directDecrypt: { principal, action: 'kms:Decrypt', resource: key },
          put: { principal, action: 'ssm:PutParameter', resource: arn },
          encrypt: { principal, action: 'kms:Encrypt', resource: key, context: ssmContext },
        }), { get: 'Allowed', getMany: 'Allowed', decrypt: 'Allowed', directDecrypt: 'ImplicitlyDenied', put: 'ImplicitlyDenied', encrypt: 'ImplicitlyDenied' });
      }
      const stranger = arnOfConstruct(resolved, ungranted);
      expectDecisions(label, allowed(await authorizer.decideAll({
        ungrantedGet: { principal: stranger, action: 'ssm:GetParameter', resource: arn },
        ungrantedDecrypt: { principal: stranger, action: 'kms:Decrypt', resource: key, context: ssmContext },
        otherAccountGet: { principal: STRANGER, action: 'ssm:GetParameter', resource: arn, identityPolicies: [ALLOW_ALL] },
        otherAccountDecrypt: { principal: STRANGER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: ssmContext },
        anonymousGet: { principal: 'anonymous', action: 'ssm:GetParameter', resource: arn },
        anonymousDecrypt: { principal: 'anonymous', action: 'kms:Decrypt', resource: key, context: ssmContext },
        deployerDirect: { principal: deployRole(REGION), action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
      })), []);
    }
  }), { numRuns: 8 });
});

// ---------------------------------------------------------------------------------------------
// EbsEncryptionByDefault

const ebsProps = fc.record({
  key: keyChoice,
  allowAutoScaling: fc.constantFrom(undefined, true, false),
  disableOnDelete: fc.constantFrom(undefined, true, false),
});

test('generated EBS encryption by default: deploy, the handler\'s EC2 calls, use through EC2 and by Auto Scaling; strangers denied', async () => {
  const REGIONS = ['eu-west-1', 'us-east-1'];
  await fc.assert(fc.asyncProperty(fc.array(ebsProps, { minLength: 1, maxLength: 2 }), async settings => {
    const app = newApp();
    const made = settings.map((s, i) => {
      const region = REGIONS[i];
      const stack = new Stack(app, `Ebs${i}`, { env: env(region) });
      const keys = new Stack(app, `Keys${i}`, { env: env(region) });
      const ebs = new EbsEncryptionByDefault(stack, 'EbsDefault', {
        encryptionKey: givenKey(s.key, stack, keys, 'UserKey'),
        allowAutoScaling: s.allowAutoScaling,
        disableOnDelete: s.disableOnDelete,
      });
      return { ebs, region, stack };
    });

    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    for (const [i, { ebs, region, stack }] of made.entries()) {
      const s = settings[i];
      const label = { stack: stack.stackName, region, ...s };
      const key = arnOfConstruct(resolved, ebs.encryptionKey);
      await keyDeployable(authorizer, key, label, region);

      const handler = resolved.resource('AWS::IAM::Role', 'CegEbsEncryptionByDefaultProviderHandlerRole', stack.stackName).arn;
      const disable = s.disableOnDelete === true ? 'Allowed' : 'ImplicitlyDenied';
      expectDecisions(label, await authorizer.decideAll({
        modify: { principal: handler, action: 'ec2:ModifyEbsDefaultKmsKeyId', resource: '*' },
        enable: { principal: handler, action: 'ec2:EnableEbsEncryptionByDefault', resource: '*' },
        describe: { principal: handler, action: 'kms:DescribeKey', resource: key },
        disable: { principal: handler, action: 'ec2:DisableEbsEncryptionByDefault', resource: '*' },
        reset: { principal: handler, action: 'ec2:ResetEbsDefaultKmsKeyId', resource: '*' },
        decrypt: { principal: handler, action: 'kms:Decrypt', resource: key },
      }), { modify: 'Allowed', enable: 'Allowed', describe: 'Allowed', disable, reset: disable, decrypt: 'ImplicitlyDenied' });

      const builder = `arn:aws:iam::${ACCOUNT}:role/Builder`;
      const ec2Use = Object.fromEntries(EC2_USE.map(action => [action, {
        principal: builder, action, resource: key, identityPolicies: [ALLOW_ALL], context: viaService('ec2', region),
      }]));
      expectDecisions(label, notAllowed(await authorizer.decideAll({
        ...ec2Use,
        createGrant: { principal: builder, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource('ec2', region) },
      })), []);
      const slr = autoScalingRole(ACCOUNT);
      const slrCalls: Record<string, Call> = {
        ...Object.fromEntries(SLR_USE.map(action => [action, { principal: slr, action, resource: key, identityPolicies: [] }])),
        createGrant: { principal: slr, action: 'kms:CreateGrant', resource: key, identityPolicies: [], context: { 'kms:GrantIsForAWSResource': 'true' } },
      };
      const slrDecisions = await authorizer.decideAll(slrCalls);
      if (s.allowAutoScaling === false) {
        expectDecisions(label, allowed(slrDecisions), []);
      } else {
        expectDecisions(label, notAllowed(slrDecisions), []);
      }
      expectDecisions(label, allowed(await authorizer.decideAll({
        direct: { principal: POWER_USER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
        viaS3: { principal: POWER_USER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: viaService('s3', region) },
        grantForItself: {
          principal: POWER_USER, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: viaService('ec2', region, { 'kms:GrantIsForAWSResource': 'false' }),
        },
        noIamPermission: { principal: NO_POLICY, action: 'kms:Decrypt', resource: key, identityPolicies: [], context: viaService('ec2', region) },
        slrGrantNotForResource: { principal: slr, action: 'kms:CreateGrant', resource: key, identityPolicies: [] },
        slrManage: { principal: slr, action: 'kms:PutKeyPolicy', resource: key, identityPolicies: [] },
        otherAccountViaEc2: { principal: STRANGER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: viaService('ec2', region) },
        otherAccountGrant: { principal: STRANGER, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource('ec2', region) },
        otherAccountSlr: { principal: autoScalingRole(OTHER_ACCOUNT), action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
        anonymous: { principal: 'anonymous', action: 'kms:Decrypt', resource: key, context: viaService('ec2', region) },
      })), []);
    }
  }), { numRuns: 10 });
});

// ---------------------------------------------------------------------------------------------
// EncryptedSnapshotCopy

const COPY_TAG = 'cdk-encryption-guard:snapshot-copy';
const copyProps = fc.record({
  kind: fc.constantFrom('rds', 'aurora', 'ebs'),
  byArn: fc.boolean(),
  key: keyChoice,
  targetIdentifier: fc.boolean(),
  copyTags: fc.constantFrom(undefined, true, false),
  description: fc.boolean(),
  removal: fc.constantFrom(undefined, RemovalPolicy.RETAIN, RemovalPolicy.DESTROY),
});

test('generated snapshot copies: deploy, the handler copies (and deletes only what it may), restores through the service; strangers denied', async () => {
  await fc.assert(fc.asyncProperty(fc.array(copyProps, { minLength: 1, maxLength: 3 }), async copies => {
    const app = newApp();
    const stack = new Stack(app, 'Snap', { env: env() });
    const keys = new Stack(app, 'Keys', { env: env() });
    const rdsArn = (kind: string, name: string) => `arn:aws:rds:${REGION}:${ACCOUNT}:${kind === 'aurora' ? 'cluster-snapshot' : 'snapshot'}:${name}`;
    const ebsArn = (id: string) => `arn:aws:ec2:${REGION}::snapshot/${id}`;
    const made = copies.map((c, i) => {
      const name = `source-${i}`;
      const ebsId = `snap-0123456789abcdef${i}`;
      const source = c.kind === 'ebs' ? SnapshotSource.ebsSnapshot(ebsId)
        : c.kind === 'aurora' ? SnapshotSource.auroraClusterSnapshot(c.byArn ? rdsArn(c.kind, name) : name)
          : SnapshotSource.rdsDbSnapshot(c.byArn ? rdsArn(c.kind, name) : name);
      const copy = new EncryptedSnapshotCopy(stack, `Copy${i}`, {
        source,
        encryptionKey: givenKey(c.key, stack, keys, `UserKey${i}`),
        targetIdentifier: c.kind !== 'ebs' && c.targetIdentifier ? `copy-${i}-encrypted` : undefined,
        copyTags: c.kind !== 'ebs' ? c.copyTags : undefined,
        description: c.kind === 'ebs' && c.description ? `copy ${i}` : undefined,
        removalPolicy: c.removal,
      });
      return { copy, sourceArn: c.kind === 'ebs' ? ebsArn(ebsId) : rdsArn(c.kind, name) };
    });

    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    const handler = resolved.resource('AWS::IAM::Role', 'CegEncryptedSnapshotCopyProviderHandlerRole', 'Snap').arn;
    const restorer = `arn:aws:iam::${ACCOUNT}:role/Restorer`;
    for (const [i, { copy, sourceArn }] of made.entries()) {
      const c = copies[i];
      const label = { copy: i, ...c };
      const key = arnOfConstruct(resolved, copy.encryptionKey);
      const { properties, template } = resourceOfConstruct(resolved, copy.resource);
      const destroy = c.removal === RemovalPolicy.DESTROY;
      expectDecisions(label, template.DeletionPolicy, destroy ? 'Delete' : 'Retain');
      await keyDeployable(authorizer, key, label);
      const service = c.kind === 'ebs' ? 'ec2' : 'rds';
      const otherService = c.kind === 'ebs' ? 'rds' : 'ec2';

      if (c.kind === 'ebs') {
        const newCopy = ebsArn('snap-0fedcba9876543210');
        const tagged = { [`aws:RequestTag/${COPY_TAG}`]: properties.TagValue, 'aws:TagKeys': [COPY_TAG] };
        expectDecisions(label, await authorizer.decideAll({
          copySource: { principal: handler, action: 'ec2:CopySnapshot', resource: sourceArn },
          copyTagged: { principal: handler, action: 'ec2:CopySnapshot', resource: newCopy, context: tagged },
          tagWhileCopying: { principal: handler, action: 'ec2:CreateTags', resource: newCopy, context: { ...tagged, 'ec2:CreateAction': 'CopySnapshot' } },
          describe: { principal: handler, action: 'ec2:DescribeSnapshots', resource: '*' },
          deleteOwn: { principal: handler, action: 'ec2:DeleteSnapshot', resource: newCopy, context: { [`ec2:ResourceTag/${COPY_TAG}`]: properties.TagValue } },
          createGrant: { principal: handler, action: 'kms:CreateGrant', resource: key, context: grantForResource('ec2', REGION) },
          generate: { principal: handler, action: 'kms:GenerateDataKeyWithoutPlaintext', resource: key, context: viaService('ec2', REGION) },
          describeKey: { principal: handler, action: 'kms:DescribeKey', resource: key, context: viaService('ec2', REGION) },
          copyUntagged: { principal: handler, action: 'ec2:CopySnapshot', resource: newCopy },
          deleteOthers: { principal: handler, action: 'ec2:DeleteSnapshot', resource: newCopy, context: { [`ec2:ResourceTag/${COPY_TAG}`]: 'someone-else' } },
          directDecrypt: { principal: handler, action: 'kms:Decrypt', resource: key },
        }), {
          copySource: 'Allowed',
          copyTagged: 'Allowed',
          tagWhileCopying: 'Allowed',
          describe: 'Allowed',
          deleteOwn: destroy ? 'Allowed' : 'ImplicitlyDenied',
          createGrant: 'Allowed',
          generate: 'Allowed',
          describeKey: 'Allowed',
          copyUntagged: 'ImplicitlyDenied',
          deleteOthers: 'ImplicitlyDenied',
          directDecrypt: 'ImplicitlyDenied',
        });
      } else {
        const cluster = c.kind === 'aurora';
        const target = rdsArn(c.kind, properties.TargetIdentifier);
        if (c.targetIdentifier) {
          expectDecisions(label, properties.TargetIdentifier, `copy-${i}-encrypted`);
        }
        expectDecisions(label, await authorizer.decideAll({
          copySource: { principal: handler, action: cluster ? 'rds:CopyDBClusterSnapshot' : 'rds:CopyDBSnapshot', resource: sourceArn },
          copyTarget: { principal: handler, action: cluster ? 'rds:CopyDBClusterSnapshot' : 'rds:CopyDBSnapshot', resource: target },
          describe: { principal: handler, action: cluster ? 'rds:DescribeDBClusterSnapshots' : 'rds:DescribeDBSnapshots', resource: target },
          tag: { principal: handler, action: 'rds:AddTagsToResource', resource: target },
          delete: { principal: handler, action: cluster ? 'rds:DeleteDBClusterSnapshot' : 'rds:DeleteDBSnapshot', resource: target },
          createGrant: { principal: handler, action: 'kms:CreateGrant', resource: key, context: grantForResource('rds', REGION) },
          describeKey: { principal: handler, action: 'kms:DescribeKey', resource: key, context: viaService('rds', REGION) },
          deleteOther: { principal: handler, action: cluster ? 'rds:DeleteDBClusterSnapshot' : 'rds:DeleteDBSnapshot', resource: rdsArn(c.kind, 'production') },
          copyIntoOther: { principal: handler, action: cluster ? 'rds:CopyDBClusterSnapshot' : 'rds:CopyDBSnapshot', resource: rdsArn(c.kind, 'elsewhere') },
          directGrant: { principal: handler, action: 'kms:CreateGrant', resource: key },
          decrypt: { principal: handler, action: 'kms:Decrypt', resource: key, context: viaService('rds', REGION) },
        }), {
          copySource: 'Allowed',
          copyTarget: 'Allowed',
          describe: 'Allowed',
          tag: 'Allowed',
          delete: destroy ? 'Allowed' : 'ImplicitlyDenied',
          createGrant: 'Allowed',
          describeKey: 'Allowed',
          deleteOther: 'ImplicitlyDenied',
          copyIntoOther: 'ImplicitlyDenied',
          directGrant: 'ExplicitlyDenied',
          decrypt: 'ImplicitlyDenied',
        });
      }
      // Restoring from a copy under a key the construct made: any role of the account its IAM policy
      // allows, through the service. A key you pass is opened to the handler role only.
      expectDecisions(label, await authorizer.decide({
        principal: restorer, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource(service, REGION),
      }), c.key === 'made' ? 'Allowed' : 'ImplicitlyDenied');
      expectDecisions(label, allowed(await authorizer.decideAll({
        handlerOtherService: { principal: handler, action: 'kms:CreateGrant', resource: key, context: grantForResource(otherService, REGION) },
        handlerManage: { principal: handler, action: 'kms:PutKeyPolicy', resource: key },
        powerUserDirect: { principal: POWER_USER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL] },
        noIamPermission: { principal: NO_POLICY, action: 'kms:CreateGrant', resource: key, identityPolicies: [], context: grantForResource(service, REGION) },
        otherAccountGrant: { principal: STRANGER, action: 'kms:CreateGrant', resource: key, identityPolicies: [ALLOW_ALL], context: grantForResource(service, REGION) },
        otherAccountDecrypt: { principal: STRANGER, action: 'kms:Decrypt', resource: key, identityPolicies: [ALLOW_ALL], context: viaService(service, REGION) },
        anonymous: { principal: 'anonymous', action: 'kms:Decrypt', resource: key, context: viaService(service, REGION) },
      })), []);
    }
  }), { numRuns: 10 });
});

// ---------------------------------------------------------------------------------------------
// AcmFrontedAlb

/** The Elastic Load Balancing account of eu-west-1 (ELB User Guide, "Regions available before August 2022"). */
const ELB_ACCOUNT_EU_WEST_1 = '156460612806';
const ELB_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

const albProps = fc.record({
  internetFacing: fc.constantFrom(undefined, true, false),
  sources: fc.constantFrom('default', 'narrow', 'vpc-peer'),
  redirectHttp: fc.constantFrom(undefined, true, false),
  accessLogs: fc.constantFrom(undefined, true, false),
  sharedBucket: fc.boolean(),
  tls13Only: fc.boolean(),
});

test('generated load balancers: deploy, ELB log delivery for this account only, ingress only from the sources; strangers denied', async () => {
  await fc.assert(fc.asyncProperty(fc.constantFrom('eu-west-1', 'eu-central-2'), fc.array(albProps, { minLength: 1, maxLength: 2 }), async (region, albs) => {
    const app = newApp();
    const stack = new Stack(app, 'Web', { env: env(region) });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
    let shared: AccessLogBucket | undefined;
    const made = albs.map((a, i) => {
      const bucket = a.sharedBucket ? (shared ??= new AccessLogBucket(stack, 'SharedLogs')) : undefined;
      const sources = a.sources === 'narrow' ? [ec2.Peer.ipv4('192.0.2.0/24'), ec2.Peer.prefixList('pl-0123456789abcdef0')]
        : a.sources === 'vpc-peer' ? [ec2.Peer.ipv4('10.20.0.0/16')] : undefined;
      const web = new AcmFrontedAlb(stack, `Web${i}`, {
        vpc,
        hostedZone,
        domainName: `app${i}.example.com`,
        internetFacing: a.internetFacing,
        allowedSources: sources,
        redirectHttp: a.redirectHttp,
        accessLogs: a.accessLogs,
        accessLogsBucket: bucket,
        tls13Only: a.tls13Only,
      });
      web.httpsListener.addAction('Default', { action: elbv2.ListenerAction.fixedResponse(404) });
      return web;
    });

    const resolved = ResolvedApp.of(app);
    const authorizer = new Authorizer(resolved);
    const deployer = deployRole(region);
    for (const [i, web] of made.entries()) {
      const a = albs[i];
      const label = { region, alb: i, ...a };
      const lb = arnOfConstruct(resolved, web.loadBalancer);
      const lbActions = ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:AddTags',
        'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:DeleteLoadBalancer'];
      expectDecisions(label, notAllowed(await authorizer.decideAll(Object.fromEntries(lbActions.map(action => [action, {
        principal: deployer, action, resource: lb, identityPolicies: [ALLOW_ALL],
      }])))), []);

      // Ingress: 443, and 80 when redirecting, from exactly the allowed sources.
      const securityGroup = web.loadBalancer.connections.securityGroups[0];
      const groupId = resolved.resolve(resolved.stack('Web'), Stack.of(securityGroup).resolve(securityGroup.securityGroupId));
      const ingress: any[] = [
        ...resourceOfConstruct(resolved, securityGroup).properties.SecurityGroupIngress ?? [],
        ...resolved.resources('AWS::EC2::SecurityGroupIngress', 'Web').map(r => r.properties).filter(r => r.GroupId === groupId),
      ];
      const vpcCidr = resolved.resolve(resolved.stack('Web'), stack.resolve(vpc.vpcCidrBlock));
      const expectedSources = a.sources === 'narrow' ? ['192.0.2.0/24', 'pl-0123456789abcdef0'] : a.sources === 'vpc-peer' ? ['10.20.0.0/16']
        : [a.internetFacing === false ? vpcCidr : '0.0.0.0/0'];
      const ports = a.redirectHttp === false ? [443] : [443, 80];
      const actualIngress = ingress.map(r => `${r.CidrIp ?? r.SourcePrefixListId ?? r.SourceSecurityGroupId}:${r.FromPort}-${r.ToPort}`).sort();
      const expectedIngress = expectedSources.flatMap(s => ports.map(p => `${s}:${p}-${p}`)).sort();
      expectDecisions(label, actualIngress, expectedIngress);

      if (a.accessLogs === false) {
        expectDecisions(label, web.accessLogsBucket, undefined);
        continue;
      }
      const bucket = arnOfConstruct(resolved, web.accessLogsBucket!);
      const bucketActions = ['s3:CreateBucket', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutEncryptionConfiguration',
        's3:PutBucketVersioning', 's3:PutBucketPublicAccessBlock', 's3:PutBucketOwnershipControls', 's3:DeleteBucket'];
      expectDecisions(label, notAllowed(await authorizer.decideAll(Object.fromEntries(bucketActions.map(action => [action, {
        principal: deployer, action, resource: bucket, identityPolicies: [ALLOW_ALL], context: { 's3:TlsVersion': '1.2' },
      }])))), []);

      const object = (account: string, file: string) => `${bucket}/Web${i}/AWSLogs/${account}/${file}`;
      const testFile = 'ELBAccessLogTestFile';
      const logFile = `elasticloadbalancing/${region}/2026/01/01/${ACCOUNT}_elasticloadbalancing_${region}_app.x.log.gz`;
      const legacy = `arn:aws:iam::${ELB_ACCOUNT_EU_WEST_1}:root`;
      const mine = { 'aws:SourceAccount': ACCOUNT };
      expectDecisions(label, notAllowed(await authorizer.decideAll({
        serviceTestObject: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object(ACCOUNT, testFile), context: mine },
        serviceLog: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object(ACCOUNT, logFile), context: mine },
        serviceWithoutSourceAccount: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object(ACCOUNT, testFile) },
        ...(region === 'eu-west-1' ? {
          legacyTestObject: { principal: legacy, action: 's3:PutObject', resource: object(ACCOUNT, testFile), identityPolicies: [ALLOW_ALL] },
          legacyLog: { principal: legacy, action: 's3:PutObject', resource: object(ACCOUNT, logFile), identityPolicies: [ALLOW_ALL] },
        } : {}),
      })), []);
      const theirs = { 'aws:SourceAccount': OTHER_ACCOUNT };
      expectDecisions(label, allowed(await authorizer.decideAll({
        serviceOtherAccount: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object(OTHER_ACCOUNT, testFile), context: theirs },
        legacyOtherAccount: { principal: legacy, action: 's3:PutObject', resource: object(OTHER_ACCOUNT, testFile), identityPolicies: [ALLOW_ALL] },
        serviceRead: { principal: ELB_SERVICE, action: 's3:GetObject', resource: object(ACCOUNT, testFile) },
        legacyOutsidePath: { principal: legacy, action: 's3:PutObject', resource: `${bucket}/other/x`, identityPolicies: [ALLOW_ALL] },
        otherAccountRole: { principal: STRANGER, action: 's3:PutObject', resource: object(ACCOUNT, testFile), identityPolicies: [ALLOW_ALL] },
        otherAccountRead: { principal: STRANGER, action: 's3:GetObject', resource: object(ACCOUNT, testFile), identityPolicies: [ALLOW_ALL] },
        anonymous: { principal: 'anonymous', action: 's3:PutObject', resource: object(ACCOUNT, testFile) },
        anonymousRead: { principal: 'anonymous', action: 's3:GetObject', resource: object(ACCOUNT, testFile) },
        plainHttp: { principal: ELB_SERVICE, action: 's3:PutObject', resource: object(ACCOUNT, testFile), context: { 'aws:SecureTransport': 'false' } },
      })), []);
    }
  }), { numRuns: 8 });
});
