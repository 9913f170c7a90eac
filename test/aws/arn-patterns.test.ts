import { ANY_RUN, arnPatternOf, ArnSetPart, coverEvery, matchSome, opaqueValue } from '../../src/aws/arn-patterns';

const NAME = opaqueValue(0);
const objectsOf = (bucket: string): ArnSetPart[] => [`arn:aws:s3:::${bucket}/`, ANY_RUN];

describe('coverEvery: do the patterns match every ARN of the set?', () => {
  test.each([
    ['arn/*', ['arn:aws:s3:::data/*'], true],
    ['arn:aws:s3:::*', ['arn:aws:s3:::*'], true],
    ['*', ['*'], true],
    ['a `/` inside the key', ['arn:aws:s3:::data/*/*'], false],
    ['a key prefix', ['arn:aws:s3:::data/c*'], false],
    ['a key suffix', ['arn:aws:s3:::data/*y'], false],
    ['one character, then anything', ['arn:aws:s3:::data/?*'], true],
    ['two characters at least', ['arn:aws:s3:::data/??*'], false],
    ['the union of a prefix and the rest', ['arn:aws:s3:::data/a*', 'arn:aws:s3:::data/*'], true],
    ['another bucket', ['arn:aws:s3:::other/*'], false],
    ['no pattern', [], false],
  ])('%s', (_label, patterns, expected) => {
    expect(coverEvery(patterns as string[], objectsOf('data'))).toBe(expected);
  });

  test('a name known only at deploy time: `*` takes it in, `?` and literals never match it', () => {
    expect(coverEvery([`arn:aws:s3:::${NAME}/*`], objectsOf(NAME))).toBe(true);
    expect(coverEvery(['arn:aws:s3:::*/*'], objectsOf(NAME))).toBe(true);
    expect(coverEvery(['arn:aws:s3:::*t/*'], objectsOf(NAME))).toBe(false);
    expect(coverEvery(['arn:aws:s3:::?/*'], objectsOf(NAME))).toBe(false);
    expect(coverEvery([`arn:aws:s3:::${opaqueValue(1)}/*`], objectsOf(NAME))).toBe(false);
  });

  test('a literal set', () => {
    expect(coverEvery(['arn:aws:s3:::data'], ['arn:aws:s3:::data'])).toBe(true);
    expect(coverEvery(['arn:aws:s3:::dat?'], ['arn:aws:s3:::data'])).toBe(true);
    expect(coverEvery(['arn:aws:s3:::data'], ['arn:aws:s3:::data2'])).toBe(false);
  });
});

describe('matchSome: does some ARN of the set match a pattern?', () => {
  test('objects of a named bucket', () => {
    expect(matchSome(['arn:aws:s3:::data/private/*'], objectsOf('data'))).toBe(true);
    expect(matchSome(['arn:aws:s3:::other/*'], objectsOf('data'))).toBe(false);
    expect(matchSome(['arn:aws:s3:::data'], objectsOf('data'))).toBe(false);
  });
  test('with a deploy-time name: true when a match does not depend on it, else undefined', () => {
    expect(matchSome([`arn:aws:s3:::${NAME}/*`], objectsOf(NAME))).toBe(true);
    expect(matchSome(['arn:aws:s3:::*/private/*'], objectsOf(NAME))).toBe(true);
    expect(matchSome(['arn:aws:s3:::logs-*/*'], objectsOf(NAME))).toBeUndefined();
  });
  test('actions of a service', () => {
    expect(matchSome(['iam:*'], ['s3:', ANY_RUN])).toBe(false);
    expect(matchSome(['s3:get*'], ['s3:', ANY_RUN])).toBe(true);
    expect(matchSome(['*'], ['s3:', ANY_RUN])).toBe(true);
  });
});

describe('arnPatternOf', () => {
  const refs = (name: string) => ({ 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws' } as { [k: string]: string })[name];
  test('literals, Fn::Join and Fn::Sub of pseudo parameters; anything else is unknown', () => {
    expect(arnPatternOf('arn:aws:s3:::x', refs)).toBe('arn:aws:s3:::x');
    expect(arnPatternOf({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':efs:', { Ref: 'AWS::Region' }]] }, refs)).toBe('arn:aws:efs:eu-west-1');
    expect(arnPatternOf({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${V}' }, refs)).toBeUndefined();
    expect(arnPatternOf({ 'Fn::Sub': ['arn:${AWS::Partition}:x:${V}', { V: 'v' }] }, refs)).toBe('arn:aws:x:v');
    expect(arnPatternOf({ 'Fn::GetAtt': ['R', 'Arn'] }, refs)).toBeUndefined();
  });
});
