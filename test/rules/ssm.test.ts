/**
 * Parameter Store rules: SecureString parameters in the template, and plain parameters whose name
 * or value looks like a secret.
 */
import { CfnCondition, CfnParameter, Fn, NestedStack, SecretValue } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { EncryptionGate, FindingKind, RuleService } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

const evaluate = (stack: Parameters<typeof EncryptionGate.evaluate>[0]) => EncryptionGate.evaluate(stack, { services: [RuleService.SSM] });

describe('CEG-SSM-1 SecureString in the template', () => {
  test('the deprecated L2 type still emits SecureString: an error; String and StringList pass', () => {
    const stack = newStack(newApp());
    // aws-cdk-lib prints its deprecation warnings for `type`; the option is still there and still emits SecureString.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      new ssm.StringParameter(stack, 'Secure', { stringValue: 'x', type: ssm.ParameterType.SECURE_STRING });
      expect(warn).toHaveBeenCalledWith('[WARNING]', expect.stringMatching(/StringParameterProps#type is deprecated/));
    } finally {
      warn.mockRestore();
    }
    new ssm.StringParameter(stack, 'Plain', { stringValue: 'eu-west-1' });
    new ssm.StringListParameter(stack, 'List', { stringListValue: ['a', 'b'] });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Secure/Resource', 'CEG-SSM-1')).toMatchObject({ kind: FindingKind.NON_COMPLIANT, level: 'error', location: 'Properties.Type' });
    expect(verdictOn(findings, 'Stack/Secure/Resource', 'CEG-SSM-1')!.message).toMatch(/CloudFormation cannot create.*Fix: Use `SecureStringParameter`/);
    expect(verdictOn(findings, 'Stack/Plain/Resource', 'CEG-SSM-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/List/Resource', 'CEG-SSM-1')).toBeUndefined();
  });
});

describe('CEG-SSM-2 secrets in plain parameters', () => {
  test.each([
    ['/orders/db/password', true],
    ['/orders/dbPassword', true],
    ['/orders/api-key', true],
    ['/orders/ApiKey', true],
    ['/ci/github-token', true],
    ['/orders/signing_key', true],
    ['/orders/key', true],
    ['/orders/credentials', true],
    ['/orders/client-secret', true],
    ['/orders/kms-key-arn', false],
    ['/orders/key-id', false],
    ['/orders/keyPairName', false],
    ['/orders/table-name', false],
    ['/orders/monkey-count', false],
    ['/orders/tokenizer-endpoint', false],
    // A secret word run together with the word before it, in one case.
    ['/orders/DBPASSWORD', true],
    ['/orders/dbpassword', true],
    ['/ci/DEPLOYCREDENTIALS', true],
    ['/app/llm/maxtokens', false],
    ['/orders/APPSECRETS', true],
    ['/orders/MONKEY', false],
    ['/orders/PASSWORDPOLICY', false],
    ['/orders/secretsmanager-arn', false],
    // References to secrets and keys name them (also after a compound), the secret itself is held.
    ['/app/db/password-secret-arn', false],
    ['/app/db/credentials-secret-name', false],
    ['/app/secrets-manager-arn', false],
    ['/app/api-key-id', false],
    ['/app/jwt/signing-key-arn', false],
    ['/app/db/passwordMinLength', false],
    ['/app/db/password-secret', true],
    ['/app/api-key', true],
    ['/app/jwt/signing-key', true],
    ['/app/aws/secret-key-value', true],
    // `pass` as the last word only.
    ['/orders/DB_PASS', true],
    ['/smtp/user.pass', true],
    ['/proxy/pass-through-mode', false],
    ['/orders/bypass', false],
    ['/orders/compass', false],
    // A password or credential named or described, not held.
    ['/orders/db-password-file', false],
    ['/orders/PASSWORD_POLICY', false],
    ['/ci/credentials-path', false],
    ['/orders/password-length', false],
    ['/orders/passwords', true],
    // Described only when the describing word ends the group: the file's content is the secret.
    ['/app/db-password-file-content', true],
    ['/ci/gcp-credentials-file-json', true],
    ['SECRET_PATH_VALUE', true],
    ['/ci/docker-password-stdin', false],
    // `pass` as the last word, unless a step or a ticket.
    ['/etl/first-pass', false],
    ['/events/boarding-pass', false],
    ['/dsp/low-pass', false],
    ['/ci/e2e-pass', false],
    ['/video/x264-2pass', false],
    ['/ci/unit-pass', false],
    ['/ci/test-pass', true],
    ['/orders/pass', true],
    ['/prod/app/DATABASE_PASS', true],
    ['/prod/tomcat/keystore-pass', true],
    // Described, with more words after the describing one.
    ['/app/db-password-file-path', false],
    ['/iam/password-policy-name', false],
    ['/app/PASSWORD_LENGTH_MIN', false],
    ['/vault/secrets-path-prefix', false],
  ])('a parameter named %s is flagged: %s', (name, flagged) => {
    const stack = newStack(newApp());
    new ssm.StringParameter(stack, 'P', { parameterName: name, stringValue: 'value' });
    const finding = verdictOn(evaluate(stack), 'Stack/P/Resource', 'CEG-SSM-2');
    expect(finding !== undefined).toBe(flagged);
    if (flagged) {
      expect(finding).toMatchObject({ level: 'warning', location: 'Properties.Name' });
    }
  });

  test('values that are secrets whatever the name: literals, dynamic references, secret attributes, NoEcho parameters', () => {
    const stack = newStack(newApp());
    const p = (id: string, stringValue: string) => new ssm.StringParameter(stack, id, { parameterName: `/app/${id.toLowerCase()}`, stringValue });
    p('Pem', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----');
    p('AccessKeyId', 'AKIAIOSFODNN7EXAMPLE');
    p('Url', 'postgres://admin:hunter2@db.example.com:5432/orders');
    p('Dynamic', new secretsmanager.Secret(stack, 'Secret').secretValue.unsafeUnwrap());
    p('IamCopy', new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'User') }).secretAccessKey.unsafeUnwrap());
    p('NoEcho', new CfnParameter(stack, 'Hidden', { noEcho: true }).valueAsString);
    p('FromSecretValue', SecretValue.ssmSecure('/app/real-secret').unsafeUnwrap());
    const findings = evaluate(stack);
    const detail = (id: string) => verdictOn(findings, `Stack/${id}/Resource`, 'CEG-SSM-2')?.detail;
    expect(detail('Pem')).toMatch(/holds a PEM private key/);
    expect(detail('AccessKeyId')).toMatch(/holds an AWS access key ID/);
    expect(detail('Url')).toMatch(/holds a URL with a password/);
    expect(detail('Dynamic')).toMatch(/holds a dynamic reference to a secret/);
    expect(detail('IamCopy')).toMatch(/holds the SecretAccessKey of Stack\/Key\/Resource \(AWS::IAM::AccessKey\)/);
    expect(detail('NoEcho')).toMatch(/holds the NoEcho parameter "Hidden"/);
    expect(detail('FromSecretValue')).toMatch(/dynamic reference to a secret/);
  });

  test.each([
    ['an env assignment', 'DB_HOST=db\nDB_PASS=hunter2', 'DB_PASS'],
    ['a command-line option and its argument', 'migrate --host db --password hunter2', 'password'],
    ['a command-line option with =', 'migrate --db-password=hunter2', '--db-password'],
    ['an XML element', '<config><user>app</user><password>hunter2</password></config>', 'password'],
    ['an XML element with attributes', '<smtp><user.pass encoding="plain">hunter2</user.pass></smtp>', 'user.pass'],
    ['an XML CDATA section', '<config><password><![CDATA[hunter2]]></password></config>', 'password'],
    ['an XML comment before the text', '<config><password><!-- prod -->hunter2</password></config>', 'password'],
    ['a JSON pass', '{"host":"db.internal","user":"app","pass":"hunter2"}', 'pass'],
    ['a YAML pass', 'host: db\nuser: app\npass: hunter2', 'pass'],
    ['a number given to a named pass', 'DB_PASS=83914027', 'DB_PASS'],
    ['a quoted number given to a pass', '{"pass":"83914027"}', 'pass'],
    ['a test pass', 'TEST_PASS=Hunter2!x', 'TEST_PASS'],
    ['a flag followed by more of the value', 'DB_PASS=true,Hunter2x', 'DB_PASS'],
    ['a flag followed by a brace in an env value', 'SMTP_PASS=false}x9Kp2q', 'SMTP_PASS'],
    ['a flag followed by more in a query', 'https://h/?db_pass=true,Xy9k', 'db_pass'],
    ['a flag followed by more in YAML', 'db_pass: true,Hunter2x', 'db_pass'],
    ['a flag followed by a brace in YAML', 'db_pass: false}x9Kp2q', 'db_pass'],
    ['a flag followed by more words in YAML', 'db_pass: true, Hunter2x', 'db_pass'],
    ['a flag followed by a quoted word in YAML', 'db_pass: true,"Hunter2x"', 'db_pass'],
    ['a flag followed by a semicolon in an env file', 'DB_PASS=true;Hunter2x', 'DB_PASS'],
    ['a flag followed by an ampersand in an env file', 'DB_PASS=true&Hunter2x', 'DB_PASS'],
    ['a flag in YAML inside a JSON string', '{"cfg": "db_pass: true, Hunter2x"}', 'db_pass'],
    ['an openssl pass phrase', 'openssl pkcs12 -export -in c.pem -out c.p12 -passout pass:Sup3rS3cret', 'pass'],
    ['a JSON key naming a file\'s content', '{"credentials_file_contents": "{\\"type\\":\\"service_account\\"}"}', 'credentials_file_contents'],
  ])('a value that gives a name like a secret a value: %s', (_what, value, key) => {
    const stack = newStack(newApp());
    new ssm.StringParameter(stack, 'P', { parameterName: '/app/config', stringValue: value });
    expect(verdictOn(evaluate(stack), 'Stack/P/Resource', 'CEG-SSM-2')?.detail).toContain(`"${key}"`);
  });

  test.each([
    ['options without a secret', 'serve --port 8080 --password-file /run/secrets/db --verbose'],
    ['an empty XML element, and an element naming a secret', '<config><password/><secretName>db</secretName></config>'],
    ['a flag before another option', 'run --no-password --host db'],
    ['docker login reading the password from stdin', 'aws ecr get-login-password | docker login --username AWS --password-stdin 111111111111.dkr.ecr.eu-west-1.amazonaws.com'],
    ['an encoder pass', 'x264 --pass 2 --bitrate 1000 -o out.mkv in.y4m'],
    ['a count named pass', '{"pass": 3, "fail": 0}'],
    ['filters and thresholds ending in pass', '{"low_pass": 200, "high_pass": 8000, "min_pass": 70, "e2e_pass": true}'],
    ['an option named in prose', 'Use --password to set it on first run'],
    ['results of passes given as flags in env and YAML lines', 'TEST_PASS=true\nsmoke_pass: false # nightly\n'],
    ['results of passes given as flags in JSON', '{"canary_pass": true, "smoke_pass": false}'],
    ['a flag in a URL query', 'https://ci/?test_pass=true&run=42'],
    ['flags in compact JSON', '{"smoke_pass":false,"n":1,"qa_pass":true}'],
    ['flags in flow YAML, NDJSON and env lists', '{test_pass: true, run: 42}\n{"a_pass":true}\n{"b":1}\nTEST_PASS=true;RUN=4'],
    ['a password policy', '{"passwordMinLength": 12, "apiKeyId": "k-123", "signingKeyArn": "arn:aws:kms:eu-west-1:111111111111:key/x"}'],
  ])('a value that gives no secret a value passes: %s', (_what, value) => {
    const stack = newStack(newApp());
    new ssm.StringParameter(stack, 'P', { parameterName: '/app/config', stringValue: value });
    expect(verdictOn(evaluate(stack), 'Stack/P/Resource', 'CEG-SSM-2')).toBeUndefined();
  });

  test('a parameter named like a pass holds a result when its whole value is a flag; a password never is', () => {
    const stack = newStack(newApp());
    new ssm.StringParameter(stack, 'TestPass', { parameterName: '/ci/test-pass', stringValue: 'true' });
    new ssm.StringParameter(stack, 'SmokePass', { parameterName: '/ci/smoke-pass', stringValue: ' FALSE ' });
    new ssm.StringParameter(stack, 'DbPass', { parameterName: '/orders/db-pass', stringValue: 'trueblue' });
    new ssm.StringParameter(stack, 'Password', { parameterName: '/orders/db-password', stringValue: 'true' });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/TestPass/Resource', 'CEG-SSM-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/SmokePass/Resource', 'CEG-SSM-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/DbPass/Resource', 'CEG-SSM-2')!.detail).toMatch(/"\/orders\/db-pass" is named like a secret/);
    expect(verdictOn(findings, 'Stack/Password/Resource', 'CEG-SSM-2')!.detail).toMatch(/"\/orders\/db-password" is named like a secret/);
  });

  test('a nested stack\'s NoEcho parameter stays a secret when its parent gives it a plain parameter, at any depth', () => {
    const app = newApp();
    const stack = newStack(app);
    const input = new CfnParameter(stack, 'Input');
    const nested = new NestedStack(stack, 'N', { parameters: { Pw: input.valueAsString, Mid: input.valueAsString } });
    new ssm.CfnParameter(nested, 'Direct', { name: '/app/config', type: 'String', value: new CfnParameter(nested, 'Pw', { noEcho: true }).valueAsString });
    const deeper = new NestedStack(nested, 'N2', { parameters: { Pw: new CfnParameter(nested, 'Mid', { noEcho: true }).valueAsString } });
    new ssm.CfnParameter(deeper, 'Below', { name: '/app/other', type: 'String', value: new CfnParameter(deeper, 'Pw').valueAsString });
    app.synth();
    const findings = EncryptionGate.evaluate(app, { ruleIds: ['CEG-SSM-2'] });
    expect(verdictOn(findings, 'Stack/N/Direct', 'CEG-SSM-2')?.detail).toMatch(/holds the NoEcho parameter/);
    expect(verdictOn(findings, 'Stack/N/N2/Below', 'CEG-SSM-2')?.detail).toMatch(/holds the NoEcho parameter/);
  });

  test('values built to make the assignment patterns backtrack are judged in milliseconds', () => {
    const stack = newStack(newApp());
    const values = ['<a>' + '<!-- x -->'.repeat(800), '<a><!--'.repeat(1170), ' --a '.repeat(1600) + '-', `--password${' '.repeat(8000)}-`,
      'a'.repeat(8000), `${'a'.repeat(7990)}://x`, 'a='.repeat(4000)];
    values.forEach((stringValue, i) => new ssm.StringParameter(stack, `P${i}`, { parameterName: `/app/p${i}`, stringValue }));
    const started = Date.now();
    evaluate(stack);
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('identifiers of app resources and innocuous names pass; a value and a name both unknown is unresolvable', () => {
    const stack = newStack(newApp());
    const bucket = new s3.Bucket(stack, 'Bucket');
    new ssm.StringParameter(stack, 'BucketName', { stringValue: bucket.bucketName });
    new ssm.StringParameter(stack, 'Arn', { stringValue: `${bucket.bucketArn}/*` });
    const input = new CfnParameter(stack, 'Input').valueAsString;
    new ssm.StringParameter(stack, 'NamedInput', { parameterName: '/app/region', stringValue: input });
    new ssm.StringParameter(stack, 'UnnamedInput', { stringValue: input });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/BucketName/Resource', 'CEG-SSM-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Arn/Resource', 'CEG-SSM-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/NamedInput/Resource', 'CEG-SSM-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/UnnamedInput/Resource', 'CEG-SSM-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/UnnamedInput/Resource', 'CEG-SSM-2')!.detail).toMatch(/it has no Name, and the value cannot be known at synth time: .*Ref to "Input"/);
  });

  test('a name chosen by Fn::If is judged in each branch', () => {
    const stack = newStack(newApp());
    const debug = new CfnCondition(stack, 'Debug', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Mode').valueAsString, 'debug') });
    const parameter = new ssm.CfnParameter(stack, 'P', { type: 'String', value: 'v', name: Fn.conditionIf(debug.logicalId, '/app/debug-token', '/app/flag').toString() });
    void parameter;
    expect(verdictOn(evaluate(stack), 'Stack/P', 'CEG-SSM-2')!.detail).toMatch(/^When condition "Debug" is true: the String parameter "\/app\/debug-token" is named like a secret/);
  });
});
