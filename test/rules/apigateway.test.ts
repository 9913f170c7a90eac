/**
 * API Gateway rules: custom domain security policies (REST and HTTP APIs), the default endpoint
 * next to a custom domain, and stage cache encryption.
 */
import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { EncryptionGate, FindingKind, RuleService } from '../../src';
import { newApp, newStack, verdictOn } from '../support/app';

const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/abc';
const evaluate = (stack: Parameters<typeof EncryptionGate.evaluate>[0]) => EncryptionGate.evaluate(stack, { services: [RuleService.API_GATEWAY] });

describe('CEG-APIGW-1 custom domain security policy', () => {
  test('REST domain names: TLS_1_2 and the 2025 TLS 1.3 policies pass; TLS_1_0 and no policy do not', () => {
    const stack = newStack(newApp());
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    const domain = (id: string, securityPolicy?: apigateway.SecurityPolicy, more: Partial<apigateway.DomainNameProps> = {}) =>
      new apigateway.DomainName(stack, id, { domainName: `${id.toLowerCase()}.example.com`, certificate, securityPolicy, ...more });
    const enhanced = { endpointAccessMode: apigateway.EndpointAccessMode.STRICT };
    domain('Tls12', apigateway.SecurityPolicy.TLS_1_2);
    domain('Tls13', apigateway.SecurityPolicy.TLS13_1_3_2025_09, enhanced);
    domain('Pq', apigateway.SecurityPolicy.TLS13_1_2_PQ_2025_09, enhanced);
    domain('Edge', apigateway.SecurityPolicy.TLS12_PFS_2025_EDGE, { ...enhanced, endpointType: apigateway.EndpointType.EDGE });
    domain('Tls10', apigateway.SecurityPolicy.TLS_1_0);
    domain('Unset');
    const findings = evaluate(stack);
    for (const id of ['Tls12', 'Tls13', 'Pq', 'Edge']) {
      expect(verdictOn(findings, `Stack/${id}/Resource`, 'CEG-APIGW-1')).toBeUndefined();
    }
    expect(verdictOn(findings, 'Stack/Tls10/Resource', 'CEG-APIGW-1')!.detail).toMatch(/SecurityPolicy TLS_1_0 accepts TLS below 1.2/);
    expect(verdictOn(findings, 'Stack/Unset/Resource', 'CEG-APIGW-1')!.detail).toBe('The domain name sets no SecurityPolicy, so the template does not decide which TLS versions it accepts');
  });

  test('HTTP API domain names are judged per configuration', () => {
    const stack = newStack(newApp());
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    new apigwv2.DomainName(stack, 'Tls12', { domainName: 'a.example.com', certificate, securityPolicy: apigwv2.SecurityPolicy.TLS_1_2 });
    new apigwv2.DomainName(stack, 'Unset', { domainName: 'b.example.com', certificate });
    new apigwv2.CfnDomainName(stack, 'Old', { domainName: 'c.example.com', domainNameConfigurations: [{ certificateArn: CERT_ARN, securityPolicy: 'TLS_1_0' }] });
    new apigwv2.CfnDomainName(stack, 'Param', { domainName: 'd.example.com', domainNameConfigurations: [{ certificateArn: CERT_ARN, securityPolicy: new CfnParameter(stack, 'P').valueAsString }] });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Tls12/Resource', 'CEG-APIGW-1')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Unset/Resource', 'CEG-APIGW-1')!.location).toBe('Properties.DomainNameConfigurations.0.SecurityPolicy');
    expect(verdictOn(findings, 'Stack/Old', 'CEG-APIGW-1')!.detail).toMatch(/^Domain name configuration 0's SecurityPolicy TLS_1_0/);
    expect(verdictOn(findings, 'Stack/Param', 'CEG-APIGW-1')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });
});

describe('CEG-APIGW-2 default endpoint next to a custom domain', () => {
  test('a RestApi with domainName keeps execute-api unless disableExecuteApiEndpoint; an API without a domain is fine', () => {
    const stack = newStack(newApp());
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    const api = (id: string, props: Partial<apigateway.RestApiProps>) => {
      const rest = new apigateway.RestApi(stack, id, props);
      rest.root.addMethod('GET', new apigateway.MockIntegration());
      return rest;
    };
    api('Open', { domainName: { domainName: 'open.example.com', certificate, securityPolicy: apigateway.SecurityPolicy.TLS_1_2 } });
    api('Closed', { domainName: { domainName: 'closed.example.com', certificate, securityPolicy: apigateway.SecurityPolicy.TLS_1_2 }, disableExecuteApiEndpoint: true });
    api('NoDomain', {});
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Open/Resource', 'CEG-APIGW-2')).toMatchObject({ kind: FindingKind.NON_COMPLIANT, level: 'warning', location: 'Properties.DisableExecuteApiEndpoint' });
    expect(verdictOn(findings, 'Stack/Open/Resource', 'CEG-APIGW-2')!.detail).toMatch(/^The API is served through a custom domain name \(Open\/CustomDomain\/.+\), but its default execute-api endpoint stays enabled$/);
    expect(verdictOn(findings, 'Stack/Closed/Resource', 'CEG-APIGW-2')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/NoDomain/Resource', 'CEG-APIGW-2')).toBeUndefined();
  });

  test('HTTP APIs mapped with an ApiMapping, and a mapping whose API is a parameter', () => {
    const stack = newStack(newApp());
    const http = new apigwv2.CfnApi(stack, 'Http', { name: 'http', protocolType: 'HTTP' });
    const domain = new apigwv2.CfnDomainName(stack, 'Domain', { domainName: 'h.example.com', domainNameConfigurations: [{ certificateArn: CERT_ARN, securityPolicy: 'TLS_1_2' }] });
    new apigwv2.CfnApiMapping(stack, 'Mapping', { apiId: http.ref, domainName: domain.ref, stage: '$default' });
    const rest = new apigateway.CfnRestApi(stack, 'Rest', { name: 'rest' });
    new apigateway.CfnBasePathMapping(stack, 'Unknown', { domainName: 'r.example.com', restApiId: new CfnParameter(stack, 'ApiId').valueAsString });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Http', 'CEG-APIGW-2')!.detail).toMatch(/custom domain name \(Mapping\), but its default execute-api endpoint stays enabled/);
    expect(verdictOn(findings, 'Stack/Rest', 'CEG-APIGW-2')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
    expect(verdictOn(findings, 'Stack/Rest', 'CEG-APIGW-2')!.detail).toMatch(/parameter "ApiId"/);
    void rest;
  });
});

describe('CEG-APIGW-3 stage cache encryption', () => {
  const api = (stack: ReturnType<typeof newStack>, id: string, deployOptions: apigateway.StageOptions) => {
    const rest = new apigateway.RestApi(stack, id, { deployOptions });
    rest.root.addResource('items').addMethod('GET', new apigateway.MockIntegration());
    return rest;
  };

  test('deployOptions: caching with and without encryption, a method override, a cache cluster alone, no cache', () => {
    const stack = newStack(newApp());
    api(stack, 'Encrypted', { cachingEnabled: true, cacheDataEncrypted: true });
    api(stack, 'Clear', { cachingEnabled: true });
    api(stack, 'Override', { cachingEnabled: true, cacheDataEncrypted: true, methodOptions: { '/items/GET': { cachingEnabled: true } } });
    api(stack, 'ClusterOnly', { cacheClusterEnabled: true });
    api(stack, 'NoCache', {});
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Encrypted/DeploymentStage.prod/Resource', 'CEG-APIGW-3')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/Clear/DeploymentStage.prod/Resource', 'CEG-APIGW-3')!.detail)
      .toBe('The method setting for * /* enables caching without CacheDataEncrypted, so its cached responses are stored unencrypted');
    expect(verdictOn(findings, 'Stack/Override/DeploymentStage.prod/Resource', 'CEG-APIGW-3')!.detail).toMatch(/^The method setting for GET \/~1items enables caching without CacheDataEncrypted/);
    expect(verdictOn(findings, 'Stack/ClusterOnly/DeploymentStage.prod/Resource', 'CEG-APIGW-3')!.detail).toMatch(/^The stage has a cache cluster \(CacheClusterEnabled\) but no stage-wide method setting/);
    expect(verdictOn(findings, 'Stack/NoCache/DeploymentStage.prod/Resource', 'CEG-APIGW-3')).toBeUndefined();
  });

  test('a deployment\'s StageDescription is a stage too', () => {
    const stack = newStack(newApp());
    new apigateway.CfnDeployment(stack, 'Clear', { restApiId: 'abc', stageName: 'prod', stageDescription: { cacheClusterEnabled: true, cachingEnabled: true } });
    new apigateway.CfnDeployment(stack, 'Encrypted', { restApiId: 'abc', stageName: 'prod', stageDescription: { cacheClusterEnabled: true, cachingEnabled: true, cacheDataEncrypted: true } });
    new apigateway.CfnDeployment(stack, 'NoStage', { restApiId: 'abc' });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Clear', 'CEG-APIGW-3')!.location).toBe('Properties.StageDescription.CacheDataEncrypted');
    expect(verdictOn(findings, 'Stack/Encrypted', 'CEG-APIGW-3')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/NoStage', 'CEG-APIGW-3')).toBeUndefined();
  });
});

describe('CEG-APIGW-4 the REST API\'s own security policy', () => {
  const rest = (stack: ReturnType<typeof newStack>, id: string, props: Partial<apigateway.RestApiProps> = {}, securityPolicy?: string) => {
    const api = new apigateway.RestApi(stack, id, props);
    api.root.addMethod('GET', new apigateway.MockIntegration());
    if (securityPolicy !== undefined) {
      (api.node.defaultChild as apigateway.CfnRestApi).securityPolicy = securityPolicy;
    }
    return api;
  };

  test('edge and Regional APIs without a policy warn, whatever their endpoint; TLS_1_2, enhanced policies and private APIs pass', () => {
    const stack = newStack(newApp());
    rest(stack, 'Edge');
    rest(stack, 'Regional', { endpointTypes: [apigateway.EndpointType.REGIONAL] });
    rest(stack, 'Tls10', {}, 'TLS_1_0');
    rest(stack, 'Tls12', {}, 'TLS_1_2');
    rest(stack, 'Enhanced', { endpointTypes: [apigateway.EndpointType.REGIONAL] }, 'SecurityPolicy_TLS13_1_3_2025_09');
    rest(stack, 'Private', { endpointTypes: [apigateway.EndpointType.PRIVATE] });
    rest(stack, 'Closed', { disableExecuteApiEndpoint: true });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Edge/Resource', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.NON_COMPLIANT, level: 'warning', location: 'Properties.SecurityPolicy' });
    expect(verdictOn(findings, 'Stack/Edge/Resource', 'CEG-APIGW-4')!.detail).toMatch(/^The REST API sets no SecurityPolicy, so API Gateway gives it TLS_1_0 .*TLS 1.0 and 1.1$/);
    expect(verdictOn(findings, 'Stack/Regional/Resource', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
    // Calls through a custom domain negotiate TLS with the API's policy too (API Gateway Developer Guide).
    expect(verdictOn(findings, 'Stack/Closed/Resource', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.NON_COMPLIANT });
    expect(verdictOn(findings, 'Stack/Tls10/Resource', 'CEG-APIGW-4')!.detail).toMatch(/^The REST API's SecurityPolicy TLS_1_0 accepts TLS below 1.2/);
    for (const id of ['Tls12', 'Enhanced', 'Private']) {
      expect(verdictOn(findings, `Stack/${id}/Resource`, 'CEG-APIGW-4')).toBeUndefined();
    }
  });

  test('an inline OpenAPI definition\'s policy counts; one in S3 or a clone is unresolvable; a parameter is unresolvable', () => {
    const stack = newStack(newApp());
    const definition = (policy?: string) => apigateway.ApiDefinition.fromInline({
      openapi: '3.0.2', info: { title: 'x', version: '1' }, paths: {}, ...policy === undefined ? {} : { 'x-amazon-apigateway-security-policy': policy },
    });
    new apigateway.SpecRestApi(stack, 'InlineTls12', { apiDefinition: definition('TLS_1_2'), deploy: false });
    new apigateway.SpecRestApi(stack, 'InlineTls10', { apiDefinition: definition('TLS_1_0'), deploy: false });
    new apigateway.SpecRestApi(stack, 'InlineNone', { apiDefinition: definition(), deploy: false });
    const both = new apigateway.SpecRestApi(stack, 'Both', { apiDefinition: definition('TLS_1_0'), deploy: false });
    (both.node.defaultChild as apigateway.CfnRestApi).securityPolicy = 'TLS_1_2';
    new apigateway.CfnRestApi(stack, 'InS3', { bodyS3Location: { bucket: 'specs', key: 'api.yaml' }, securityPolicy: 'TLS_1_2' });
    new apigateway.CfnRestApi(stack, 'Clone', { cloneFrom: 'abc123' });
    new apigateway.CfnRestApi(stack, 'Param', { name: 'p', securityPolicy: new CfnParameter(stack, 'Policy').valueAsString });
    new apigateway.CfnRestApi(stack, 'ParamType', { name: 't', endpointConfiguration: { types: [new CfnParameter(stack, 'Type').valueAsString] } });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/InlineTls12/Resource', 'CEG-APIGW-4')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/InlineTls10/Resource', 'CEG-APIGW-4')).toMatchObject({
      kind: FindingKind.NON_COMPLIANT, location: 'Properties.Body.x-amazon-apigateway-security-policy',
    });
    expect(verdictOn(findings, 'Stack/InlineNone/Resource', 'CEG-APIGW-4')!.detail).toMatch(/sets no SecurityPolicy/);
    expect(verdictOn(findings, 'Stack/Both/Resource', 'CEG-APIGW-4')!.detail).toMatch(/^The REST API's definition \(x-amazon-apigateway-security-policy\) TLS_1_0/);
    expect(verdictOn(findings, 'Stack/InS3', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.UNRESOLVABLE, location: 'Properties.BodyS3Location' });
    expect(verdictOn(findings, 'Stack/Clone', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.UNRESOLVABLE, location: 'Properties.CloneFrom' });
    expect(verdictOn(findings, 'Stack/Param', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.UNRESOLVABLE, location: 'Properties.SecurityPolicy' });
    expect(verdictOn(findings, 'Stack/Param', 'CEG-APIGW-4')!.detail).toMatch(/Ref to "Policy"/);
    expect(verdictOn(findings, 'Stack/ParamType', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.UNRESOLVABLE });
  });

  test('a definition given as JSON text is read for its top-level policy; YAML text that mentions the key, or one computed at deploy time, is unresolvable', () => {
    const stack = newStack(newApp());
    const textBody = (id: string, body: unknown, props: Partial<apigateway.CfnRestApiProps> = {}) =>
      new apigateway.CfnRestApi(stack, id, { name: id, ...props }).addPropertyOverride('Body', body);
    textBody('PrivateTls10', '\uFEFF{"openapi": "3.0.2", "x-amazon-apigateway-security-policy": "TLS_1_0"}', { endpointConfiguration: { types: ['PRIVATE'] } });
    textBody('JsonTls12', '{"openapi": "3.0.2", "x-amazon-apigateway-security-policy": "TLS_1_2"}');
    textBody('JsonNested', '{"paths": {"x-amazon-apigateway-security-policy": "TLS_1_2"}}');
    textBody('YamlTls10', 'openapi: 3.0.2\nx-amazon-apigateway-security-policy: TLS_1_0\n', { securityPolicy: 'TLS_1_2' });
    textBody('SubYaml', Fn.sub('openapi: 3.0.2\nx-amazon-apigateway-security-policy: TLS_1_2\n'));
    textBody('YamlEscaped', 'openapi: 3.0.2\n"x\\u002damazon-apigateway-security-policy": TLS_1_0\n', { securityPolicy: 'TLS_1_2' });
    textBody('YamlHexEscape', 'openapi: 3.0.2\n"x-\\x61mazon-apigateway-security-polic\\U00000079": TLS_1_0\n', { securityPolicy: 'TLS_1_2' });
    textBody('YamlContinued', 'openapi: 3.0.2\n? "x-amazon-apigateway-secu\\\n  rity-policy"\n: TLS_1_0\n', { securityPolicy: 'TLS_1_2' });
    textBody('YamlHugeEscape', 'openapi: 3.0.2\ndescription: "\\UFFFFFFFF"\n');
    textBody('YamlNone', Fn.sub('openapi: 3.0.2\npaths: {}\nx-amazon-apigateway-integration: {}\n'));
    textBody('SubVariable', Fn.sub('openapi: 3.0.2\nx-amazon-apigateway-security-policy: ${Policy}\n', { Policy: new CfnParameter(stack, 'Policy').valueAsString }));
    new apigateway.CfnRestApi(stack, 'Empty', { name: 'e', securityPolicy: '' });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/PrivateTls10', 'CEG-APIGW-4')!.detail).toMatch(/^The REST API's definition \(x-amazon-apigateway-security-policy\) TLS_1_0 accepts TLS below 1.2/);
    expect(verdictOn(findings, 'Stack/JsonTls12', 'CEG-APIGW-4')).toBeUndefined();
    expect(verdictOn(findings, 'Stack/JsonNested', 'CEG-APIGW-4')!.detail).toMatch(/sets no SecurityPolicy/);
    expect(verdictOn(findings, 'Stack/YamlHugeEscape', 'CEG-APIGW-4')!.detail).toMatch(/sets no SecurityPolicy/);
    for (const id of ['YamlTls10', 'SubYaml', 'YamlEscaped', 'YamlHexEscape', 'YamlContinued']) {
      expect(verdictOn(findings, `Stack/${id}`, 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.UNRESOLVABLE, location: 'Properties.Body.x-amazon-apigateway-security-policy' });
    }
    expect(verdictOn(findings, 'Stack/YamlNone', 'CEG-APIGW-4')!.detail).toMatch(/sets no SecurityPolicy/);
    expect(verdictOn(findings, 'Stack/SubVariable', 'CEG-APIGW-4')).toMatchObject({ kind: FindingKind.UNRESOLVABLE, location: 'Properties.Body' });
    expect(verdictOn(findings, 'Stack/Empty', 'CEG-APIGW-4')!.detail).toMatch(/^The REST API's SecurityPolicy \(empty\) accepts TLS below 1.2/);
  });

  test('Fn::If: every branch of the policy counts', () => {
    const app = newApp();
    const stack = newStack(app);
    const strict = new CfnCondition(stack, 'Strict', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Env').valueAsString, 'prod') });
    new apigateway.CfnRestApi(stack, 'Either', { name: 'e', securityPolicy: Fn.conditionIf(strict.logicalId, 'TLS_1_2', 'TLS_1_0').toString() });
    new apigateway.CfnRestApi(stack, 'Both', { name: 'b', securityPolicy: Fn.conditionIf(strict.logicalId, 'TLS_1_2', 'SecurityPolicy_TLS13_1_2_2021_06').toString() });
    const findings = evaluate(stack);
    expect(verdictOn(findings, 'Stack/Either', 'CEG-APIGW-4')!.detail).toMatch(/SecurityPolicy TLS_1_0/);
    expect(verdictOn(findings, 'Stack/Both', 'CEG-APIGW-4')).toBeUndefined();
  });
});
