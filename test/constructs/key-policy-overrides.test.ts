import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CmkWithPolicy, EbsEncryptionByDefault, EncryptedBucket, MultiRegionKey, SecureStringParameter } from '../../src';
import { newApp, newStack } from '../support/app';

/**
 * Escape hatches on the key policy of our keys are re-checked at synthesis, on the policy as the
 * template renders it: an override may not open the key to everyone, lock it out or delete the
 * policy, where the props could not.
 */

function cfnKeyOf(key: kms.IKey): kms.CfnKey {
  return key.node.defaultChild as kms.CfnKey;
}

describe('an override that opens the key is refused at synthesis, naming the override and the fix', () => {
  test('CmkWithPolicy: the administrators\' principal replaced by "*"', () => {
    const app = newApp();
    const key = new CmkWithPolicy(newStack(app), 'Key');
    cfnKeyOf(key).addPropertyOverride('KeyPolicy.Statement.0.Principal', { AWS: '*' });
    expect(() => app.synth()).toThrow(/The key policy allows every principal \("\*"\) without a condition that limits who \(statement "KeyAdministration"\).*escape hatch "Properties.KeyPolicy.Statement.0.Principal" on Stack\/Key\/Resource: remove it, and change the key policy through the construct's props, addToResourcePolicy or grant\*/s);
  });

  test('MultiRegionKey: a statement for everyone appended with a condition that does not limit who', () => {
    const app = newApp();
    const stack = newStack(app);
    const key = new MultiRegionKey(stack, 'Key');
    const next = stack.resolve(cfnKeyOf(key).keyPolicy).Statement.length;
    cfnKeyOf(key).addPropertyOverride(`KeyPolicy.Statement.${next}`, {
      Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringLikeIfExists: { 'aws:PrincipalArn': '*' } },
    });
    expect(() => app.synth()).toThrow(new RegExp(`allows every principal .*statement #${next}.*"Properties.KeyPolicy.Statement.${next}.Effect"`, 's'));
  });

  test('the key an EncryptedBucket makes: the whole policy replaced by one that locks the key out', () => {
    const app = newApp();
    const bucket = new EncryptedBucket(newStack(app), 'Data');
    cfnKeyOf(bucket.encryptionKey!).addPropertyOverride('KeyPolicy', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:Decrypt', Resource: '*' }],
    });
    expect(() => app.synth()).toThrow(/lets no principal manage the key \(kms:PutKeyPolicy\): the key would be locked out.*"Properties.KeyPolicy.Version", "Properties.KeyPolicy.Statement.0.Effect"/s);
  });

  test('the key a SecureStringParameter makes: the policy deleted', () => {
    const app = newApp();
    const parameter = new SecureStringParameter(newStack(app), 'Password', { parameterName: '/app/password' });
    cfnKeyOf(parameter.encryptionKey).addPropertyDeletionOverride('KeyPolicy');
    expect(() => app.synth()).toThrow(/The key policy of Stack\/Password\/Key is deleted by an escape hatch: KMS would apply its default key policy/);
  });

  test('the key EbsEncryptionByDefault makes: an override through addOverride (not addPropertyOverride) is seen too', () => {
    const app = newApp();
    const ebs = new EbsEncryptionByDefault(newStack(app), 'Ebs');
    cfnKeyOf(ebs.encryptionKey).addOverride('Properties.KeyPolicy.Statement.0.Principal', '*');
    expect(() => app.synth()).toThrow(/allows every principal.*"Properties.KeyPolicy.Statement.0.Principal"/s);
  });
});

describe('an override that keeps the policy safe is accepted', () => {
  test('renaming a statement, and appending one for everyone limited to the account', () => {
    const app = newApp();
    const stack = newStack(app);
    const key = new CmkWithPolicy(stack, 'Key');
    const next = stack.resolve(cfnKeyOf(key).keyPolicy).Statement.length;
    cfnKeyOf(key).addPropertyOverride('KeyPolicy.Statement.0.Sid', 'Admins');
    cfnKeyOf(key).addPropertyOverride(`KeyPolicy.Statement.${next}`, {
      Effect: 'Allow', Principal: '*', Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
    });
    expect(() => app.synth()).not.toThrow();
    const policy = app.synth().getStackByName('Stack').template.Resources[stack.getLogicalId(cfnKeyOf(key))].Properties.KeyPolicy;
    expect(policy.Statement[0].Sid).toBe('Admins');
  });

  test('overrides of other properties do not change the check', () => {
    const app = newApp();
    const key = new CmkWithPolicy(newStack(app), 'Key');
    cfnKeyOf(key).addPropertyOverride('Description', 'overridden');
    expect(() => app.synth()).not.toThrow();
  });

  test('a plain kms.Key is not ours to check', () => {
    const app = newApp();
    const key = new kms.Key(new Stack(app, 'Plain'), 'Key');
    cfnKeyOf(key).addPropertyOverride('KeyPolicy.Statement.0.Principal', { AWS: '*' });
    expect(() => app.synth()).not.toThrow();
  });
});
