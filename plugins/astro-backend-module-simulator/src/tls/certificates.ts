/**
 * A certificate authority and a server certificate for the simulator's
 * HTTPS endpoint, generated with node:crypto (ECDSA P-256, SHA-256) and a
 * small DER writer: no dependency, a new pair at every start.
 */
import {
  createHash,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  booleanTrue,
  explicit,
  integer,
  objectIdentifier,
  octetString,
  sequence,
  set,
  tagged,
  utcTime,
  utf8String,
} from './der';

/** PEM texts of the simulator's TLS material. */
export interface TlsMaterial {
  /** The CA certificate clients trust (kubeconfig `certificate-authority-data`). */
  ca: string;
  /** The server certificate (and, optionally, intermediates). */
  cert: string;
  /** The server certificate's private key. */
  key: string;
}

const ECDSA_WITH_SHA256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));
const DAY_MS = 24 * 60 * 60 * 1000;

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(objectIdentifier('2.5.4.10'), utf8String('airflow-portal'))),
    set(sequence(objectIdentifier('2.5.4.3'), utf8String(commonName))),
  );
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(
    objectIdentifier(oid),
    ...(critical ? [booleanTrue()] : []),
    octetString(value),
  );
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

/** A positive 16-byte serial number without a leading zero byte. */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] % 0x7f) + 1;
  return bytes;
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) {
    return Buffer.from(address.split('.').map(Number));
  }
  // Expand `::` and write the eight 16-bit groups of an IPv6 address.
  const [head, tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail !== undefined && tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [
    ...headGroups,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailGroups,
  ];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) =>
    bytes.writeUInt16BE(parseInt(group, 16), index * 2),
  );
  return bytes;
}

function subjectAltNames(hosts: string[]): Buffer {
  return sequence(
    ...hosts.map(host =>
      isIP(host)
        ? tagged(0x87, ipBytes(host))
        : tagged(0x82, Buffer.from(host, 'ascii')),
    ),
  );
}

function certificate(options: {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerPublicKey: KeyObject;
  extensions: Buffer[];
  validDays: number;
}): Buffer {
  const now = Date.now();
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serialNumber()),
    ECDSA_WITH_SHA256,
    name(options.issuer),
    // An hour of slack in the past for clocks that are a little behind.
    sequence(
      utcTime(new Date(now - 60 * 60 * 1000)),
      utcTime(new Date(now + options.validDays * DAY_MS)),
    ),
    name(options.subject),
    options.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension(
          '2.5.29.14',
          false,
          octetString(keyIdentifier(options.publicKey)),
        ),
        extension(
          '2.5.29.35',
          false,
          sequence(tagged(0x80, keyIdentifier(options.issuerPublicKey))),
        ),
        ...options.extensions,
      ),
    ),
  );
  const signature = sign('sha256', tbs, options.signingKey);
  return sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join(
    '\n',
  )}\n-----END ${label}-----\n`;
}

/**
 * Generates a CA (valid ten years) and a server certificate signed by it
 * (valid one year) for `hosts`: IP addresses and DNS names, always
 * including `127.0.0.1`, `::1` and `localhost`.
 */
export function generateTlsMaterial(hosts: string[] = []): TlsMaterial {
  const names = [
    ...new Set(
      [...hosts, '127.0.0.1', '::1', 'localhost'].filter(
        host => host !== '' && host !== '0.0.0.0' && host !== '::',
      ),
    ),
  ];
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = `Kubernetes simulator CA ${randomBytes(4).toString('hex')}`;
  const caCertificate = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    validDays: 3650,
    extensions: [
      // basicConstraints: CA, critical.
      extension('2.5.29.19', true, sequence(booleanTrue())),
      // keyUsage: digitalSignature, keyCertSign, cRLSign.
      extension('2.5.29.15', true, bitString(Buffer.from([0x86]), 1)),
    ],
  });
  const serverCertificate = certificate({
    subject: 'kubernetes-simulator',
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    validDays: 365,
    extensions: [
      extension('2.5.29.19', true, sequence()),
      // keyUsage: digitalSignature.
      extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)),
      // extKeyUsage: serverAuth.
      extension(
        '2.5.29.37',
        false,
        sequence(objectIdentifier('1.3.6.1.5.5.7.3.1')),
      ),
      extension('2.5.29.17', false, subjectAltNames(names)),
    ],
  });
  return {
    ca: pem('CERTIFICATE', caCertificate),
    cert: pem('CERTIFICATE', serverCertificate),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
