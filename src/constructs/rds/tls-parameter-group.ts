import { Stack } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { EncryptedRdsInstanceProps } from './encrypted-rds-instance-props';
import { TlsParameter } from '../../aws/rds-tls-parameters';

/**
 * The instance's parameter group, with the engine's TLS parameter set: the group passed in (the
 * refusals made sure it is an `rds.ParameterGroup` of this app that does not turn TLS off), or a
 * new one. An imported group is returned as it is.
 */
export function tlsParameterGroup(scope: Construct, id: string, props: EncryptedRdsInstanceProps, parameter: TlsParameter): rds.IParameterGroup {
  const parameterGroup = props.parameterGroup
    ?? new rds.ParameterGroup(scope, `${id}Parameters`, { engine: props.engine, description: `TLS only for ${id}`, parameters: {} });
  if (parameterGroup instanceof rds.ParameterGroup) {
    parameterGroup.addParameter(parameter.name, parameter.value);
  }
  return parameterGroup;
}

/**
 * The parameters a parameter group will render. Binding creates the L1 group the instance would
 * create anyway when it binds, so reading it early changes nothing.
 */
export function parametersOf(group: rds.ParameterGroup): Record<string, unknown> {
  group.bindToInstance({});
  const cfn = group.node.children.find((c): c is rds.CfnDBParameterGroup => c instanceof rds.CfnDBParameterGroup);
  return (cfn === undefined ? {} : Stack.of(group).resolve(cfn.parameters)) ?? {};
}
