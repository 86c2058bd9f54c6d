// The orders board: every channel's orders in one live list, with filters, search, per-status counts,
// saved views, cursor paging and keyboard navigation.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { gql, mutate, useConnected, useQuery, useSubscription, useViewer } from '../api.js';
import { Link } from '../router.js';
import { Alert, Field, Money, Status, When, statusLabel } from '../ui.jsx';

export const STATUSES = [
  'PENDING_PAYMENT', 'CONFIRMED', 'ALLOCATED', 'PICKING', 'PACKED', 'READY_TO_SHIP', 'SHIPPED', 'DELIVERED', 'COMPLETED',
  'ON_HOLD', 'BACKORDERED', 'CANCEL_REQUESTED', 'CANCELLED', 'RETURN_REQUESTED', 'RETURNED', 'REFUNDED', 'EXCEPTION',
];
const PAYMENT_METHODS = ['PREPAID', 'COD', 'BANK_TRANSFER', 'WALLET', 'CARD', 'CASH'];
const PAGE = 50;
const paymentLabel = (p) => (p === 'COD' ? 'COD' : statusLabel(p));

// The board row: keep it small, the board reads 50 of these at a time and live updates carry it.
const ROW = `id number externalID status placedAt shipBy paymentMethod contactEmail channel { id name } total { amount currency }`;

const BOARD = gql`
  query Board($filter: OrderBoardFilter, $after: Cursor, $first: Int) {
    orderBoard(filter: $filter, after: $after, first: $first) {
      edges { cursor node { ${ROW} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const COUNTS = gql`
  query BoardCounts($filter: OrderBoardFilter) {
    orderCounts(filter: $filter) { status count }
  }
`;
const OPTIONS = gql`
  query BoardOptions {
    channels(first: 100) { edges { node { id name } } }
    locations(first: 100) { edges { node { id name code } } }
  }
`;
const VIEW_FIELDS = `name filter`;
const VIEWS = gql`
  query SavedViews {
    savedViews { ${VIEW_FIELDS} }
  }
`;
const SAVE_VIEW = gql`
  mutation SaveView($input: SaveViewInput!) {
    saveView(input: $input) { ${VIEW_FIELDS} }
  }
`;
const DELETE_VIEW = gql`
  mutation DeleteView($name: String!) {
    deleteView(name: $name)
  }
`;
const LIVE = gql`
  subscription BoardLive($after: String) {
    orderUpdated(after: $after) { ${ROW} }
  }
`;

// toFilter turns the form's state into an OrderBoardFilter (only what is set).
function toFilter(f) {
  const out = {};
  if (f.status) out.statuses = [f.status];
  if (f.channel) out.channelIDs = [f.channel];
  if (f.location) out.locationIDs = [f.location];
  if (f.payment) out.paymentMethods = [f.payment];
  if (f.from) out.placedFrom = new Date(f.from + 'T00:00:00').toISOString();
  if (f.to) out.placedTo = new Date(f.to + 'T23:59:59.999').toISOString();
  if (f.lateRisk) out.lateRisk = true;
  if (f.exceptions) out.exceptions = true;
  if (f.search.trim()) out.search = f.search.trim();
  return out;
}

const day = (t) => {
  if (!t) return '';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

// fromFilter turns a saved view's filter back into the form's state.
function fromFilter(v) {
  if (!v || typeof v !== 'object') v = {};
  const first = (a) => (Array.isArray(a) && typeof a[0] === 'string' ? a[0] : '');
  return {
    status: first(v.statuses),
    channel: first(v.channelIDs),
    location: first(v.locationIDs),
    payment: first(v.paymentMethods),
    from: day(v.placedFrom),
    to: day(v.placedTo),
    lateRisk: !!v.lateRisk,
    exceptions: !!v.exceptions,
    search: typeof v.search === 'string' ? v.search : '',
  };
}

const EMPTY = fromFilter();

// The board's filter lives in the address (?f=<the filter as JSON>), so that a reload keeps it and a
// link shares it.
function formFromAddress() {
  try {
    const f = new URLSearchParams(location.search).get('f');
    return f ? fromFilter(JSON.parse(f)) : EMPTY;
  } catch {
    return EMPTY;
  }
}

function filterToAddress(filter) {
  const json = JSON.stringify(filter);
  const q = json === '{}' ? '' : `?f=${encodeURIComponent(json)}`;
  if (location.search !== q) history.replaceState(history.state, '', location.pathname + q);
}

// throttle calls fn at most once per ms (the first call at once, the last one always).
function useThrottle(fn, ms) {
  const ref = useRef({ last: 0, timer: null, fn });
  ref.current.fn = fn;
  useEffect(() => () => clearTimeout(ref.current.timer), []);
  return () => {
    const r = ref.current;
    if (r.timer) return;
    const wait = Math.max(0, r.last + ms - Date.now());
    r.timer = setTimeout(() => {
      r.timer = null;
      r.last = Date.now();
      r.fn();
    }, wait);
  };
}

export default function Board() {
  const { can } = useViewer();
  const [form, setForm] = useState(formFromAddress);
  const [search, setSearch] = useState(() => form.search);
  const [cursors, setCursors] = useState([null]); // cursors[i] is the `after` of page i
  const [rows, setRows] = useState(null);
  const [hl, setHl] = useState({});
  const searchRef = useRef(null);
  const tableRef = useRef(null);
  const connected = useConnected();

  useEffect(() => {
    document.title = 'Orders · Ordo';
  }, []);

  // The search box updates the filter after a short pause.
  useEffect(() => {
    const t = setTimeout(() => setForm((f) => (f.search === search ? f : { ...f, search })), 250);
    return () => clearTimeout(t);
  }, [search]);

  const filter = useMemo(() => toFilter(form), [form]);
  useEffect(() => filterToAddress(filter), [filter]);
  const after = cursors[cursors.length - 1];
  const page = useQuery(BOARD, { filter, after, first: PAGE });
  const counts = useQuery(COUNTS, { filter: { ...filter, statuses: undefined } });
  const options = useQuery(OPTIONS);
  const views = useQuery(VIEWS);

  useEffect(() => {
    if (page.data) setRows(page.data.orderBoard.edges.map((e) => e.node));
  }, [page.data]);

  // Back to the first page whenever the filter changes.
  const set = (patch) => {
    setCursors([null]);
    setForm((f) => ({ ...f, ...patch }));
  };

  // Live: a changed order on this page is patched in place; anything else refreshes the page (at most
  // 2.5 times a second) so new orders appear; the changed rows flash.
  const refresh = useThrottle(() => {
    page.refetch();
    counts.refetch();
  }, 400);
  const flash = (id) => {
    setHl((h) => ({ ...h, [id]: Date.now() }));
    setTimeout(() => setHl((h) => {
      const n = { ...h };
      if (n[id] && Date.now() - n[id] >= 2400) delete n[id];
      return n;
    }), 2500);
  };
  useSubscription(LIVE, {}, (data) => {
    const o = data.orderUpdated;
    let found = false;
    setRows((rs) => rs && rs.map((r) => (r.id === o.id ? ((found = true), o) : r)));
    flash(o.id);
    if (!found) refresh();
    else counts.refetch();
  });
  // After a reconnect, catch up on what was missed.
  const wasConnected = useRef(false);
  useEffect(() => {
    if (connected && wasConnected.current === false && rows) refresh();
    wasConnected.current = connected;
  }, [connected]);

  // Keyboard: "/" focuses the search box; ArrowDown/ArrowUp move between the rows' links.
  useEffect(() => {
    const key = (e) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      searchRef.current && searchRef.current.focus();
    };
    document.addEventListener('keydown', key);
    return () => document.removeEventListener('keydown', key);
  }, []);
  const rowKeys = (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...tableRef.current.querySelectorAll('tbody a.row-link')];
    if (!links.length) return;
    const i = links.indexOf(document.activeElement);
    const next = i < 0 ? 0 : Math.min(links.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)));
    links[next].focus();
    e.preventDefault();
  };

  const channels = (options.data && options.data.channels.edges.map((e) => e.node)) || [];
  const locations = (options.data && options.data.locations.edges.map((e) => e.node)) || [];
  const countOf = {};
  for (const c of (counts.data && counts.data.orderCounts) || []) countOf[c.status] = c.count;
  const pageInfo = page.data && page.data.orderBoard.pageInfo;

  return (
    <>
      <div class="page-head">
        <h1>Orders</h1>
        {page.fetching && <span class="muted" aria-live="polite">Loading…</span>}
      </div>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field
          label="Search orders"
          type="search"
          value={search}
          placeholder="Number, channel id, email, phone, tracking"
          onInput={(e) => setSearch(e.currentTarget.value)}
          size="32"
          inputRef={searchRef}
        />
        <Field label="Status" as="select" value={form.status} onChange={(e) => set({ status: e.currentTarget.value })}>
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option value={s}>{statusLabel(s)}</option>
          ))}
        </Field>
        <Field label="Channel" as="select" value={form.channel} onChange={(e) => set({ channel: e.currentTarget.value })}>
          <option value="">All</option>
          {channels.map((c) => (
            <option value={c.id}>{c.name}</option>
          ))}
        </Field>
        <Field label="Location" as="select" value={form.location} onChange={(e) => set({ location: e.currentTarget.value })}>
          <option value="">All</option>
          {locations.map((l) => (
            <option value={l.id}>{l.name}</option>
          ))}
        </Field>
        <Field label="Payment method" as="select" value={form.payment} onChange={(e) => set({ payment: e.currentTarget.value })}>
          <option value="">All</option>
          {PAYMENT_METHODS.map((p) => (
            <option value={p}>{paymentLabel(p)}</option>
          ))}
        </Field>
        <Field label="Placed from" type="date" value={form.from} onChange={(e) => set({ from: e.currentTarget.value })} />
        <Field label="Placed to" type="date" value={form.to} onChange={(e) => set({ to: e.currentTarget.value })} />
        <label class="check">
          <input type="checkbox" checked={form.lateRisk} onChange={(e) => set({ lateRisk: e.currentTarget.checked })} />
          Late risk
        </label>
        <label class="check">
          <input type="checkbox" checked={form.exceptions} onChange={(e) => set({ exceptions: e.currentTarget.checked })} />
          Exceptions
        </label>
        <button
          type="button"
          onClick={() => {
            setSearch('');
            set(EMPTY);
          }}
        >
          Clear filters
        </button>
      </form>

      <div class="counts" aria-label="Order counts" role="group">
        {STATUSES.filter((s) => countOf[s]).map((s) => (
          <button
            type="button"
            aria-pressed={form.status === s ? 'true' : 'false'}
            onClick={() => set({ status: form.status === s ? '' : s })}
          >
            {statusLabel(s)} {countOf[s]}
          </button>
        ))}
      </div>

      <SavedViews
        views={views}
        can={can}
        filter={filter}
        onApply={(v) => {
          const f = fromFilter(v.filter);
          setSearch(f.search);
          set(f);
        }}
      />

      <Alert error={page.error} />
      <div class="table-wrap" ref={tableRef} onKeyDown={rowKeys}>
        <table aria-label="Orders">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Status</th>
              <th scope="col">Placed</th>
              <th scope="col">Channel</th>
              <th scope="col">Customer</th>
              <th scope="col" class="num">Total</th>
              <th scope="col">Payment</th>
              <th scope="col">Ship by</th>
            </tr>
          </thead>
          <tbody>
            {(rows || []).map((o) => (
              <tr key={o.id} class={hl[o.id] ? 'hl' : ''}>
                <td>
                  <Link class="row-link" href={`/console/orders/${encodeURIComponent(o.id)}`} title={o.externalID ? `Channel order ${o.externalID}` : undefined}>
                    {o.number}
                  </Link>
                </td>
                <td>
                  <Status status={o.status} />
                </td>
                <td>
                  <When time={o.placedAt} />
                </td>
                <td>{o.channel ? o.channel.name : <span class="muted">Direct</span>}</td>
                <td>{o.contactEmail || <span class="muted">—</span>}</td>
                <td class="num">
                  <Money money={o.total} />
                </td>
                <td>{paymentLabel(o.paymentMethod)}</td>
                <td>
                  <When time={o.shipBy} />
                </td>
              </tr>
            ))}
            {rows && rows.length === 0 && (
              <tr>
                <td colSpan={8} class="muted">
                  No orders match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <span class="muted">Page {cursors.length}</span>
        <button
          type="button"
          disabled={!pageInfo || !pageInfo.hasNextPage}
          onClick={() => setCursors((c) => [...c, pageInfo.endCursor])}
        >
          Next page
        </button>
      </div>
    </>
  );
}

function SavedViews({ views, can, filter, onApply }) {
  const [name, setName] = useState('');
  const [error, setError] = useState(null);
  const list = (views.data && views.data.savedViews) || [];
  const save = async (e) => {
    e.preventDefault();
    if (!name.trim()) return;
    setError(null);
    const r = await mutate(SAVE_VIEW, { input: { name: name.trim(), filter } });
    if (r.error) setError(r.error);
    else {
      setName('');
      views.refetch();
    }
  };
  const del = async (n) => {
    setError(null);
    const r = await mutate(DELETE_VIEW, { name: n });
    if (r.error) setError(r.error);
    else views.refetch();
  };
  return (
    <div class="views">
      {list.map((v) => (
        <span class="view" key={v.name}>
          <button type="button" onClick={() => onApply(v)}>
            {v.name}
          </button>
          {can('deleteView') && (
            <button type="button" class="link" aria-label={`Delete view ${v.name}`} onClick={() => del(v.name)}>
              ×
            </button>
          )}
        </span>
      ))}
      {can('saveView') && (
        <form class="views" onSubmit={save}>
          <Field label="View name" value={name} onInput={(e) => setName(e.currentTarget.value)} size="16" />
          <button type="submit">Save view</button>
        </form>
      )}
      <Alert error={error} />
    </div>
  );
}
