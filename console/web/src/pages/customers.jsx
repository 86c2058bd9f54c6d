// Customers: a search by email, phone or name, and one customer's orders across channels, returns,
// notifications and contact preferences.
import { useEffect, useState } from 'preact/hooks';
import { useQuery, mutate, useViewer } from '../api.js';
import { Link } from '../router.js';
import { Alert, Money, Status, When } from '../ui.jsx';
import { Identities, IDENTITY_FIELDS } from './customer_identities.jsx';

const SEARCH = `query SearchCustomers($q: String!) {
  customers(first: 25, orderBy: {field: EMAIL, direction: ASC},
    where: {or: [{emailContainsFold: $q}, {phoneContains: $q}, {nameContainsFold: $q}]}) {
    totalCount
    edges { node { id email name phone } }
  }
}`;

const CUSTOMER = `query ConsoleCustomer($id: ID!) {
  node(id: $id) {
    ... on Customer {
      id email name phone locale timeZone notificationsOptOut mutedNotifications
      ${IDENTITY_FIELDS}
      orders(first: 50, orderBy: [{field: PLACED_AT, direction: DESC}]) {
        totalCount
        edges { node {
          id number status placedAt total { amount currency }
          channel { id name kind }
          returns { id number status kind resolution createdAt }
          notifications { id kind status recipient subject skipReason lastError createdAt }
        } }
      }
    }
  }
}`;

const SET_PREFS = `mutation SetNotificationPreferences($input: SetNotificationPreferencesInput!) {
  setNotificationPreferences(input: $input) { customer { id locale timeZone notificationsOptOut mutedNotifications } }
}`;

const RESEND = `mutation ResendNotification($input: ResendNotificationInput!) { resendNotification(input: $input) { notification { id status } } }`;

const KINDS = ['ORDER_CONFIRMED', 'BACKORDERED', 'ALLOCATED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'DELAYED',
  'READY_FOR_PICKUP', 'PICKUP_EXPIRING', 'RETURN_APPROVED', 'RETURN_RECEIVED', 'REFUND_ISSUED', 'CANCELLED', 'LINES_CANCELLED'];
const LOCALES = ['en', 'th', 'vi', 'id', 'ms'];

export default function Page({ params }) {
  return params?.id ? <Customer id={params.id} /> : <Search />;
}

function Search() {
  const initial = new URLSearchParams(location.search).get('q') || '';
  const [text, setText] = useState(initial);
  const [q, setQ] = useState(initial);
  const { data, error, fetching } = useQuery(SEARCH, { q }, { pause: q.trim() === '' });
  const found = (data?.customers?.edges || []).map((e) => e.node);

  function submit(e) {
    e.preventDefault();
    const v = text.trim();
    setQ(v);
    history.replaceState(null, '', v ? `?q=${encodeURIComponent(v)}` : location.pathname);
  }

  return (
    <div class="page customers">
      <h1>Customers</h1>
      <form role="search" class="toolbar" onSubmit={submit}>
        <label>Search customers
          <input type="search" value={text} placeholder="email or phone" onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <Alert>{msg(error)}</Alert>}
      {q && !fetching && data && (
        <div class="table-wrap">
          <table aria-label="Customers">
            <thead><tr><th>Name</th><th>Email</th><th>Phone</th></tr></thead>
            <tbody>
              {found.map((c) => (
                <tr key={c.id}>
                  <td><Link href={`/console/customers/${c.id}`}>{c.name || c.email || c.phone || c.id}</Link></td>
                  <td>{c.email || '—'}</td>
                  <td>{c.phone || '—'}</td>
                </tr>
              ))}
              {found.length === 0 && <tr><td colSpan={3}>No customer matches “{q}”.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Customer({ id }) {
  const { can } = useViewer();
  const { data, error, fetching, refetch } = useQuery(CUSTOMER, { id });
  const [actionError, setActionError] = useState('');
  const c = data?.node;
  if (error) return <div class="page"><h1>Customer</h1><Alert>{msg(error)}</Alert></div>;
  if (!c) return <div class="page"><h1>Customer</h1><p>{fetching ? 'Loading…' : 'No such customer.'}</p></div>;

  const orders = (c.orders?.edges || []).map((e) => e.node);
  const returns = orders.flatMap((o) => (o.returns || []).map((r) => ({ ...r, order: o })));
  const notifications = orders.flatMap((o) => (o.notifications || []).map((n) => ({ ...n, order: o })))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));

  async function resend(n) {
    setActionError('');
    const r = await mutate(RESEND, { input: { notificationID: n.id } });
    if (r.error) setActionError(msg(r.error));
    else refetch();
  }

  return (
    <div class="page customer">
      <p class="crumbs"><Link href="/console/customers">Customers</Link></p>
      <h1>{c.name || c.email || c.phone || 'Customer'}</h1>
      <p class="muted">{[c.email, c.phone].filter(Boolean).join(' · ')}</p>
      {actionError && <Alert>{actionError}</Alert>}

      <Identities c={c} can={can} refetch={refetch} />

      <section aria-labelledby="cust-orders">
        <h2 id="cust-orders">Orders</h2>
        <div class="table-wrap">
          <table aria-label="Customer orders">
            <thead><tr><th>Order</th><th>Channel</th><th>Status</th><th>Placed</th><th class="num">Total</th></tr></thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td><Link href={`/console/orders/${o.id}`}>{o.number}</Link></td>
                  <td>{o.channel ? o.channel.name : 'Direct'}</td>
                  <td><Status status={o.status} /></td>
                  <td><When time={o.placedAt} /></td>
                  <td class="num"><Money money={o.total} /></td>
                </tr>
              ))}
              {orders.length === 0 && <tr><td colSpan={5}>No orders.</td></tr>}
            </tbody>
          </table>
        </div>
        {c.orders.totalCount > orders.length && <p class="muted">The latest {orders.length} of {c.orders.totalCount} orders.</p>}
      </section>

      <section aria-labelledby="cust-returns">
        <h2 id="cust-returns">Returns</h2>
        <div class="table-wrap">
          <table aria-label="Customer returns">
            <thead><tr><th>Return</th><th>Order</th><th>Kind</th><th>Resolution</th><th>Status</th><th>Opened</th></tr></thead>
            <tbody>
              {returns.map((r) => (
                <tr key={r.id}>
                  <td>{r.number}</td>
                  <td><Link href={`/console/orders/${r.order.id}`}>{r.order.number}</Link></td>
                  <td>{r.kind}</td><td>{r.resolution}</td><td><Status status={r.status} /></td>
                  <td><When time={r.createdAt} /></td>
                </tr>
              ))}
              {returns.length === 0 && <tr><td colSpan={6}>No returns.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="cust-notifications">
        <h2 id="cust-notifications">Notifications</h2>
        <div class="table-wrap">
          <table aria-label="Customer notifications">
            <thead><tr><th>When</th><th>Order</th><th>Kind</th><th>To</th><th>Status</th><th /></tr></thead>
            <tbody>
              {notifications.map((n) => (
                <tr key={n.id}>
                  <td><When time={n.createdAt} /></td>
                  <td><Link href={`/console/orders/${n.order.id}`}>{n.order.number}</Link></td>
                  <td>{n.kind}</td>
                  <td>{n.recipient || '—'}</td>
                  <td class={n.status === 'FAILED' ? 'error-text' : ''}>
                    {n.status}{n.skipReason ? ` (${n.skipReason})` : ''}{n.lastError ? `: ${n.lastError}` : ''}
                  </td>
                  <td>{can('resendNotification') && <button type="button" onClick={() => resend(n)}>Resend</button>}</td>
                </tr>
              ))}
              {notifications.length === 0 && <tr><td colSpan={6}>No notifications.</td></tr>}
            </tbody>
          </table>
        </div>
      </section>

      <Preferences c={c} editable={can('setNotificationPreferences')} />
    </div>
  );
}

function Preferences({ c, editable }) {
  const from = () => ({
    locale: c.locale || '', timeZone: c.timeZone || '', optOut: c.notificationsOptOut, muted: c.mutedNotifications || [],
  });
  const [p, setP] = useState(from);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => setP(from()), [c.id, c.locale, c.timeZone, c.notificationsOptOut, (c.mutedNotifications || []).join()]);

  async function save(e) {
    e.preventDefault();
    setError('');
    setSaved(false);
    const input = { customerID: c.id, optOut: p.optOut, muted: p.muted };
    if (p.locale) input.locale = p.locale;
    if (p.timeZone) input.timeZone = p.timeZone;
    const r = await mutate(SET_PREFS, { input });
    if (r.error) setError(msg(r.error));
    else setSaved(true);
  }

  const mute = (k, on) => setP({ ...p, muted: on ? [...p.muted, k] : p.muted.filter((m) => m !== k) });
  return (
    <section aria-labelledby="cust-prefs">
      <h2 id="cust-prefs">Contact preferences</h2>
      <form class="form prefs" onSubmit={save}>
        {error && <Alert>{error}</Alert>}
        {saved && <p role="status">Preferences saved.</p>}
        <fieldset disabled={!editable}>
          <label>Locale
            <select value={p.locale} onChange={(e) => setP({ ...p, locale: e.currentTarget.value })}>
              <option value="">From the order's country</option>
              {LOCALES.map((l) => <option key={l} value={l}>{l}</option>)}
            </select>
          </label>
          <label>Time zone
            <input value={p.timeZone} placeholder="Asia/Bangkok" onInput={(e) => setP({ ...p, timeZone: e.currentTarget.value })} />
          </label>
          <label class="check">
            <input type="checkbox" checked={p.optOut} onChange={(e) => setP({ ...p, optOut: e.currentTarget.checked })} />
            Opt out of all notifications
          </label>
          <fieldset class="muted-kinds">
            <legend>Muted kinds</legend>
            {KINDS.map((k) => (
              <label key={k} class="check">
                <input type="checkbox" checked={p.muted.includes(k)} onChange={(e) => mute(k, e.currentTarget.checked)} />
                {k}
              </label>
            ))}
          </fieldset>
          {editable && <button type="submit">Save preferences</button>}
        </fieldset>
      </form>
    </section>
  );
}

function msg(e) {
  return String(e?.message || e);
}
