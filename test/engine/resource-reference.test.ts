/**
 * The reference table resolves values the way CDK's resolver does (with references to app
 * resources marked). Values whose only tokens are single references, in plain objects and lists,
 * take a shorter road than CDK's resolver: for every shape, both roads must give the same value.
 */
import { Fn, Lazy, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ReferenceTable } from '../../src/engine/resource-reference';
import { newApp, newStack } from '../support/app';

function setup(): { stack: Stack; bucket: s3.CfnBucket; key: kms.CfnKey; table: ReferenceTable } {
  const stack = newStack(newApp(), 'Stack');
  return { stack, bucket: new s3.CfnBucket(stack, 'Bucket'), key: new kms.CfnKey(stack, 'Key'), table: new ReferenceTable() };
}

/** The value as CDK's resolver gives it: next to a Lazy, the whole list goes to CDK's resolver. */
function throughCdk(table: ReferenceTable, stack: Stack, value: unknown, keepUndefined: boolean): unknown {
  const resolved = table.resolve(stack, [value, Lazy.any({ produce: () => 'beside' })], keepUndefined) as unknown[];
  expect(resolved[resolved.length - 1]).toBe('beside');
  return resolved.length === 1 ? undefined : resolved[0];
}

describe('resolving references without CDK\'s resolver', () => {
  afterEach(() => jest.restoreAllMocks());

  const lightShapes: Array<[string, (s: ReturnType<typeof setup>) => unknown]> = [
    ['one reference', s => s.bucket.ref],
    ['an attribute', s => s.key.attrArn],
    ['references in an object', s => ({ launchTemplateId: s.bucket.ref, version: s.key.attrKeyId, name: 'literal' })],
    ['undefined values and elements', s => ({ a: s.bucket.ref, b: undefined, c: [s.key.attrArn, undefined, 1, true, null], d: { e: undefined } })],
    ['nested lists of objects', s => [[{ id: s.bucket.ref }], [], { list: [s.key.ref, 'x'] }]],
    ['a null-prototype object', s => Object.assign(Object.create(null), { id: s.bucket.ref })],
  ];

  test.each(lightShapes)('%s: the same value as CDK\'s resolver, without it', (_name, build) => {
    for (const keepUndefined of [false, true]) {
      const s = setup();
      const value = build(s);
      const expected = throughCdk(s.table, s.stack, value, keepUndefined);
      const cdk = jest.spyOn(Tokenization, 'resolve');
      expect(s.table.resolve(s.stack, value, keepUndefined)).toEqual(expected);
      expect(cdk).not.toHaveBeenCalled();
      cdk.mockRestore();
    }
  });

  const cdkShapes: Array<[string, (s: ReturnType<typeof setup>) => unknown]> = [
    ['a reference inside a longer string', s => ({ Resource: `${s.bucket.attrArn}/*` })],
    ['a list token', () => ({ zones: Fn.getAzs() })],
    ['a number token', s => ({ size: Token.asNumber(s.bucket.ref) })],
    ['a number token turned into a string', s => ({ text: String(Token.asNumber(s.bucket.ref)) })],
    ['a token as a key', s => ({ [Lazy.string({ produce: () => 'key' })]: s.bucket.ref })],
    ['a Lazy inside an object', s => ({ id: s.bucket.ref, later: Lazy.string({ produce: () => 'produced' }) })],
    ['an intrinsic token', s => ({ joined: Fn.join('-', [s.bucket.ref, 'x']) })],
  ];

  test.each(cdkShapes)('%s: left to CDK\'s resolver, same value', (_name, build) => {
    const s = setup();
    const value = build(s);
    const expected = throughCdk(s.table, s.stack, value, false);
    const cdk = jest.spyOn(Tokenization, 'resolve');
    expect(s.table.resolve(s.stack, value)).toEqual(expected);
    expect(cdk).toHaveBeenCalled();
  });

  test('a number token turned into a string is resolved, not read as the literal "-1.88...e+289"', () => {
    const s = setup();
    const inObject = s.table.resolve(s.stack, { text: String(Token.asNumber(s.bucket.ref)) });
    expect(JSON.stringify(inObject)).not.toMatch(/e\+289/);
    expect(s.table.unmark(s.table.resolve(s.stack, String(Token.asNumber(s.bucket.ref))) as never)).toMatchObject({ target: s.bucket });
  });

  test('references resolve to the same marker on both roads', () => {
    const s = setup();
    const light = s.table.resolve(s.stack, { id: s.bucket.ref }) as { id: object };
    expect(s.table.unmark(light.id as never)).toMatchObject({ target: s.bucket, attribute: 'Ref' });
    expect(throughCdk(s.table, s.stack, { id: s.bucket.ref }, false)).toEqual(light);
  });
});
