import { InheritedMappings, judgeLaunchedVolumes, judgeMappings } from './block-devices';
import { encryptedByDefault, rootDeviceOf } from './images';
import { launchTemplateMappings } from './launch-sources';
import { launchVerdict } from './launch-verdict';
import { Rule } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/**
 * CEG-EBS-3: an EC2 instance launches only encrypted EBS volumes, root volume included, judged
 * through its launch template when it has one.
 */
export const instanceVolumes: Rule = {
  id: 'CEG-EBS-3',
  service: RuleService.EBS,
  title: 'EC2 instances launch only encrypted EBS volumes, root volume included (through their launch template)',
  rationale:
    'An instance without a mapping for its root device gets the root volume from the AMI\'s snapshot: unencrypted unless the '
    + 'account turned on EBS encryption by default, which a template proves only with an `EbsEncryptionByDefault` in the same account and '
    + 'Region that CloudFormation creates before the instance. cdk-nag does not check the root volume.',
  fix: 'Map the root device (`/dev/xvda` on Amazon Linux, `/dev/sda1` on Ubuntu and Windows) with '
    + '`ec2.BlockDeviceVolume.ebs(size, { encrypted: true })` in `blockDevices`, on the instance or in its launch template, '
    + 'and encrypt every other EBS mapping, also the volumes the AMI maps besides the root (Bottlerocket\'s data volume `/dev/xvdb`); or add an `EbsEncryptionByDefault` to the account and Region, and make the instance depend on it.',
  resourceTypes: ['AWS::EC2::Instance'],
  defaultLevel: FindingLevel.ERROR,

  check(instance, context) {
    const inherited: InheritedMappings[] = [];
    const template = instance.has('LaunchTemplate');
    if (template) {
      inherited.push(launchTemplateMappings(context, instance, ['LaunchTemplate']));
    }
    const own = judgeMappings(instance.read('BlockDeviceMappings'), () => 'the instance');
    const location = template ? 'Properties.LaunchTemplate' : 'Properties.BlockDeviceMappings';
    return launchVerdict(judgeLaunchedVolumes(own, inherited, () => 'the instance', rootDeviceOf(context, instance, ['ImageId']), encryptedByDefault(context, instance)), 'The instance', location);
  },
};
