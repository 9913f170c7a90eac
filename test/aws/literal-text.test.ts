import { arnSegment, DEPLOY_REGION, literalHead, literalTextOf } from '../../src/aws/literal-text';

describe('literal text of identifiers and ARNs', () => {
  test('a string is whole; pseudo parameters are spelled out; other references end the text', () => {
    expect(literalHead('alias/app')).toEqual({ text: 'alias/app', complete: true });
    expect(literalHead({ Ref: 'AWS::Region' })).toEqual({ text: DEPLOY_REGION, complete: true });
    expect(literalHead({ Ref: 'AWS::Partition' })).toEqual({ text: '*', complete: true });
    expect(literalHead({ Ref: 'AWS::NoValue' })).toBeUndefined();
    expect(literalHead({ Ref: 'Param' })).toBeUndefined();
    expect(literalHead({ 'Fn::GetAtt': ['Key', 'Arn'] })).toBeUndefined();
    expect(literalHead(42)).toBeUndefined();
  });

  test('Fn::Join: the parts up to the first one known only at deploy time, nested joins included', () => {
    const formatted = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':key/abc']] };
    expect(literalTextOf(formatted)).toBe(`arn:*:kms:${DEPLOY_REGION}:*:key/abc`);
    expect(literalHead({ 'Fn::Join': [':', ['arn', 'aws', 'kms', 'us-west-2', { Ref: 'Account' }, 'key/abc']] }))
      .toEqual({ text: 'arn:aws:kms:us-west-2:', complete: false });
    expect(literalHead({ 'Fn::Join': ['', ['arn:aws:kms:', { 'Fn::Join': ['-', ['us', { Ref: 'Side' }]] }, ':1:key/a']] }))
      .toEqual({ text: 'arn:aws:kms:us-', complete: false });
    expect(literalHead({ 'Fn::Join': ['', [{ Ref: 'Param' }, ':x']] })).toBeUndefined();
    expect(literalHead({ 'Fn::Join': ['', 'not a list'] })).toBeUndefined();
  });

  test('Fn::Sub: pseudo parameters spelled out, ${!x} written literally, the first variable ends the text', () => {
    expect(literalTextOf({ 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/s3' }))
      .toBe(`arn:*:kms:${DEPLOY_REGION}:*:alias/aws/s3`);
    expect(literalHead({ 'Fn::Sub': ['arn:aws:rds:us-east-1:${AWS::AccountId}:db:${Id}', { Id: { Ref: 'Db' } }] }))
      .toEqual({ text: 'arn:aws:rds:us-east-1:*:db:', complete: false });
    expect(literalTextOf({ 'Fn::Sub': 'echo ${!Literal}' })).toBe('echo ${Literal}');
    expect(literalHead({ 'Fn::Sub': '${Param}/rest' })).toBeUndefined();
    expect(literalTextOf({ 'Fn::Sub': 'open ${brace' })).toBe('open ${brace');
  });

  test('an ARN segment is known when the literal text spells it out whole', () => {
    expect(arnSegment('arn:aws:acm:eu-west-1:1:certificate/a', 2)).toBe('acm');
    expect(arnSegment({ 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'Account' }, ':server-certificate/a']] }, 2)).toBe('iam');
    expect(arnSegment({ 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'Account' }, ':server-certificate/a']] }, 3)).toBe('');
    // The segment may go on in the part known only at deploy time.
    expect(arnSegment({ 'Fn::Join': ['', ['arn:aws:kms:us-', { Ref: 'Rest' }]] }, 3)).toBeUndefined();
    expect(arnSegment({ 'Fn::Join': ['', ['arn:aws:', { Ref: 'Service' }, ':eu-west-1:1:x']] }, 2)).toBeUndefined();
    expect(arnSegment('arn:aws:kms', 2)).toBe('kms');
    expect(arnSegment('alias/app', 2)).toBeUndefined();
  });
});
