import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AlertDeliveryError } from './AlertDeliveryError';
import { WebhookChannel } from './WebhookChannel';
import {
  isPrivateAddress,
  ResolveAll,
  WebhookTargetPolicy,
} from './WebhookTargetPolicy';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
  ])('%s is private or local', address => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700::1111'])(
    '%s is public',
    address => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('WebhookTargetPolicy', () => {
  const refusing = new WebhookTargetPolicy(false);

  it('refuses literal private addresses and localhost before any lookup', () => {
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://localhost/x',
      'http://api.localhost/x',
    ]) {
      expect(refusing.refusalOf(new URL(url))).toMatch(/private or local/);
    }
    expect(
      refusing.refusalOf(new URL('https://hooks.slack.com/services/T/B/x')),
    ).toBeUndefined();
    expect(
      new WebhookTargetPolicy(true).refusalOf(new URL('http://127.0.0.1/')),
    ).toBeUndefined();
  });

  it('fails a connection whose host resolves to a private address', async () => {
    const resolve: ResolveAll = (_host, callback) =>
      callback(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]);
    const policy = new WebhookTargetPolicy(false, resolve);
    const error = await new Promise<NodeJS.ErrnoException | null>(done =>
      policy.lookup('hooks.example.com', {}, e => done(e)),
    );
    expect(error?.code).toBe('EPRIVATETARGET');
  });
});

describe('WebhookChannel with a target policy', () => {
  let server: Server;
  let port: number;
  let received = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>(done => server.close(() => done())));

  // A name that resolves to the local receiver, as a DNS record could.
  const toLocalReceiver: ResolveAll = (_host, callback) =>
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  const channel = (policy: WebhookTargetPolicy) =>
    new WebhookChannel(
      {
        maxAttempts: 3,
        initialBackoffMs: 1,
        timeoutMs: 2000,
        targets: policy,
      },
      async () => undefined,
    );

  it('never connects to a host that resolves to a private address, and does not retry', async () => {
    received = 0;
    const sent = channel(new WebhookTargetPolicy(false, toLocalReceiver)).post({
      url: `http://hooks.example.test:${port}/hook`,
      body: { title: 'x' },
      secrets: [],
    });
    await expect(sent).rejects.toThrow(AlertDeliveryError);
    await expect(sent).rejects.toThrow(
      /private or local network address.*attempt 1 of 3/,
    );
    expect(received).toBe(0);
  });

  it('reaches the same host when private networks are allowed', async () => {
    received = 0;
    await expect(
      channel(new WebhookTargetPolicy(true, toLocalReceiver)).post({
        url: `http://hooks.example.test:${port}/hook`,
        body: { title: 'x' },
        secrets: [],
      }),
    ).resolves.toBe(1);
    expect(received).toBe(1);
  });

  it('refuses a literal private URL without a request', async () => {
    received = 0;
    await expect(
      channel(new WebhookTargetPolicy(false)).post({
        url: `http://127.0.0.1:${port}/hook`,
        body: {},
        secrets: [],
      }),
    ).rejects.toThrow(/private or local network address/);
    expect(received).toBe(0);
  });
});
