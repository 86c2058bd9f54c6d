// The console's frame: checks the session, shows the main navigation and the page for the route.
// Pages are components that get the route's params as props: <Page params={{id}} query={{...}} />.
import { useEffect, useState } from 'preact/hooks';
import { connectLive, getSession, signOut, useSession, useViewer } from './api.js';
import { Link, navigate, useRoute, currentPath } from './router.js';
import { LiveBadge } from './ui.jsx';
import SignIn from './pages/signin.jsx';
import Board from './pages/board.jsx';
import Order from './pages/order.jsx';
import Customers from './pages/customers.jsx';
import Inventory from './pages/inventory.jsx';
import Channels from './pages/channels.jsx';
import Peak from './pages/peak.jsx';
import Exceptions from './pages/exceptions.jsx';
import Listings from './pages/listings.jsx';
import Imports from './pages/imports.jsx';
import Staff from './pages/staff.jsx';

const pages = {
  board: Board,
  order: Order,
  customers: Customers,
  customer: Customers,
  inventory: Inventory,
  channels: Channels,
  peak: Peak,
  exceptions: Exceptions,
  listings: Listings,
  imports: Imports,
  staff: Staff,
};

// nav lists the main links: [label, href, route names it is current for, admin only].
const nav = [
  ['Orders', '/console/', ['board', 'order'], false],
  ['Inventory', '/console/inventory', ['inventory'], false],
  ['Customers', '/console/customers', ['customers', 'customer'], false],
  ['Channels', '/console/channels', ['channels'], false],
  ['Peak', '/console/peak', ['peak'], false],
  ['Exceptions', '/console/exceptions', ['exceptions'], false],
  ['Listings', '/console/listings', ['listings'], false],
  ['Imports', '/console/imports', ['imports'], false],
  ['Staff', '/console/staff', ['staff'], true],
];

export function App() {
  const route = useRoute();
  const session = useSession();
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    getSession()
      .catch(() => null)
      .then(() => setChecked(true));
  }, []);
  useEffect(() => {
    if (checked && !session && route.name !== 'sign-in') {
      navigate('/console/sign-in?next=' + encodeURIComponent(currentPath()), { replace: true });
    }
  }, [checked, session, route.name]);

  if (route.name === 'sign-in') return <SignIn query={route.query} />;
  if (!checked || !session) {
    return (
      <main class="loading" aria-busy="true">
        Loading…
      </main>
    );
  }
  return <Shell route={route} />;
}

function Shell({ route }) {
  const { user, role } = useViewer();
  const admin = role === 'ADMIN';
  const Page = pages[route.name];
  useEffect(connectLive, []);
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="/console/">
          Ordo
        </a>
        <nav aria-label="Main">
          <ul>
            {nav
              .filter(([, , , adminOnly]) => !adminOnly || admin)
              .map(([label, href, names]) => (
                <li key={href}>
                  <Link href={href} aria-current={names.includes(route.name) ? 'page' : undefined}>
                    {label}
                  </Link>
                </li>
              ))}
            {admin && (
              <li>
                <a href="/riverui/">Jobs</a>
              </li>
            )}
          </ul>
        </nav>
        <div class="who">
          <LiveBadge />
          <span class="email">{user && user.email}</span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        {Page ? (
          <Page key={route.name + (route.params.id || '')} params={route.params} query={route.query} />
        ) : (
          <NotFound />
        )}
      </main>
    </div>
  );
}

function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no such page. <Link href="/console/">Go to the orders board</Link>.
      </p>
    </>
  );
}
