/**
 * The custom resources' handlers, run against fake AWS clients (no network): what they call, what
 * they return, and that a SecureString value never reaches the response or an error message.
 */
import * as ebs from '../../src/constructs/ec2/handler';
import * as snapshots from '../../src/constructs/snapshots/handler';
import * as ssm from '../../src/constructs/ssm/handler';

/** A fake client: records every call, answers from `answers` (a function per method). */
function fake<T extends object>(answers: { [method: string]: (input: any) => unknown } = {}): { api: T; calls: Array<[string, any]> } {
  const calls: Array<[string, any]> = [];
  const api = new Proxy({}, {
    get: (_, method: string) => async (input: any) => {
      calls.push([method, input]);
      const answer = answers[method];
      return answer ? answer(input) : {};
    },
  }) as T;
  return { api, calls };
}

function awsError(name: string, message = 'service message'): Error {
  return Object.assign(new Error(message), { name });
}

describe('SecureStringParameter handler', () => {
  const props: ssm.ParameterProperties = {
    ParameterName: '/orders/db/password',
    KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k1',
    Tier: 'Standard',
    Source: 'generate',
    Length: '40',
    Alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  };

  test('create: a generated value written as a SecureString under the key, never overwriting, never returned', async () => {
    const { api, calls } = fake<ssm.ParameterApi>({ putParameter: () => ({ Version: 1 }) });
    const response = await ssm.handleEvent({ RequestType: 'Create', ResourceProperties: props }, api);
    expect(calls).toHaveLength(1);
    const [method, input] = calls[0];
    expect(method).toBe('putParameter');
    expect(input).toMatchObject({ Name: '/orders/db/password', Type: 'SecureString', KeyId: props.KmsKeyId, Tier: 'Standard', Overwrite: false });
    expect(input.Value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(response).toEqual({ PhysicalResourceId: '/orders/db/password', Data: { ParameterName: '/orders/db/password', Version: '1' } });
    expect(JSON.stringify(response)).not.toContain(input.Value);
  });

  test('values are drawn from the whole alphabet and differ between calls', () => {
    const values = Array.from({ length: 50 }, () => ssm.generate(32, 'ab'));
    expect(new Set(values).size).toBe(50);
    expect(values.join('')).toMatch(/a/);
    expect(values.join('')).toMatch(/b/);
    expect(() => ssm.generate(0, 'ab')).toThrow(/Invalid generator settings/);
  });

  test('copy from a secret, whole or one JSON field; errors never quote the secret', async () => {
    const secret = JSON.stringify({ username: 'app', password: 's3cr3t-Value' });
    const { api, calls } = fake<ssm.ParameterApi>({ getSecretValue: () => ({ SecretString: secret }) });
    const fromSecret = { ...props, Source: 'secret', SecretId: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db', Length: undefined, Alphabet: undefined };
    await ssm.handleEvent({ RequestType: 'Create', ResourceProperties: { ...fromSecret, JsonField: 'password' } }, api);
    await ssm.handleEvent({ RequestType: 'Create', ResourceProperties: fromSecret }, api);
    expect(calls.filter(c => c[0] === 'putParameter').map(c => c[1].Value)).toEqual(['s3cr3t-Value', secret]);

    const notJson = fake<ssm.ParameterApi>({ getSecretValue: () => ({ SecretString: 'plain-s3cr3t' }) });
    const error = await ssm.handleEvent({ RequestType: 'Create', ResourceProperties: { ...fromSecret, JsonField: 'password' } }, notJson.api).catch(e => e);
    expect(error.message).toMatch(/is not a JSON object/);
    expect(error.message).not.toContain('s3cr3t');
    const missing = await ssm.handleEvent({ RequestType: 'Create', ResourceProperties: { ...fromSecret, JsonField: 'token' } }, api).catch(e => e);
    expect(missing.message).toMatch(/has no string field "token"/);

    const failing = fake<ssm.ParameterApi>({ getSecretValue: () => ({ SecretString: 'v4lue' }), putParameter: input => { throw awsError('ValidationException', `bad value ${input.Value}`); } });
    const putError = await ssm.handleEvent({ RequestType: 'Create', ResourceProperties: fromSecret }, failing.api).catch(e => e);
    expect(putError.message).toBe('PutParameter /orders/db/password failed: ValidationException');
  });

  test('update: the same generator keeps the value, under a new key too; a new length makes a new one; a new name is a new parameter', async () => {
    const { api, calls } = fake<ssm.ParameterApi>({ getParameter: () => ({ Parameter: { Value: 'kept-value' } }) });
    await ssm.handleEvent({ RequestType: 'Update', PhysicalResourceId: props.ParameterName, ResourceProperties: { ...props, Description: 'new', Tier: 'Advanced' }, OldResourceProperties: props }, api);
    expect(calls.map(c => c[0])).toEqual(['getParameter', 'putParameter']);
    expect(calls[1][1]).toMatchObject({ Value: 'kept-value', Overwrite: true, Description: 'new', Tier: 'Advanced' });

    calls.length = 0;
    // A new key (pass 41): the value is read under the old key and written under the new one.
    await ssm.handleEvent({ RequestType: 'Update', PhysicalResourceId: props.ParameterName, ResourceProperties: { ...props, KmsKeyId: 'k2' }, OldResourceProperties: props }, api);
    expect(calls.map(c => c[0])).toEqual(['getParameter', 'putParameter']);
    expect(calls[1][1]).toMatchObject({ Value: 'kept-value', KeyId: 'k2', Overwrite: true });
    // Not readable any more under the old key (pass 44: a key whose policy dropped the handler): a new value, no failed update.
    const refused = fake<ssm.ParameterApi>({ getParameter: () => { throw awsError('AccessDeniedException'); } });
    await ssm.handleEvent({ RequestType: 'Update', PhysicalResourceId: props.ParameterName, ResourceProperties: { ...props, KmsKeyId: 'k2' }, OldResourceProperties: props }, refused.api);
    expect(refused.calls.map(c => c[0])).toEqual(['getParameter', 'putParameter']);
    expect(refused.calls[1][1].Value).toHaveLength(Number(props.Length));
    // A throttled read is no refusal: the update fails rather than lose the value.
    const throttled = fake<ssm.ParameterApi>({ getParameter: () => { throw awsError('ThrottlingException'); } });
    await expect(ssm.handleEvent({ RequestType: 'Update', PhysicalResourceId: props.ParameterName, ResourceProperties: { ...props, KmsKeyId: 'k2' }, OldResourceProperties: props }, throttled.api))
      .rejects.toThrow(/GetParameter .* failed: ThrottlingException/);
    expect(throttled.calls.map(c => c[0])).toEqual(['getParameter']);
    // With the same key, a refused read still fails the update (nothing asked for a new value).
    await expect(ssm.handleEvent({ RequestType: 'Update', PhysicalResourceId: props.ParameterName, ResourceProperties: { ...props, Tier: 'Advanced' }, OldResourceProperties: props }, refused.api))
      .rejects.toThrow(/GetParameter .* failed: AccessDeniedException/);
    calls.length = 0;
    await ssm.handleEvent({ RequestType: 'Update', PhysicalResourceId: props.ParameterName, ResourceProperties: { ...props, Length: '64' }, OldResourceProperties: props }, api);
    expect(calls.map(c => c[0])).toEqual(['putParameter']);
    expect(calls[0][1].Value).toHaveLength(64);

    calls.length = 0;
    const renamed = await ssm.handleEvent({ RequestType: 'Update', PhysicalResourceId: props.ParameterName, ResourceProperties: { ...props, ParameterName: '/other' }, OldResourceProperties: props }, api);
    expect(calls[0][1]).toMatchObject({ Name: '/other', Overwrite: false });
    expect(renamed.PhysicalResourceId).toBe('/other');
  });

  test('delete: only the parameter it created, an already deleted one is fine', async () => {
    const { api, calls } = fake<ssm.ParameterApi>({ deleteParameter: () => { throw awsError('ParameterNotFound'); } });
    await ssm.handleEvent({ RequestType: 'Delete', PhysicalResourceId: props.ParameterName, ResourceProperties: props }, api);
    // After a failed create, the physical ID is the request ID: the parameter of that name is not ours.
    await ssm.handleEvent({ RequestType: 'Delete', PhysicalResourceId: 'a1b2c3-request', ResourceProperties: props }, api);
    expect(calls).toEqual([['deleteParameter', { Name: props.ParameterName }]]);
    const denied = fake<ssm.ParameterApi>({ deleteParameter: () => { throw awsError('AccessDeniedException'); } });
    await expect(ssm.handleEvent({ RequestType: 'Delete', PhysicalResourceId: props.ParameterName, ResourceProperties: props }, denied.api))
      .rejects.toThrow('DeleteParameter /orders/db/password failed: AccessDeniedException');
  });
});

describe('EbsEncryptionByDefault handler', () => {
  const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k1';

  test('create and update: default key first, then encryption on; one physical ID for the account and Region', async () => {
    const { api, calls } = fake<ebs.EbsApi>({
      enableEbsEncryptionByDefault: () => ({ EbsEncryptionByDefault: true }),
      modifyEbsDefaultKmsKeyId: i => ({ KmsKeyId: i.KmsKeyId }),
    });
    const created = await ebs.handleEvent({ RequestType: 'Create', ResourceProperties: { KmsKeyId: KEY } }, api);
    const updated = await ebs.handleEvent({ RequestType: 'Update', PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: { KmsKeyId: 'k2' } }, api);
    expect(calls).toEqual([
      ['modifyEbsDefaultKmsKeyId', { KmsKeyId: KEY }], ['enableEbsEncryptionByDefault', {}],
      ['modifyEbsDefaultKmsKeyId', { KmsKeyId: 'k2' }], ['enableEbsEncryptionByDefault', {}],
    ]);
    expect(created).toEqual({ PhysicalResourceId: ebs.PHYSICAL_ID, Data: { KmsKeyId: KEY } });
    expect(updated.PhysicalResourceId).toBe(ebs.PHYSICAL_ID);
    const off = fake<ebs.EbsApi>({ enableEbsEncryptionByDefault: () => ({ EbsEncryptionByDefault: false }) });
    await expect(ebs.handleEvent({ RequestType: 'Create', ResourceProperties: { KmsKeyId: KEY } }, off.api)).rejects.toThrow(/did not turn encryption by default on/);
  });

  test('delete leaves the setting on unless DisableOnDelete is true', async () => {
    const { api, calls } = fake<ebs.EbsApi>();
    await ebs.handleEvent({ RequestType: 'Delete', PhysicalResourceId: ebs.PHYSICAL_ID, ResourceProperties: { KmsKeyId: KEY, DisableOnDelete: 'false' } }, api);
    expect(calls).toEqual([]);
    await ebs.handleEvent({ RequestType: 'Delete', PhysicalResourceId: 'failed-create-request', ResourceProperties: { KmsKeyId: KEY, DisableOnDelete: 'true' } }, api);
    expect(calls).toEqual([]);
    await ebs.handleEvent({ RequestType: 'Delete', PhysicalResourceId: ebs.PHYSICAL_ID, ResourceProperties: { KmsKeyId: KEY, DisableOnDelete: 'true' } }, api);
    expect(calls.map(c => c[0])).toEqual(['disableEbsEncryptionByDefault', 'resetEbsDefaultKmsKeyId']);
  });
});

describe('EncryptedSnapshotCopy handlers', () => {
  const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k1';
  const RDS: snapshots.SnapshotProperties = { SourceType: 'rds-db-snapshot', SourceSnapshot: 'orders-final', TargetIdentifier: 'orders-encrypted', KmsKeyId: KEY, CopyTags: 'true' };
  const CLUSTER: snapshots.SnapshotProperties = { ...RDS, SourceType: 'rds-cluster-snapshot' };
  const EBS: snapshots.SnapshotProperties = { SourceType: 'ebs-snapshot', SourceSnapshot: 'snap-0123456789abcdef0', KmsKeyId: KEY, Description: 'd', TagKey: 't', TagValue: 'v' };

  test('onEvent starts the copy under the key: RDS, Aurora and EBS', async () => {
    const { api, calls } = fake<snapshots.SnapshotApi>({ copySnapshot: () => ({ SnapshotId: 'snap-0fedcba9876543210' }) });
    expect(await snapshots.handleEvent({ RequestType: 'Create', ResourceProperties: RDS }, api, 'eu-west-1')).toEqual({ PhysicalResourceId: 'orders-encrypted' });
    expect(await snapshots.handleEvent({ RequestType: 'Create', ResourceProperties: CLUSTER }, api, 'eu-west-1')).toEqual({ PhysicalResourceId: 'orders-encrypted' });
    expect(await snapshots.handleEvent({ RequestType: 'Create', ResourceProperties: EBS }, api, 'eu-west-1')).toEqual({ PhysicalResourceId: 'snap-0fedcba9876543210' });
    expect(calls).toEqual([
      ['copyDBSnapshot', { SourceDBSnapshotIdentifier: 'orders-final', TargetDBSnapshotIdentifier: 'orders-encrypted', KmsKeyId: KEY, CopyTags: true }],
      ['copyDBClusterSnapshot', { SourceDBClusterSnapshotIdentifier: 'orders-final', TargetDBClusterSnapshotIdentifier: 'orders-encrypted', KmsKeyId: KEY, CopyTags: true }],
      ['copySnapshot', {
        SourceSnapshotId: 'snap-0123456789abcdef0',
        SourceRegion: 'eu-west-1',
        Encrypted: true,
        KmsKeyId: KEY,
        Description: 'd',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 't', Value: 'v' }] }],
      }],
    ]);
  });

  test('isComplete: waits while copying, completes when available and encrypted, fails on a failed or unencrypted copy', async () => {
    const check = (status: string | Error, encrypted = true, type = RDS) => {
      const { api } = fake<snapshots.SnapshotApi>({
        describeDBSnapshots: () => { if (status instanceof Error) throw status; return { DBSnapshots: [{ Status: status, Encrypted: encrypted }] }; },
        describeDBClusterSnapshots: () => ({ DBClusterSnapshots: [{ Status: status as string, StorageEncrypted: encrypted }] }),
        describeSnapshots: () => ({ Snapshots: [{ State: status as string, Encrypted: encrypted, StateMessage: 'quota' }] }),
      });
      return snapshots.checkCompletion({ RequestType: 'Create', PhysicalResourceId: 'orders-encrypted', ResourceProperties: type }, api);
    };
    expect(await check('creating')).toEqual({ IsComplete: false });
    expect(await check(awsError('DBSnapshotNotFoundFault'))).toEqual({ IsComplete: false });
    expect(await check('available')).toEqual({ IsComplete: true, Data: { SnapshotIdentifier: 'orders-encrypted' } });
    expect(await check('available', true, CLUSTER)).toEqual({ IsComplete: true, Data: { SnapshotIdentifier: 'orders-encrypted' } });
    expect(await check('pending', true, EBS)).toEqual({ IsComplete: false });
    expect(await check('completed', true, EBS)).toMatchObject({ IsComplete: true });
    await expect(check('error', true, EBS)).rejects.toThrow('The copy orders-encrypted failed: its state is error (quota)');
    await expect(check('failed')).rejects.toThrow(/state is failed/);
    await expect(check('available', false)).rejects.toThrow(/not encrypted/);
    await expect(check(awsError('AccessDenied'))).rejects.toThrow();
    const { api } = fake<snapshots.SnapshotApi>();
    expect(await snapshots.checkCompletion({ RequestType: 'Delete', PhysicalResourceId: 'x', ResourceProperties: RDS }, api)).toEqual({ IsComplete: true });
  });

  test('update: unchanged keeps the copy; a new target makes a new copy; the same target for a new source is refused', async () => {
    const { api, calls } = fake<snapshots.SnapshotApi>();
    expect(await snapshots.handleEvent({ RequestType: 'Update', PhysicalResourceId: 'orders-encrypted', ResourceProperties: RDS, OldResourceProperties: RDS }, api, 'r'))
      .toEqual({ PhysicalResourceId: 'orders-encrypted' });
    expect(calls).toEqual([]);
    await expect(snapshots.handleEvent({ RequestType: 'Update', PhysicalResourceId: 'orders-encrypted', ResourceProperties: { ...RDS, KmsKeyId: 'k2' }, OldResourceProperties: RDS }, api, 'r'))
      .rejects.toThrow(/give it a new targetIdentifier/);
    expect(await snapshots.handleEvent({ RequestType: 'Update', PhysicalResourceId: 'orders-encrypted', ResourceProperties: { ...RDS, TargetIdentifier: 'orders-2' }, OldResourceProperties: RDS }, api, 'r'))
      .toEqual({ PhysicalResourceId: 'orders-2' });
  });

  test('delete: only the copy it made, already deleted is fine', async () => {
    const { api, calls } = fake<snapshots.SnapshotApi>({ deleteSnapshot: () => { throw awsError('InvalidSnapshot.NotFound'); } });
    await snapshots.handleEvent({ RequestType: 'Delete', PhysicalResourceId: 'orders-encrypted', ResourceProperties: RDS }, api, 'r');
    await snapshots.handleEvent({ RequestType: 'Delete', PhysicalResourceId: 'orders-encrypted', ResourceProperties: CLUSTER }, api, 'r');
    await snapshots.handleEvent({ RequestType: 'Delete', PhysicalResourceId: 'snap-0fedcba9876543210', ResourceProperties: EBS }, api, 'r');
    await snapshots.handleEvent({ RequestType: 'Delete', PhysicalResourceId: 'request-id-of-a-failed-create', ResourceProperties: RDS }, api, 'r');
    await snapshots.handleEvent({ RequestType: 'Delete', PhysicalResourceId: 'request-id-of-a-failed-create', ResourceProperties: EBS }, api, 'r');
    expect(calls).toEqual([
      ['deleteDBSnapshot', { DBSnapshotIdentifier: 'orders-encrypted' }],
      ['deleteDBClusterSnapshot', { DBClusterSnapshotIdentifier: 'orders-encrypted' }],
      ['deleteSnapshot', { SnapshotId: 'snap-0fedcba9876543210' }],
    ]);
  });
});
