// Orders held for product data: their lines lack what the catalogue rule requires (weight,
// dimensions, customs data); packing waits until the SKU is fixed (issue 14).
import { useQuery } from '../api.js';
import { Link } from '../router.js';
import { Alert, Status, When } from '../ui.jsx';

const FLAGGED = `query DataIssueOrders {
  orderBoard(filter: {dataIssues: true}, first: 50) { totalCount edges { node {
    id number status placedAt channel { id name } dataIssues { sku message } } } }
}`;

export default function DataIssueOrders({ id, title }) {
  const { data, error } = useQuery(FLAGGED, {});
  const orders = (data?.orderBoard?.edges || []).map((e) => e.node);
  return (
    <section class="card exception" id={`x-${id}`} aria-labelledby={`h-${id}`}>
      <header class="section-head">
        <h2 id={`h-${id}`}>{title}</h2>
        {data && <span class="count" aria-label={`${data.orderBoard.totalCount} in ${title}`}>{data.orderBoard.totalCount}</span>}
      </header>
      <Alert error={error} />
      {!data ? null : orders.length === 0 ? <p class="muted">None.</p> : (
        <div class="table-wrap">
          <table aria-label={title}>
            <thead><tr><th>Order</th><th>Status</th><th>Channel</th><th>Placed</th><th>Missing or implausible</th></tr></thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td><Link href={`/console/orders/${o.id}`}>{o.number}</Link></td>
                  <td><Status status={o.status} /></td>
                  <td>{o.channel?.name || 'Direct'}</td>
                  <td><When time={o.placedAt} /></td>
                  <td>{o.dataIssues.map((d) => <div key={d.sku + d.message}><code>{d.sku}</code> {d.message}</div>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
