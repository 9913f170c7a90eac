import { judgeMappings, LAUNCH_CONFIGURATION_DEVICES, LAUNCH_TEMPLATE_DEVICES } from './block-devices';
import { COMPLIANT, nonCompliant, Rule, unresolvable } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/**
 * CEG-EBS-2: every EBS mapping of a launch template or launch configuration is encrypted.
 *
 * The root volume is not judged here: a template without a root mapping is fine when the
 * instances that use it map the root themselves. CEG-EBS-3 and CEG-EBS-4 judge what is launched.
 */
export const launchDefinitionVolumes: Rule = {
  id: 'CEG-EBS-2',
  service: RuleService.EBS,
  title: 'Launch templates and launch configurations map only encrypted EBS volumes',
  rationale:
    'Every instance launched from a template gets its volumes: one unencrypted mapping multiplies into unencrypted '
    + 'volumes across a fleet. Instance-store volumes are not EBS and are not judged.',
  fix: 'Use `ec2.BlockDeviceVolume.ebs(size, { encrypted: true })` in `blockDevices`, or set `Ebs.Encrypted: true` on each EBS mapping.',
  resourceTypes: ['AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'],
  defaultLevel: FindingLevel.ERROR,

  check(definition, context) {
    const isTemplate = definition.type === 'AWS::EC2::LaunchTemplate';
    const location = isTemplate ? 'Properties.LaunchTemplateData.BlockDeviceMappings' : 'Properties.BlockDeviceMappings';
    const purpose = isTemplate ? LAUNCH_TEMPLATE_DEVICES : LAUNCH_CONFIGURATION_DEVICES;
    const noun = isTemplate ? 'launch template' : 'launch configuration';
    const devices = context.memo(purpose, definition, () => judgeMappings(
      isTemplate ? definition.read('LaunchTemplateData', 'BlockDeviceMappings') : definition.read('BlockDeviceMappings'),
      () => `${noun} ${definition.displayName}`));
    if (typeof devices === 'string') {
      return unresolvable(devices, location);
    }
    const problems = devices.filter(d => d.state === 'problem').map(d => d.detail);
    if (problems.length > 0) {
      return nonCompliant(`The ${noun} maps unencrypted EBS volumes: ${problems.join('; ')}`, location);
    }
    const unknowns = devices.filter(d => d.state === 'unknown').map(d => d.detail);
    if (unknowns.length > 0) {
      return unresolvable(`The encryption of the ${noun}'s EBS mappings cannot be known: ${unknowns.join('; ')}`, location);
    }
    return COMPLIANT;
  },
};
