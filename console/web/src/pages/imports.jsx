// Imports: upload a products or stock-count CSV (checked whole first; a dry run changes nothing; a
// partial import applies the good rows and hands the rest back), start a channel's catalogue
// import, and follow each import live (rows done of total, errors so far) through importProgress.
// Templates and the catalogue export sit beside the form, for the export → fix → import round.
import { useEffect, useState } from 'preact/hooks';
import { currentSession, mutate, subscribe, useQuery, useViewer } from '../api.js';
import { Alert, When } from '../ui.jsx';

const JOB_FIELDS = `id kind status dryRun partial fileName total done errorCount
  errors { row field message } summary { outcome count } hasRejects actor createdAt finishedAt`;
const JOBS = `query ImportJobs { importJobs(first: 20) { jobs { ${JOB_FIELDS} } } }`;
const CHANNELS = `query ImportChannels { channels(first: 100, orderBy: {field: NAME, direction: ASC}) { edges { node { id name kind } } } }`;
const PROGRESS = `subscription ImportProgress($id: ID!, $after: String) { importProgress(id: $id, after: $after) { ${JOB_FIELDS} } }`;
const START_CATALOG = `mutation StartCatalogImport($input: StartChannelCatalogImportInput!) { startChannelCatalogImport(input: $input) { ${JOB_FIELDS} } }`;
const CANCEL = `mutation CancelImport($id: ID!) { cancelImport(id: $id) { id status } }`;

const finished = (s) => s === 'SUCCEEDED' || s === 'FAILED' || s === 'CANCELLED';

// upload POSTs a CSV file to /imports/{kind} with the session's CSRF token; resolves to the job id.
async function upload(kind, file, { dryRun, partial, location }) {
  const q = new URLSearchParams();
  if (dryRun) q.set('dryRun', 'true');
  if (partial) q.set('partial', 'true');
  if (location) q.set('location', location);
  const res = await fetch(`/imports/${kind}?${q}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'text/csv',
      'Content-Disposition': `attachment; filename="${file.name.replace(/"/g, '')}"`,
      'X-CSRF-Token': currentSession()?.csrfToken || '',
      Accept: 'application/json',
    },
    body: file,
  });
  let body = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new Error(body.errors?.[0]?.message || body.message || `upload refused: HTTP ${res.status}`);
  return body.id;
}

function Progress({ job }) {
  const total = job.total || 0;
  const pct = total ? Math.round((100 * job.done) / total) : 0;
  return (
    <div class="import-progress" role="progressbar" aria-valuemin="0" aria-valuemax={total} aria-valuenow={job.done}
      aria-label={`Import ${job.fileName || job.kind}`}>
      <div class="bar"><span style={`width:${finished(job.status) && job.status === 'SUCCEEDED' ? 100 : pct}%`} /></div>
      <span class="muted">{job.done.toLocaleString()} / {total.toLocaleString()} rows · {job.errorCount} errors</span>
    </div>
  );
}

function Job({ job, onCancel, canAct }) {
  return (
    <tr data-import={job.id}>
      <td>{job.kind.replace('_', ' ').toLowerCase()}{job.dryRun ? ' (dry run)' : ''}</td>
      <td>{job.fileName || '—'}</td>
      <td class="import-status">{job.status}</td>
      <td><Progress job={job} /></td>
      <td class="import-summary">{job.summary.map((o) => `${o.count} ${o.outcome}`).join(' · ')}</td>
      <td>
        {job.errors.slice(0, 5).map((e) => (
          <div class="import-error">row {e.row}{e.field ? ` · ${e.field}` : ''}: {e.message}</div>
        ))}
        {job.hasRejects && <a href={`/imports/${job.id}/rejects.csv`}>refused rows</a>}
      </td>
      <td><When time={job.createdAt} /></td>
      <td>{canAct && !finished(job.status) && <button type="button" onClick={() => onCancel(job.id)}>Cancel</button>}</td>
    </tr>
  );
}

export default function Page() {
  const { can } = useViewer();
  const canAct = can('startChannelCatalogImport');
  const { data, error, refetch } = useQuery(JOBS);
  const channels = useQuery(CHANNELS, {}, { pause: !canAct });
  const [live, setLive] = useState({}); // id → latest job state from the subscription
  const [following, setFollowing] = useState([]);
  const [formError, setFormError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState('products');
  const [file, setFile] = useState(null);
  const [dryRun, setDryRun] = useState(false);
  const [partial, setPartial] = useState(false);
  const [location, setLocation] = useState('');
  const [channel, setChannel] = useState('');

  // Follow every unfinished import on the page, and those just started.
  const jobs = data?.importJobs?.jobs || [];
  const open = [...new Set([...following, ...jobs.filter((j) => !finished(j.status)).map((j) => j.id)])];
  useEffect(() => {
    const stops = open.filter((id) => !finished(live[id]?.status)).map((id) =>
      subscribe(PROGRESS, { id }, (d) => {
        setLive((prev) => ({ ...prev, [id]: d.importProgress }));
        if (finished(d.importProgress.status)) refetch();
      }));
    return () => stops.forEach((stop) => stop());
  }, [open.join(',')]);

  const follow = (id) => {
    setFollowing((f) => [id, ...f]);
    refetch();
  };
  async function submit(e) {
    e.preventDefault();
    setFormError(null);
    if (!file) {
      setFormError(new Error('Choose a CSV file first.'));
      return;
    }
    setBusy(true);
    try {
      follow(await upload(kind, file, { dryRun, partial, location: kind === 'stock' ? location.trim() : '' }));
    } catch (err) {
      setFormError(err);
    } finally {
      setBusy(false);
    }
  }
  async function startCatalog() {
    setFormError(null);
    const r = await mutate(START_CATALOG, { input: { channelID: channel, dryRun } });
    if (r.error) setFormError(new Error(r.error.message));
    else follow(r.data.startChannelCatalogImport.id);
  }
  async function cancel(id) {
    const r = await mutate(CANCEL, { id });
    if (r.error) setFormError(new Error(r.error.message));
    refetch();
  }

  const rows = jobs.map((j) => live[j.id] || j);
  return (
    <div class="page imports">
      <h1>Imports</h1>
      <p class="muted">
        Templates: <a href="/imports/template/products.csv">products.csv</a> · <a href="/imports/template/stock.csv">stock.csv</a>
        {canAct && <> · the whole catalogue to fix and import again: <a href="/imports/export/products.csv">export</a></>}
      </p>
      {canAct && (
        <form class="import-form" onSubmit={submit}>
          <label>What{' '}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
              <option value="products">Products, variants and bundles</option>
              <option value="stock">A stock count</option>
            </select>
          </label>
          <label>CSV file <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files[0] || null)} /></label>
          {kind === 'stock' && (
            <label>Location (code or id, when the file names none)
              <input value={location} onInput={(e) => setLocation(e.currentTarget.value)} />
            </label>
          )}
          <label><input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} /> Dry run: report, change nothing</label>
          <label><input type="checkbox" checked={partial} onChange={(e) => setPartial(e.currentTarget.checked)} /> Import the good rows, hand back the rest</label>
          <button type="submit" disabled={busy}>Import</button>
          <span class="catalog-import">
            <select aria-label="Channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
              <option value="">A channel's catalogue…</option>
              {(channels.data?.channels?.edges || []).map(({ node }) => <option value={node.id}>{node.name} ({node.kind})</option>)}
            </select>
            <button type="button" disabled={!channel} onClick={startCatalog}>Import its listings</button>
          </span>
        </form>
      )}
      <Alert error={formError} />
      <Alert error={error} />
      {!data ? null : rows.length === 0 ? <p class="muted">No imports yet.</p> : (
        <div class="table-wrap">
          <table aria-label="Imports">
            <thead><tr><th>Kind</th><th>File</th><th>Status</th><th>Progress</th><th>Outcome</th><th>Errors</th><th>Started</th><th /></tr></thead>
            <tbody>{rows.map((j) => <Job key={j.id} job={j} onCancel={cancel} canAct={canAct} />)}</tbody>
          </table>
        </div>
      )}
    </div>
  );
}
