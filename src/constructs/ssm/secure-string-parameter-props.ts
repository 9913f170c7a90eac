import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { SecureStringValue } from './secure-string-value';

/**
 * Properties of a `SecureStringParameter`.
 */
export interface SecureStringParameterProps {
  /**
   * The parameter's name: a plain name (`db-password`) or a path (`/orders/db/password`). Letters,
   * digits and `_.-/`; it cannot begin with `aws` or `ssm`.
   */
  readonly parameterName: string;

  /**
   * Where the value comes from.
   *
   * @default SecureStringValue.generated()
   */
  readonly value?: SecureStringValue;

  /**
   * The customer managed key that encrypts the value. AWS managed keys (`alias/aws/ssm`) are
   * refused: their use cannot be limited.
   *
   * @default - a new `CmkWithPolicy` that principals of the account may use only through Parameter Store
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The parameter tier. An advanced parameter cannot become standard again.
   *
   * @default ssm.ParameterTier.STANDARD
   */
  readonly tier?: ssm.ParameterTier;

  /**
   * A description of the parameter.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * What happens to the parameter when it leaves the stack: `RETAIN` keeps it, `DESTROY` deletes
   * it. `SNAPSHOT` is refused (a parameter has no snapshot).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
