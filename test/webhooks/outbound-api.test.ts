import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebhookUrl, guardedLookup, isBlockedAddress, parseWebhookUrl, UnsafeUrlError } from '../../src/webhooks/outbound/url-guard.js';
import { generateWebhookSecret, signWebhook, verifyWebhookSignature } from '../../src/webhooks/outbound/webhook-signing.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url description eventTypes status disabledReason consecutiveFailures } } }`;

describe('Standard Webhooks signing', () => {
  it('matches the reference test vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const signature = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(verifyWebhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', `v1,bad ${signature}`)).toBe(true);
    expect(verifyWebhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265331, '{"test": 2432232314}', signature)).toBe(false);
  });

  it('secrets are whsec_ + base64 of 24 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe('URL guard', () => {
  it('classifies addresses', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1']) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });

  it('classifies every IPv6 spelling of an internal address by the IPv4 address it carries', () => {
    const internal: Array<[string, string]> = [
      ['::ffff:7f00:1', 'IPv4-mapped, hex'],
      ['::ffff:127.0.0.1', 'IPv4-mapped, dotted'],
      ['0:0:0:0:0:ffff:a9fe:a9fe', 'IPv4-mapped metadata, uncompressed'],
      ['::ffff:0:7f00:1', 'IPv4-translated'],
      ['::ffff:0:10.1.2.3', 'IPv4-translated, dotted'],
      ['::127.0.0.1', 'IPv4-compatible, dotted'],
      ['::7f00:1', 'IPv4-compatible, hex'],
      ['::a9fe:a9fe', 'IPv4-compatible metadata'],
      ['64:ff9b::7f00:1', 'NAT64 of loopback'],
      ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata address'],
      ['64:ff9b::10.0.0.1', 'NAT64, dotted'],
      ['64:ff9b:1::808:808', 'local-use NAT64 (all of it)'],
      ['2002:7f00:1::1', '6to4 of loopback'],
      ['2002:a9fe:a9fe::', '6to4 of the metadata address'],
      ['2002:c0a8:101::42', '6to4 of 192.168.1.1'],
      ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo, client 127.0.0.1'],
      ['2001:0:a00:1::1', 'Teredo, server 10.0.0.1'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local with a zone'],
      ['febf:ffff::1', 'link-local, end of range'],
      ['fc00::1', 'unique-local'],
      ['fdff:ffff::1', 'unique-local, end of range'],
      ['::1', 'loopback'],
      ['0:0:0:0:0:0:0:1', 'loopback, uncompressed'],
      ['::', 'unspecified'],
      ['ff02::1', 'multicast'],
      ['fec0::1', 'site-local'],
      ['not-an-address', 'not an address'],
    ];
    for (const [address, form] of internal) expect(isBlockedAddress(address), `${address} (${form})`).toBe(true);
    for (const address of ['2606:4700::1111', '::ffff:8.8.8.8', '::8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2001:0:4136:e378:8000:63bf:f7f7:f7f7', '2001:db9::1', '8.8.8.8']) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });

  it('refuses webhook URLs spelled with internal IPv6 literals, as the URL parser normalizes them', () => {
    for (const url of [
      'http://[::127.0.0.1]/hook',
      'http://[::ffff:0:7f00:1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[64:ff9b::7f00:1]/hook',
      'http://[64:ff9b::a9fe:a9fe]/latest/meta-data',
      'http://[2002:7f00:1::1]/hook',
      'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook',
      'http://[fe80::1]/hook',
      'http://[fd00::1]/hook',
      'http://[::]/hook',
      'http://2130706433/hook',
      'http://0x7f.1/hook',
      'http://127.1/hook',
    ]) {
      expect(() => parseWebhookUrl(url, { allowPrivateUrls: false }), url).toThrow(UnsafeUrlError);
    }
    expect(parseWebhookUrl('https://[2606:4700::1111]/hook', { allowPrivateUrls: false }).hostname).toBe('[2606:4700::1111]');
  });

  it('checks the answer the connection uses: a name that resolves to a public address first and loopback next is refused at connect', async () => {
    const answers = [['93.184.215.14'], ['127.0.0.1']];
    const resolve = async () => answers.shift() ?? [];
    const options = { allowPrivateUrls: false, resolve };
    await expect(checkWebhookUrl('https://rebind.example.test/x', options)).resolves.toBeInstanceOf(URL);
    const lookup = guardedLookup(options);
    const outcome = await new Promise<{ error: Error | null; address: unknown }>((done) =>
      lookup('rebind.example.test', { all: true }, (error, address) => done({ error, address })),
    );
    expect(outcome.error).toBeInstanceOf(UnsafeUrlError);
    expect(outcome.error?.message).toContain('127.0.0.1');
    const allowed = guardedLookup({ allowPrivateUrls: false, resolve: async () => ['::ffff:8.8.8.8', '8.8.4.4'] });
    const family4 = await new Promise((done) => allowed('ok.example.test', { family: 4 }, (error, address, family) => done({ error, address, family })));
    expect(family4).toEqual({ error: null, address: '8.8.4.4', family: 4 });
  });

  it('refuses a host that resolves to any private address (checked on every delivery too)', async () => {
    const options = (addresses: string[]) => ({ allowPrivateUrls: false, resolve: async () => addresses });
    await expect(checkWebhookUrl('https://hooks.example.com/x', options(['8.8.8.8', '10.0.0.7']))).rejects.toThrow(UnsafeUrlError);
    await expect(checkWebhookUrl('https://hooks.example.com/x', options(['fe80::1']))).rejects.toThrow(UnsafeUrlError);
    await expect(checkWebhookUrl('https://hooks.example.com/x', options(['8.8.8.8', '2606:4700::1111']))).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl('https://hooks.example.com/x', { allowPrivateUrls: false, resolve: async () => Promise.reject(new Error('ENOTFOUND')) })).rejects.toThrow(/does not resolve/);
    await expect(checkWebhookUrl('http://10.0.0.1/x', { allowPrivateUrls: true })).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl('file:///etc/passwd', { allowPrivateUrls: true })).rejects.toThrow(/http or https/);
  });
});

describe('webhook endpoints API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates, lists (without the secret) and validates endpoints', async () => {
    const tenant = await server.createTenant();
    const created = await server.graphql(CREATE, { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['conversation.completed'], description: ' CRM sync ' } }, tenant.auth);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createWebhookEndpoint).toMatchObject({
      secret: expect.stringMatching(/^whsec_/),
      endpoint: { url: 'http://127.0.0.1:9/hook', description: 'CRM sync', eventTypes: ['conversation.completed'], status: 'ACTIVE', disabledReason: null, consecutiveFailures: 0 },
    });
    const listed = await server.graphql('{ webhookEndpoints { id url eventTypes status } }', {}, tenant.auth);
    expect(listed.data!.webhookEndpoints).toEqual([{ id: created.data!.createWebhookEndpoint.endpoint.id, url: 'http://127.0.0.1:9/hook', eventTypes: ['conversation.completed'], status: 'ACTIVE' }]);
    expect(JSON.stringify(listed)).not.toContain(created.data!.createWebhookEndpoint.secret);

    for (const input of [
      { url: 'http://127.0.0.1:9/hook', eventTypes: ['conversation.deleted'] },
      { url: 'http://127.0.0.1:9/hook', eventTypes: [] },
      { url: 'ftp://127.0.0.1/hook', eventTypes: ['conversation.completed'] },
      { url: 'not a url', eventTypes: ['conversation.completed'] },
    ]) {
      const refused = await server.graphql(CREATE, { input }, tenant.auth);
      expect(refused.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    const missing = await server.graphql('query($id: UUID!) { webhookDeliveries(endpointId: $id) { totalCount } }', { id: '00000000-0000-4000-8000-000000000000' }, tenant.auth);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('needs MANAGE to change endpoints and READ to list them', async () => {
    const reader = await server.createTenant(['READ']);
    const refused = await server.graphql(CREATE, { input: { url: 'http://127.0.0.1:9/hook', eventTypes: ['conversation.completed'] } }, reader.auth);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listed = await server.graphql('{ webhookEndpoints { id } }', {}, reader.auth);
    expect(listed.errors).toBeUndefined();
    const ingester = await server.createTenant(['INGEST']);
    expect((await server.graphql('{ webhookEndpoints { id } }', {}, ingester.auth)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('webhook endpoints API in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses loopback, localhost and private addresses', async () => {
    const tenant = await server.createTenant();
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://192.168.0.10/hook', 'http://169.254.169.254/latest', 'http://[::1]/hook', 'http://0.0.0.0/hook', 'http://[::127.0.0.1]/hook', 'http://[::ffff:0:7f00:1]/hook', 'http://[64:ff9b::7f00:1]/hook', 'http://[64:ff9b::a9fe:a9fe]/latest', 'http://[2002:7f00:1::1]/hook']) {
      const refused = await server.graphql(CREATE, { input: { url, eventTypes: ['conversation.completed'] } }, tenant.auth);
      expect(refused.errors?.[0]?.extensions?.code, url).toBe('BAD_USER_INPUT');
      expect(refused.data?.createWebhookEndpoint ?? null).toBeNull();
    }
    const allowed = await server.graphql(CREATE, { input: { url: 'https://93.184.215.14/hook', eventTypes: ['conversation.completed'] } }, tenant.auth);
    expect(allowed.errors).toBeUndefined();
    expect((await server.graphql('{ webhookEndpoints { url } }', {}, tenant.auth)).data!.webhookEndpoints).toEqual([{ url: 'https://93.184.215.14/hook' }]);
  });
});
