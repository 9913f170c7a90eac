import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { CmkWithPolicy } from '../kms/cmk-with-policy';
import { acknowledgeOnResource } from '../private/checker-acknowledgements';

/**
 * How a construct's custom resource provider is built.
 * @internal
 */
export interface HandlerProviderOptions {
  /** Construct ID of the provider in its stack (one provider per stack and construct type). */
  readonly id: string;
  /** What the handler does, for the function's and roles' descriptions. */
  readonly description: string;
  /** The directory with the compiled handler (`index.js`, next to the construct's file). */
  readonly handlerDirectory: string;
  /** Whether the handler exports `isComplete` (asynchronous resources). */
  readonly isComplete?: boolean;
  /** How long one invocation of the handler may run. */
  readonly timeout?: Duration;
  /** With `isComplete`: how long the whole operation may take, and how often it is polled. */
  readonly totalTimeout?: Duration;
  readonly queryInterval?: Duration;
}

/**
 * The provider framework around one of our handlers, built to pass the checkers our users run:
 * our own roles (no AWS managed policies), log groups with a retention and encrypted with a customer
 * managed key, and the waiter state machine logging to one. What the checkers still report, and why
 * it does not apply, is acknowledged here with the AWS fact as the reason.
 * @internal
 */
export class HandlerProvider extends Construct {
  /** The provider of `options.id` in the stack of `scope`, made on first use. */
  public static of(scope: Construct, options: HandlerProviderOptions): HandlerProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(options.id) as HandlerProvider | undefined) ?? new HandlerProvider(stack, options);
  }

  /** The role of the handler: the constructs add what each resource needs. */
  public readonly role: iam.Role;
  public readonly serviceToken: string;
  public readonly handler: lambda.Function;

  private constructor(stack: Stack, options: HandlerProviderOptions) {
    super(stack, options.id);
    const logKey = logsKey(stack);
    const logGroup = (id: string) => new logs.LogGroup(this, id, {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const lambdaPrincipal = new iam.ServicePrincipal('lambda.amazonaws.com');

    this.role = new iam.Role(this, 'HandlerRole', { assumedBy: lambdaPrincipal, description: options.description });
    const handlerLogs = logGroup('HandlerLogs');
    handlerLogs.grantWrite(this.role);
    this.handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.onEvent',
      code: lambda.Code.fromAsset(options.handlerDirectory),
      timeout: options.timeout ?? Duration.minutes(2),
      role: this.role,
      logGroup: handlerLogs,
      description: options.description,
    });
    let isCompleteHandler: lambda.Function | undefined;
    if (options.isComplete) {
      isCompleteHandler = new lambda.Function(this, 'IsCompleteHandler', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.isComplete',
        code: lambda.Code.fromAsset(options.handlerDirectory),
        timeout: Duration.minutes(1),
        role: this.role,
        logGroup: handlerLogs,
        description: `${options.description} (completion check)`,
      });
    }

    const frameworkRole = new iam.Role(this, 'FrameworkRole', { assumedBy: lambdaPrincipal, description: `Provider framework of: ${options.description}` });
    const frameworkLogs = logGroup('FrameworkLogs');
    frameworkLogs.grantWrite(frameworkRole);
    let waiterRole: iam.Role | undefined;
    if (options.isComplete) {
      waiterRole = new iam.Role(this, 'WaiterRole', { assumedBy: lambdaPrincipal, description: `Completion checks of: ${options.description}` });
      frameworkLogs.grantWrite(waiterRole);
    }
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler,
      isCompleteHandler,
      frameworkOnEventRole: frameworkRole,
      frameworkCompleteAndTimeoutRole: waiterRole,
      logGroup: frameworkLogs,
      ...(options.isComplete ? {
        totalTimeout: options.totalTimeout,
        queryInterval: options.queryInterval,
        disableWaiterStateMachineLogging: false,
        waiterStateMachineLogOptions: { destination: logGroup('WaiterLogs'), level: sfn.LogLevel.ALL, includeExecutionData: false },
      } : {}),
    });
    this.serviceToken = provider.serviceToken;
    acknowledgeCheckerFindings(stack, this);
  }
}

/** One key per stack encrypts the log groups of our providers; CloudWatch Logs may use it for them only. */
function logsKey(stack: Stack): CmkWithPolicy {
  const id = 'CegProviderLogsKey';
  const existing = stack.node.tryFindChild(id) as CmkWithPolicy | undefined;
  if (existing) {
    return existing;
  }
  const key = new CmkWithPolicy(stack, id, { description: 'Encrypts the log groups of cdk-encryption-guard custom resources' });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
    },
  }));
  return key;
}

/**
 * What cdk-nag's packs and the Control Tower controls report on the provider, and why it does not
 * apply. Each reason is an AWS fact; the constructs' oracle tests prove each is still needed.
 */
function acknowledgeCheckerFindings(stack: Stack, provider: Construct): void {
  const functions = provider.node.findAll().filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction);
  const ack = (scope: IConstruct, ids: string[], reason: string) => {
    for (const id of ids) {
      Validations.of(scope).acknowledge({ id, reason });
    }
  };
  for (const fn of functions) {
    ack(fn, ['NIST.800.53.R5-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'cdk-validator-cfnguard::lambda_inside_vpc_check'],
      'This function calls only AWS service APIs over TLS and reaches nothing inside a VPC; in a VPC it would need a NAT gateway or interface endpoints to reach them.');
    ack(fn, ['NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency'],
      'Runs once per deployment of a custom resource; reserving concurrency takes it from the account pool, and AWS refuses any reservation in accounts at the minimum unreserved concurrency.');
    ack(fn, ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'],
      'A failed invocation is reported to CloudFormation by the provider framework, which fails and rolls back the deployment; a dead-letter queue would only duplicate that.');
  }
  for (const policy of provider.node.findAll().filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy)) {
    ack(policy, ['NIST.800.53.R5-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy'],
      'An inline policy belongs to exactly one role of this provider and is deleted with it; it is the policy CDK grants write.');
    // aws-cdk-lib's grantInvoke allows the function and its versions (`<function ARN>:*`): only these
    // functions, and only on a policy that names them (known once the policies are complete, at synthesis).
    for (const fn of functions) {
      const logicalId = stack.getLogicalId(fn);
      acknowledgeOnResource(policy, [`AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`],
        'lambda:InvokeFunction on the versions of one of this provider\'s own functions, as aws-cdk-lib grantInvoke writes it.',
        () => JSON.stringify(stack.resolve(policy.policyDocument)).includes(JSON.stringify([logicalId, 'Arn'])));
    }
  }
  const waiter = provider.node.tryFindChild('Provider')?.node.tryFindChild('waiter-state-machine');
  if (waiter !== undefined) {
    const role = waiter.node.tryFindChild('Role') as iam.Role;
    // X-Ray tracing of the waiter (Control Tower CT.STEPFUNCTIONS.PR.2, cdk-nag SF2); aws-cdk-lib's Provider has no option for it.
    (waiter.node.defaultChild as sfn.CfnStateMachine).tracingConfiguration = { enabled: true };
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      resources: ['*'],
    }));
    ack(role, ['AwsSolutions-IAM5[Resource::*]'],
      'The waiter state machine delivers its logs through CloudWatch Logs log delivery (logs:CreateLogDelivery and related actions) and sends '
      + 'traces to X-Ray: AWS accepts only "*" as the resource of these actions.');
  }
}
