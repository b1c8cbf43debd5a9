export interface RequestTarget {
  pathname: string;
  /** `?…` or empty. */
  search: string;
}

/**
 * The path and query of a request target: origin-form (`/path?query`) or absolute-form
 * (`http://host/path`). Undefined for anything else (`*`, `host:443`, an unparseable URL such as
 * `http://x:99999/`), which the server answers with 400 instead of letting `new URL` throw.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (!target) return undefined;
  if (target.startsWith('/')) {
    const query = target.indexOf('?');
    return query === -1 ? { pathname: target, search: '' } : { pathname: target.slice(0, query), search: target.slice(query) };
  }
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    return { pathname: url.pathname, search: url.search };
  } catch {
    return undefined;
  }
}
