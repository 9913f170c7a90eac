import { InheritedMappings, judgeMappings, LAUNCH_CONFIGURATION_DEVICES, LAUNCH_TEMPLATE_DEVICES } from './block-devices';
import { TargetSpec } from '../../engine/rule-context';
import { ResourceView } from '../../engine/resource-view';
import { RuleContext } from '../../engine/rule-context';
import { readObject } from '../../engine/values';


const LAUNCH_TEMPLATE: TargetSpec = {
  types: ['AWS::EC2::LaunchTemplate'],
  nameProperty: 'LaunchTemplateName',
  noun: 'launch template',
};

const LAUNCH_CONFIGURATION: TargetSpec = {
  types: ['AWS::AutoScaling::LaunchConfiguration'],
  nameProperty: 'LaunchConfigurationName',
  noun: 'launch configuration',
};

/**
 * The block device mappings an instance or Auto Scaling group takes from the launch template
 * specification at `path` (`{ LaunchTemplateId | LaunchTemplateName, Version }`), judged once per
 * template.
 */
export function launchTemplateMappings(context: RuleContext, from: ResourceView, path: string[]): InheritedMappings {
  const where = path.join('.');
  const by = from.has(...path, 'LaunchTemplateId') ? 'LaunchTemplateId' : 'LaunchTemplateName';
  if (by === 'LaunchTemplateName' && !from.has(...path, by)) {
    const spec = readObject(from.read(...path), where);
    return { devices: spec.known ? `${where} names no launch template` : spec.why, label: () => where };
  }
  const template = context.target(from, [...path, by], LAUNCH_TEMPLATE);
  if (!template.known) {
    return { devices: template.why, label: () => where };
  }
  const label = () => `launch template ${template.value.displayName}`;
  return {
    label,
    devices: context.memo(LAUNCH_TEMPLATE_DEVICES, template.value, () =>
      judgeMappings(template.value.read('LaunchTemplateData', 'BlockDeviceMappings'), label)),
  };
}

/** The block device mappings an Auto Scaling group takes from its launch configuration. */
export function launchConfigurationMappings(context: RuleContext, from: ResourceView): InheritedMappings {
  const configuration = context.target(from, ['LaunchConfigurationName'], LAUNCH_CONFIGURATION);
  if (!configuration.known) {
    return { devices: configuration.why, label: () => 'LaunchConfigurationName' };
  }
  const label = () => `launch configuration ${configuration.value.displayName}`;
  return {
    label,
    devices: context.memo(LAUNCH_CONFIGURATION_DEVICES, configuration.value, () =>
      judgeMappings(configuration.value.read('BlockDeviceMappings'), label)),
  };
}
