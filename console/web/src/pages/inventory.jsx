// Inventory: the SKU × location grid of stock levels, live, with a level's ledger and the stock
// commands (receive, adjust, transfer, safety stock).
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useQuery, useSubscription, mutate, useViewer } from '../api.js';
import { Alert, Dialog, When } from '../ui.jsx';

const PAGE = 30;

const GRID = `query InventoryGrid($q: String, $first: Int, $after: Cursor, $last: Int, $before: Cursor) {
  locations(first: 50, orderBy: {field: CODE, direction: ASC}) { edges { node { id code name active } } }
  variants(first: $first, after: $after, last: $last, before: $before, where: {skuContainsFold: $q}, orderBy: {field: SKU, direction: ASC}) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node {
      id sku name
      inventoryLevels(first: 40) { edges { node { id locationID onHand reserved safetyStock available damaged quarantined } } }
    } }
  }
}`;

const STOCK_CHANGED = `subscription StockLevelChanged($filter: StockLevelFilter) {
  stockLevelChanged(filter: $filter) { sku locationID onHand reserved safetyStock available reason at level { damaged quarantined } }
}`;

const LEDGER = `query Ledger($variantID: ID!, $locationID: ID!) {
  inventoryMovements(first: 50, where: {variantID: $variantID, locationID: $locationID}, orderBy: {field: CREATED_AT, direction: DESC}) {
    totalCount
    edges { node { id kind onHandDelta reservedDelta damagedDelta quarantinedDelta reason reference actor createdAt } }
  }
}`;

const LEVEL_FIELDS = 'levels { id locationID onHand reserved safetyStock available damaged quarantined variant { sku } } replayed';
const COMMANDS = {
  receiveStock: `mutation ReceiveStock($input: ReceiveStockInput!) { receiveStock(input: $input) { ${LEVEL_FIELDS} } }`,
  adjustStock: `mutation AdjustStock($input: AdjustStockInput!) { adjustStock(input: $input) { ${LEVEL_FIELDS} } }`,
  transferStock: `mutation TransferStock($input: TransferStockInput!) { transferStock(input: $input) { ${LEVEL_FIELDS} } }`,
  setSafetyStock: `mutation SetSafetyStock($input: SetSafetyStockInput!) { setSafetyStock(input: $input) { ${LEVEL_FIELDS} } }`,
};

const key = (sku, locationID) => sku + '\u0000' + locationID;

export default function Page() {
  const [text, setText] = useState('');
  const [q, setQ] = useState(null);
  const [cursor, setCursor] = useState({ first: PAGE });
  const { data, error, fetching, refetch } = useQuery(GRID, { q, ...cursor });
  // Live values by SKU and location, over what the grid query returned; flash marks recent changes.
  const [live, setLive] = useState({});
  const [selected, setSelected] = useState(null);

  const locations = (data?.locations?.edges || []).map((e) => e.node);
  const variants = (data?.variants?.edges || []).map((e) => e.node);
  const page = data?.variants?.pageInfo;
  const skus = useMemo(() => variants.map((v) => v.sku), [data]);

  const apply = useCallback((levels) => {
    setLive((prev) => {
      const next = { ...prev };
      for (const l of levels) next[key(l.sku, l.locationID)] = { ...l, flash: (prev[key(l.sku, l.locationID)]?.flash || 0) + 1 };
      return next;
    });
  }, []);

  useSubscription(STOCK_CHANGED, data ? { filter: { skus } } : null, (d) => {
    const c = d?.stockLevelChanged;
    if (!c) return;
    apply([{ sku: c.sku, locationID: c.locationID, onHand: c.onHand, reserved: c.reserved, safetyStock: c.safetyStock,
      available: c.available, damaged: c.level?.damaged, quarantined: c.level?.quarantined }]);
  });

  function search(e) {
    e.preventDefault();
    setQ(text.trim() || null);
    setCursor({ first: PAGE });
    setLive({});
  }

  const cell = (v, loc) => {
    const base = (v.inventoryLevels?.edges || []).map((e) => e.node).find((l) => l.locationID === loc.id);
    const l = live[key(v.sku, loc.id)];
    if (!base && !l) return null;
    const merged = { ...base, ...Object.fromEntries(Object.entries(l || {}).filter(([, x]) => x !== undefined && x !== null)) };
    return merged;
  };

  return (
    <div class="page inventory">
      <h1>Inventory</h1>
      <form role="search" class="toolbar" onSubmit={search}>
        <label>Search SKU <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} /></label>
        <button type="submit">Search</button>
        <span class="muted">{data ? `${data.variants.totalCount} SKUs` : fetching ? 'Loading…' : ''}</span>
      </form>
      {error && <Alert>{msg(error)}</Alert>}
      <div class="muted">Each cell: on hand / reserved / available / non-sellable</div>
      <div class="table-wrap">
        <table class="grid" aria-label="Stock levels">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              {locations.map((loc) => <th scope="col" key={loc.id} title={loc.name}>{loc.code}<div class="muted">{loc.name}</div></th>)}
            </tr>
          </thead>
          <tbody>
            {variants.map((v) => (
              <tr key={v.id}>
                <th scope="row"><span class="sku">{v.sku}</span><div class="muted">{v.name}</div></th>
                {locations.map((loc) => {
                  const l = cell(v, loc);
                  const flash = live[key(v.sku, loc.id)]?.flash;
                  const isSel = selected && selected.variant.id === v.id && selected.location.id === loc.id;
                  return (
                    <td key={loc.id + ':' + (flash || 0)} data-testid={`level-${v.sku}-${loc.id}`}
                      class={'level' + (flash ? ' hl' : '') + (isSel ? ' selected' : '') + (l && l.available <= 0 ? ' out' : '')}>
                      <button type="button" class="cell" aria-label={`${v.sku} at ${loc.name}`} aria-pressed={isSel ? 'true' : 'false'}
                        onClick={() => setSelected({ variant: v, location: loc })}>
                        {l ? (
                          <>
                            <span data-field="onHand" title="On hand">{l.onHand}</span>
                            {' / '}<span data-field="reserved" title="Reserved">{l.reserved}</span>
                            {' / '}<span data-field="available" title="Available">{l.available}</span>
                            {' / '}<span data-field="nonSellable" title="Non-sellable">{(l.damaged || 0) + (l.quarantined || 0)}</span>
                          </>
                        ) : <span class="muted">—</span>}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
            {data && variants.length === 0 && <tr><td colSpan={locations.length + 1}>No SKU matches.</td></tr>}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <button type="button" disabled={!page?.hasPreviousPage} onClick={() => setCursor({ last: PAGE, before: page.startCursor })}>Previous page</button>
        <button type="button" disabled={!page?.hasNextPage} onClick={() => setCursor({ first: PAGE, after: page.endCursor })}>Next page</button>
      </div>
      {selected && (
        <Level key={selected.variant.id + selected.location.id} variant={selected.variant} location={selected.location}
          level={cell(selected.variant, selected.location)} locations={locations}
          onClose={() => setSelected(null)}
          onChanged={(levels) => { apply(levels.map((l) => ({ ...l, sku: l.variant.sku }))); refetch(); }} />
      )}
    </div>
  );
}

// Level is one stock level's ledger and its commands.
function Level({ variant, location, level, locations, onClose, onChanged }) {
  const { can } = useViewer();
  const { data, error, refetch } = useQuery(LEDGER, { variantID: variant.id, locationID: location.id });
  const [dialog, setDialog] = useState(null);
  const moves = (data?.inventoryMovements?.edges || []).map((e) => e.node);
  const title = `${variant.sku} at ${location.name}`;
  const ref = useRef(null);
  useEffect(() => ref.current?.scrollIntoView({ block: 'nearest' }), []);

  const done = (levels) => {
    setDialog(null);
    onChanged(levels);
    refetch();
  };

  return (
    <section ref={ref} class="card level-detail" aria-labelledby="level-title">
      <header>
        <h2 id="level-title">{title}</h2>
        <button type="button" class="link" onClick={onClose}>Close</button>
      </header>
      {level && (
        <dl class="kv">
          <dt>On hand</dt><dd>{level.onHand}</dd>
          <dt>Reserved</dt><dd>{level.reserved}</dd>
          <dt>Safety stock</dt><dd>{level.safetyStock}</dd>
          <dt>Available</dt><dd>{level.available}</dd>
          <dt>Damaged</dt><dd>{level.damaged || 0}</dd>
          <dt>Quarantined</dt><dd>{level.quarantined || 0}</dd>
        </dl>
      )}
      <div class="actions">
        {can('receiveStock') && <button type="button" onClick={() => setDialog('receive')}>Receive</button>}
        {can('adjustStock') && <button type="button" onClick={() => setDialog('adjust')}>Adjust</button>}
        {can('transferStock') && <button type="button" onClick={() => setDialog('transfer')}>Transfer</button>}
        {can('setSafetyStock') && <button type="button" onClick={() => setDialog('safety')}>Safety stock</button>}
      </div>
      {dialog && (
        <StockDialog kind={dialog} sku={variant.sku} location={location} level={level} locations={locations}
          onClose={() => setDialog(null)} onDone={done} />
      )}
      <h3>Ledger</h3>
      {error && <Alert>{msg(error)}</Alert>}
      <div class="table-wrap">
      <table aria-label="Ledger">
        <thead>
          <tr><th>When</th><th>Kind</th><th class="num">On hand</th><th class="num">Reserved</th><th class="num">Non-sellable</th><th>Reason</th><th>Reference</th><th>By</th></tr>
        </thead>
        <tbody>
          {moves.map((m) => (
            <tr key={m.id}>
              <td><When time={m.createdAt} /></td>
              <td>{m.kind}</td>
              <td class="num">{signed(m.onHandDelta)}</td>
              <td class="num">{signed(m.reservedDelta)}</td>
              <td class="num">{signed(m.damagedDelta + m.quarantinedDelta)}</td>
              <td>{m.reason || ''}</td>
              <td>{m.reference || ''}</td>
              <td>{m.actor || ''}</td>
            </tr>
          ))}
          {data && moves.length === 0 && <tr><td colSpan={8}>No movements yet.</td></tr>}
        </tbody>
      </table>
      </div>
    </section>
  );
}

const DIALOGS = {
  receive: { title: 'Receive stock', command: 'receiveStock' },
  adjust: { title: 'Adjust stock', command: 'adjustStock' },
  transfer: { title: 'Transfer stock', command: 'transferStock' },
  safety: { title: 'Set safety stock', command: 'setSafetyStock' },
};

function StockDialog({ kind, sku, location, level, locations, onClose, onDone }) {
  const d = DIALOGS[kind];
  const others = locations.filter((l) => l.id !== location.id);
  const [quantity, setQuantity] = useState(kind === 'safety' ? String(level?.safetyStock ?? 0) : '');
  const [reason, setReason] = useState('');
  const [to, setTo] = useState(others[0]?.id || '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // One key per dialog: a double submit is replayed, not applied twice.
  const [idempotencyKey] = useState(() => (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)));

  async function submit(e) {
    e.preventDefault();
    const n = Number(quantity);
    if (!Number.isInteger(n)) return setError('Quantity must be a whole number.');
    let input;
    if (kind === 'receive') input = { sku, locationID: location.id, quantity: n, reference: reason || null, idempotencyKey };
    if (kind === 'adjust') input = { sku, locationID: location.id, delta: n, reason, idempotencyKey };
    if (kind === 'transfer') input = { sku, fromLocationID: location.id, toLocationID: to, quantity: n, reference: reason || null, idempotencyKey };
    if (kind === 'safety') input = { sku, locationID: location.id, safetyStock: n, idempotencyKey };
    setBusy(true);
    setError('');
    const r = await mutate(COMMANDS[d.command], { input });
    setBusy(false);
    if (r.error) return setError(msg(r.error));
    onDone(r.data[d.command].levels);
  }

  return (
    <Dialog title={`${d.title}: ${sku} at ${location.name}`} onClose={onClose}>
      <form class="form" onSubmit={submit}>
        {error && <Alert>{error}</Alert>}
        {kind === 'transfer' && (
          <label>Location
            <select value={to} onChange={(e) => setTo(e.currentTarget.value)} required>
              {others.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
            </select>
          </label>
        )}
        <label>Quantity
          <input type="number" step="1" min={kind === 'adjust' ? undefined : 0} required value={quantity}
            onInput={(e) => setQuantity(e.currentTarget.value)} />
        </label>
        {kind === 'adjust' && <p class="muted">A positive number adds units to on hand, a negative one removes them.</p>}
        {kind !== 'safety' && (
          <label>{kind === 'adjust' ? 'Reason' : 'Reference'}
            <input value={reason} required={kind === 'adjust'} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>Confirm</button>
          <button type="button" data-close onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

function signed(n) {
  return n > 0 ? '+' + n : n === 0 ? '' : String(n);
}

function msg(e) {
  return String(e?.message || e);
}
