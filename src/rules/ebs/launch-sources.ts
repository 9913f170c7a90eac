import { findTarget, TargetSpec } from '../../engine/references';
import { ResourceView } from '../../engine/resource-view';
import { RuleContext } from '../../engine/rule-context';
import { field, readObject } from '../../engine/values';
import { InheritedMappings, judgeMappings } from './block-devices';

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
 * The block device mappings an instance or Auto Scaling group takes from a launch template
 * specification (`{ LaunchTemplateId | LaunchTemplateName, Version }`), judged once per template.
 */
export function launchTemplateMappings(context: RuleContext, from: ResourceView, specification: unknown, where: string): InheritedMappings {
  const spec = readObject(specification, where);
  if (!spec.known) {
    return { devices: spec.why, label: where };
  }
  const id = field(spec.value, 'LaunchTemplateId');
  const reference = id ?? field(spec.value, 'LaunchTemplateName');
  const what = `${where}.${id !== undefined ? 'LaunchTemplateId' : 'LaunchTemplateName'}`;
  const template = findTarget(context, from, reference, LAUNCH_TEMPLATE, what);
  if (!template.known) {
    return { devices: template.why, label: where };
  }
  return {
    label: `launch template ${template.value.logicalId}`,
    devices: context.memo('ebs:launch-template', template.value, () =>
      judgeMappings(template.value.read('LaunchTemplateData', 'BlockDeviceMappings'), `launch template ${template.value.logicalId}`)),
  };
}

/** The block device mappings an Auto Scaling group takes from its launch configuration. */
export function launchConfigurationMappings(context: RuleContext, from: ResourceView, name: unknown): InheritedMappings {
  const configuration = findTarget(context, from, name, LAUNCH_CONFIGURATION, 'LaunchConfigurationName');
  if (!configuration.known) {
    return { devices: configuration.why, label: 'LaunchConfigurationName' };
  }
  return {
    label: `launch configuration ${configuration.value.logicalId}`,
    devices: context.memo('ebs:launch-configuration', configuration.value, () =>
      judgeMappings(configuration.value.read('BlockDeviceMappings'), `launch configuration ${configuration.value.logicalId}`)),
  };
}
