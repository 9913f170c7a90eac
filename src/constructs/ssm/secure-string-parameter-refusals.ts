import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { SecureStringParameterProps } from './secure-string-parameter-props';
import { SecureStringValue } from './secure-string-value';
import { isAwsManagedKey } from '../../aws/managed-keys';
import { validationError } from '../../private/errors';
import { keyOfOtherRegion } from '../kms/key-regions';

/** Letters and digits: always part of a generated value. */
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * Punctuation of generated values. Quotes, backslash, slash, `@`, backtick and space are left out:
 * they break shell commands, URLs and connection strings more often than they add strength.
 */
const PUNCTUATION = '!#$%&()*+,-.:;<=>?[]^_{|}~';

/**
 * Throws, naming the prop and the fix, for a name Parameter Store would refuse, an AWS managed key,
 * and a generated value that would be weak. Returns the alphabet of a generated value (undefined
 * for a value copied from a secret).
 */
export function refuseInvalidProps(
  scope: Construct, props: SecureStringParameterProps, value: SecureStringValue, tier: ssm.ParameterTier, removalPolicy: RemovalPolicy,
): string | undefined {
  const error = (message: string) => validationError('InvalidSecureStringParameter', `SecureStringParameter "${scope.node.id}": ${message}`, scope);
  const name = props.parameterName;
  if (!Token.isUnresolved(name)) {
    if (!/^[a-zA-Z0-9_.\-/]+$/.test(name) || name.length > 1011) {
      throw error(`parameterName "${name}" is not a valid parameter name: use up to 1011 letters, digits and _.-/ characters.`);
    }
    if (/^\/?(aws|ssm)/i.test(name)) {
      throw error(`parameterName "${name}" begins with "aws" or "ssm", which Parameter Store reserves: choose another name.`);
    }
    if (name.includes('/') && !name.startsWith('/')) {
      throw error(`parameterName "${name}" is a path that does not begin with "/": write it as "/${name}".`);
    }
    if (name.split('/').length - 1 > 15) {
      throw error(`parameterName "${name}" has more than 15 levels: Parameter Store allows at most 15.`);
    }
  }
  if (props.encryptionKey !== undefined && isAwsManagedKey(props.encryptionKey)) {
    throw error('encryptionKey is an AWS managed key (alias/aws/...), whose use you cannot limit or share: '
      + 'leave encryptionKey unset (a customer managed key is created) or pass a customer managed key.');
  }
  const otherRegion = props.encryptionKey && keyOfOtherRegion('encryptionKey', props.encryptionKey, 'the parameter', Stack.of(scope).region);
  if (otherRegion !== undefined) {
    throw error(otherRegion);
  }
  if (removalPolicy === RemovalPolicy.SNAPSHOT) {
    throw error('removalPolicy is SNAPSHOT, but a parameter has no snapshot: use RETAIN (the default) or DESTROY.');
  }
  if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > 1024) {
    throw error(`description has ${props.description.length} characters; Parameter Store accepts at most 1024.`);
  }
  const source = value._source;
  if (source.kind !== 'generate') {
    const field = source.secretOptions?.jsonField;
    if (field !== undefined && !Token.isUnresolved(field) && field.length === 0) {
      throw error('jsonField of SecureStringValue.fromSecret is empty: name a field of the secret, or leave it unset to copy the whole secret.');
    }
    return undefined;
  }
  const options = source.generated ?? {};
  const length = options.length ?? 32;
  const max = tier === ssm.ParameterTier.STANDARD ? 4096 : 8192;
  if (!Token.isUnresolved(length) && (!Number.isInteger(length) || length < 16 || length > max)) {
    throw error(`the generated value's length is ${length}; it must be a whole number from 16 (shorter values are weak) to ${max} (the ${tier} tier's limit).`);
  }
  const excluded = new Set(options.excludeCharacters ?? '');
  const alphabet = [...(options.excludePunctuation ? ALPHANUMERIC : ALPHANUMERIC + PUNCTUATION)].filter(c => !excluded.has(c)).join('');
  if (alphabet.length < 32) {
    throw error(`excludeCharacters leaves ${alphabet.length} characters to draw from; keep at least 32 so that the value stays strong.`);
  }
  return alphabet;
}
