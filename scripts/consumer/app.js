// A consumer app, as a user writes it after `npm install cdk-encryption-guard`: every construct
// at its defaults, the gate, cdk-nag's four packs and the Control Tower controls. Run by
// scripts/consumer-check.sh from a scratch directory where the packed tarball is installed.
const { App, Aspects, Stack, Validations } = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const rds = require('aws-cdk-lib/aws-rds');
const route53 = require('aws-cdk-lib/aws-route53');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');
const { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } = require('cdk-nag');
const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');
const guard = require('cdk-encryption-guard');

const env = { account: '111111111111', region: 'eu-west-1' };
const app = new App({ outdir: process.argv[2] });
const main = new Stack(app, 'Main', { env, crossRegionReferences: true });
const replica = new Stack(app, 'Replica', { env: { ...env, region: 'eu-central-1' }, crossRegionReferences: true });
const vpc = new ec2.Vpc(main, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [
    { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
    { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  ],
});
const hostedZone = route53.HostedZone.fromHostedZoneAttributes(main, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });

new guard.EncryptedBucket(main, 'Bucket');
new guard.AccessLogBucket(main, 'Logs');
const key = new guard.CmkWithPolicy(main, 'Key');
new guard.MultiRegionKey(main, 'GlobalKey').addReplica(replica);
const reader = new iam.Role(main, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
guard.EnvelopeEncryption.grantReader(key, reader);
const rotator = lambda.Function.fromFunctionArn(main, 'Rotator', 'arn:aws:lambda:eu-west-1:111111111111:function:rotate');
new guard.RotatingSecret(main, 'Secret', { rotationLambda: rotator });
new guard.RotatingSecret(main, 'HostedSecret', { hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser() });
new guard.EncryptedRdsInstance(main, 'Db', { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }), vpc });
new guard.AcmFrontedAlb(main, 'Web', { vpc, domainName: 'app.example.com', hostedZone }).addTargets('App', { port: 8443 });
new guard.SecureStringParameter(main, 'Parameter', { parameterName: '/app/token' });
new guard.EbsEncryptionByDefault(main, 'EbsDefault');
new guard.EncryptedSnapshotCopy(main, 'SnapshotCopy', { source: guard.SnapshotSource.ebsSnapshot('snap-0123456789abcdef0') });

Aspects.of(app).add(new guard.EnforceEncryption());
Validations.of(app).addPlugins(
  new guard.EncryptionChecks(),
  new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app),
  new CfnGuardValidator(),
);

// Synthesis fails on the checkers' findings on the user's own resources here (the VPC has no flow
// logs, ...): what counts is the report, read below for the library's resources.
const fs = require('fs');
const path = require('path');
// The report is written before synthesis fails; CDK also prints it: keep the log to our summary.
const print = console.error;
console.error = () => undefined;
try {
  app.synth();
} catch (e) {
  // judged from the report below
} finally {
  console.error = print;
}
const report = JSON.parse(fs.readFileSync(path.join(process.argv[2], 'validation-report.json'), 'utf8'));
const users = /^\/?(Main|Replica)\/(Vpc|Zone|Reader|Rotator)(\/|$)|Custom::CrossRegion|Exports(Writer|Reader)|CrossRegion/;
// The scope of "clean": every AwsSolutions rule; of the other packs and Control Tower, the
// encryption, TLS, key, secret and logging rules.
const inScope = (plugin, rule) => /AwsSolutions/i.test(plugin) || /encrypt|kms|key|tls|ssl|https|secret|rotation|logg?ing|certificate|acm/i.test(rule);
const open = [];
for (const plugin of report.pluginReports ?? []) {
  for (const violation of plugin.violations ?? []) {
    if (violation.severity === 'info' || !inScope(plugin.pluginName, violation.ruleName)) {
      continue;
    }
    for (const resource of violation.violatingResources ?? []) {
      const where = resource.constructPath ?? resource.resourceLogicalId ?? '?';
      if (!users.test(where)) {
        open.push(`${plugin.pluginName} ${violation.ruleName} ${where}`);
      }
    }
  }
}
console.log(`consumer app: ${open.length} unacknowledged in-scope findings on the library's resources`);
open.forEach(line => console.log(`  ${line}`));
process.exit(open.length === 0 ? 0 : 1);
