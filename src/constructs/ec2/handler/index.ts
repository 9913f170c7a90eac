/**
 * Lambda handler of `EbsEncryptionByDefault` (the provider framework's `onEvent`): turns on EBS
 * encryption by default for the account and Region it runs in, with the given customer managed key
 * as the default key. On delete it leaves both settings as they are unless `DisableOnDelete` is
 * `true`. Uses only the AWS SDK v3 of the Lambda Node.js runtime.
 */

/** The calls this handler makes: a subset of the SDK v3 aggregated client `EC2`. */
export interface EbsApi {
  enableEbsEncryptionByDefault(input: object): Promise<{ EbsEncryptionByDefault?: boolean }>;
  modifyEbsDefaultKmsKeyId(input: { KmsKeyId: string }): Promise<{ KmsKeyId?: string }>;
  disableEbsEncryptionByDefault(input: object): Promise<unknown>;
  resetEbsDefaultKmsKeyId(input: object): Promise<unknown>;
}

export interface EbsProperties {
  readonly KmsKeyId: string;
  /** `'true'` or `'false'` (CloudFormation passes strings). */
  readonly DisableOnDelete?: string;
}

export interface EbsEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: EbsProperties;
}

export interface EbsResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { [key: string]: string };
}

/** One setting per account and Region: the ID never changes, so an update never replaces it. */
export const PHYSICAL_ID = 'ebs-encryption-by-default';

export async function onEvent(event: EbsEvent): Promise<EbsResponse> {
  return handleEvent(event, sdkApi());
}

export async function handleEvent(event: EbsEvent, api: EbsApi): Promise<EbsResponse> {
  const props = event.ResourceProperties;
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      // The key first: from the moment encryption is on, new volumes use the default key.
      const key = await api.modifyEbsDefaultKmsKeyId({ KmsKeyId: props.KmsKeyId });
      const enabled = await api.enableEbsEncryptionByDefault({});
      if (enabled.EbsEncryptionByDefault !== true) {
        throw new Error('EnableEbsEncryptionByDefault did not turn encryption by default on');
      }
      return { PhysicalResourceId: PHYSICAL_ID, Data: { KmsKeyId: key.KmsKeyId ?? props.KmsKeyId } };
    }
    case 'Delete':
      if (props.DisableOnDelete === 'true' && event.PhysicalResourceId === PHYSICAL_ID) {
        await api.disableEbsEncryptionByDefault({});
        await api.resetEbsDefaultKmsKeyId({});
      }
      return { PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID };
    default:
      throw new Error(`Unknown request type ${String((event as { RequestType?: unknown }).RequestType)}`);
  }
}

let cached: EbsApi | undefined;

function sdkApi(): EbsApi {
  if (cached === undefined) {
    const ec2Module = '@aws-sdk/client-ec2';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ec2 = new (require(ec2Module).EC2)({});
    cached = {
      enableEbsEncryptionByDefault: input => ec2.enableEbsEncryptionByDefault(input),
      modifyEbsDefaultKmsKeyId: input => ec2.modifyEbsDefaultKmsKeyId(input),
      disableEbsEncryptionByDefault: input => ec2.disableEbsEncryptionByDefault(input),
      resetEbsDefaultKmsKeyId: input => ec2.resetEbsDefaultKmsKeyId(input),
    };
  }
  return cached;
}
