import jwt from 'jsonwebtoken';

/** An HS256 token with exactly these claims (no iat added), for tests of what the server refuses. */
export function jwtWithClaims(claims: Record<string, unknown>, secret: string): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: true });
}
