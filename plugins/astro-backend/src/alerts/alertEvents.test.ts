import { Incident } from '@airflow-portal/plugin-astro-common';
import { AlertRuleRecord, DeploymentRecord } from '../store';
import { dagRunAlerts, incidentAlert, ruleMatches } from './alertEvents';

const deployment = {
  id: 'd1',
  name: 'etl',
  organization_name: 'acme',
  workspace_name: 'data-eng',
  workspace_id: 'w1',
} as DeploymentRecord;

function rule(
  type: AlertRuleRecord['row']['type'],
  condition: AlertRuleRecord['condition'],
): AlertRuleRecord {
  return {
    row: { id: 'r1', type } as AlertRuleRecord['row'],
    organization: 'acme',
    workspace: 'data-eng',
    condition,
    channels: [],
    enabled: true,
  };
}

function incident(severity: Incident['severity']): Incident {
  return {
    id: '7',
    kind: 'crash-loop',
    title: 'scheduler is failing',
    severity,
    state: 'open',
    openedAt: '2026-12-02T10:00:00.000Z',
    message: 'scheduler: CrashLoopBackOff',
  };
}

const run = {
  deploymentId: 'd1',
  dagId: 'billing_daily',
  runId: 'scheduled__1',
  startDate: '2026-12-02T10:00:00.000Z',
  endDate: '2026-12-02T10:45:00.000Z',
};

describe('alert rules match', () => {
  it('incidents of at least their severity', () => {
    const critical = incidentAlert(incident('critical'), deployment, true);
    const warning = incidentAlert(incident('warning'), deployment, true);
    const criticalOnly = rule('incident', {
      dagIds: [],
      minSeverity: 'critical',
    });
    const all = rule('incident', { dagIds: [], minSeverity: 'warning' });
    expect(ruleMatches(criticalOnly, critical)).toBe(true);
    expect(ruleMatches(criticalOnly, warning)).toBe(false);
    expect(ruleMatches(all, warning)).toBe(true);
    expect(critical).toMatchObject({
      kind: 'incident-opened',
      severity: 'critical',
      title: 'acme/etl: scheduler is failing',
      scope: 'astro:incident:7',
    });
    // Opened and resolved are two events about one incident: two keys,
    // one notification scope.
    const resolved = incidentAlert(incident('critical'), deployment, false);
    expect(resolved.key).not.toBe(critical.key);
    expect(resolved.scope).toBe(critical.scope);
    expect(resolved.severity).toBe('low');
  });

  it('failed runs of their DAGs only, and never successful ones', () => {
    const [failed] = dagRunAlerts({ ...run, state: 'failed' }, deployment);
    expect(failed.kind).toBe('dag-run-failed');
    expect(ruleMatches(rule('dag-failure', { dagIds: [] }), failed)).toBe(true);
    expect(
      ruleMatches(rule('dag-failure', { dagIds: ['billing_daily'] }), failed),
    ).toBe(true);
    expect(
      ruleMatches(rule('dag-failure', { dagIds: ['other'] }), failed),
    ).toBe(false);
    const success = dagRunAlerts({ ...run, state: 'success' }, deployment);
    expect(success.map(a => a.kind)).toEqual(['dag-run-too-long']);
    expect(
      success.some(a => ruleMatches(rule('dag-failure', { dagIds: [] }), a)),
    ).toBe(false);
  });

  it('runs longer than their threshold', () => {
    const [longRun] = dagRunAlerts({ ...run, state: 'success' }, deployment);
    expect(longRun.dagRun?.durationMinutes).toBe(45);
    expect(
      ruleMatches(
        rule('dag-duration', { dagIds: [], thresholdMinutes: 30 }),
        longRun,
      ),
    ).toBe(true);
    expect(
      ruleMatches(
        rule('dag-duration', { dagIds: [], thresholdMinutes: 45 }),
        longRun,
      ),
    ).toBe(false);
    // Without both ends there is no duration to judge.
    expect(
      dagRunAlerts({ ...run, endDate: null, state: 'success' }, deployment),
    ).toEqual([]);
  });
});
