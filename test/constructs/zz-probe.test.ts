import { Stack } from 'aws-cdk-lib';
import { HIPAASecurityChecks } from 'cdk-nag';
import { EbsEncryptionByDefault } from '../../src/constructs/ec2/ebs-encryption-by-default';
import { EncryptedSnapshotCopy, SnapshotSource } from '../../src/constructs/snapshots/encrypted-snapshot-copy';
import { nagViolations, oracleApp, templateOracles } from '../oracles/oracles';

test('probe', () => {
  const app = oracleApp();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new EbsEncryptionByDefault(stack, 'E');
  new EncryptedSnapshotCopy(stack, 'R', { source: SnapshotSource.rdsDbSnapshot('orders-final') });
  new EncryptedSnapshotCopy(stack, 'A', { source: SnapshotSource.auroraClusterSnapshot('orders-final') });
  new EncryptedSnapshotCopy(stack, 'B', { source: SnapshotSource.ebsSnapshot('snap-0123456789abcdef0') });
  const t = templateOracles(app);
  const n = nagViolations(app);
  const h = new HIPAASecurityChecks().validateScope(app).violations.map(v => `${v.ruleName} ${v.violatingResources.map(r => r.constructPath)}`);
  console.log(JSON.stringify({ t: t.map(v => `${v.plugin} ${v.rule} ${v.severity} ${v.paths}`), n: n.map(v => `${v.plugin} ${v.rule} ${v.paths}`), h }, null, 1));
});
