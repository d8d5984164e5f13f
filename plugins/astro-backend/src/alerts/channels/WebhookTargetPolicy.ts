import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Config } from '@backstage/config';

/**
 * Addresses a webhook may not reach unless private networks are allowed:
 * this host, private and shared networks, link-local (cloud metadata at
 * 169.254.169.254), and what is not a unicast destination.
 */
function privateNetworks(): BlockList {
  const list = new BlockList();
  const v4: Array<[string, number]> = [
    ['0.0.0.0', 8], // "this network"
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, cloud metadata services
    ['172.16.0.0', 12],
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.168.0.0', 16],
    ['198.18.0.0', 15], // benchmarking
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ];
  for (const [network, prefix] of v4) {
    list.addSubnet(network, prefix, 'ipv4');
  }
  const v6: Array<[string, number]> = [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['ff00::', 8], // multicast
  ];
  for (const [network, prefix] of v6) {
    list.addSubnet(network, prefix, 'ipv6');
  }
  return list;
}

const PRIVATE = privateNetworks();

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`). */
function unmapped(address: string): { address: string; family: 4 | 6 } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) {
    return { address: mapped[1], family: 4 };
  }
  return { address, family: isIP(address) === 4 ? 4 : 6 };
}

/** Whether an IP address is on a private, local or non-unicast network. */
export function isPrivateAddress(ip: string): boolean {
  const { address, family } = unmapped(ip);
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The reason given when a webhook target is refused. */
export const PRIVATE_TARGET_REASON =
  'points to a private or local network address, which webhooks may not reach (astro.alerts.webhook.allowPrivateNetworks)';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Where alert webhooks may go. Unless private networks are allowed, a
 * webhook cannot reach this host, the cluster's or the company's private
 * networks, or a cloud metadata service: URLs naming such an address are
 * refused when a rule is written, and every connection checks the
 * addresses its host name resolves to (at connect time, so a name that
 * later resolves elsewhere is caught too).
 */
/** Resolves a host name to all its addresses (`dns.lookup` by default). */
export type ResolveAll = (
  hostname: string,
  callback: (
    error: NodeJS.ErrnoException | null,
    addresses: LookupAddress[],
  ) => void,
) => void;

const systemResolver: ResolveAll = (hostname, callback) =>
  dnsLookup(hostname, { all: true }, callback);

export class WebhookTargetPolicy {
  constructor(
    readonly allowPrivateNetworks: boolean,
    private readonly resolve: ResolveAll = systemResolver,
  ) {}

  /**
   * Why a URL is refused before any lookup (a literal private address or
   * `localhost`), or `undefined`.
   */
  refusalOf(url: URL): string | undefined {
    if (this.allowPrivateNetworks) {
      return undefined;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return PRIVATE_TARGET_REASON;
    }
    return isIP(host) && isPrivateAddress(host)
      ? PRIVATE_TARGET_REASON
      : undefined;
  }

  /**
   * A `lookup` for `http.request` that fails the connection when the host
   * resolves to an address the policy refuses.
   */
  readonly lookup = (
    hostname: string,
    options: { all?: boolean },
    callback: LookupCallback,
  ): void => {
    this.resolve(hostname, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      if (
        !this.allowPrivateNetworks &&
        addresses.some(a => isPrivateAddress(a.address))
      ) {
        const refused: NodeJS.ErrnoException = new Error(PRIVATE_TARGET_REASON);
        refused.code = 'EPRIVATETARGET';
        callback(refused, []);
        return;
      }
      if (addresses.length === 0) {
        const none: NodeJS.ErrnoException = new Error(
          `${hostname} has no address`,
        );
        none.code = 'ENOTFOUND';
        callback(none, []);
        return;
      }
      if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, addresses[0].address, addresses[0].family);
      }
    });
  };
}

/** Reads `astro.alerts.webhook.allowPrivateNetworks`. */
export function readWebhookTargetPolicy(config: Config): WebhookTargetPolicy {
  return new WebhookTargetPolicy(
    config.getOptionalBoolean('astro.alerts.webhook.allowPrivateNetworks') ??
      false,
  );
}
