import { createSecureContext, connect } from 'node:tls';
import { createServer } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { generateTlsMaterial } from './certificates';

describe('generateTlsMaterial', () => {
  it('signs a server certificate for the loopback names and the given hosts with a new CA', () => {
    const material = generateTlsMaterial([
      '10.1.2.3',
      'sim.example',
      'fd00::1',
    ]);
    const ca = new X509Certificate(material.ca);
    const cert = new X509Certificate(material.cert);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', 'fd00::1']) {
      expect(cert.checkIP(ip)).toBe(ip);
    }
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('sim.example')).toBe('sim.example');
    expect(cert.checkHost('other.example')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(Date.parse(cert.validTo)).toBeGreaterThan(
      Date.now() + 300 * 86400_000,
    );
    // Every start has its own CA.
    expect(generateTlsMaterial().ca).not.toBe(material.ca);
  });

  it('is accepted by a TLS client that trusts only the CA, and refused by one trusting another', async () => {
    const material = generateTlsMaterial();
    const server = createServer(
      { cert: material.cert, key: material.key },
      (_req, res) => res.end('ok'),
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const handshake = (ca: string) =>
      new Promise<string>(resolve => {
        const socket = connect({
          host: '127.0.0.1',
          port,
          secureContext: createSecureContext({ ca }),
        });
        socket.on('secureConnect', () => {
          resolve('trusted');
          socket.end();
        });
        socket.on('error', error => resolve(error.message));
      });
    try {
      expect(await handshake(material.ca)).toBe('trusted');
      expect(await handshake(generateTlsMaterial().ca)).toMatch(/certificate/);
    } finally {
      server.close();
    }
  });
});
