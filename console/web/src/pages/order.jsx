// Order detail: lines and allocations, the routing decision in words and on a map, shipments with
// tracking and documents, returns, refunds, notifications, the timeline with notes, and the actions
// the viewer's role allows. Live while open.
import { useEffect, useRef, useState } from 'preact/hooks';
import { gql, mutate, useConnected, useQuery, useSubscription, useViewer } from '../api.js';
import { Link } from '../router.js';
import { ActionButton, Alert, Field, FormDialog, Money, Status, When, statusLabel, toMinor } from '../ui.jsx';

const M = `amount currency`;
const ORDER = gql`
  query OrderDetail($id: ID!) {
    node(id: $id) {
      ... on Order {
        id number externalID status paymentStatus fulfillmentStatus returnStatus paymentMethod deliveryMethod
        placedAt shipBy contactEmail note cancelReason currency shippingMethod
        channel { id name }
        customer { id email name phone }
        shippingAddress { name line1 line2 city region postalCode countryCode latitude longitude }
        subtotal { ${M} } shipping { ${M} } discount { ${M} } tax { ${M} } total { ${M} } refunded { ${M} } balanceDue { ${M} }
        lines { id sku name kind quantity cancelledQuantity allocatedQuantity unitPrice { ${M} } lineTotal { ${M} } }
        allocations { id lineID quantity status shipmentID location { id name code } variant { sku } }
        routingDecision { id outcome createdAt explanation trace }
        shipments {
          id number status direction method carrier service trackingNumbers trackingURL trackingTag
          shipBy lateRisk lateReason shippedAt deliveredAt
          location { id name }
          documents { id kind format createdAt }
          trackingEvents { id tag message location occurredAt }
        }
        returns {
          id number status kind resolution reasonCode note createdAt exchangeOrderID
          location { id name }
          lines { id orderLineID sku quantity receivedQuantity dispositionedQuantity }
        }
        refunds { id status reason returnID failureReason createdAt amount { ${M} } }
        notifications { id kind status recipient subject sentAt createdAt skipReason lastError attempts }
        events { cursor type actor actorName data createdAt }
      }
    }
  }
`;
const LOCATIONS = gql`
  query MapLocations($ids: [ID!]!) {
    nodes(ids: $ids) { ... on Location { id name code address { latitude longitude } } }
  }
`;
const ALL_LOCATIONS = gql`
  query LocationOptions {
    locations(first: 100) { edges { node { id name code } } }
  }
`;

const LIVE_ORDER = gql`subscription OrderLive($id: ID!, $after: String) { orderUpdated(after: $after, filter: { orderID: $id }) { id } }`;
const LIVE_EVENTS = gql`subscription OrderEventsLive($id: ID!, $after: String) { orderEvents(after: $after, filter: { orderID: $id }) { cursor } }`;
const LIVE_SHIPMENTS = gql`subscription OrderShipmentsLive($id: ID!, $after: String) { shipmentUpdated(after: $after, filter: { orderID: $id }) { id } }`;
const LIVE_RETURNS = gql`subscription OrderReturnsLive($id: ID!, $after: String) { returnUpdated(after: $after, filter: { orderID: $id }) { id } }`;

const ORDER_PAYLOAD = `order { id }`;
const doc = {
  holdOrder: gql`mutation Hold($input: OrderCommandInput!) { holdOrder(input: $input) { ${ORDER_PAYLOAD} } }`,
  releaseOrderHold: gql`mutation ReleaseHold($input: OrderCommandInput!) { releaseOrderHold(input: $input) { ${ORDER_PAYLOAD} } }`,
  cancelOrder: gql`mutation CancelOrder($input: OrderCommandInput!) { cancelOrder(input: $input) { ${ORDER_PAYLOAD} } }`,
  cancelOrderLines: gql`mutation CancelLines($input: CancelOrderLinesInput!) { cancelOrderLines(input: $input) { ${ORDER_PAYLOAD} } }`,
  rejectAllocation: gql`mutation RejectAllocation($input: RejectAllocationInput!) { rejectAllocation(input: $input) { ${ORDER_PAYLOAD} } }`,
  planShipments: gql`mutation PlanShipments($input: PlanShipmentsInput!) { planShipments(input: $input) { shipments { id } } }`,
  pickShipment: gql`mutation Pick($input: ShipmentCommandInput!) { pickShipment(input: $input) { shipment { id } } }`,
  packShipment: gql`mutation Pack($input: ShipmentCommandInput!) { packShipment(input: $input) { shipment { id } } }`,
  markShipmentReady: gql`mutation Ready($input: ShipmentCommandInput!) { markShipmentReady(input: $input) { shipment { id } } }`,
  shipShipment: gql`mutation Ship($input: ShipShipmentInput!) { shipShipment(input: $input) { shipment { id } } }`,
  printPackingSlip: gql`mutation PackingSlip($input: ShipmentCommandInput!) { printPackingSlip(input: $input) { document { id } } }`,
  requestReturn: gql`mutation StartReturn($input: RequestReturnInput!) { requestReturn(input: $input) { return { id } } }`,
  approveReturn: gql`mutation ApproveReturn($input: ApproveReturnInput!) { approveReturn(input: $input) { return { id } } }`,
  receiveReturn: gql`mutation ReceiveReturn($input: ReceiveReturnInput!) { receiveReturn(input: $input) { return { id } } }`,
  dispositionReturn: gql`mutation Disposition($input: DispositionReturnInput!) { dispositionReturn(input: $input) { return { id } } }`,
  refundReturn: gql`mutation RefundReturn($input: RefundReturnInput!) { refundReturn(input: $input) { refund { id } } }`,
  refundOrder: gql`mutation RefundOrder($input: RefundOrderInput!) { refundOrder(input: $input) { refund { id } } }`,
  createExchange: gql`mutation CreateExchange($input: CreateExchangeInput!) { createExchange(input: $input) { order { id } } }`,
  resendNotification: gql`mutation Resend($input: ResendNotificationInput!) { resendNotification(input: $input) { notification { id } } }`,
  addOrderNote: gql`mutation AddNote($input: AddOrderNoteInput!) { addOrderNote(input: $input) { __typename } }`,
};

const int = (v) => parseInt(String(v || '0'), 10) || 0;

// refreshing calls fn soon, coalescing bursts (a change often brings several messages).
function useSoon(fn, ms = 300) {
  const t = useRef(null);
  const f = useRef(fn);
  f.current = fn;
  useEffect(() => () => clearTimeout(t.current), []);
  return () => {
    if (t.current) return;
    t.current = setTimeout(() => {
      t.current = null;
      f.current();
    }, ms);
  };
}

export default function Order({ params }) {
  const id = params.id;
  const q = useQuery(ORDER, { id });
  const { can } = useViewer();
  const soon = useSoon(() => q.refetch());
  useSubscription(LIVE_ORDER, { id }, soon);
  useSubscription(LIVE_EVENTS, { id }, soon);
  useSubscription(LIVE_SHIPMENTS, { id }, soon);
  useSubscription(LIVE_RETURNS, { id }, soon);
  const connected = useConnected();
  const was = useRef(connected);
  useEffect(() => {
    if (connected && !was.current) soon();
    was.current = connected;
  }, [connected]);

  const o = q.data && q.data.node;
  useEffect(() => {
    if (o) document.title = `Order ${o.number} · Ordo`;
  }, [o && o.number]);

  if (!o) {
    if (q.fetching) return <p class="muted">Loading…</p>;
    return (
      <>
        <h1>Order not found</h1>
        <Alert error={q.error} />
        <Link href="/console/">Back to the orders board</Link>
      </>
    );
  }
  const done = () => q.refetch();
  const ctx = { o, can, done };
  return (
    <div class="order">
      <div class="page-head">
        <h1>Order {o.number}</h1>
        <Status status={o.status} />
        {o.channel && <span class="muted">{o.channel.name}{o.externalID ? ` · ${o.externalID}` : ''}</span>}
      </div>
      <Alert error={q.error} />
      <OrderActions {...ctx} />
      <div class="grid2">
        <Summary o={o} />
        <Totals o={o} />
      </div>
      <Lines {...ctx} />
      <Routing o={o} />
      <Shipments {...ctx} />
      <Returns {...ctx} />
      <Refunds {...ctx} />
      <Notifications {...ctx} />
      <Timeline {...ctx} />
    </div>
  );
}

// DialogButton opens a FormDialog titled `title` (default: the label); submit(values) returns {error}.
function DialogButton({ label, title, submit, done, children, class: cls, ...rest }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class={cls} onClick={() => setOpen(true)} {...rest}>
        {label}
      </button>
      {open && (
        <FormDialog
          title={title || label}
          onClose={() => setOpen(false)}
          onSubmit={async (v) => {
            const r = await submit(v);
            if (!r.error && done) done();
            return r;
          }}
        >
          {children}
        </FormDialog>
      )}
    </>
  );
}

function Reason({ required = false }) {
  return <Field label="Reason" name="reason" required={required} />;
}

function LocationSelect({ value, required = true }) {
  const q = useQuery(ALL_LOCATIONS);
  const list = (q.data && q.data.locations.edges.map((e) => e.node)) || [];
  return (
    <>
    <Alert error={q.error} />
    <Field label="Location" as="select" name="locationID" required={required}>
      {!required && <option value="">Default</option>}
      {list.map((l) => (
        <option value={l.id} selected={l.id === value}>
          {l.name}
        </option>
      ))}
    </Field>
    </>
  );
}

function OrderActions({ o, can, done }) {
  const orderID = o.id;
  const finished = ['CANCELLED', 'COMPLETED', 'REFUNDED', 'RETURNED', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED'].includes(o.status);
  return (
    <div class="actions" aria-label="Order actions" role="group">
      {can('holdOrder') && o.status !== 'ON_HOLD' && !finished && (
        <DialogButton label="Hold" title="Hold order" done={done} submit={(v) => mutate(doc.holdOrder, { input: { orderID, reason: v.reason || null } })}>
          <Reason />
        </DialogButton>
      )}
      {can('releaseOrderHold') && o.status === 'ON_HOLD' && (
        <ActionButton doc={doc.releaseOrderHold} vars={{ input: { orderID } }} onDone={done}>
          Release hold
        </ActionButton>
      )}
      {can('planShipments') && !finished && (
        <ActionButton doc={doc.planShipments} vars={{ input: { orderID } }} onDone={done}>
          Plan shipments
        </ActionButton>
      )}
      {can('requestReturn') && <StartReturn o={o} done={done} />}
      {can('cancelOrder') && !finished && (
        <DialogButton label="Cancel order" class="danger" done={done} submit={(v) => mutate(doc.cancelOrder, { input: { orderID, reason: v.reason } })}>
          <Reason required />
        </DialogButton>
      )}
    </div>
  );
}

function StartReturn({ o, done }) {
  const lines = (o.lines || []).filter((l) => l.kind === 'STOCK' || !l.kind);
  return (
    <DialogButton
      label="Start return"
      done={done}
      submit={(v) => {
        const picked = lines
          .map((l) => ({ orderLineID: l.id, quantity: int(v['qty-' + l.id]) }))
          .filter((l) => l.quantity > 0);
        if (!picked.length) return { error: new Error('Enter a return quantity for at least one line.') };
        return mutate(doc.requestReturn, { input: { orderID: o.id, lines: picked, note: v.reason || null } });
      }}
    >
      {lines.map((l) => (
        <Field label={`Return quantity ${l.sku}`} name={'qty-' + l.id} type="number" min="0" max={l.quantity - l.cancelledQuantity} defaultValue="0" />
      ))}
      <Reason />
    </DialogButton>
  );
}

function Summary({ o }) {
  const a = o.shippingAddress;
  return (
    <section class="card" aria-labelledby="h-summary">
      <h2 id="h-summary">Summary</h2>
      <dl class="kv">
        <dt>Placed</dt>
        <dd><When time={o.placedAt} /></dd>
        <dt>Customer</dt>
        <dd>
          {o.customer ? (
            <Link href={`/console/customers/${encodeURIComponent(o.customer.id)}`}>{o.customer.name || o.customer.email || o.customer.id}</Link>
          ) : (
            o.contactEmail || <span class="muted">Guest</span>
          )}
        </dd>
        <dt>Payment</dt>
        <dd>{statusLabel(o.paymentMethod)} · {statusLabel(o.paymentStatus)}</dd>
        <dt>Fulfilment</dt>
        <dd>{statusLabel(o.fulfillmentStatus)} · {statusLabel(o.deliveryMethod)}{o.shippingMethod ? ` · ${o.shippingMethod}` : ''}</dd>
        <dt>Ship by</dt>
        <dd><When time={o.shipBy} /></dd>
        {a && (
          <>
            <dt>Ship to</dt>
            <dd>{[a.name, a.line1, a.line2, a.city, a.region, a.postalCode, a.countryCode].filter(Boolean).join(', ')}</dd>
          </>
        )}
        {o.note && (
          <>
            <dt>Note</dt>
            <dd>{o.note}</dd>
          </>
        )}
        {o.cancelReason && (
          <>
            <dt>Cancelled</dt>
            <dd>{o.cancelReason}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Totals({ o }) {
  const rows = [['Subtotal', o.subtotal], ['Shipping', o.shipping], ['Discount', o.discount], ['Tax', o.tax], ['Total', o.total], ['Refunded', o.refunded], ['Balance due', o.balanceDue]];
  return (
    <section class="card" aria-labelledby="h-totals">
      <h2 id="h-totals">Totals</h2>
      <dl class="kv">
        {rows.map(([k, m]) => (
          <>
            <dt>{k}</dt>
            <dd><Money money={m} /></dd>
          </>
        ))}
      </dl>
    </section>
  );
}

function Lines({ o, can, done }) {
  const allocs = o.allocations || [];
  const locs = [];
  for (const a of allocs) if (!locs.find((l) => l.id === a.location.id)) locs.push(a.location);
  // A bundle line's allocations are its components': each is shown with its SKU.
  const qty = (line, loc) => {
    const here = allocs.filter((a) => a.lineID === line.id && a.location.id === loc.id && a.status !== 'RELEASED');
    const own = here.filter((a) => !a.variant || a.variant.sku === line.sku).reduce((n, a) => n + a.quantity, 0);
    const parts = here.filter((a) => a.variant && a.variant.sku !== line.sku).map((a) => `${a.quantity} ${a.variant.sku}`);
    return [own || '', ...parts].filter(Boolean).join(', ');
  };
  const component = (a, line) => (a.variant && line && a.variant.sku !== line.sku ? ` (${a.variant.sku})` : '');
  const open = allocs.filter((a) => a.status === 'OPEN');
  return (
    <section class="card" aria-labelledby="h-lines">
      <h2 id="h-lines">Lines</h2>
      <div class="table-wrap">
        <table aria-label="Lines">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Name</th>
              <th scope="col" class="num">Qty</th>
              <th scope="col" class="num">Cancelled</th>
              <th scope="col" class="num">Allocated</th>
              {locs.map((l) => (
                <th scope="col" class="num">{l.name}</th>
              ))}
              <th scope="col" class="num">Unit price</th>
              <th scope="col" class="num">Total</th>
              <th scope="col"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {(o.lines || []).map((l) => (
              <tr key={l.id}>
                <td>{l.sku}</td>
                <td class="wrap">{l.name}</td>
                <td class="num">{l.quantity}</td>
                <td class="num">{l.cancelledQuantity}</td>
                <td class="num">{l.allocatedQuantity}</td>
                {locs.map((loc) => (
                  <td class="num">{qty(l, loc)}</td>
                ))}
                <td class="num"><Money money={l.unitPrice} /></td>
                <td class="num"><Money money={l.lineTotal} /></td>
                <td>
                  {can('cancelOrderLines') && l.quantity > l.cancelledQuantity && (
                    <DialogButton
                      label={`Cancel line ${l.sku}`}
                      done={done}
                      submit={(v) => mutate(doc.cancelOrderLines, { input: { orderID: o.id, lines: [{ lineID: l.id, quantity: int(v.quantity) }], reason: v.reason } })}
                    >
                      <Field label="Quantity" name="quantity" type="number" min="1" max={l.quantity - l.cancelledQuantity} defaultValue={String(l.quantity - l.cancelledQuantity)} required />
                      <Reason required />
                    </DialogButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open.length > 0 && can('rejectAllocation') && (
        <div class="actions">
          {open.map((a) => {
            const line = (o.lines || []).find((l) => l.id === a.lineID);
            return (
              <DialogButton
                label={`Reject allocation ${a.location.name}${component(a, line)}`}
                title={`Reject allocation ${a.location.name}${line ? ` (${line.sku} × ${a.quantity})` : ''}`}
                done={done}
                submit={(v) => mutate(doc.rejectAllocation, { input: { allocationID: a.id, reason: v.reason } })}
              >
                <p class="muted">The order is routed again without this location for these units.</p>
                <Reason required />
              </DialogButton>
            );
          })}
        </div>
      )}
    </section>
  );
}

function Routing({ o }) {
  const d = o.routingDecision;
  return (
    <section class="card" aria-labelledby="h-routing">
      <h2 id="h-routing">Routing</h2>
      {!d ? (
        <p class="muted">No routing decision yet.</p>
      ) : (
        <>
          <p class="muted">
            {statusLabel(d.outcome)} · <When time={d.createdAt} />
          </p>
          <ul class="explain">
            {(d.explanation || []).map((s) => (
              <li>{s}</li>
            ))}
          </ul>
          <RoutingMap o={o} trace={(d.trace && d.trace.trace) || d.trace || {}} decision={d.trace || {}} />
        </>
      )}
    </section>
  );
}

// RoutingMap draws the candidate locations and the destination from lat/lng (equirectangular,
// scaled by the latitude's cosine, fitted to the box); the chosen locations are joined to the destination.
function RoutingMap({ o, trace, decision }) {
  const ids = new Set();
  const rank = {};
  for (const c of trace.ranking || []) {
    ids.add(c.locationId);
    rank[c.locationId] = c;
  }
  const rejected = {};
  for (const r of trace.rejected || []) {
    ids.add(r.locationId);
    rejected[r.locationId] = r;
  }
  const chosen = new Set((trace.plan && trace.plan.locations) || []);
  for (const l of trace.lines || []) for (const c of l.chosen || []) chosen.add(c);
  for (const sh of decision.shipments || []) if (sh.locationId) chosen.add(sh.locationId);
  for (const a of o.allocations || []) if (a.status !== 'RELEASED') chosen.add(a.location.id);
  for (const c of chosen) ids.add(c);
  const idList = [...ids].sort();
  const q = useQuery(LOCATIONS, { ids: idList }, { pause: idList.length === 0 });
  const nodes = ((q.data && q.data.nodes) || []).filter((n) => n && n.address && n.address.latitude != null && n.address.longitude != null);

  let dest = trace.destination && trace.destination.point;
  const a = o.shippingAddress;
  if (!dest && a && a.latitude != null && a.longitude != null) dest = { lat: a.latitude, lng: a.longitude };
  const pts = nodes.map((n) => ({ lat: n.address.latitude, lng: n.address.longitude }));
  if (dest) pts.push(dest);
  if (!pts.length) return <p class="muted">{q.fetching ? 'Loading map…' : 'No positions to draw.'}</p>;

  const W = 480;
  const H = 300;
  const pad = 36;
  const mid = (Math.min(...pts.map((p) => p.lat)) + Math.max(...pts.map((p) => p.lat))) / 2;
  const k = Math.cos((mid * Math.PI) / 180) || 1;
  const xs = pts.map((p) => p.lng * k);
  const ys = pts.map((p) => p.lat);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 0.01);
  const s = Math.min((W - 2 * pad) / span, (H - 2 * pad) / span);
  const ox = (W - (maxX - minX) * s) / 2;
  const oy = (H - (maxY - minY) * s) / 2;
  const proj = (p) => [ox + (p.lng * k - minX) * s, H - (oy + (p.lat - minY) * s)];
  const dp = dest && proj(dest);

  return (
    <figure>
      <svg class="map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Routing map">
        <title>Routing map</title>
        {dp &&
          nodes
            .filter((n) => chosen.has(n.id))
            .map((n) => {
              const [x, y] = proj({ lat: n.address.latitude, lng: n.address.longitude });
              return <line x1={x} y1={y} x2={dp[0]} y2={dp[1]} stroke="#1e7b34" stroke-width="2" stroke-dasharray="5 3" />;
            })}
        {nodes.map((n) => {
          const [x, y] = proj({ lat: n.address.latitude, lng: n.address.longitude });
          const isChosen = chosen.has(n.id);
          const rej = rejected[n.id];
          const fill = isChosen ? '#1e7b34' : rej ? '#9aa3ae' : '#1f5fbf';
          const why = isChosen ? 'chosen' : rej ? `rejected: ${statusLabel(rej.reason)}${rej.detail ? ' (' + rej.detail + ')' : ''}` : rank[n.id] ? `rank ${rank[n.id].rank}` : 'candidate';
          return (
            <g class={isChosen ? 'chosen' : rej ? 'rejected' : 'candidate'} data-location={n.id}>
              <circle cx={x} cy={y} r={isChosen ? 9 : 6} fill={fill} stroke="#fff" stroke-width="2">
                <title>{`${n.name}: ${why}`}</title>
              </circle>
              <text x={x + 11} y={y + 4} font-size="11" fill="#1b1f24">
                {n.code || n.name}
              </text>
            </g>
          );
        })}
        {dp && (
          <g class="destination">
            <path d={`M${dp[0]} ${dp[1]} l-7 -14 a8 8 0 1 1 14 0 z`} fill="#b3261e" stroke="#fff" stroke-width="1.5">
              <title>Destination</title>
            </path>
            <text x={dp[0] + 10} y={dp[1] - 8} font-size="11" fill="#b3261e">
              Destination
            </text>
          </g>
        )}
      </svg>
      <figcaption class="muted">
        Green: chosen · blue: candidate · grey: rejected · red pin: destination
        {trace.destination && trace.destination.source ? ` (placed by ${trace.destination.source})` : ''}
      </figcaption>
    </figure>
  );
}

function Shipments({ o, can, done }) {
  const list = o.shipments || [];
  return (
    <section class="card" aria-labelledby="h-shipments">
      <h2 id="h-shipments">Shipments</h2>
      {!list.length && <p class="muted">No shipments yet.</p>}
      {list.map((s) => (
        <Shipment s={s} can={can} done={done} />
      ))}
    </section>
  );
}

const docName = { LABEL: 'Print label', AIRWAY_BILL: 'Print label', PACKING_SLIP: 'Packing slip', PICK_LIST: 'Pick list' };

function Shipment({ s, can, done }) {
  const shipmentID = s.id;
  const v = { input: { shipmentID } };
  const docs = s.documents || [];
  const hasSlip = docs.some((d) => d.kind === 'PACKING_SLIP');
  return (
    <article class="shipment" aria-label={`Shipment ${s.number}`}>
      <h3>
        {s.number} <Status status={s.status} /> {s.lateRisk && <span class="pill s-delayed" title={s.lateReason || ''}>Late risk</span>}
      </h3>
      <p class="muted">
        From {s.location.name} · {statusLabel(s.method)}
        {s.carrier ? ` · ${s.carrier}` : ''}
        {s.service ? ` ${s.service}` : ''}
        {s.trackingNumbers && s.trackingNumbers.length ? ' · ' : ''}
        {(s.trackingNumbers || []).map((t) => (s.trackingURL ? <a href={s.trackingURL} target="_blank" rel="noopener">{t}</a> : <span>{t} </span>))}
        {s.shipBy && <> · ship by <When time={s.shipBy} /></>}
      </p>
      <div class="actions">
        {can('pickShipment') && s.status === 'OPEN' && <ActionButton doc={doc.pickShipment} vars={v} onDone={done}>Pick</ActionButton>}
        {can('packShipment') && ['OPEN', 'PICKING'].includes(s.status) && <ActionButton doc={doc.packShipment} vars={v} onDone={done}>Pack</ActionButton>}
        {can('markShipmentReady') && ['PICKING', 'PACKED'].includes(s.status) && (
          <ActionButton doc={doc.markShipmentReady} vars={v} onDone={done}>Ready to ship</ActionButton>
        )}
        {can('shipShipment') && ['OPEN', 'PICKING', 'PACKED', 'READY'].includes(s.status) && (
          <DialogButton
            label="Ship"
            title={`Ship ${s.number}`}
            done={done}
            submit={(f) =>
              mutate(doc.shipShipment, {
                input: {
                  shipmentID,
                  carrier: f.carrier || null,
                  trackingNumbers: f.tracking ? f.tracking.split(/[\s,]+/).filter(Boolean) : null,
                },
              })
            }
          >
            <p class="muted">Leave empty when a label or the marketplace gave them.</p>
            <Field label="Carrier" name="carrier" defaultValue={s.carrier || ''} />
            <Field label="Tracking number" name="tracking" defaultValue={(s.trackingNumbers || []).join(' ')} />
          </DialogButton>
        )}
        {docs.map((d) => (
          <a class="button" href={`/documents/${encodeURIComponent(d.id)}`} target="_blank" rel="noopener">
            {docName[d.kind] || statusLabel(d.kind)}
          </a>
        ))}
        {!hasSlip && can('printPackingSlip') && s.direction !== 'RETURN' && (
          <ActionButton doc={doc.printPackingSlip} vars={v} onDone={done}>Create packing slip</ActionButton>
        )}
      </div>
      {(s.trackingEvents || []).length > 0 && (
        <ol class="timeline tracking" aria-label={`Tracking ${s.number}`}>
          {[...s.trackingEvents]
            .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : -1))
            .map((t) => (
              <li>
                <strong>{t.tag}</strong> {t.message} {t.location && <span class="muted">· {t.location}</span>}
                <div class="meta"><When time={t.occurredAt} /></div>
              </li>
            ))}
        </ol>
      )}
    </article>
  );
}

function Returns({ o, can, done }) {
  const list = o.returns || [];
  return (
    <section class="card" aria-labelledby="h-returns">
      <h2 id="h-returns">Returns</h2>
      {!list.length && <p class="muted">No returns.</p>}
      {list.map((r) => (
        <ReturnItem r={r} o={o} can={can} done={done} />
      ))}
    </section>
  );
}

function ReturnItem({ r, o, can, done }) {
  const returnID = r.id;
  const lines = r.lines || [];
  const open = !['COMPLETED', 'CLOSED', 'CANCELLED', 'DECLINED'].includes(r.status);
  const toReceive = lines.filter((l) => l.receivedQuantity < l.quantity);
  const toDisposition = lines.filter((l) => l.dispositionedQuantity < l.receivedQuantity);
  return (
    <article class="return" aria-label={`Return ${r.number}`}>
      <h3>
        {r.number} <Status status={r.status} /> <span class="muted">{statusLabel(r.kind)} · {statusLabel(r.resolution)}</span>
      </h3>
      <p class="muted">
        <When time={r.createdAt} />
        {r.location ? ` · back to ${r.location.name}` : ''}
        {r.reasonCode ? ` · ${r.reasonCode}` : ''}
        {r.note ? ` · ${r.note}` : ''}
        {r.exchangeOrderID && (
          <>
            {' · exchange '}
            <Link href={`/console/orders/${encodeURIComponent(r.exchangeOrderID)}`}>order</Link>
          </>
        )}
      </p>
      <table aria-label={`Return lines ${r.number}`}>
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col" class="num">Asked</th>
            <th scope="col" class="num">Received</th>
            <th scope="col" class="num">Dispositioned</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <td>{l.sku}</td>
              <td class="num">{l.quantity}</td>
              <td class="num">{l.receivedQuantity}</td>
              <td class="num">{l.dispositionedQuantity}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        {can('approveReturn') && r.status === 'REQUESTED' && (
          <ActionButton doc={doc.approveReturn} vars={{ input: { returnID } }} onDone={done}>Approve return</ActionButton>
        )}
        {can('receiveReturn') && open && toReceive.length > 0 && ['APPROVED', 'IN_TRANSIT', 'RECEIVED', 'INSPECTED'].includes(r.status) && (
          <DialogButton
            label="Receive return"
            title={`Receive return ${r.number}`}
            done={done}
            submit={(v) => {
              const ls = toReceive.map((l) => ({ returnLineID: l.id, quantity: int(v['qty-' + l.id]) })).filter((l) => l.quantity > 0);
              if (!ls.length) return { error: new Error('Enter a received quantity for at least one line.') };
              return mutate(doc.receiveReturn, { input: { returnID, locationID: v.locationID, lines: ls } });
            }}
          >
            <LocationSelect value={r.location && r.location.id} />
            {toReceive.map((l) => (
              <Field label={`Return quantity ${l.sku}`} name={'qty-' + l.id} type="number" min="0" max={l.quantity - l.receivedQuantity} defaultValue={String(l.quantity - l.receivedQuantity)} />
            ))}
          </DialogButton>
        )}
        {can('dispositionReturn') && toDisposition.length > 0 && (
          <DialogButton
            label="Disposition"
            title={`Disposition ${r.number}`}
            done={done}
            submit={(v) => {
              const ls = toDisposition
                .map((l) => ({ returnLineID: l.id, kind: v.kind, quantity: int(v['qty-' + l.id]), locationID: v.locationID || null, note: v.reason || null }))
                .filter((l) => l.quantity > 0);
              if (!ls.length) return { error: new Error('Enter a quantity for at least one line.') };
              return mutate(doc.dispositionReturn, { input: { returnID, lines: ls } });
            }}
          >
            <Field label="Disposition kind" as="select" name="kind">
              {['SELLABLE', 'DAMAGED', 'QUARANTINE', 'MISSING', 'WRITE_OFF'].map((k) => (
                <option value={k}>{statusLabel(k)}</option>
              ))}
            </Field>
            <LocationSelect value={r.location && r.location.id} required={false} />
            {toDisposition.map((l) => (
              <Field label={`Return quantity ${l.sku}`} name={'qty-' + l.id} type="number" min="0" max={l.receivedQuantity - l.dispositionedQuantity} defaultValue={String(l.receivedQuantity - l.dispositionedQuantity)} />
            ))}
            <Reason />
          </DialogButton>
        )}
        {can('refundReturn') && ['RECEIVED', 'INSPECTED', 'COMPLETED', 'APPROVED'].includes(r.status) && (
          <DialogButton label="Refund" title={`Refund ${r.number}`} done={done} submit={(v) => mutate(doc.refundReturn, { input: { returnID, reason: v.reason || null } })}>
            <p class="muted">Refunds the returned units at their price.</p>
            <Reason />
          </DialogButton>
        )}
        {can('createExchange') && open && (
          <DialogButton
            label="Create exchange"
            title={`Create exchange for ${r.number}`}
            done={done}
            submit={(v) => {
              const ls = lines.map((l) => ({ sku: v['sku-' + l.id] || l.sku, quantity: int(v['qty-' + l.id]) })).filter((l) => l.quantity > 0);
              if (!ls.length) return { error: new Error('Enter a quantity for at least one line.') };
              return mutate(doc.createExchange, { input: { returnID, lines: ls, note: v.reason || null } });
            }}
          >
            {lines.map((l) => (
              <>
                <Field label={`Replacement SKU for ${l.sku}`} name={'sku-' + l.id} defaultValue={l.sku} />
                <Field label={`Quantity ${l.sku}`} name={'qty-' + l.id} type="number" min="0" max={l.quantity} defaultValue={String(l.quantity)} />
              </>
            ))}
            <Reason />
          </DialogButton>
        )}
      </div>
    </article>
  );
}

function Refunds({ o, can, done }) {
  const list = o.refunds || [];
  return (
    <section class="card" aria-labelledby="h-refunds">
      <h2 id="h-refunds">Refunds</h2>
      {!list.length && <p class="muted">No refunds.</p>}
      {list.length > 0 && (
        <table aria-label="Refunds">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col" class="num">Amount</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr>
                <td><When time={r.createdAt} /></td>
                <td class="num"><Money money={r.amount} /></td>
                <td><Status status={r.status} />{r.failureReason && <span class="muted"> {r.failureReason}</span>}</td>
                <td class="wrap">{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('refundOrder') && (
        <div class="actions">
          <DialogButton
            label="Refund order"
            done={done}
            submit={(v) => {
              const amount = toMinor(v.amount, o.currency);
              if (!(amount > 0)) return { error: new Error('Enter an amount greater than 0.') };
              return mutate(doc.refundOrder, { input: { orderID: o.id, amount, reason: v.reason || null } });
            }}
          >
            <Field label="Amount" name="amount" inputMode="decimal" required hint={`In ${o.currency}`} />
            <Reason />
          </DialogButton>
        </div>
      )}
    </section>
  );
}

function Notifications({ o, can, done }) {
  const list = o.notifications || [];
  return (
    <section class="card" aria-labelledby="h-notifications">
      <h2 id="h-notifications">Notifications</h2>
      {!list.length && <p class="muted">No notifications.</p>}
      {list.length > 0 && (
        <table aria-label="Notifications">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Sent</th>
              <th scope="col"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.map((n) => (
              <tr>
                <td>{statusLabel(n.kind)}</td>
                <td>
                  <Status status={n.status} />
                  {(n.skipReason || n.lastError) && <span class="muted"> {n.skipReason || n.lastError}</span>}
                </td>
                <td>{n.recipient || <span class="muted">—</span>}</td>
                <td class="wrap">{n.subject}</td>
                <td><When time={n.sentAt || n.createdAt} /></td>
                <td>
                  {can('resendNotification') && (
                    <ActionButton doc={doc.resendNotification} vars={{ input: { notificationID: n.id } }} onDone={done}>
                      Resend
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// eventText turns an event into a short readable line: its type, a status change, the SKU and
// deltas of a stock change, a note or reason.
function eventText(e) {
  const d = e.data || {};
  const t = statusLabel(e.type.replace(/[._]/g, '_'));
  const bits = [];
  if (d.number && e.type !== 'order.placed') bits.push(d.number);
  if (d.from && d.to) bits.push(`${statusLabel(d.from)} → ${statusLabel(d.to)}`);
  if (d.sku) bits.push(d.sku);
  if (d.onHandDelta) bits.push(`on hand ${d.onHandDelta > 0 ? '+' : ''}${d.onHandDelta}`);
  if (d.reservedDelta) bits.push(`reserved ${d.reservedDelta > 0 ? '+' : ''}${d.reservedDelta}`);
  if (d.trackingNumber) bits.push(d.trackingNumber);
  const text = d.note || d.reason || d.message;
  if (text) bits.push(text);
  return bits.length ? `${t}: ${bits.join(' · ')}` : t;
}

function Timeline({ o, can, done }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const seen = useRef(null);
  const events = [...(o.events || [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.cursor < b.cursor ? 1 : -1));
  // Events that arrived while the page is open flash.
  const fresh = new Set();
  if (seen.current) for (const e of events) if (!seen.current.has(e.cursor)) fresh.add(e.cursor);
  useEffect(() => {
    seen.current = new Set(events.map((e) => e.cursor));
  });
  const add = async (e) => {
    e.preventDefault();
    if (!note.trim()) return;
    setBusy(true);
    setError(null);
    const r = await mutate(doc.addOrderNote, { input: { orderID: o.id, note: note.trim() } });
    setBusy(false);
    if (r.error) setError(r.error);
    else {
      setNote('');
      done();
    }
  };
  return (
    <section class="card" aria-labelledby="h-timeline">
      <h2 id="h-timeline">Timeline</h2>
      {can('addOrderNote') && (
        <form onSubmit={add} class="note-form">
          <Field label="Note" as="textarea" name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <Alert error={error} />
          <button type="submit" disabled={busy || !note.trim()}>
            Add note
          </button>
        </form>
      )}
      <ol class="timeline" aria-label="Events">
        {events.map((e) => (
          <li key={e.cursor} class={fresh.has(e.cursor) ? 'hl' : ''}>
            <div>{eventText(e)}</div>
            <div class="meta">
              <When time={e.createdAt} /> · {e.actorName || e.actor || 'Ordo'}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
