import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CmkWithPolicy, SecureStringParameter, SecureStringValue } from '../../src';
import { newApp } from '../support/app';
import { forParameter as parameterContext } from './support/calls';
import { ResolvedApp } from './support/resolver';
import { ACCOUNT, ALLOW_ALL, Authorizer, deployerDeniedOnKey, deployRole, OTHER_ACCOUNT, roleOf } from './support/simulator';

/**
 * Authorization contracts of `SecureStringParameter`: the deploying role creates and deletes the key
 * and invokes the provider; the provider's handler role writes, reads back and deletes exactly its
 * parameters, encrypting through Parameter Store for that parameter only, and reads the secret it
 * copies; `grantRead` grantees (same stack, another stack) read and decrypt through Parameter Store;
 * everyone else is denied.
 */

const REGION = 'eu-west-1';
const role = (scope: Stack, id: string) => new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

let resolved: ResolvedApp;
let authorizer: Authorizer;
let generated: { arn: string; key: string };
let copied: { arn: string; key: string };
let secretArn: string;
let otherSecretArn: string;
let sealedSecret: { arn: string; key: string };

beforeAll(() => {
  const app = newApp();
  const env = { account: ACCOUNT, region: REGION };
  const data = new Stack(app, 'Data', { env });
  const apps = new Stack(app, 'Apps', { env });
  const secret = new secretsmanager.Secret(data, 'Source');
  new secretsmanager.Secret(data, 'Unrelated');
  // A source secret under a customer managed key: the handler decrypts it through Secrets Manager.
  const sealed = new secretsmanager.Secret(data, 'Sealed', { encryptionKey: new CmkWithPolicy(data, 'SealedKey') });
  new SecureStringParameter(data, 'FromSealed', { parameterName: '/orders/api/sealed', value: SecureStringValue.fromSecret(sealed) });
  const password = new SecureStringParameter(data, 'Password', { parameterName: '/orders/db/password' });
  new SecureStringParameter(data, 'Copied', { parameterName: '/orders/api/token', value: SecureStringValue.fromSecret(secret, { jsonField: 'token' }) });
  password.grantRead(role(data, 'SameStackReader'));
  password.grantRead(role(apps, 'CrossStackReader'));
  role(apps, 'Ungranted');
  resolved = ResolvedApp.of(app);
  authorizer = new Authorizer(resolved);
  const param = (name: string, prefix: string) => ({
    arn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name}`, key: resolved.resource('AWS::KMS::Key', prefix, 'Data').arn,
  });
  generated = param('orders/db/password', 'PasswordKey');
  copied = param('orders/api/token', 'CopiedKey');
  secretArn = resolved.resource('AWS::SecretsManager::Secret', 'Source', 'Data').arn;
  otherSecretArn = resolved.resource('AWS::SecretsManager::Secret', 'Unrelated', 'Data').arn;
  sealedSecret = { arn: resolved.resource('AWS::SecretsManager::Secret', 'Sealed', 'Data').arn, key: resolved.resource('AWS::KMS::Key', 'SealedKey', 'Data').arn };
});

/** Context of a call Parameter Store makes to KMS for one parameter. */
const forParameter = (arn: string) => parameterContext(REGION, arn);

describe('deploy: the CloudFormation execution role', () => {
  test.each(['generated', 'copied'])('may create, update and delete the %s parameter\'s key (lockout check passed)', async which => {
    expect(await deployerDeniedOnKey(authorizer, REGION, which === 'generated' ? generated.key : copied.key)).toEqual([]);
  });

  test('the parameter\'s ARN is the one the handler role and grants name', () => {
    const props = resolved.resources('Custom::SecureStringParameter', 'Data').map(r => r.properties.ParameterName).sort();
    expect(props).toEqual(['/orders/api/sealed', '/orders/api/token', '/orders/db/password']);
  });
});

describe('the custom resource\'s handler role', () => {
  const handler = () => roleOf(resolved, 'CegSecureStringParameterProviderHandlerRole', 'Data');

  test('writes, reads back and deletes its parameters, encrypting through Parameter Store for that parameter', async () => {
    const principal = handler();
    const decisions = await authorizer.decideAll({
      put: { principal, action: 'ssm:PutParameter', resource: generated.arn },
      get: { principal, action: 'ssm:GetParameter', resource: generated.arn },
      delete: { principal, action: 'ssm:DeleteParameter', resource: generated.arn },
      putCopied: { principal, action: 'ssm:PutParameter', resource: copied.arn },
      encrypt: { principal, action: 'kms:Encrypt', resource: generated.key, context: forParameter(generated.arn) },
      generate: { principal, action: 'kms:GenerateDataKey', resource: generated.key, context: forParameter(generated.arn) },
      decrypt: { principal, action: 'kms:Decrypt', resource: generated.key, context: forParameter(generated.arn) },
      encryptCopied: { principal, action: 'kms:Encrypt', resource: copied.key, context: forParameter(copied.arn) },
    });
    expect(Object.entries(decisions).filter(([, d]) => d !== 'Allowed')).toEqual([]);
  });

  test('reads the secret it copies, and nothing else', async () => {
    const principal = handler();
    expect(await authorizer.decideAll({
      source: { principal, action: 'secretsmanager:GetSecretValue', resource: secretArn },
      unrelated: { principal, action: 'secretsmanager:GetSecretValue', resource: otherSecretArn },
    })).toEqual({ source: 'Allowed', unrelated: 'ImplicitlyDenied' });
  });

  test('decrypts a source secret\'s customer managed key through Secrets Manager only', async () => {
    const principal = handler();
    const viaSecretsManager = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` };
    expect(await authorizer.decideAll({
      source: { principal, action: 'secretsmanager:GetSecretValue', resource: sealedSecret.arn },
      decrypt: { principal, action: 'kms:Decrypt', resource: sealedSecret.key, context: viaSecretsManager },
      direct: { principal, action: 'kms:Decrypt', resource: sealedSecret.key },
      encrypt: { principal, action: 'kms:Encrypt', resource: sealedSecret.key, context: viaSecretsManager },
    })).toEqual({ source: 'Allowed', decrypt: 'Allowed', direct: 'ImplicitlyDenied', encrypt: 'ImplicitlyDenied' });
  });

  test('may not touch other parameters, use the key directly, or for another parameter', async () => {
    const principal = handler();
    const other = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/orders/other`;
    expect(await authorizer.decideAll({
      putOther: { principal, action: 'ssm:PutParameter', resource: other },
      deleteOther: { principal, action: 'ssm:DeleteParameter', resource: other },
      direct: { principal, action: 'kms:Decrypt', resource: generated.key },
      otherParameter: { principal, action: 'kms:Encrypt', resource: generated.key, context: forParameter(other) },
      crossed: { principal, action: 'kms:Encrypt', resource: generated.key, context: forParameter(copied.arn) },
      manage: { principal, action: 'kms:PutKeyPolicy', resource: generated.key },
    })).toEqual({
      putOther: 'ImplicitlyDenied',
      deleteOther: 'ImplicitlyDenied',
      direct: 'ImplicitlyDenied',
      otherParameter: 'ImplicitlyDenied',
      crossed: 'ImplicitlyDenied',
      manage: 'ImplicitlyDenied',
    });
  });
});

describe('grants: grantRead gives GetParameter and Decrypt through Parameter Store, nothing more', () => {
  test.each([['same stack', 'Data', 'SameStackReader'], ['another stack', 'Apps', 'CrossStackReader']])('grantee of %s', async (_label, stack, id) => {
    const principal = roleOf(resolved, id, stack);
    expect(await authorizer.decideAll({
      get: { principal, action: 'ssm:GetParameter', resource: generated.arn },
      getMany: { principal, action: 'ssm:GetParameters', resource: generated.arn },
      decrypt: { principal, action: 'kms:Decrypt', resource: generated.key, context: forParameter(generated.arn) },
      directDecrypt: { principal, action: 'kms:Decrypt', resource: generated.key },
      otherParameterDecrypt: { principal, action: 'kms:Decrypt', resource: generated.key, context: forParameter(copied.arn) },
      put: { principal, action: 'ssm:PutParameter', resource: generated.arn },
      encrypt: { principal, action: 'kms:Encrypt', resource: generated.key, context: forParameter(generated.arn) },
      otherParameter: { principal, action: 'ssm:GetParameter', resource: copied.arn },
    })).toEqual({
      get: 'Allowed',
      getMany: 'Allowed',
      decrypt: 'Allowed',
      directDecrypt: 'ImplicitlyDenied',
      otherParameterDecrypt: 'ImplicitlyDenied',
      put: 'ImplicitlyDenied',
      encrypt: 'ImplicitlyDenied',
      otherParameter: 'ImplicitlyDenied',
    });
  });

  test('an ungranted role, a role of another account (Allow *:*) and an anonymous caller are denied', async () => {
    const stranger = `arn:aws:iam::${OTHER_ACCOUNT}:role/R`;
    expect(await authorizer.decideAll({
      ungrantedGet: { principal: roleOf(resolved, 'Ungranted', 'Apps'), action: 'ssm:GetParameter', resource: generated.arn },
      ungrantedDecrypt: { principal: roleOf(resolved, 'Ungranted', 'Apps'), action: 'kms:Decrypt', resource: generated.key, context: forParameter(generated.arn) },
      otherAccountGet: { principal: stranger, action: 'ssm:GetParameter', resource: generated.arn, identityPolicies: [ALLOW_ALL] },
      otherAccountDecrypt: { principal: stranger, action: 'kms:Decrypt', resource: generated.key, identityPolicies: [ALLOW_ALL], context: forParameter(generated.arn) },
      anonymousGet: { principal: 'anonymous', action: 'ssm:GetParameter', resource: generated.arn },
      anonymousDecrypt: { principal: 'anonymous', action: 'kms:Decrypt', resource: generated.key, context: forParameter(generated.arn) },
    })).toEqual({
      ungrantedGet: 'ImplicitlyDenied',
      ungrantedDecrypt: 'ImplicitlyDenied',
      otherAccountGet: 'ImplicitlyDenied',
      otherAccountDecrypt: 'ImplicitlyDenied',
      anonymousGet: 'ImplicitlyDenied',
      anonymousDecrypt: 'ImplicitlyDenied',
    });
  });

  test('the deploying role (Allow *:*) may not decrypt directly: use goes through Parameter Store only', async () => {
    expect(await authorizer.decide({ principal: deployRole(REGION), action: 'kms:Decrypt', resource: generated.key, identityPolicies: [ALLOW_ALL] }))
      .toBe('ImplicitlyDenied');
  });
});

describe('a key passed as an alias (of a key of another stack)', () => {
  // An alias ARN authorizes nothing in IAM: the grants name the key behind it.
  let aliased: { arn: string; key: string; resolved: ResolvedApp; authorizer: Authorizer };
  beforeAll(() => {
    const app = newApp();
    const env = { account: ACCOUNT, region: REGION };
    const keys = new Stack(app, 'Keys', { env });
    const data = new Stack(app, 'Data', { env });
    const apps = new Stack(app, 'Apps', { env });
    const alias = new CmkWithPolicy(keys, 'Key').addAlias('alias/params');
    new SecureStringParameter(data, 'Token', { parameterName: '/app/token', encryptionKey: alias }).grantRead(role(apps, 'Reader'));
    const all = ResolvedApp.of(app);
    aliased = {
      arn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/app/token`, key: all.resource('AWS::KMS::Key', 'Key', 'Keys').arn, resolved: all, authorizer: new Authorizer(all),
    };
  });

  test('the handler writes (Encrypt, GenerateDataKey through Parameter Store) and the reader decrypts', async () => {
    const context = forParameter(aliased.arn);
    const handler = roleOf(aliased.resolved, 'CegSecureStringParameterProviderHandlerRole', 'Data');
    const reader = aliased.resolved.resource('AWS::IAM::Role', 'Reader', 'Apps').arn;
    expect(await aliased.authorizer.decideAll({
      encrypt: { principal: handler, action: 'kms:Encrypt', resource: aliased.key, context },
      generate: { principal: handler, action: 'kms:GenerateDataKey', resource: aliased.key, context },
      read: { principal: reader, action: 'kms:Decrypt', resource: aliased.key, context },
      readElsewhere: { principal: reader, action: 'kms:Decrypt', resource: aliased.key, context: forParameter(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/other`) },
    })).toEqual({ encrypt: 'Allowed', generate: 'Allowed', read: 'Allowed', readElsewhere: 'ImplicitlyDenied' });
  });
});

describe('a key imported by its alias name', () => {
  test('the handler and readers are allowed on the keys that carry the alias (kms:ResourceAliases), not on the alias ARN, which authorizes nothing', () => {
    const app = newApp();
    const stack = new Stack(app, 'Data', { env: { account: ACCOUNT, region: REGION } });
    new SecureStringParameter(stack, 'Token', { parameterName: '/app/token', encryptionKey: kms.Alias.fromAliasName(stack, 'Team', 'alias/team-params') })
      .grantRead(role(stack, 'Reader'));
    const statements = ResolvedApp.of(app).resources('AWS::IAM::Policy', 'Data').flatMap(p => p.properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(statements.length).toBeGreaterThanOrEqual(3);
    // Besides the handler's read under the key the value was written with before a change of key
    // (Decrypt alone, any key, this parameter through Parameter Store), every statement names the alias's keys.
    const readBeforeChange = statements.filter((st: any) => st.Condition['ForAnyValue:StringEquals'] === undefined);
    expect(readBeforeChange.map((st: any) => st.Action)).toEqual(['kms:Decrypt']);
    for (const statement of statements) {
      expect(statement.Resource).toBe(`arn:aws:kms:${REGION}:${ACCOUNT}:key/*`);
      expect(statement.Condition.StringEquals['kms:EncryptionContext:PARAMETER_ARN']).toBe(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/app/token`);
      expect(statement.Condition.StringEquals['kms:ViaService']).toBe(`ssm.${REGION}.amazonaws.com`);
      if (!readBeforeChange.includes(statement)) {
        expect(statement.Condition['ForAnyValue:StringEquals']).toEqual({ 'kms:ResourceAliases': 'alias/team-params' });
      }
    }
  });
});

describe('a change of key (pass 41: the value is kept, read under the key it was written with)', () => {
  /** The stack before (the construct's own key) and after (a key passed in), side by side. */
  function beforeAndAfter(): { simulator: Authorizer; handler: string; oldKey: string; newKey: string; arn: string } {
    const templates = ['Before', 'After'].map(version => {
      const app = newApp();
      const stack = new Stack(app, 'Data', { env: { account: ACCOUNT, region: REGION } });
      const key = version === 'After' ? new CmkWithPolicy(stack, 'Shared') : undefined;
      new SecureStringParameter(stack, 'Password', { parameterName: '/orders/db/password', encryptionKey: key });
      new SecureStringParameter(stack, 'Other', { parameterName: '/orders/other', encryptionKey: key });
      return { stackName: `Data${version}`, account: ACCOUNT, region: REGION, template: app.synth().getStackByName('Data').template };
    });
    const both = new ResolvedApp(templates);
    return {
      simulator: new Authorizer(both),
      handler: roleOf(both, 'CegSecureStringParameterProviderHandlerRole', 'DataAfter'),
      oldKey: both.resource('AWS::KMS::Key', 'PasswordKey', 'DataBefore').arn,
      newKey: both.resource('AWS::KMS::Key', 'Shared', 'DataAfter').arn,
      arn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/orders/db/password`,
    };
  }

  test('the handler (its policy after the change) decrypts the value under the old, retained key through Parameter Store, and writes under the new one', async () => {
    const { simulator, handler, oldKey, newKey, arn } = beforeAndAfter();
    expect(await simulator.decideAll({
      readOld: { principal: handler, action: 'kms:Decrypt', resource: oldKey, context: forParameter(arn) },
      writeNew: { principal: handler, action: 'kms:GenerateDataKey', resource: newKey, context: forParameter(arn) },
    })).toEqual({ readOld: 'Allowed', writeNew: 'Allowed' });
  });

  test('only that parameter\'s value, only through Parameter Store, and not encrypting under the old key', async () => {
    const { simulator, handler, oldKey, arn } = beforeAndAfter();
    const otherParameter = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/orders/unrelated`;
    expect(await simulator.decideAll({
      otherValue: { principal: handler, action: 'kms:Decrypt', resource: oldKey, context: forParameter(otherParameter) },
      direct: { principal: handler, action: 'kms:Decrypt', resource: oldKey, context: { 'kms:EncryptionContext:PARAMETER_ARN': arn } },
      encryptOld: { principal: handler, action: 'kms:Encrypt', resource: oldKey, context: forParameter(arn) },
    })).toEqual({ otherValue: 'ImplicitlyDenied', direct: 'ImplicitlyDenied', encryptOld: 'ImplicitlyDenied' });
  });
});
