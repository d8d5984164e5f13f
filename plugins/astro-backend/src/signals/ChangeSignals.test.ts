import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { DefaultSignalsService } from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';
import { Incident } from '@airflow-portal/plugin-astro-common';
import { ChangeFeed } from '../service/ChangeFeed';
import { notifyListeners } from '../lib/MonitorListener';
import {
  ChangeSignals,
  DEPLOYMENT_SIGNAL_WINDOW_MS,
  LIVE_SIGNAL_INTERVAL_SECONDS,
  ORGANIZATION_SIGNAL_WINDOW_MS,
} from './ChangeSignals';

interface Sent {
  channel: string;
  recipients: JsonObject;
  message: JsonObject;
}

/**
 * The real signals service on an in-process events service; what a signals
 * backend would receive is recorded from the `signals` topic.
 */
async function setup() {
  const logger = mockServices.logger.mock();
  const events = DefaultEventsService.create({ logger }).forPlugin('astro');
  const sent: Sent[] = [];
  await events.subscribe({
    id: 'recorder',
    topics: ['signals'],
    onEvent: async ({ eventPayload }) => {
      sent.push(eventPayload as unknown as Sent);
    },
  });
  const signals = new ChangeSignals({
    signals: DefaultSignalsService.create({ events }),
    logger,
  });
  const feed = new ChangeFeed({ logger });
  feed.subscribe(change => signals.changed(change));
  // Lets the signals' publish promises settle (they are not awaited).
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
  };
  const on = (channel: string) =>
    sent.filter(s => s.channel === channel).map(s => s.message);
  return { feed, signals, sent, settle, on, logger };
}

const statusChange = (name = 'etl') => ({
  kind: 'deployment' as const,
  organization: 'acme',
  name,
  id: `id-${name}`,
  action: 'status' as const,
});

const INCIDENT: Incident = {
  id: '7',
  kind: 'heartbeat-missing',
  subject: 'scheduler',
  component: 'scheduler',
  title: 'The scheduler heartbeat is missing',
  severity: 'critical',
  state: 'open',
  openedAt: '2026-12-03T07:00:00.000Z',
  message: 'The scheduler has not heartbeated for 11 min',
};

describe('ChangeSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('broadcasts a status change once on the Deployment and organization channels, without its data', async () => {
    const { feed, sent, settle } = await setup();
    await feed.publish([statusChange()]);
    await settle();
    expect(sent).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'astro:deployment:acme/etl',
        message: { kinds: ['status'] },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'astro:organization:acme',
        message: { kinds: ['status'] },
      },
    ]);
    // Nothing more when the windows end without further changes.
    jest.advanceTimersByTime(ORGANIZATION_SIGNAL_WINDOW_MS * 2);
    await settle();
    expect(sent).toHaveLength(2);
  });

  it('coalesces a burst into one trailing signal per channel and window', async () => {
    const { feed, settle, on } = await setup();
    await feed.publish([statusChange()]);
    for (let i = 0; i < 20; i++) {
      await feed.publish([statusChange()]);
      await feed.publish([{ ...statusChange(), action: 'updated' }]);
    }
    await settle();
    expect(on('astro:deployment:acme/etl')).toEqual([{ kinds: ['status'] }]);

    jest.advanceTimersByTime(DEPLOYMENT_SIGNAL_WINDOW_MS);
    await settle();
    expect(on('astro:deployment:acme/etl')).toEqual([
      { kinds: ['status'] },
      { kinds: ['settings', 'status'] },
    ]);
    // The trailing signal opened a new window: a change within it waits.
    await feed.publish([statusChange()]);
    await settle();
    expect(on('astro:deployment:acme/etl')).toHaveLength(2);
    jest.advanceTimersByTime(DEPLOYMENT_SIGNAL_WINDOW_MS);
    await settle();
    expect(on('astro:deployment:acme/etl')).toEqual([
      { kinds: ['status'] },
      { kinds: ['settings', 'status'] },
      { kinds: ['status'] },
    ]);
  });

  it('batches an organization channel over its longer window while Deployment channels stay separate', async () => {
    const { feed, settle, on } = await setup();
    await feed.publish(['a', 'b', 'c'].map(name => statusChange(name)));
    await settle();
    expect(on('astro:deployment:acme/a')).toHaveLength(1);
    expect(on('astro:deployment:acme/b')).toHaveLength(1);
    expect(on('astro:deployment:acme/c')).toHaveLength(1);
    expect(on('astro:organization:acme')).toEqual([{ kinds: ['status'] }]);

    jest.advanceTimersByTime(DEPLOYMENT_SIGNAL_WINDOW_MS);
    await settle();
    expect(on('astro:organization:acme')).toHaveLength(1);
    jest.advanceTimersByTime(
      ORGANIZATION_SIGNAL_WINDOW_MS - DEPLOYMENT_SIGNAL_WINDOW_MS,
    );
    await settle();
    expect(on('astro:organization:acme')).toEqual([
      { kinds: ['status'] },
      { kinds: ['status'] },
    ]);
  });

  it('signals an incident the monitoring pass opens or resolves', async () => {
    const { signals, settle, on } = await setup();
    const deployment = {
      id: 'id-etl',
      organization: 'acme',
      workspace: 'data',
      name: 'etl',
    };
    await notifyListeners(
      [signals],
      'incidentOpened',
      { incident: INCIDENT, deployment },
      fail,
    );
    await settle();
    expect(on('astro:deployment:acme/etl')).toEqual([{ kinds: ['incident'] }]);
    expect(on('astro:organization:acme')).toEqual([{ kinds: ['incident'] }]);

    jest.advanceTimersByTime(ORGANIZATION_SIGNAL_WINDOW_MS);
    await notifyListeners(
      [signals],
      'incidentResolved',
      {
        incident: { ...INCIDENT, state: 'resolved' },
        deployment,
      },
      fail,
    );
    await settle();
    expect(on('astro:deployment:acme/etl')).toEqual([
      { kinds: ['incident'] },
      { kinds: ['incident'] },
    ]);
  });

  it('signals workspace and organization changes on the organization channel only', async () => {
    const { feed, sent, settle } = await setup();
    await feed.publish([
      {
        kind: 'workspace',
        organization: 'acme',
        name: 'data',
        action: 'created',
      },
      { kind: 'cluster', name: 'eu-1', action: 'updated' },
    ]);
    await settle();
    expect(sent.map(s => [s.channel, s.message])).toEqual([
      ['astro:organization:acme', { kinds: ['created'] }],
    ]);
  });

  it('sends the liveness signal at start and every interval until stopped', async () => {
    const { signals, settle, on } = await setup();
    signals.start();
    await settle();
    expect(on('astro:live')).toEqual([
      { intervalSeconds: LIVE_SIGNAL_INTERVAL_SECONDS },
    ]);
    jest.advanceTimersByTime(LIVE_SIGNAL_INTERVAL_SECONDS * 1000 * 2);
    await settle();
    expect(on('astro:live')).toHaveLength(3);
    signals.stop();
    jest.advanceTimersByTime(LIVE_SIGNAL_INTERVAL_SECONDS * 1000 * 2);
    await settle();
    expect(on('astro:live')).toHaveLength(3);
  });

  it('logs a signal that cannot be sent and goes on', async () => {
    const logger = mockServices.logger.mock();
    const signals = new ChangeSignals({
      signals: { publish: () => Promise.reject(new Error('bus down')) },
      logger,
    });
    signals.changed(statusChange());
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('astro:deployment:acme/etl: Error: bus down'),
    );
  });
});

function fail(error: unknown): never {
  throw error;
}
