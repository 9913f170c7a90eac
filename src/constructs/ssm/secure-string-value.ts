import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * How a generated SecureString value is made.
 */
export interface GeneratedValueOptions {
  /**
   * Number of characters: 16 to 4096 (8192 for the advanced tier).
   *
   * @default 32
   */
  readonly length?: number;

  /**
   * Use only letters and digits.
   *
   * @default false - letters, digits and the punctuation `!#$%&()*+,-.:;<=>?[]^_{|}~`
   */
  readonly excludePunctuation?: boolean;

  /**
   * Characters never to use, on top of those left out by default.
   *
   * @default - none
   */
  readonly excludeCharacters?: string;
}

/**
 * How a value copied from a Secrets Manager secret is read.
 */
export interface SecretValueOptions {
  /**
   * The field of a JSON secret to copy (for example `password`).
   *
   * @default - the whole secret string
   */
  readonly jsonField?: string;

  /**
   * The version stage of the secret to copy.
   *
   * @default 'AWSCURRENT'
   */
  readonly versionStage?: string;
}

/**
 * Where the value of a `SecureStringParameter` comes from. The value is generated or read by the
 * custom resource's function at deploy time: it is never in the template, in the function's logs or
 * in the custom resource's response.
 */
export class SecureStringValue {
  /**
   * A random value generated at deploy time (Node's `crypto.randomInt`). It stays the same across
   * updates unless the generator options or the key change.
   */
  public static generated(options: GeneratedValueOptions = {}): SecureStringValue {
    return new SecureStringValue({ kind: 'generate', generated: options });
  }

  /**
   * A copy of a Secrets Manager secret (or one JSON field of it), taken when the parameter is
   * created and on every later update of this construct. The copy does not follow the secret's
   * rotations: prefer reading the secret itself where you can.
   */
  public static fromSecret(secret: secretsmanager.ISecret, options: SecretValueOptions = {}): SecureStringValue {
    return new SecureStringValue({ kind: 'secret', secret, secretOptions: options });
  }

  /** @internal */
  public readonly _source: ValueSource;

  private constructor(source: ValueSource) {
    this._source = source;
  }
}

/** @internal */
export interface ValueSource {
  readonly kind: 'generate' | 'secret';
  readonly generated?: GeneratedValueOptions;
  readonly secret?: secretsmanager.ISecret;
  readonly secretOptions?: SecretValueOptions;
}
