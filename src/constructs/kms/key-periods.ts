import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from '../../private/errors';

/**
 * A key's period in whole days within what KMS accepts (`rotationPeriod` 90 to 2560, `pendingWindow`
 * 7 to 30), or a refusal naming the key, the prop and the bounds; KMS counts both in days only.
 */
export function checkedDays(scope: IConstruct, key: string, prop: string, value: Duration, min: number, max: number): Duration {
  const days = value.toDays({ integral: false });
  if (Token.isUnresolved(days)) {
    throw validationError('InvalidKeyPeriod', `${prop} of ${key} is known only at deploy time (a parameter or another token), but KMS `
      + `takes it in days, from ${min} to ${max}, and this library checks it at synthesis: give Duration.days(...) with a number.`, scope);
  }
  if (!Number.isInteger(days)) {
    throw validationError('InvalidKeyPeriod', `${prop} of ${key} is ${value.toHumanString()}, not a whole number of days: `
      + `KMS takes it in days, from ${min} to ${max} (Duration.days(...)).`, scope);
  }
  if (days < min || days > max) {
    throw validationError('InvalidKeyPeriod', `${prop} of ${key} is ${days} days; it must be from ${min} to ${max} days.`, scope);
  }
  return value;
}
