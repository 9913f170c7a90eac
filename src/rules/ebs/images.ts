import { ResourceView } from '../../engine/resource-view';
import { RuleContext } from '../../engine/rule-context';
import { intrinsicName, JsonObject } from '../../engine/values';

/**
 * Device names an AMI may use for its root volume, when the template does not say which AMI:
 * `/dev/xvda` (Amazon Linux and most HVM images), `/dev/sda1` (Ubuntu, RHEL, Windows) and
 * `/dev/sda`. A mapping for one of them is taken to be the root: a documented convention.
 */
export const CONVENTIONAL_ROOT_DEVICES: readonly string[] = ['/dev/xvda', '/dev/sda1', '/dev/sda', 'xvda', 'sda1'];

/**
 * Root device names by the public SSM parameter path of an AMI family (AWS and vendor
 * documentation), and the other EBS volumes the family's AMIs map.
 */
const ROOT_BY_SSM_PATH: ReadonlyArray<[RegExp, readonly string[], ReadonlyArray<readonly string[]>?]> = [
  [/\/aws\/service\/ami-amazon-linux-latest\/|\/aws\/service\/ecs\/optimized-ami\/amazon-linux|\/aws\/service\/eks\/optimized-ami\/.*amazon-linux/i, ['/dev/xvda', 'xvda']],
  [/\/aws\/service\/canonical\/ubuntu\//i, ['/dev/sda1', 'sda1']],
  [/\/aws\/service\/ami-windows-latest\//i, ['/dev/sda1', 'sda1']],
  [/\/aws\/service\/debian\//i, ['/dev/xvda', 'xvda']],
  // Bottlerocket's AMIs map two volumes: the OS on /dev/xvda and the data volume on /dev/xvdb
  // (container images, pod storage; Bottlerocket's README, "Default volumes").
  [/\/aws\/service\/bottlerocket\//i, ['/dev/xvda', 'xvda'], [['/dev/xvdb', 'xvdb']]],
];

/** Which device is the root volume of the AMI at `path`, and whether that comes from the AMI itself. */
export interface RootDevice {
  readonly names: readonly string[];
  /** Whether the AMI (its public parameter) tells the name, rather than the convention. */
  readonly fromImage: boolean;
  /**
   * The AMI's other EBS volumes (each by its spellings): created from the AMI's snapshots, so
   * unencrypted unless mapped with encryption too.
   */
  readonly others?: ReadonlyArray<readonly string[]>;
}

export const CONVENTIONAL: RootDevice = { names: CONVENTIONAL_ROOT_DEVICES, fromImage: false };

/**
 * The root device of the image a resource names at `path` (`ImageId`): an AMI given through a
 * public SSM parameter (what `ec2.MachineImage.latestAmazonLinux2023()` and friends render) names
 * its family, hence its root device; a literal AMI ID or anything else falls back to the convention.
 */
export function rootDeviceOf(context: RuleContext, view: ResourceView, path: readonly string[]): RootDevice | undefined {
  const image = view.read(...path);
  if (image === undefined) {
    return undefined;
  }
  if (intrinsicName(image) === 'Ref') {
    // A parameter (also a nested stack's, given its parent's) by its default: an SSM parameter type
    // names the path, a String may name it as EC2 or CloudFormation resolves it.
    const parameter = context.parameter(view, String((image as JsonObject).Ref));
    if (parameter !== undefined && typeof parameter.default === 'string') {
      const ssmPath = parameter.type?.startsWith('AWS::SSM::Parameter::Value') ? parameter.default : pathResolvedIn(parameter.default);
      return (ssmPath === undefined ? undefined : familyAt(ssmPath)) ?? CONVENTIONAL;
    }
  }
  if (typeof image === 'string') {
    const ssmPath = pathResolvedIn(image);
    return (ssmPath === undefined ? undefined : familyAt(ssmPath)) ?? CONVENTIONAL;
  }
  return CONVENTIONAL;
}

/**
 * The SSM parameter path an image ID resolves: EC2 resolves `resolve:ssm:<path>` at launch
 * (`MachineImage.resolveSsmParameterAtLaunch`), CloudFormation a `{{resolve:ssm:<path>}}` dynamic
 * reference at deploy time.
 */
function pathResolvedIn(image: string): string | undefined {
  return /^resolve:ssm:(.+)$/.exec(image)?.[1] ?? /^\{\{resolve:ssm:([^}]+)\}\}$/.exec(image)?.[1];
}

/** The root device (and other volumes) of the AMI family a public SSM parameter path names. */
function familyAt(path: string): RootDevice | undefined {
  const family = ROOT_BY_SSM_PATH.find(([pattern]) => pattern.test(path));
  return family === undefined ? undefined : { names: family[1], fromImage: true, others: family[2] };
}

/** The custom resource type of `EbsEncryptionByDefault`. */
const EBS_ENCRYPTION_BY_DEFAULT = 'Custom::EbsEncryptionByDefault';

/** What an `EbsEncryptionByDefault` of the app proves for the volumes a resource launches. */
export interface ByDefault {
  /** EC2 encrypts every new volume of the resource, also a root volume nobody mapped. */
  readonly proven: boolean;
  /** Why one in the same account and Region proves nothing here, for the finding. */
  readonly note?: string;
}

/**
 * Whether the app turns on EBS encryption by default (`EbsEncryptionByDefault`) in the account and
 * Region of the resource before CloudFormation creates it: one that may be created after it (no
 * dependency either way) leaves the volumes of the first deployment unencrypted.
 */
export function encryptedByDefault(context: RuleContext, view: ResourceView): ByDefault {
  const settings = context.inSameEnvironment(view, EBS_ENCRYPTION_BY_DEFAULT);
  if (settings.some(setting => context.createdAfter(view, setting))) {
    return { proven: true };
  }
  return settings.length === 0 ? { proven: false } : {
    proven: false,
    note: `; the EbsEncryptionByDefault ${settings[0].path} turns encryption by default on in this account and Region, but nothing makes `
      + 'CloudFormation create this resource after it (add `node.addDependency(...)` on it, or a stack dependency)',
  };
}
