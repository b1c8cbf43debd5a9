/**
 * `npm run token -- admin` / `npm run token -- member <organizationId>`: prints a JWT signed
 * with JWT_SECRET (or the development secret kept in DATA_DIR).
 */
import { loadConfig, loadDotEnv } from '../src/config/config.js';
import { mintJwt, resolveJwtSettings } from '../src/auth/jwt.service.js';

loadDotEnv();
const [role, organizationId] = process.argv.slice(2);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (role !== 'admin' && !(role === 'member' && organizationId && uuid.test(organizationId))) {
  console.error('usage: npm run token -- admin | npm run token -- member <organizationId>');
  process.exit(2);
}
const config = loadConfig();
const settings = await resolveJwtSettings(config.auth, config.dataDir);
const hours = Number(process.env.TOKEN_HOURS ?? 12);
console.log(
  mintJwt(role === 'admin' ? { role: 'admin', subject: 'cli-admin' } : { role: 'member', organizationId: organizationId!, subject: 'cli-member' }, settings, hours * 3600),
);
