/** What a non-default port is added to the engine's default port: 15432, 13306, 11433. */
export const PORT_OFFSET = 10000;

/** The engine's default port, and every log type it can export to CloudWatch Logs. */
export function engineDefaults(engineType: string): { port: number; logExports: string[] } {
  const e = engineType.toLowerCase();
  if (e === 'postgres') {
    return { port: 5432, logExports: ['postgresql', 'upgrade'] };
  }
  if (e === 'mysql' || e === 'mariadb') {
    return { port: 3306, logExports: ['audit', 'error', 'general', 'slowquery'] };
  }
  // SQL Server Express has no SQL Server Agent, so it has no agent log to export.
  return { port: 1433, logExports: e === 'sqlserver-ex' ? ['error'] : ['agent', 'error'] };
}

/**
 * Whether the engine has Multi-AZ deployments: every engine here but SQL Server Express (RDS offers
 * Multi-AZ for SQL Server Standard, Enterprise and Web only).
 */
export function supportsMultiAz(engineType: string): boolean {
  return engineType.toLowerCase() !== 'sqlserver-ex';
}
