// Listings: the review queue of channels' listings that Ordo could not map by itself (unmatched or
// ambiguous), each with its suggestions; an operator confirms the top suggestions in bulk or
// ignores listings. Mapped listings start their stock sync at once.
import { useState } from 'preact/hooks';
import { useQuery, mutate, useViewer } from '../api.js';
import { Alert, When } from '../ui.jsx';

const QUEUE = `query ListingQueue($filter: ListingCandidateFilter, $after: String) {
  listingCandidates(filter: $filter, after: $after, first: 100) {
    nodes { id channelID externalID sellerSku barcode title reason lastSeenAt
      suggestions { variant { id sku name } sku reason score } }
    hasNextPage endCursor
  }
  listingCandidateCounts(filter: $filter) { status count }
}`;
const CONFIRM = `mutation ConfirmListings($input: ConfirmListingsInput!) { confirmListings(input: $input) { candidates { id status } } }`;
const IGNORE = `mutation IgnoreListings($input: IgnoreListingsInput!) { ignoreListings(input: $input) { candidates { id status } } }`;

export default function Page() {
  const { can } = useViewer();
  const [reason, setReason] = useState('');
  const [after, setAfter] = useState(null);
  const [picked, setPicked] = useState({});
  const [actionError, setActionError] = useState(null);
  const filter = { status: 'REVIEW', ...(reason ? { reason } : {}) };
  const { data, error, refetch } = useQuery(QUEUE, { filter, after });
  const page = data?.listingCandidates;
  const rows = page?.nodes || [];
  const chosen = rows.filter((c) => picked[c.id]);

  async function act(doc, input) {
    setActionError(null);
    const r = await mutate(doc, { input });
    if (r.error) setActionError(new Error(r.error.message));
    setPicked({});
    refetch();
  }
  const confirmTop = () => act(CONFIRM, {
    decisions: chosen.filter((c) => c.suggestions[0]?.variant).map((c) => ({ candidateID: c.id, variantID: c.suggestions[0].variant.id })),
  });
  const ignore = () => act(IGNORE, { ids: chosen.map((c) => c.id) });

  return (
    <div class="page listings">
      <h1>Listings to review</h1>
      <p class="muted">
        {(data?.listingCandidateCounts || []).map((c) => `${c.count} ${c.status.toLowerCase()}`).join(' · ')}
      </p>
      <label>
        Why{' '}
        <select value={reason} onChange={(e) => { setReason(e.currentTarget.value); setAfter(null); }}>
          <option value="">All</option>
          <option value="AMBIGUOUS">Ambiguous</option>
          <option value="NONE">No match</option>
        </select>
      </label>
      <Alert error={error} />
      <Alert error={actionError} />
      {can('confirmListings') && (
        <div class="actions">
          <button type="button" disabled={chosen.length === 0} onClick={confirmTop}>Confirm top suggestion ({chosen.length})</button>
          <button type="button" disabled={chosen.length === 0} onClick={ignore}>Ignore ({chosen.length})</button>
        </div>
      )}
      {!data ? null : rows.length === 0 ? <p class="muted">Nothing waits for review.</p> : (
        <div class="table-wrap">
          <table aria-label="Listings to review">
            <thead><tr><th /><th>Channel listing</th><th>Seller SKU</th><th>Title</th><th>Why</th><th>Suggestions</th><th>Seen</th></tr></thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <input type="checkbox" aria-label={`Select ${c.externalID}`} checked={!!picked[c.id]}
                      onChange={(e) => setPicked({ ...picked, [c.id]: e.currentTarget.checked })} />
                  </td>
                  <td>{c.externalID}</td>
                  <td>{c.sellerSku || '—'}</td>
                  <td>{c.title}</td>
                  <td>{c.reason === 'AMBIGUOUS' ? 'Ambiguous' : 'No match'}</td>
                  <td>
                    {c.suggestions.length === 0 ? '—' : (
                      <ol>
                        {c.suggestions.map((s) => (
                          <li key={s.sku}>{s.variant ? `${s.variant.sku} (${s.variant.name})` : s.sku} · {s.reason.toLowerCase()} {Math.round(s.score * 100)}%</li>
                        ))}
                      </ol>
                    )}
                  </td>
                  <td><When time={c.lastSeenAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page?.hasNextPage && <button type="button" onClick={() => setAfter(page.endCursor)}>Next page</button>}
    </div>
  );
}
