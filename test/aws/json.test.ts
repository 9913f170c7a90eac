/** The JSON helpers every reader of templates and policies goes through. */
import { fieldOf, intrinsicName } from '../../src/aws/json';

test('an intrinsic is an object with one own key, Ref, Condition or Fn::', () => {
  expect(intrinsicName({ Ref: 'X' })).toBe('Ref');
  expect(intrinsicName({ 'Fn::If': ['C', 1, 2] })).toBe('Fn::If');
  expect(intrinsicName({ Condition: 'C' })).toBe('Condition');
  const bare = Object.create(null);
  bare['Fn::GetAtt'] = ['A', 'Arn'];
  expect(intrinsicName(bare)).toBe('Fn::GetAtt');
  expect(intrinsicName({ Ref: 'X', Other: 1 })).toBeUndefined();
  expect(intrinsicName({})).toBeUndefined();
  expect(intrinsicName({ Key: 'v' })).toBeUndefined();
  expect(intrinsicName([{ Ref: 'X' }])).toBeUndefined();
  expect(intrinsicName('Ref')).toBeUndefined();
  // Not plain data: never an intrinsic.
  expect(intrinsicName(Object.create({ Ref: 'X' }))).toBeUndefined();
});

test('a field is found by its exact name, then by the first key equal to it in any case', () => {
  expect(fieldOf({ BucketName: 'a', bucketname: 'b' }, 'BucketName')).toBe('a');
  expect(fieldOf({ bucketName: 'a', BUCKETNAME: 'b' }, 'BucketName')).toBe('a');
  expect(fieldOf({ bucket: 'a', bucketNames: 'b' }, 'BucketName')).toBeUndefined();
  // A key of another spelling that lower-cases to the name (the Kelvin sign is a "k").
  const kelvin = '\u212Aey';
  expect(fieldOf({ [kelvin]: 'kelvin' }, 'Key')).toBe('kelvin');
  // A name outside ASCII is compared with every key.
  const dotted = 'i\u0307d';
  expect(fieldOf({ [dotted]: 'dotted' }, '\u0130D')).toBe('dotted');
  expect(fieldOf(['a'], '0')).toBeUndefined();
});
