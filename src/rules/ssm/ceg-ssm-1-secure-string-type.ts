import { COMPLIANT, nonCompliant, Rule, unresolvableField } from '../../engine/rule';
import { FindingLevel, RuleService } from '../../gate/levels';

/** CEG-SSM-1: no `AWS::SSM::Parameter` of type `SecureString` (CloudFormation cannot create one). */
export const secureStringType: Rule = {
  id: 'CEG-SSM-1',
  service: RuleService.SSM,
  title: 'Parameter Store parameters are not declared as `SecureString` in the template (CloudFormation cannot create them)',
  rationale:
    'CloudFormation does not support creating SecureString parameters: `AWS::SSM::Parameter` with `Type: SecureString` fails at deploy '
    + 'time (aws-cdk-lib\'s deprecated `type: ParameterType.SECURE_STRING` still emits it), and a value written in the template would be '
    + 'in plain text in the template and the stack\'s history anyway.',
  fix: 'Use `SecureStringParameter` of this library: a custom resource creates the SecureString under a customer managed key and '
    + 'generates its value or copies it from a Secrets Manager secret, so the value never appears in the template; or keep the value in '
    + 'Secrets Manager.',
  resourceTypes: ['AWS::SSM::Parameter'],
  defaultLevel: FindingLevel.ERROR,

  check(parameter) {
    const type = parameter.string('Type');
    if (!type.known) {
      return unresolvableField(type);
    }
    if (type.value === 'SecureString') {
      return nonCompliant('The parameter is declared with Type SecureString, which CloudFormation cannot create: the deployment fails', type.location);
    }
    return COMPLIANT;
  },
};
