import { InheritedMappings, judgeMappings, LAUNCH_CONFIGURATION_DEVICES, LAUNCH_TEMPLATE_DEVICES } from './block-devices';
import { rootDeviceOf } from './images';
import { isResourceReference } from '../../engine/resource-reference';
import { ResourceView } from '../../engine/resource-view';
import { TargetSpec, RuleContext } from '../../engine/rule-context';
import { readObject, whyUnknown } from '../../engine/values';


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
  const version = judgeVersion(from.read(...path, 'Version'), template.value);
  if (version !== undefined) {
    return { devices: `${where}.Version ${version}`, label };
  }
  return {
    label,
    root: rootDeviceOf(context, template.value, ['LaunchTemplateData', 'ImageId']),
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
    root: rootDeviceOf(context, configuration.value, ['ImageId']),
    devices: context.memo(LAUNCH_CONFIGURATION_DEVICES, configuration.value, () =>
      judgeMappings(configuration.value.read('BlockDeviceMappings'), label)),
  };
}

/**
 * Why the launch template version used is not the one the template defines, or `undefined` when
 * it is: the default or latest version (`$Default`, `$Latest`, absent, or the template's
 * `DefaultVersionNumber`/`LatestVersionNumber`), or version 1, which CloudFormation creates from
 * the template data. Another number names a version this template does not show.
 */
function judgeVersion(version: unknown, template: ResourceView): string | undefined {
  if (version === undefined || version === '$Default' || version === '$Latest' || version === '1' || version === 1) {
    return undefined;
  }
  if (isResourceReference(version)) {
    return version.target === template.resource && ['LatestVersionNumber', 'DefaultVersionNumber'].includes(version.attribute) ? undefined
      : `is ${version.toJSON()}, not a version of ${template.displayName}`;
  }
  if (typeof version === 'string' || typeof version === 'number') {
    return `is ${version}: that version of ${template.displayName} may hold other data than the template defines now`;
  }
  return `cannot be known at synth time: ${whyUnknown(version, 'Version')}`;
}
