import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';
import { badUserInput } from '../../errors/domain-error.js';

/**
 * SSRF protection for webhook URLs: only http(s), and (unless private URLs are allowed) no host
 * that is or resolves to a loopback, private, link-local, unique-local, multicast or unspecified
 * address, in any spelling: IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
 * IPv4-translated, NAT64, 6to4, Teredo) are judged by that IPv4 address. Checked when an endpoint
 * is created, and at delivery inside the connection's own DNS lookup (`guardedLookup`), so the
 * address connected to is the address checked: a name that resolves differently the second time
 * (DNS rebinding) cannot slip through.
 */

const blockedV4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", includes 0.0.0.0
  ['127.0.0.0', 8], // loopback
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['100.64.0.0', 10], // carrier-grade NAT
  ['192.0.0.0', 24], // IETF protocol assignments
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blockedV4.addSubnet(network, prefix, 'ipv4');
}

const blockedV6 = new BlockList();
blockedV6.addAddress('::', 'ipv6'); // unspecified
blockedV6.addAddress('::1', 'ipv6'); // loopback
for (const [network, prefix] of [
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed internally by some)
  ['fc00::', 7], // unique-local
  ['ff00::', 8], // multicast
  ['64:ff9b:1::', 48], // local-use NAT64: the IPv4 position depends on a local prefix length
  ['100::', 64], // discard-only
] as const) {
  blockedV6.addSubnet(network, prefix, 'ipv6');
}

/** The 16 bytes of an IPv6 address (zone id dropped), or undefined when it is not one. */
export function ipv6Bytes(address: string): number[] | undefined {
  const text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(text)) return undefined;
  let head = text;
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    head = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
    tail = dotted[2]!.split('.').map(Number);
  }
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const leftGroups = groupsOf(left!);
  const rightGroups = right === undefined ? [] : groupsOf(right);
  const missing = 8 - tail.length / 2 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array.from({ length: right === undefined ? 0 : missing }, () => 0), ...rightGroups];
  const bytes = groups.flatMap((group) => [group >> 8, group & 255]).concat(tail);
  return bytes.length === 16 ? bytes : undefined;
}

const v4 = (bytes: number[]) => bytes.join('.');
const zero = (bytes: number[]) => bytes.every((byte) => byte === 0);

/**
 * The IPv4 addresses an IPv6 address stands for (where it carries any), by the RFCs that embed
 * one: IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96, IPv4-compatible ::/96, NAT64
 * 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32 (server and obfuscated client).
 */
export function embeddedIPv4(bytes: number[]): string[] {
  const last4 = bytes.slice(12);
  if (zero(bytes.slice(0, 10)) && bytes[10] === 0xff && bytes[11] === 0xff) return [v4(last4)];
  if (zero(bytes.slice(0, 8)) && bytes[8] === 0xff && bytes[9] === 0xff && bytes[10] === 0 && bytes[11] === 0) return [v4(last4)];
  if (zero(bytes.slice(0, 12)) && !zero(last4) && !(zero(last4.slice(0, 3)) && last4[3] === 1)) return [v4(last4)];
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(bytes.slice(4, 12))) return [v4(last4)];
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return [v4(bytes.slice(2, 6))];
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0 && bytes[3] === 0) return [v4(bytes.slice(4, 8)), v4(last4.map((byte) => byte ^ 0xff))];
  return [];
}

/** True for an address a webhook must not reach, in any IPv4 or IPv6 spelling. */
export function isBlockedAddress(address: string): boolean {
  if (isIPv4(address)) return blockedV4.check(address, 'ipv4');
  const bytes = ipv6Bytes(address);
  if (!bytes) return true; // not an address at all: never connect to it
  const canonical = Array.from({ length: 8 }, (_, index) => ((bytes[index * 2]! << 8) | bytes[index * 2 + 1]!).toString(16)).join(':');
  if (blockedV6.check(canonical, 'ipv6')) return true;
  return embeddedIPv4(bytes).some((embedded) => blockedV4.check(embedded, 'ipv4'));
}

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export type Resolver = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface UrlGuardOptions {
  allowPrivateUrls: boolean;
  resolve?: Resolver;
}

/** The URL's host without IPv6 brackets, lowercased. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** Syntax, scheme and literal-address checks: everything that needs no DNS. Throws UnsafeUrlError. */
export function parseWebhookUrl(raw: string, options: Pick<UrlGuardOptions, 'allowPrivateUrls'>): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrlError('url must use http or https');
  if (url.username || url.password) throw new UnsafeUrlError('url must not contain credentials');
  if (options.allowPrivateUrls) return url;
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost')) throw new UnsafeUrlError(`url host ${host} is a loopback address`);
  if (isIP(host) && isBlockedAddress(host)) throw new UnsafeUrlError(`url host ${host} is a private, loopback or link-local address`);
  return url;
}

/** The host's addresses, every one of them allowed (or all of them, when private URLs are allowed). Throws UnsafeUrlError. */
async function resolveAllowed(host: string, options: UrlGuardOptions): Promise<string[]> {
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? resolveAll)(host);
  } catch {
    throw new UnsafeUrlError(`url host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new UnsafeUrlError(`url host ${host} does not resolve`);
  if (!options.allowPrivateUrls) {
    const bad = addresses.find(isBlockedAddress);
    if (bad) throw new UnsafeUrlError(`url host ${host} is or resolves to a private, loopback or link-local address (${bad})`);
  }
  return addresses;
}

/** Parses and checks a webhook URL, resolving its host now; throws UnsafeUrlError with a reason. */
export async function checkWebhookUrl(raw: string, options: UrlGuardOptions): Promise<URL> {
  const url = parseWebhookUrl(raw, options);
  if (!options.allowPrivateUrls) await resolveAllowed(hostOf(url), options);
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request / net.connect that resolves the host and checks every answer in
 * the same step, so the socket connects only to an address that passed the guard. A refusal is an
 * UnsafeUrlError on the request.
 */
export function guardedLookup(options: UrlGuardOptions) {
  return (hostname: string, lookupOptions: { family?: number | string; all?: boolean }, callback: LookupCallback): void => {
    resolveAllowed(hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(), options).then(
      (addresses) => {
        const entries = addresses.map((address) => ({ address, family: isIPv4(address) ? 4 : 6 }));
        const family = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
        const wanted = family === 4 || family === 6 ? entries.filter((entry) => entry.family === family) : entries;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`url host ${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        if (lookupOptions.all) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: Error) => callback(error, '', 0),
    );
  };
}

/** The same check for user input: BAD_USER_INPUT on refusal. */
export async function requireSafeWebhookUrl(raw: string, options: UrlGuardOptions): Promise<URL> {
  try {
    return await checkWebhookUrl(raw, options);
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw badUserInput(error.message, { field: 'url' });
    throw error;
  }
}
