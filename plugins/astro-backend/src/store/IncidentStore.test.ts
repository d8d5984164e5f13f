import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { servicesWithOneDeployment } from './__testUtils__/oneDeployment';
import knexFactory from 'knex';
import { IncidentTracker } from '../monitor/incidents/IncidentTracker';
import { MonitorListener } from '../lib/MonitorListener';
import { AstroDatabase } from './AstroDatabase';
import { NewIncident } from './IncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const ACTOR = 'user:default/alice';
const T0 = new Date('2026-12-01T12:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

const HEARTBEAT: NewIncident = {
  kind: 'heartbeat-missing',
  subject: 'scheduler',
  component: 'scheduler',
  title: 'The scheduler heartbeat is missing',
  severity: 'critical',
  message: 'The scheduler has not heartbeated for 11 min',
  link: 'http://portal/astro/organizations/acme/deployments/etl',
};

describe.each(databases.eachSupportedId())('incidents on %s', databaseId => {
  async function setup() {
    const knex = await databases.init(databaseId);
    const { db, record } = await servicesWithOneDeployment(knex, ACTOR);
    const deployment = {
      id: record.id,
      organization: 'acme',
      workspace: 'a',
      name: 'etl',
    };
    return { knex, db, id: record.id, deployment };
  }

  it('keeps one open incident per kind and subject, and reopens after resolving', async () => {
    const { db, id } = await setup();
    const opened = await db.incidents.open(id, HEARTBEAT, T0);
    expect(opened).toMatchObject({
      kind: 'heartbeat-missing',
      subject: 'scheduler',
      component: 'scheduler',
      state: 'open',
      openedAt: T0.toISOString(),
      link: HEARTBEAT.link,
    });
    expect(await db.incidents.open(id, HEARTBEAT, later(1))).toBeUndefined();
    // Another subject of the same kind is another incident.
    const triggerer = await db.incidents.open(
      id,
      { ...HEARTBEAT, subject: 'triggerer', component: 'triggerer' },
      later(1),
    );
    expect(triggerer).toBeDefined();
    expect((await db.incidents.openOf(id)).map(i => i.subject)).toEqual([
      'scheduler',
      'triggerer',
    ]);

    expect(await db.incidents.resolve(opened!.id, later(2))).toBe(true);
    expect(await db.incidents.resolve(opened!.id, later(3))).toBe(false);
    const again = await db.incidents.open(id, HEARTBEAT, later(4));
    expect(again?.id).not.toBe(opened!.id);
    const all = await db.incidents.list(id);
    expect(all.map(i => [i.subject, i.state])).toEqual([
      ['scheduler', 'open'],
      ['triggerer', 'open'],
      ['scheduler', 'resolved'],
    ]);
    expect(all[2].resolvedAt).toBe(later(2).toISOString());
    expect(await db.incidents.openCounts()).toEqual(new Map([[id, 2]]));
  });

  it('keeps the first acknowledgement', async () => {
    const { db, id } = await setup();
    const opened = await db.incidents.open(id, HEARTBEAT, T0);
    const first = await db.incidents.acknowledge(
      id,
      opened!.id,
      ACTOR,
      later(5),
    );
    expect(first).toEqual({
      acknowledged: true,
      incident: expect.objectContaining({
        acknowledgedAt: later(5).toISOString(),
        acknowledgedBy: ACTOR,
      }),
    });
    const second = await db.incidents.acknowledge(
      id,
      opened!.id,
      'user:default/bob',
      later(9),
    );
    expect(second?.acknowledged).toBe(false);
    expect(second?.incident.acknowledgedBy).toBe(ACTOR);
    expect(
      await db.incidents.acknowledge(id, '999999', ACTOR, T0),
    ).toBeUndefined();
  });

  it('moves a watermark by compare-and-set only', async () => {
    const { db, id } = await setup();
    const mark = (through: string) => ({
      finishedThrough: through,
      seenAtThrough: [],
      dags: {},
    });
    expect(await db.monitorWatermarks.get(id)).toBeUndefined();
    expect(
      await db.monitorWatermarks.advance(id, undefined, mark('a'), T0),
    ).toBe(true);
    expect(
      await db.monitorWatermarks.advance(id, undefined, mark('b'), T0),
    ).toBe(false);
    expect(await db.monitorWatermarks.advance(id, 1, mark('c'), T0)).toBe(true);
    expect(await db.monitorWatermarks.advance(id, 1, mark('d'), T0)).toBe(
      false,
    );
    expect(await db.monitorWatermarks.get(id)).toEqual({
      revision: 2,
      watermark: mark('c'),
    });
  });

  it('opens an incident once when two replicas evaluate at the same moment, and records it', async () => {
    const { knex, db, id, deployment } = await setup();
    // The second replica has its own connection (pool) to the same database.
    const secondKnex = databaseId.startsWith('POSTGRES')
      ? knexFactory(knex.client.config)
      : knex;
    try {
      const second = await AstroDatabase.create({
        database: {
          getClient: async () => secondKnex,
          migrations: { skip: true },
        },
      });
      const announced: string[] = [];
      const listener: MonitorListener = {
        incidentOpened: ({ incident }) => {
          announced.push(`opened ${incident.kind}/${incident.subject}`);
        },
        incidentResolved: ({ incident }) => {
          announced.push(`resolved ${incident.kind}/${incident.subject}`);
        },
      };
      const logger = mockServices.logger.mock();
      const trackers = [db, second].map(
        d => new IncidentTracker({ db: d, logger, listeners: [listener] }),
      );
      const evaluation = { open: [HEARTBEAT], unknown: [] };
      await Promise.all(trackers.map(t => t.sync(deployment, evaluation, T0)));
      expect(await db.incidents.openOf(id)).toHaveLength(1);
      expect(announced).toEqual(['opened heartbeat-missing/scheduler']);

      // An unknown kind is left alone; an updated message is written.
      await trackers[0].sync(
        deployment,
        { open: [], unknown: ['heartbeat-missing'] },
        later(30),
      );
      expect(await db.incidents.openOf(id)).toHaveLength(1);
      await trackers[1].sync(
        deployment,
        { open: [{ ...HEARTBEAT, message: 'for 12 min' }], unknown: [] },
        later(60),
      );
      expect((await db.incidents.openOf(id))[0].message).toBe('for 12 min');

      await Promise.all(
        trackers.map(t =>
          t.sync(deployment, { open: [], unknown: [] }, later(90)),
        ),
      );
      expect(await db.incidents.openOf(id)).toEqual([]);
      expect(announced).toEqual([
        'opened heartbeat-missing/scheduler',
        'resolved heartbeat-missing/scheduler',
      ]);
      const events = await db.events.listForDeployment(id, { limit: 10 });
      expect(
        events.filter(e => e.action.startsWith('incident-')).map(e => e.action),
      ).toEqual(['incident-resolved', 'incident-opened']);
    } finally {
      if (secondKnex !== knex) {
        await secondKnex.destroy();
      }
    }
  });
});
