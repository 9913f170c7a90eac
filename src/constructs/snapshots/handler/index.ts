/**
 * Lambda handlers of `EncryptedSnapshotCopy` (the provider framework's `onEvent` and `isComplete`):
 * start an encrypted copy of an RDS DB snapshot, an Aurora DB cluster snapshot or an EBS snapshot
 * under a given KMS key, then report completion once the copy is available. Uses only the AWS SDK
 * v3 of the Lambda Node.js runtime.
 */

/** The calls these handlers make: a subset of the SDK v3 aggregated clients `RDS` and `EC2`. */
export interface SnapshotApi {
  copyDBSnapshot(input: {
    SourceDBSnapshotIdentifier: string; TargetDBSnapshotIdentifier: string; KmsKeyId: string; CopyTags: boolean;
  }): Promise<unknown>;
  describeDBSnapshots(input: { DBSnapshotIdentifier: string }): Promise<{ DBSnapshots?: Array<{ Status?: string; Encrypted?: boolean }> }>;
  deleteDBSnapshot(input: { DBSnapshotIdentifier: string }): Promise<unknown>;
  copyDBClusterSnapshot(input: {
    SourceDBClusterSnapshotIdentifier: string; TargetDBClusterSnapshotIdentifier: string; KmsKeyId: string; CopyTags: boolean;
  }): Promise<unknown>;
  describeDBClusterSnapshots(input: { DBClusterSnapshotIdentifier: string }): Promise<{
    DBClusterSnapshots?: Array<{ Status?: string; StorageEncrypted?: boolean }>;
  }>;
  deleteDBClusterSnapshot(input: { DBClusterSnapshotIdentifier: string }): Promise<unknown>;
  copySnapshot(input: {
    SourceSnapshotId: string;
    SourceRegion: string;
    Encrypted: true;
    KmsKeyId: string;
    Description?: string;
    TagSpecifications: Array<{ ResourceType: 'snapshot'; Tags: Array<{ Key: string; Value: string }> }>;
  }): Promise<{ SnapshotId?: string }>;
  describeSnapshots(input: { SnapshotIds: string[] }): Promise<{ Snapshots?: Array<{ State?: string; StateMessage?: string; Encrypted?: boolean }> }>;
  deleteSnapshot(input: { SnapshotId: string }): Promise<unknown>;
}

export interface SnapshotProperties {
  /** `rds-db-snapshot`, `rds-cluster-snapshot` or `ebs-snapshot`. */
  readonly SourceType: string;
  readonly SourceSnapshot: string;
  /** The copy's identifier (RDS and Aurora; EC2 assigns EBS snapshot IDs). */
  readonly TargetIdentifier?: string;
  readonly KmsKeyId: string;
  readonly CopyTags?: string;
  readonly Description?: string;
  /** The tag put on an EBS copy: this resource's role may delete only snapshots carrying it. */
  readonly TagKey?: string;
  readonly TagValue?: string;
}

export interface SnapshotEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: SnapshotProperties;
  readonly OldResourceProperties?: SnapshotProperties;
}

export interface SnapshotResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { [key: string]: string };
}

export interface CompletionResponse {
  readonly IsComplete: boolean;
  readonly Data?: { [key: string]: string };
}

const RDS_DB = 'rds-db-snapshot';
const RDS_CLUSTER = 'rds-cluster-snapshot';
const EBS = 'ebs-snapshot';

export async function onEvent(event: SnapshotEvent): Promise<SnapshotResponse> {
  return handleEvent(event, sdkApi(), process.env.AWS_REGION ?? '');
}

export async function isComplete(event: SnapshotEvent & { PhysicalResourceId: string }): Promise<CompletionResponse> {
  return checkCompletion(event, sdkApi());
}

/** What decides the copy: when none of it changes, an update keeps the copy. */
const COPY_FIELDS: Array<keyof SnapshotProperties> = ['SourceType', 'SourceSnapshot', 'TargetIdentifier', 'KmsKeyId', 'CopyTags', 'Description', 'TagKey', 'TagValue'];

export async function handleEvent(event: SnapshotEvent, api: SnapshotApi, region: string): Promise<SnapshotResponse> {
  const props = event.ResourceProperties;
  switch (event.RequestType) {
    case 'Create':
      return { PhysicalResourceId: await startCopy(props, api, region) };
    case 'Update': {
      const old = event.OldResourceProperties;
      if (old !== undefined && event.PhysicalResourceId && COPY_FIELDS.every(f => old[f] === props[f])) {
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      if (props.SourceType !== EBS && old?.TargetIdentifier === props.TargetIdentifier) {
        throw new Error(`The copy ${props.TargetIdentifier} already exists: a new source or key needs a new copy, so give it a new targetIdentifier `
          + '(a database restored from this copy would then be restored anew, and the one restored before deleted: to re-encrypt, '
          + 'add a second EncryptedSnapshotCopy instead)');
      }
      // A new copy; CloudFormation then deletes the old one, or keeps it when retained.
      return { PhysicalResourceId: await startCopy(props, api, region) };
    }
    case 'Delete':
      await deleteCopy(props, event.PhysicalResourceId, api);
      return { PhysicalResourceId: event.PhysicalResourceId ?? '' };
    default:
      throw new Error(`Unknown request type ${String((event as { RequestType?: unknown }).RequestType)}`);
  }
}

/** Completion: the copy is available and encrypted; a failed copy fails the deployment. */
export async function checkCompletion(event: SnapshotEvent & { PhysicalResourceId: string }, api: SnapshotApi): Promise<CompletionResponse> {
  if (event.RequestType === 'Delete') {
    return { IsComplete: true };
  }
  const props = event.ResourceProperties;
  const id = event.PhysicalResourceId;
  let state: string | undefined;
  let encrypted: boolean | undefined;
  let detail = '';
  try {
    [state, encrypted, detail] = await describe(props.SourceType, id, api);
  } catch (e) {
    // Just after the copy starts, the new snapshot may not be listed yet.
    if (!NOT_FOUND.includes((e as { name?: string })?.name ?? '')) {
      throw e;
    }
  }
  if (state === 'available' || state === 'completed') {
    if (encrypted !== true) {
      throw new Error(`The copy ${id} is ${state} but not encrypted`);
    }
    return { IsComplete: true, Data: { SnapshotIdentifier: id } };
  }
  if (state === undefined || ['creating', 'copying', 'pending'].includes(state)) {
    return { IsComplete: false };
  }
  throw new Error(`The copy ${id} failed: its state is ${state}${detail ? ` (${detail})` : ''}`);
}

const NOT_FOUND = ['DBSnapshotNotFoundFault', 'DBClusterSnapshotNotFoundFault', 'InvalidSnapshot.NotFound'];

async function describe(type: string, id: string, api: SnapshotApi): Promise<[string | undefined, boolean | undefined, string]> {
  if (type === RDS_DB) {
    const snapshot = (await api.describeDBSnapshots({ DBSnapshotIdentifier: id })).DBSnapshots?.[0];
    return [snapshot?.Status, snapshot?.Encrypted, ''];
  }
  if (type === RDS_CLUSTER) {
    const snapshot = (await api.describeDBClusterSnapshots({ DBClusterSnapshotIdentifier: id })).DBClusterSnapshots?.[0];
    return [snapshot?.Status, snapshot?.StorageEncrypted, ''];
  }
  if (type === EBS) {
    const snapshot = (await api.describeSnapshots({ SnapshotIds: [id] })).Snapshots?.[0];
    return [snapshot?.State, snapshot?.Encrypted, snapshot?.StateMessage ?? ''];
  }
  throw new Error(`Unknown source type "${type}"`);
}

async function startCopy(props: SnapshotProperties, api: SnapshotApi, region: string): Promise<string> {
  const copyTags = props.CopyTags !== 'false';
  if (props.SourceType === RDS_DB) {
    await api.copyDBSnapshot({
      SourceDBSnapshotIdentifier: props.SourceSnapshot, TargetDBSnapshotIdentifier: target(props), KmsKeyId: props.KmsKeyId, CopyTags: copyTags,
    });
    return target(props);
  }
  if (props.SourceType === RDS_CLUSTER) {
    await api.copyDBClusterSnapshot({
      SourceDBClusterSnapshotIdentifier: props.SourceSnapshot,
      TargetDBClusterSnapshotIdentifier: target(props),
      KmsKeyId: props.KmsKeyId,
      CopyTags: copyTags,
    });
    return target(props);
  }
  if (props.SourceType === EBS) {
    if (!props.TagKey || !props.TagValue) {
      throw new Error('An EBS copy needs TagKey and TagValue');
    }
    const result = await api.copySnapshot({
      SourceSnapshotId: props.SourceSnapshot,
      SourceRegion: region,
      Encrypted: true,
      KmsKeyId: props.KmsKeyId,
      Description: props.Description,
      TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: props.TagKey, Value: props.TagValue }] }],
    });
    if (!result.SnapshotId) {
      throw new Error(`CopySnapshot of ${props.SourceSnapshot} returned no snapshot ID`);
    }
    return result.SnapshotId;
  }
  throw new Error(`Unknown source type "${props.SourceType}"`);
}

/** Deletes only a copy this resource made: after a failed create the physical ID is no snapshot. */
async function deleteCopy(props: SnapshotProperties, id: string | undefined, api: SnapshotApi): Promise<void> {
  try {
    if (props.SourceType === RDS_DB && id !== undefined && id === props.TargetIdentifier) {
      await api.deleteDBSnapshot({ DBSnapshotIdentifier: id });
    } else if (props.SourceType === RDS_CLUSTER && id !== undefined && id === props.TargetIdentifier) {
      await api.deleteDBClusterSnapshot({ DBClusterSnapshotIdentifier: id });
    } else if (props.SourceType === EBS && id !== undefined && /^snap-[0-9a-f]+$/.test(id)) {
      await api.deleteSnapshot({ SnapshotId: id });
    }
  } catch (e) {
    const name = (e as { name?: string })?.name ?? '';
    if (!NOT_FOUND.includes(name)) {
      throw e;
    }
  }
}

function target(props: SnapshotProperties): string {
  if (!props.TargetIdentifier) {
    throw new Error('An RDS or Aurora copy needs a TargetIdentifier');
  }
  return props.TargetIdentifier;
}

let cached: SnapshotApi | undefined;

function sdkApi(): SnapshotApi {
  if (cached === undefined) {
    const rdsModule = '@aws-sdk/client-rds';
    const ec2Module = '@aws-sdk/client-ec2';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rds = new (require(rdsModule).RDS)({});
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ec2 = new (require(ec2Module).EC2)({});
    cached = {
      copyDBSnapshot: input => rds.copyDBSnapshot(input),
      describeDBSnapshots: input => rds.describeDBSnapshots(input),
      deleteDBSnapshot: input => rds.deleteDBSnapshot(input),
      copyDBClusterSnapshot: input => rds.copyDBClusterSnapshot(input),
      describeDBClusterSnapshots: input => rds.describeDBClusterSnapshots(input),
      deleteDBClusterSnapshot: input => rds.deleteDBClusterSnapshot(input),
      copySnapshot: input => ec2.copySnapshot(input),
      describeSnapshots: input => ec2.describeSnapshots(input),
      deleteSnapshot: input => ec2.deleteSnapshot(input),
    };
  }
  return cached;
}
