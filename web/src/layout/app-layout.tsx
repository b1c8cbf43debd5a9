import { NavLink, Outlet } from 'react-router';
import { useScope } from '../scope/scope';
import { useSession } from '../session/session';

const NAVIGATION = [
  { to: '/overview', label: 'Overview' },
  { to: '/agents', label: 'Agents' },
  { to: '/conversations', label: 'Conversations' },
  { to: '/metrics', label: 'Metric explorer' },
];

export function AppLayout() {
  const { viewer, signOut } = useSession();
  const scope = useScope();
  return (
    <div className="app-shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Alma Analytics
        </div>
        <nav aria-label="Main">
          <ul className="nav-list">
            {NAVIGATION.map((item) => (
              <li key={item.to}>
                <NavLink to={{ pathname: item.to, search: scope.search }} className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <div className="org-name" data-testid="organization-name">
            {viewer.organizationName}
          </div>
          <div className="muted small">
            {viewer.kind === 'API_KEY' ? `API key${viewer.keyName ? ` “${viewer.keyName}”` : ''}` : 'Member'} · {viewer.scopes.join(', ')}
          </div>
          <button type="button" className="button button-quiet button-small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
