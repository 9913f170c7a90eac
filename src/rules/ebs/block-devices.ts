import { ByDefault, CONVENTIONAL, RootDevice } from './images';
import { MemoKey } from '../../engine/rule-context';
import { field, readBoolean, readList, readObject, readString } from '../../engine/values';

import { isEncryptedCopy } from '../encrypted-copies';

/** The judged mappings of a launch template, or why they cannot be known; once per template view. */
export const LAUNCH_TEMPLATE_DEVICES = new MemoKey<DeviceJudgement[] | string>('ebs:launch-template');

/** The same for a launch configuration. */
export const LAUNCH_CONFIGURATION_DEVICES = new MemoKey<DeviceJudgement[] | string>('ebs:launch-configuration');

/** Names a resource for messages; called only when a message is written. */
export type Label = () => string;

/** What one block device mapping says about encryption. */
export interface DeviceJudgement {
  readonly deviceName: string;
  /** `ok`: encrypted EBS; `problem`/`unknown`: with `detail`; `not-ebs`: instance store or NoDevice. */
  readonly state: 'ok' | 'problem' | 'unknown' | 'not-ebs';
  readonly detail?: string;
}

/**
 * Judges a `BlockDeviceMappings` list (the same shape on instances, launch templates and launch
 * configurations). Instance-store (`VirtualName`) and `NoDevice` mappings are not EBS volumes.
 * Returns the reason instead when the list itself is unknown (an intrinsic in its place).
 */
export function judgeMappings(value: unknown, origin: Label): DeviceJudgement[] | string {
  const list = readList(value, 'BlockDeviceMappings');
  if (!list.known) {
    return `${list.why} (${origin()})`;
  }
  return (list.value ?? []).map((mapping, i) => judgeMapping(mapping, i, origin));
}

function judgeMapping(mapping: unknown, i: number, label: Label): DeviceJudgement {
  const name = readString(field(mapping, 'DeviceName'), 'DeviceName');
  const deviceName = name.known && name.value !== undefined ? name.value : `mapping #${i}`;
  const judged = (state: DeviceJudgement['state'], detail?: string): DeviceJudgement => ({ deviceName, state, detail });
  const origin = () => label();
  if (!name.known) {
    return judged('unknown', name.why);
  }
  if (isPresent(field(mapping, 'VirtualName')) || suppressesDevice(field(mapping, 'NoDevice'))) {
    return judged('not-ebs');
  }
  const ebs = readObject(field(mapping, 'Ebs'), `${deviceName}.Ebs`);
  if (!ebs.known) {
    return judged('unknown', ebs.why);
  }
  if (ebs.value === undefined) {
    return judged('not-ebs');
  }
  const encrypted = readBoolean(field(ebs.value, 'Encrypted'), `Ebs.Encrypted of ${deviceName}`);
  if (!encrypted.known) {
    return judged('unknown', encrypted.why);
  }
  if (encrypted.value === true) {
    return judged('ok');
  }
  if (encrypted.value === false) {
    return judged('problem', `${deviceName} (${origin()}) sets Ebs.Encrypted to false`);
  }
  if (isEncryptedCopy(field(ebs.value, 'SnapshotId'))) {
    return judged('ok');
  }
  if (field(ebs.value, 'SnapshotId') !== undefined) {
    return judged('unknown', `${deviceName} (${origin()}) sets no Ebs.Encrypted and is created from a snapshot, whose encryption it inherits`);
  }
  return judged('problem', `${deviceName} (${origin()}) sets no Ebs.Encrypted`);
}

/** A launch source whose mappings apply under the resource's own (for instances: its launch template). */
export interface InheritedMappings {
  /** The judged mappings, or why they cannot be known. */
  readonly devices: DeviceJudgement[] | string;
  /** What they come from, for messages ("launch template LT"). */
  readonly label: Label;
  /** The root device of the image the source names, if it names one. */
  readonly root?: RootDevice;
}

/** The outcome for everything a launched instance gets: each EBS device and the root volume. */
export interface LaunchJudgement {
  readonly problems: string[];
  readonly unknowns: string[];
}

/**
 * Judges the volumes an instance is launched with: its own mappings over those inherited from a
 * launch template or launch configuration (the instance's own win, device by device), and whether
 * any mapping proves the root volume is encrypted. Without such a mapping the root volume comes from
 * the AMI's snapshot, unencrypted unless the account turned on EBS encryption by default, which a
 * template cannot declare.
 */
export function judgeLaunchedVolumes(
  own: DeviceJudgement[] | string, inherited: InheritedMappings[], ownLabel?: Label, ownRoot?: RootDevice, byDefault: ByDefault = { proven: false },
): LaunchJudgement {
  // The instance's own ImageId wins over its launch template's.
  const rootDevice = ownRoot ?? inherited.map(i => i.root).find(r => r !== undefined) ?? CONVENTIONAL;
  const problems: string[] = [];
  const unknowns: string[] = [];
  const byDevice = new Map<string, DeviceJudgement>();
  let inheritedUnknown = false;
  for (const source of inherited) {
    if (typeof source.devices === 'string') {
      unknowns.push(source.devices);
      inheritedUnknown = true;
      continue;
    }
    for (const device of source.devices) {
      byDevice.set(device.deviceName, device);
    }
  }
  if (typeof own === 'string') {
    unknowns.push(own);
  } else {
    for (const device of own) {
      byDevice.set(device.deviceName, device);
    }
  }
  for (const device of byDevice.values()) {
    if (device.state === 'problem') {
      problems.push(device.detail!);
    } else if (device.state === 'unknown') {
      unknowns.push(device.detail!);
    }
  }
  const root = rootDevice.names.map(name => byDevice.get(name)).find(d => d !== undefined);
  // With EBS encryption by default on in the account and Region (an EbsEncryptionByDefault of the
  // app, created first), EC2 encrypts every new volume, the root volume from the AMI included.
  if (root === undefined && !inheritedUnknown && typeof own !== 'string' && !byDefault.proven) {
    const places = [...(ownLabel ? [ownLabel] : []), ...inherited.map(i => i.label)].map(label => label()).join(' or ');
    const names = rootDevice.fromImage ? `${rootDevice.names[0]}, the root device of its AMI` : `${rootDevice.names.slice(0, 2).join(' or ')}`;
    problems.push(
      `no block device mapping for the root device (${names}) in ${places}, so the root volume comes `
      + `from the AMI and is unencrypted unless the account turned on EBS encryption by default, which the template cannot prove${byDefault.note ?? ''}`,
    );
  }
  if (!inheritedUnknown && typeof own !== 'string' && !byDefault.proven) {
    for (const other of rootDevice.others ?? []) {
      if (!other.some(name => byDevice.has(name))) {
        const places = [...(ownLabel ? [ownLabel] : []), ...inherited.map(i => i.label)].map(label => label()).join(' or ');
        problems.push(`no block device mapping for ${other[0]}, a volume its AMI maps besides the root, in ${places}, so that volume comes from the `
          + `AMI's snapshot and is unencrypted unless the account turned on EBS encryption by default${byDefault.note ?? ''}`);
      }
    }
  }
  return { problems, unknowns };
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Whether `NoDevice` suppresses the mapping: every value does on instances (`{}`) and launch
 * templates (a string, usually empty), but on a launch configuration it is a Boolean and only
 * `true` suppresses the device (AWS::AutoScaling::LaunchConfiguration BlockDeviceMapping).
 */
function suppressesDevice(value: unknown): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  return !(value === false || (typeof value === 'string' && value.toLowerCase() === 'false'));
}
