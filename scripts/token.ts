/**
 * `npm run token -- admin` / `npm run token -- member <organizationId>`: prints a JWT signed
 * with JWT_SECRET (or the development secret kept in DATA_DIR).
 */
import { loadConfig, loadDotEnv } from '../src/config/config.js';
import { defaultTokenLifetime, mintJwt, resolveJwtSettings } from '../src/auth/jwt.service.js';

loadDotEnv();
const [role, organizationId] = process.argv.slice(2);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (role !== 'admin' && !(role === 'member' && organizationId && uuid.test(organizationId))) {
  console.error('usage: npm run token -- admin | npm run token -- member <organizationId>');
  process.exit(2);
}
const config = loadConfig();
const settings = await resolveJwtSettings(config.auth, config.dataDir);
const request = role === 'admin' ? ({ role: 'admin', subject: 'cli-admin' } as const) : ({ role: 'member', organizationId: organizationId!, subject: 'cli-member' } as const);
// TOKEN_HOURS when set, else 12 h or the role's maximum lifetime (JWT_MAX_TTL / ADMIN_JWT_MAX_TTL) when shorter.
const seconds = process.env.TOKEN_HOURS ? Number(process.env.TOKEN_HOURS) * 3600 : defaultTokenLifetime(request.role, settings);
try {
  console.log(mintJwt(request, settings, seconds));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
