// Exceptions: everything that needs a person, one section per kind, each with its action.
import { useState } from 'preact/hooks';
import { useQuery, mutate, useViewer } from '../api.js';
import { Link } from '../router.js';
import { Alert, Status, When } from '../ui.jsx';
import DataIssueOrders from './dataissues.jsx';

const ORDER_ROW = 'id number status placedAt shipBy channel { id name } customer { id name email }';
const BOARD = `query ExceptionOrders($filter: OrderBoardFilter) {
  orderBoard(filter: $filter, first: 50) { totalCount edges { node { ${ORDER_ROW} } } }
}`;

const ALERTS = `query Alerts($kinds: [String!]) {
  alerts(kinds: $kinds, first: 50) { edges { node { cursor type orderID order { id number } data actor actorName createdAt } } }
}`;

const SHIPMENT_ROW = `id number status carrier trackingNumbers shipBy promisedDeliveryTo latestEstimate lateReason trackingTag lastScanAt
  location { id name } order { id number }`;
const LATE_RISK = `query ShipByAtRisk { lateRiskShipments(first: 50) { ${SHIPMENT_ROW} } }`;
const DELAYED = `query DelayedShipments {
  shipments(first: 50, where: {lateRisk: true, shippedAtNotNil: true, deliveredAtIsNil: true, cancelledAtIsNil: true},
    orderBy: {field: SHIP_BY, direction: ASC}) { totalCount edges { node { ${SHIPMENT_ROW} } } }
}`;

const FAILED_NOTIFICATIONS = `query FailedNotifications {
  failedNotifications(first: 50) { totalCount edges { node { id kind recipient attempts lastError createdAt order { id number } } } }
}`;

const WEBHOOKS = `query FailingWebhooks {
  webhookEndpoints(first: 100) { edges { node {
    id url description status disabledReason disabledAt failingSince attempt nextAttemptAt lastSuccessAt
    deliveries(first: 10, outcome: FAILED) { edges { node { id eventID eventType orderID attempt statusCode error createdAt } } }
  } } }
}`;

const RELEASE_HOLD = `mutation ReleaseOrderHold($input: OrderCommandInput!) { releaseOrderHold(input: $input) { order { id status } } }`;
const RESEND = `mutation ResendNotification($input: ResendNotificationInput!) { resendNotification(input: $input) { notification { id status } } }`;
const REDELIVER = `mutation RedeliverWebhook($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { queued } }`;
const ENABLE_ENDPOINT = `mutation EnableWebhookEndpoint($input: WebhookEndpointCommandInput!) { enableWebhookEndpoint(input: $input) { endpoint { id status } } }`;

// The alert kinds (events.AlertKinds) of channels that Ordo could not follow.
const CHANNEL_ALERTS = ['order.channel_alert', 'channel.order_rejected', 'channel.auth_failed', 'return.channel_alert',
  'return.deadline_alert'];

const SECTIONS = [
  ['backorders', 'Backorders'],
  ['holds', 'Holds'],
  ['exception-orders', 'Exception orders'],
  ['data-issues', 'Missing product data'],
  ['channel-alerts', 'Channel alerts'],
  ['refused', 'Refused confirmations'],
  ['ship-by', 'Ship-by at risk'],
  ['delayed', 'Delayed shipments'],
  ['failed-notifications', 'Failed notifications'],
  ['failed-webhooks', 'Failed webhooks'],
];

export default function Page() {
  return (
    <div class="page exceptions">
      <h1>Exceptions</h1>
      <nav aria-label="Exception sections" class="jump">
        {SECTIONS.map(([id, name]) => <a key={id} href={`#x-${id}`}>{name}</a>)}
      </nav>
      <Orders id="backorders" title="Backorders" filter={{ statuses: ['BACKORDERED'] }} />
      <Orders id="holds" title="Holds" filter={{ statuses: ['ON_HOLD'] }} release />
      <Orders id="exception-orders" title="Exception orders" filter={{ statuses: ['EXCEPTION'] }} />
      <DataIssueOrders id="data-issues" title="Missing product data" />
      <Alerts id="channel-alerts" title="Channel alerts" kinds={CHANNEL_ALERTS} />
      <Alerts id="refused" title="Refused confirmations" kinds={['order.channel_refused']} />
      <Shipments id="ship-by" title="Ship-by at risk" doc={LATE_RISK} pick={(d) => d.lateRiskShipments} />
      <Shipments id="delayed" title="Delayed shipments" doc={DELAYED} pick={(d) => nodes(d.shipments)} />
      <FailedNotifications />
      <FailedWebhooks />
    </div>
  );
}

function Section({ id, title, count, error, actionError, children }) {
  return (
    <section class="card exception" id={`x-${id}`} aria-labelledby={`h-${id}`}>
      <header class="section-head">
        <h2 id={`h-${id}`}>{title}</h2>
        {count !== undefined && <span class="count" aria-label={`${count} in ${title}`}>{count}</span>}
      </header>
      <Alert error={error} />
      <Alert error={actionError} />
      {children}
    </section>
  );
}

function Orders({ id, title, filter, release }) {
  const { can } = useViewer();
  const { data, error, refetch } = useQuery(BOARD, { filter });
  const [actionError, setActionError] = useState(null);
  const orders = nodes(data?.orderBoard);

  async function releaseHold(o) {
    setActionError(null);
    const r = await mutate(RELEASE_HOLD, { input: { orderID: o.id } });
    if (r.error) setActionError(new Error(`${o.number}: ${r.error.message}`));
    refetch();
  }

  return (
    <Section id={id} title={title} count={data?.orderBoard?.totalCount} error={error} actionError={actionError}>
      {!data ? null : orders.length === 0 ? <p class="muted">None.</p> : (
        <div class="table-wrap">
          <table aria-label={title}>
            <thead><tr><th>Order</th><th>Status</th><th>Channel</th><th>Customer</th><th>Placed</th><th>Ship by</th><th /></tr></thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td><Link href={`/console/orders/${o.id}`}>{o.number}</Link></td>
                  <td><Status status={o.status} /></td>
                  <td>{o.channel?.name || 'Direct'}</td>
                  <td>{o.customer ? <Link href={`/console/customers/${o.customer.id}`}>{o.customer.name || o.customer.email}</Link> : '—'}</td>
                  <td><When time={o.placedAt} /></td>
                  <td><When time={o.shipBy} /></td>
                  <td>{release && can('releaseOrderHold') && <button type="button" onClick={() => releaseHold(o)}>Release hold</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function Alerts({ id, title, kinds }) {
  const { data, error } = useQuery(ALERTS, { kinds });
  const events = nodes(data?.alerts);
  return (
    <Section id={id} title={title} count={data ? events.length : undefined} error={error}>
      {!data ? null : events.length === 0 ? <p class="muted">None.</p> : (
        <ul class="timeline">
          {events.map((e) => (
            <li key={e.cursor}>
              <div>
                {e.order ? <Link href={`/console/orders/${e.order.id}`}>{e.order.number}</Link> : <span class="muted">No order</span>}
                {' '}{describe(e)}
              </div>
              <div class="meta"><When time={e.createdAt} />{' · '}{e.type}{e.actorName || e.actor ? ` · ${e.actorName || e.actor}` : ''}</div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

// describe says what an alert event is about, from its data (events/payloads.go).
function describe(e) {
  const d = e.data || {};
  switch (e.type) {
    case 'order.channel_alert':
      return [d.alert, d.channelStatus && `channel status ${d.channelStatus}`, d.unmapped?.length && `unmapped: ${d.unmapped.join(', ')}`]
        .filter(Boolean).join('; ');
    case 'order.channel_refused':
      return `The channel refused the ${(d.action || 'change').toLowerCase()}${d.reason ? `: ${d.reason}` : ''}`;
    case 'channel.order_rejected':
      return `Channel order ${d.externalID || ''} not taken: ${d.reason || ''}`;
    case 'return.channel_alert':
      return `Return ${d.externalID || ''}: ${d.alert || ''}`;
    case 'return.deadline_alert':
      return `A return waits for the seller's decision: deadline ${d.deadline || '?'} ${d.level === 'MISSED' ? 'missed' : 'near'}`;
    case 'channel.auth_failed':
      return `The channel refused to refresh its tokens: ${d.error || ''}`;
    default:
      return JSON.stringify(d);
  }
}

function Shipments({ id, title, doc, pick }) {
  const { data, error } = useQuery(doc, {});
  const list = data ? pick(data) || [] : [];
  return (
    <Section id={id} title={title} count={data ? list.length : undefined} error={error}>
      {!data ? null : list.length === 0 ? <p class="muted">None.</p> : (
        <div class="table-wrap">
          <table aria-label={title}>
            <thead><tr><th>Order</th><th>Shipment</th><th>From</th><th>Carrier</th><th>Ship by</th><th>Promised</th><th>Estimate</th><th>Why</th></tr></thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td><Link href={`/console/orders/${s.order.id}`}>{s.order.number}</Link></td>
                  <td>{s.number} <Status status={s.status} /></td>
                  <td>{s.location?.name}</td>
                  <td>{s.carrier || '—'} {(s.trackingNumbers || []).join(', ')}</td>
                  <td><When time={s.shipBy} /></td>
                  <td><When time={s.promisedDeliveryTo} /></td>
                  <td><When time={s.latestEstimate} /></td>
                  <td class="wrap">{s.lateReason || s.trackingTag || ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function FailedNotifications() {
  const { can } = useViewer();
  const { data, error, refetch } = useQuery(FAILED_NOTIFICATIONS, {});
  const [actionError, setActionError] = useState(null);
  const list = nodes(data?.failedNotifications);

  async function resend(n) {
    setActionError(null);
    const r = await mutate(RESEND, { input: { notificationID: n.id } });
    if (r.error) setActionError(r.error);
    refetch();
  }

  return (
    <Section id="failed-notifications" title="Failed notifications" count={data?.failedNotifications?.totalCount}
      error={error} actionError={actionError}>
      {!data ? null : list.length === 0 ? <p class="muted">None.</p> : (
        <div class="table-wrap">
          <table aria-label="Failed notifications">
            <thead><tr><th>Order</th><th>Kind</th><th>To</th><th>Attempts</th><th>Error</th><th>When</th><th /></tr></thead>
            <tbody>
              {list.map((n) => (
                <tr key={n.id}>
                  <td>{n.order ? <Link href={`/console/orders/${n.order.id}`}>{n.order.number}</Link> : '—'}</td>
                  <td>{n.kind}</td>
                  <td>{n.recipient || '—'}</td>
                  <td class="num">{n.attempts}</td>
                  <td class="wrap">{n.lastError || ''}</td>
                  <td><When time={n.createdAt} /></td>
                  <td>{can('resendNotification') && <button type="button" onClick={() => resend(n)}>Resend</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function FailedWebhooks() {
  const { can } = useViewer();
  const { data, error, refetch } = useQuery(WEBHOOKS, {});
  const [actionError, setActionError] = useState(null);
  const [queued, setQueued] = useState('');
  const endpoints = nodes(data?.webhookEndpoints).filter((e) => e.status === 'DISABLED' || e.failingSince);

  async function run(doc, input, done) {
    setActionError(null);
    setQueued('');
    const r = await mutate(doc, { input });
    if (r.error) setActionError(r.error);
    else if (done) done();
    refetch();
  }

  return (
    <Section id="failed-webhooks" title="Failed webhooks" count={data ? endpoints.length : undefined} error={error} actionError={actionError}>
      {queued && <p role="status">{queued}</p>}
      {data && endpoints.length === 0 && <p class="muted">None.</p>}
      {endpoints.map((ep) => {
        const failed = nodes(ep.deliveries);
        return (
          <article key={ep.id} class="endpoint" aria-label={`Endpoint ${ep.url}`}>
            <h3>{ep.url}</h3>
            <p class="muted">
              {ep.status === 'DISABLED' ? <>Disabled <When time={ep.disabledAt} />{ep.disabledReason ? `: ${ep.disabledReason}` : ''}</>
                : <>Failing since <When time={ep.failingSince} />, attempt {ep.attempt}, next <When time={ep.nextAttemptAt} /></>}
              {ep.lastSuccessAt && <> · last success <When time={ep.lastSuccessAt} /></>}
            </p>
            {ep.status === 'DISABLED' && can('enableWebhookEndpoint') && (
              <button type="button" onClick={() => run(ENABLE_ENDPOINT, { id: ep.id })}>Enable endpoint</button>
            )}
            {failed.length > 0 && (
              <div class="table-wrap">
                <table aria-label={`Failed deliveries to ${ep.url}`}>
                  <thead><tr><th>Event</th><th>Type</th><th>Order</th><th>Attempt</th><th>Status</th><th>Error</th><th>When</th><th /></tr></thead>
                  <tbody>
                    {failed.map((a) => (
                      <tr key={a.id}>
                        <td class="num">{a.eventID}</td>
                        <td>{a.eventType}</td>
                        <td>{a.orderID ? <Link href={`/console/orders/${a.orderID}`}>Open order</Link> : '—'}</td>
                        <td class="num">{a.attempt}</td>
                        <td class="num">{a.statusCode || '—'}</td>
                        <td class="wrap">{a.error || ''}</td>
                        <td><When time={a.createdAt} /></td>
                        <td>
                          {ep.status !== 'DISABLED' && can('redeliverWebhook') && (
                            <button type="button" onClick={() => run(REDELIVER, { endpointID: ep.id, eventID: a.eventID },
                              () => setQueued(`Event ${a.eventID} queued for redelivery.`))}>Redeliver</button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </article>
        );
      })}
    </Section>
  );
}

// nodes reads a connection's nodes (or passes a plain list through).
function nodes(c) {
  if (!c) return [];
  return Array.isArray(c) ? c : (c.edges || []).map((e) => e.node).filter(Boolean);
}
