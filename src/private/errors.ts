import { UnscopedValidationError, ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

// aws-cdk-lib brands error names as literal strings; our names are literals too.
type ErrorName = ConstructorParameters<typeof ValidationError>[0];

/**
 * A `ValidationError` from aws-cdk-lib (so `Errors.isValidationError(e)` holds), attached to the
 * construct whose props were refused.
 */
export function validationError(name: string, message: string, scope: IConstruct): Error {
  return new ValidationError(name as ErrorName, message, scope);
}

/** The same, for inputs that are not tied to a construct (gate options). */
export function unscopedValidationError(name: string, message: string): Error {
  return new UnscopedValidationError(name as ErrorName, message);
}
