import jwt from 'jsonwebtoken';

/** An HS256 token with exactly these claims (no iat unless given), for tests of what the server refuses. */
export function jwtWithClaims(claims: Record<string, unknown>, secret: string): string {
  // jsonwebtoken keeps a given iat, adds one when absent, and with noTimestamp drops even a given one.
  return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) });
}
