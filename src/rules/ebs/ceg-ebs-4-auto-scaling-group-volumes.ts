import { InheritedMappings, judgeLaunchedVolumes } from './block-devices';
import { encryptedByDefault } from './images';
import { launchConfigurationMappings, launchTemplateMappings } from './launch-sources';
import { launchVerdict } from './launch-verdict';
import { NOT_APPLICABLE, Rule, unresolvable } from '../../engine/rule';
import { field, readList, readObject } from '../../engine/values';
import { FindingLevel, RuleService } from '../../gate/levels';

/**
 * CEG-EBS-4: an Auto Scaling group launches only encrypted EBS volumes, root volume included,
 * judged through its launch template(s) or launch configuration.
 */
export const autoScalingGroupVolumes: Rule = {
  id: 'CEG-EBS-4',
  service: RuleService.EBS,
  title: 'Auto Scaling groups launch only encrypted EBS volumes, root volume included (through their launch template or configuration)',
  rationale:
    'A group launches every instance from its launch template (or each template of a mixed instances policy) or launch '
    + 'configuration: the volumes they map, and the root volume they fail to map, are what the whole fleet gets.',
  fix: 'In the launch template or launch configuration, map the root device with `ec2.BlockDeviceVolume.ebs(size, { encrypted: true })` '
    + 'and encrypt every other EBS mapping, also the volumes the AMI maps besides the root (Bottlerocket\'s data volume `/dev/xvdb`).',
  resourceTypes: ['AWS::AutoScaling::AutoScalingGroup'],
  defaultLevel: FindingLevel.ERROR,

  check(group, context) {
    const sources: InheritedMappings[] = [];
    let location = 'Properties.LaunchTemplate';
    if (group.has('LaunchConfigurationName')) {
      location = 'Properties.LaunchConfigurationName';
      sources.push(launchConfigurationMappings(context, group));
    }
    if (group.has('LaunchTemplate')) {
      sources.push(launchTemplateMappings(context, group, ['LaunchTemplate']));
    }
    if (group.has('MixedInstancesPolicy')) {
      location = 'Properties.MixedInstancesPolicy.LaunchTemplate';
      const policy = readObject(group.read('MixedInstancesPolicy', 'LaunchTemplate'), 'MixedInstancesPolicy.LaunchTemplate');
      if (!policy.known) {
        return unresolvable(policy.why, location);
      }
      const where = ['MixedInstancesPolicy', 'LaunchTemplate'];
      sources.push(launchTemplateMappings(context, group, [...where, 'LaunchTemplateSpecification']));
      const overrides = readList(field(policy.value, 'Overrides'), 'MixedInstancesPolicy.LaunchTemplate.Overrides');
      if (!overrides.known) {
        return unresolvable(overrides.why, location);
      }
      for (const [i, override] of (overrides.value ?? []).entries()) {
        if (field(override, 'LaunchTemplateSpecification') !== undefined) {
          sources.push(launchTemplateMappings(context, group, [...where, 'Overrides', String(i), 'LaunchTemplateSpecification']));
        }
      }
    }
    if (sources.length === 0) {
      if (group.has('InstanceId')) {
        return unresolvable('The group copies its launch settings from an existing instance (InstanceId), whose volumes the template does not show', 'Properties.InstanceId');
      }
      return NOT_APPLICABLE;
    }
    // Each source launches instances on its own: judge each, and report them together.
    const problems: string[] = [];
    const unknowns: string[] = [];
    const byDefault = encryptedByDefault(context, group);
    for (const source of sources) {
      const judgement = judgeLaunchedVolumes([], [source], undefined, undefined, byDefault);
      problems.push(...judgement.problems);
      unknowns.push(...judgement.unknowns);
    }
    return launchVerdict({ problems, unknowns }, 'The group', location);
  },
};
