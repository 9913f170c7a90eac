/**
 * IAM condition logic by its real operators, over sets of requests (src/aws/iam-conditions.ts),
 * and the policy questions the rules and constructs ask (src/aws/iam-policy.ts).
 */
import { conditionsHold, fixedContext } from '../../src/aws/iam-conditions';
import { admitsStrangers, deniesEveryRequest, unrestrictedCreateGrantStatements } from '../../src/aws/iam-policy';
import { hasAdministrator } from '../../src/aws/key-administrators';

const NO_TLS = fixedContext({ 'aws:SecureTransport': 'false' });

describe('conditions over sets of requests', () => {
  test.each([
    ['Bool false', { Bool: { 'aws:SecureTransport': 'false' } }, true],
    ['BoolIfExists false (stricter, also absent)', { BoolIfExists: { 'aws:SecureTransport': 'false' } }, true],
    ['Bool true', { Bool: { 'aws:SecureTransport': 'true' } }, false],
    ['narrowed by an extra ANDed key', { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalAccount': '111111111111' } }, false],
    ['narrowed by IfExists on another key (holds when absent, not for every value)', { Bool: { 'aws:SecureTransport': 'false' }, StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } }, false],
    ['StringLike "*" on another key fails when the key is absent', { Bool: { 'aws:SecureTransport': 'false' }, StringLike: { 'aws:UserAgent': '*' } }, false],
    ['StringLikeIfExists "*" holds for every request', { Bool: { 'aws:SecureTransport': 'false' }, StringLikeIfExists: { 'aws:UserAgent': '*' } }, true],
    ['a non-literal value is unknown', { Bool: { 'aws:SecureTransport': { Ref: 'P' } } }, undefined],
  ])('Deny when %s: holds for every request without TLS = %s', (_name, block, expected) => {
    expect(conditionsHold(block, NO_TLS, 'every')).toBe(expected);
  });

  const STRANGER = fixedContext({ 'aws:PrincipalAccount': '999999999999' });
  test.each([
    ['no condition', undefined, true],
    ['StringEquals own account', { StringEquals: { 'aws:PrincipalAccount': '111111111111' } }, false],
    ['StringEqualsIfExists own account', { StringEqualsIfExists: { 'aws:PrincipalAccount': '111111111111' } }, false],
    ['StringNotEquals another account', { StringNotEquals: { 'aws:PrincipalAccount': '222222222222' } }, true],
    ['Null aws:PrincipalAccount false', { Null: { 'aws:PrincipalAccount': 'false' } }, true],
    ['StringLike "*"', { StringLike: { 'aws:PrincipalAccount': '*' } }, true],
    ['kms:ViaService alone (a free key)', { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, true],
    ['a key that contradicts itself', { StringEquals: { 'aws:UserAgent': 'a' }, StringNotEquals: { 'aws:UserAgent': 'a' } }, false],
    ['NumericLessThan on a free key', { NumericLessThan: { 's3:TlsVersion': '1.2' } }, true],
  ])('Allow when %s: some stranger meets it = %s', (_name, block, expected) => {
    expect(conditionsHold(block, STRANGER, 'some')).toBe(expected);
  });
});

describe('policy questions', () => {
  test('a TLS deny for every principal and S3 action (the caller judges its resources), and what falls short of one', () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(deniesEveryRequest(deny, 's3', NO_TLS)).toBe(true);
    expect(deniesEveryRequest({ ...deny, Action: 's3:GetObject' }, 's3', NO_TLS)).toBe(false);
    expect(deniesEveryRequest({ ...deny, Principal: { AWS: 'arn:aws:iam::111111111111:root' } }, 's3', NO_TLS)).toBe(false);
    expect(deniesEveryRequest({ ...deny, Effect: 'Allow' }, 's3', NO_TLS)).toBe(false);
    expect(deniesEveryRequest({ ...deny, Condition: { ...deny.Condition, StringEquals: { 'aws:PrincipalAccount': '1' } } }, 's3', NO_TLS)).toBe(false);
    // Every action but IAM's covers S3; every action but s3:Get* does not.
    const { Action: _action, ...withoutAction } = deny;
    expect(deniesEveryRequest({ ...withoutAction, NotAction: 'iam:*' }, 's3', NO_TLS)).toBe(true);
    expect(deniesEveryRequest({ ...withoutAction, NotAction: ['iam:*', 's3:get*'] }, 's3', NO_TLS)).toBe(false);
    expect(deniesEveryRequest({ ...deny, Action: ['s3:Get*', 's3:*'] }, 's3', NO_TLS)).toBe(true);
    expect(deniesEveryRequest({ ...deny, Action: ['s3:Get*', 's3:Put*'] }, 's3', NO_TLS)).toBe(false);
  });

  test('strangers: kms:ViaService alone admits them, aws:PrincipalOrgID keeps them out', () => {
    const open = { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
    expect(admitsStrangers(open)).toBe(true);
    expect(admitsStrangers({ ...open, Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } })).toBe(true);
    expect(admitsStrangers({ ...open, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-mine' } } })).toBe(false);
    expect(admitsStrangers({ ...open, Condition: { StringEquals: { 'kms:CallerAccount': '111111111111' } } })).toBe(false);
    expect(admitsStrangers({ ...open, Principal: { AWS: 'arn:aws:iam::111111111111:root' } })).toBe(false);
  });

  test('an explicit Deny of kms:PutKeyPolicy for everyone leaves no administrator; a conditional one does', () => {
    const admin = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' };
    const deny = { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' };
    expect(hasAdministrator([admin])).toBe(true);
    expect(hasAdministrator([admin, deny])).toBe(false);
    expect(hasAdministrator([admin, { ...deny, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }])).toBe(true);
    expect(hasAdministrator([{ ...admin, Action: 'kms:Decrypt' }])).toBe(false);
  });

  test('CreateGrant: limited to AWS resources, or through a service, or taken away by a Deny', () => {
    const grant = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/app' }, Action: 'kms:CreateGrant', Resource: '*' };
    expect(unrestrictedCreateGrantStatements([grant])).toHaveLength(1);
    expect(unrestrictedCreateGrantStatements([{ ...grant, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }])).toHaveLength(0);
    expect(unrestrictedCreateGrantStatements([{ ...grant, Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'true' } } }])).toHaveLength(1);
    expect(unrestrictedCreateGrantStatements([{ ...grant, Condition: { StringEquals: { 'kms:ViaService': 'rds.eu-west-1.amazonaws.com' } } }])).toHaveLength(0);
    const deny = { Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } } };
    // GrantIsForAWSResource is false *or absent* on direct calls: a Deny keyed on "false" alone misses the absent case.
    expect(unrestrictedCreateGrantStatements([grant, deny])).toHaveLength(1);
    expect(unrestrictedCreateGrantStatements([grant, { ...deny, Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } } }])).toHaveLength(0);
  });
});
