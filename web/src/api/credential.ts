/** What the person pasted at sign-in: an organization API key or a member JWT. */
export type Credential = { kind: 'API_KEY'; secret: string } | { kind: 'JWT'; token: string };

// sessionStorage: the credential lives as long as the tab, never in localStorage or a cookie.
const STORAGE_KEY = 'alma.credential';

/** API keys start with `alma_`; anything shaped like a JWT (three base64url parts) is sent as a bearer token. */
export function parseCredential(input: string): Credential | undefined {
  const value = input.trim().replace(/^Bearer\s+/i, '');
  if (/^alma_[\w-]+$/.test(value)) return { kind: 'API_KEY', secret: value };
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return { kind: 'JWT', token: value };
  return undefined;
}

export function credentialHeaders(credential: Credential): Record<string, string> {
  return credential.kind === 'API_KEY' ? { 'x-api-key': credential.secret } : { authorization: `Bearer ${credential.token}` };
}

export function loadCredential(): Credential | undefined {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  return stored ? parseCredential(stored) : undefined;
}

export function saveCredential(credential: Credential): void {
  sessionStorage.setItem(STORAGE_KEY, credential.kind === 'API_KEY' ? credential.secret : credential.token);
}

export function clearCredential(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
