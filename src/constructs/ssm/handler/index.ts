/**
 * Lambda handler of `SecureStringParameter` (the provider framework's `onEvent`). It writes a
 * Parameter Store SecureString whose value is generated here, or read here from a Secrets Manager
 * secret: the value never leaves this function except in the PutParameter call. It is not logged,
 * not returned, and not part of any error message.
 *
 * Runs on the Lambda Node.js runtime with the AWS SDK v3 that the runtime provides: nothing else is
 * imported, nothing is bundled.
 */
import { randomInt } from 'crypto';

/** The calls this handler makes: a subset of the SDK v3 aggregated clients `SSM` and `SecretsManager`. */
export interface ParameterApi {
  putParameter(input: {
    Name: string; Value: string; Type: 'SecureString'; KeyId: string; Tier: string; Overwrite: boolean; Description?: string;
  }): Promise<{ Version?: number }>;
  getParameter(input: { Name: string; WithDecryption: boolean }): Promise<{ Parameter?: { Value?: string } }>;
  deleteParameter(input: { Name: string }): Promise<unknown>;
  getSecretValue(input: { SecretId: string; VersionStage?: string }): Promise<{ SecretString?: string }>;
}

/** What the custom resource passes (CloudFormation turns every scalar into a string). */
export interface ParameterProperties {
  readonly ParameterName: string;
  readonly KmsKeyId: string;
  readonly Tier: string;
  readonly Description?: string;
  /** `generate` or `secret`. */
  readonly Source: string;
  readonly Length?: string;
  readonly Alphabet?: string;
  readonly SecretId?: string;
  readonly JsonField?: string;
  readonly VersionStage?: string;
}

export interface ParameterEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: ParameterProperties;
  readonly OldResourceProperties?: ParameterProperties;
}

export interface ParameterResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { [key: string]: string };
}

/** The Lambda entry point. */
export async function onEvent(event: ParameterEvent): Promise<ParameterResponse> {
  return handleEvent(event, sdkApi());
}

/** The handler's logic, given the AWS calls (a fake in unit tests). */
export async function handleEvent(event: ParameterEvent, api: ParameterApi): Promise<ParameterResponse> {
  const props = event.ResourceProperties;
  const name = props.ParameterName;
  switch (event.RequestType) {
    case 'Create':
      // Overwrite false: an existing parameter of that name is never taken over.
      return written(props, await put(api, props, await newValue(api, props), false));
    case 'Update': {
      const old = event.OldResourceProperties;
      if (old === undefined || old.ParameterName !== name) {
        // A new parameter: CloudFormation then deletes the old one, or keeps it when retained.
        return written(props, await put(api, props, await newValue(api, props), false));
      }
      let value: string;
      if (!keepsValue(old, props)) {
        value = await newValue(api, props);
      } else if (old.KmsKeyId === props.KmsKeyId) {
        value = await currentValue(api, name);
      } else {
        // Under a new key, the value is read under the old one when the handler still may (the
        // construct's own key, retained); a key whose policy no longer names the handler, or one of
        // another account or Region, is not readable any more: then a new value, as the README says.
        // Only a refusal counts: a throttled or failed call fails the update rather than lose the value.
        value = await currentValue(api, name).catch((e: Error) => {
          if (/failed: (AccessDenied|KMS|InvalidKeyId)/.test(e.message)) {
            return newValue(api, props);
          }
          throw e;
        });
      }
      return written(props, await put(api, props, value, true));
    }
    case 'Delete':
      // Only a parameter this resource created: after a failed create the ID is not a parameter name.
      if (event.PhysicalResourceId === name) {
        try {
          await api.deleteParameter({ Name: name });
        } catch (e) {
          if (errorName(e) !== 'ParameterNotFound') {
            throw new Error(`DeleteParameter ${name} failed: ${errorName(e)}`);
          }
        }
      }
      return { PhysicalResourceId: event.PhysicalResourceId ?? name };
    default:
      throw new Error(`Unknown request type ${String((event as { RequestType?: unknown }).RequestType)}`);
  }
}

/**
 * A generated value survives an update that does not change how it is generated: a new
 * description, tier or key is written with the value already stored (under a new key, when it can
 * still be read under the old one).
 */
export function keepsValue(old: ParameterProperties, props: ParameterProperties): boolean {
  return old.Source === 'generate' && props.Source === 'generate' && old.Length === props.Length && old.Alphabet === props.Alphabet;
}

/** A random string of `length` characters drawn uniformly (crypto.randomInt) from `alphabet`. */
export function generate(length: number, alphabet: string): string {
  const chars = [...new Set(alphabet)];
  if (!Number.isInteger(length) || length < 1 || chars.length < 2) {
    throw new Error('Invalid generator settings: a length of at least 1 and an alphabet of at least 2 characters are required');
  }
  let value = '';
  for (let i = 0; i < length; i++) {
    value += chars[randomInt(chars.length)];
  }
  return value;
}

async function newValue(api: ParameterApi, props: ParameterProperties): Promise<string> {
  if (props.Source === 'generate') {
    return generate(Number(props.Length), props.Alphabet ?? '');
  }
  if (props.Source !== 'secret' || !props.SecretId) {
    throw new Error(`Unknown value source "${props.Source}"`);
  }
  let secretString: string | undefined;
  try {
    secretString = (await api.getSecretValue({ SecretId: props.SecretId, VersionStage: props.VersionStage })).SecretString;
  } catch (e) {
    throw new Error(`GetSecretValue ${props.SecretId} failed: ${errorName(e)}`);
  }
  if (secretString === undefined) {
    throw new Error(`Secret ${props.SecretId} has no SecretString (a binary secret cannot be copied into a parameter)`);
  }
  if (props.JsonField === undefined) {
    return secretString;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // The parser's message quotes the input: never pass it on.
    throw new Error(`Secret ${props.SecretId} is not a JSON object, so field "${props.JsonField}" cannot be read`);
  }
  const field = typeof parsed === 'object' && parsed !== null ? (parsed as { [k: string]: unknown })[props.JsonField] : undefined;
  if (typeof field !== 'string' && typeof field !== 'number') {
    throw new Error(`Secret ${props.SecretId} has no string field "${props.JsonField}"`);
  }
  return String(field);
}

async function currentValue(api: ParameterApi, name: string): Promise<string> {
  try {
    const value = (await api.getParameter({ Name: name, WithDecryption: true })).Parameter?.Value;
    if (value !== undefined) {
      return value;
    }
  } catch (e) {
    throw new Error(`GetParameter ${name} failed: ${errorName(e)}`);
  }
  throw new Error(`GetParameter ${name} returned no value`);
}

async function put(api: ParameterApi, props: ParameterProperties, value: string, overwrite: boolean): Promise<number | undefined> {
  try {
    const result = await api.putParameter({
      Name: props.ParameterName,
      Value: value,
      Type: 'SecureString',
      KeyId: props.KmsKeyId,
      Tier: props.Tier,
      Overwrite: overwrite,
      ...(props.Description ? { Description: props.Description } : {}),
    });
    return result.Version;
  } catch (e) {
    // Only the error's name: a service message could quote the request.
    throw new Error(`PutParameter ${props.ParameterName} failed: ${errorName(e)}`);
  }
}

function written(props: ParameterProperties, version: number | undefined): ParameterResponse {
  return {
    PhysicalResourceId: props.ParameterName,
    Data: { ParameterName: props.ParameterName, Version: String(version ?? '') },
  };
}

function errorName(e: unknown): string {
  return (e as { name?: string })?.name ?? 'Error';
}

let cached: ParameterApi | undefined;

/** The SDK v3 clients of the Lambda runtime, loaded on first use. */
function sdkApi(): ParameterApi {
  if (cached === undefined) {
    const ssmModule = '@aws-sdk/client-ssm';
    const secretsModule = '@aws-sdk/client-secrets-manager';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ssm = new (require(ssmModule).SSM)({});
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const secrets = new (require(secretsModule).SecretsManager)({});
    cached = {
      putParameter: input => ssm.putParameter(input),
      getParameter: input => ssm.getParameter(input),
      deleteParameter: input => ssm.deleteParameter(input),
      getSecretValue: input => secrets.getSecretValue(input),
    };
  }
  return cached;
}
