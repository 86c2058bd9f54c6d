// One customer across channels: how the customer is recognised (identities), where it was merged,
// and agents' merges and unmerges with their record (graph/customers.graphqls).
import { useState } from 'preact/hooks';
import { mutate } from '../api.js';
import { Link } from '../router.js';
import { Alert, When } from '../ui.jsx';

// IDENTITY_FIELDS is what the customer page asks for these sections.
export const IDENTITY_FIELDS = `mergedInto { id name email }
      identities { id kind value verified }
      merges { id survivorID mergedID orderIDs identityCount reason actor actorName createdAt undoneAt undoneBy }`;

const MERGE = `mutation MergeCustomers($input: MergeCustomersInput!) { mergeCustomers(input: $input) { id } }`;
const UNMERGE = `mutation UnmergeCustomers($input: UnmergeCustomersInput!) { unmergeCustomers(input: $input) { id undoneAt } }`;

const KIND = { EMAIL: 'Email', PHONE: 'Phone', CHANNEL_BUYER: 'Channel buyer id' };

export function Identities({ c, can, refetch }) {
  const [other, setOther] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');

  async function merge(e) {
    e.preventDefault();
    setError('');
    const r = await mutate(MERGE, { input: { survivorID: c.id, mergedID: other.trim(), reason } });
    if (r.error) return setError(String(r.error.message || r.error));
    setOther('');
    setReason('');
    refetch();
  }

  async function unmerge(m) {
    setError('');
    const r = await mutate(UNMERGE, { input: { mergeID: m.id } });
    if (r.error) setError(String(r.error.message || r.error));
    else refetch();
  }

  const ids = c.identities || [];
  const merges = c.merges || [];
  return (
    <section aria-labelledby="cust-identities">
      <h2 id="cust-identities">Identities</h2>
      {c.mergedInto && (
        <p role="status">Merged into <Link href={`/console/customers/${c.mergedInto.id}`}>
          {c.mergedInto.name || c.mergedInto.email || c.mergedInto.id}</Link>: its history is there.</p>
      )}
      {error && <Alert>{error}</Alert>}
      <div class="table-wrap">
        <table aria-label="Customer identities">
          <thead><tr><th>Kind</th><th>Value</th><th>Verified</th></tr></thead>
          <tbody>
            {ids.map((i) => (
              <tr key={i.id}><td>{KIND[i.kind] || i.kind}</td><td>{i.value}</td><td>{i.verified ? 'yes' : 'no'}</td></tr>
            ))}
            {ids.length === 0 && <tr><td colSpan={3}>No identities (masked contacts bring none).</td></tr>}
          </tbody>
        </table>
      </div>

      <h3>Merges</h3>
      <div class="table-wrap">
        <table aria-label="Customer merges">
          <thead><tr><th>When</th><th>Merged</th><th>Into</th><th>Moved</th><th>By</th><th>Reason</th><th /></tr></thead>
          <tbody>
            {merges.map((m) => (
              <tr key={m.id}>
                <td><When time={m.createdAt} /></td>
                <td><Link href={`/console/customers/${m.mergedID}`}>{m.mergedID}</Link></td>
                <td><Link href={`/console/customers/${m.survivorID}`}>{m.survivorID}</Link></td>
                <td>{m.orderIDs.length} orders, {m.identityCount} identities</td>
                <td>{m.actorName || m.actor}</td>
                <td>{m.reason || '—'}</td>
                <td>
                  {m.undoneAt ? <span>Undone <When time={m.undoneAt} /> by {m.undoneBy}</span>
                    : can('unmergeCustomers') && <button type="button" onClick={() => unmerge(m)}>Unmerge</button>}
                </td>
              </tr>
            ))}
            {merges.length === 0 && <tr><td colSpan={7}>No merges.</td></tr>}
          </tbody>
        </table>
      </div>

      {can('mergeCustomers') && !c.mergedInto && (
        <form class="form" onSubmit={merge}>
          <label>Merge another customer into this one (its id)
            <input value={other} required placeholder="cus_…" onInput={(e) => setOther(e.currentTarget.value)} />
          </label>
          <label>Reason
            <input value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button type="submit">Merge into this customer</button>
        </form>
      )}
    </section>
  );
}
