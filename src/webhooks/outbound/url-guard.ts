import { lookup } from 'node:dns/promises';
import { BlockList, isIP, isIPv4 } from 'node:net';
import { badUserInput } from '../../errors/domain-error.js';

/**
 * SSRF protection for webhook URLs: only http(s), and (unless private URLs are allowed) no host
 * that is or resolves to a loopback, private, link-local, unique-local or unspecified address.
 * Checked when an endpoint is created and again before every delivery (DNS may change).
 */

const blocked = new BlockList();
blocked.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network", includes 0.0.0.0
blocked.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
blocked.addSubnet('10.0.0.0', 8, 'ipv4');
blocked.addSubnet('172.16.0.0', 12, 'ipv4');
blocked.addSubnet('192.168.0.0', 16, 'ipv4');
blocked.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local (cloud metadata)
blocked.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
blocked.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
blocked.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, broadcast
blocked.addAddress('::', 'ipv6');
blocked.addAddress('::1', 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6'); // link-local
blocked.addSubnet('fc00::', 7, 'ipv6'); // unique-local
blocked.addSubnet('ff00::', 8, 'ipv6'); // multicast

/** True for an address a webhook must not reach (IPv4-mapped IPv6 is checked as IPv4). */
export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(address)) {
    // ::ffff:7f00:1 spelled in hex
    const [, high, low] = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)!;
    const n = (parseInt(high!, 16) << 16) | parseInt(low!, 16);
    return blocked.check([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'), 'ipv4');
  }
  return isIPv4(address) ? blocked.check(address, 'ipv4') : blocked.check(address, 'ipv6');
}

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export type Resolver = (hostname: string) => Promise<string[]>;

const resolveAll: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** Parses and checks a webhook URL; throws UnsafeUrlError with a reason. */
export async function checkWebhookUrl(raw: string, options: { allowPrivateUrls: boolean; resolve?: Resolver }): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrlError('url must use http or https');
  if (url.username || url.password) throw new UnsafeUrlError('url must not contain credentials');
  if (options.allowPrivateUrls) return url;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) throw new UnsafeUrlError(`url host ${host} is a loopback address`);
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? resolveAll)(host);
    } catch {
      throw new UnsafeUrlError(`url host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw new UnsafeUrlError(`url host ${host} does not resolve`);
  }
  const bad = addresses.find(isBlockedAddress);
  if (bad) throw new UnsafeUrlError(`url host ${host} is or resolves to a private, loopback or link-local address (${bad})`);
  return url;
}

/** The same check for user input: BAD_USER_INPUT on refusal. */
export async function requireSafeWebhookUrl(raw: string, options: { allowPrivateUrls: boolean; resolve?: Resolver }): Promise<URL> {
  try {
    return await checkWebhookUrl(raw, options);
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw badUserInput(error.message, { field: 'url' });
    throw error;
  }
}
