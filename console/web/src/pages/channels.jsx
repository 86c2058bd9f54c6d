// Channels: one card per sales channel with its connection, pulls, stock sync, and the switch that
// enables or disables it.
import { useState } from 'preact/hooks';
import { useQuery, mutate, useViewer } from '../api.js';
import { Alert, When } from '../ui.jsx';

const CHANNELS = `query ConsoleChannels {
  channels(first: 100, orderBy: {field: NAME, direction: ASC}) {
    edges { node {
      id name kind active shopID connected authStatus authError
      tokenExpiresAt refreshTokenExpiresAt tokenRefreshedAt lastPullAt lastPullError pulledUntil pullIntervalSeconds
      stockSync { listings pending lagMs lastPushLagMs lastPushedAt failing }
    } }
  }
}`;

const PULSE = `query ChannelPulse { operationsPulse(minutes: 15) { channels { channel { id } stockSyncLagSeconds pushErrors } } }`;

const SET_ENABLED = `mutation SetChannelEnabled($input: SetChannelEnabledInput!) {
  setChannelEnabled(input: $input) { channel { id active } }
}`;

export default function Page() {
  const { can } = useViewer();
  const { data, error, refetch } = useQuery(CHANNELS, {});
  const pulse = useQuery(PULSE, {});
  const [actionError, setActionError] = useState('');
  // What the switches were set to while their mutation runs (the server's answer then wins).
  const [want, setWant] = useState({});
  const channels = (data?.channels?.edges || []).map((e) => e.node);
  const byChannel = {};
  for (const c of pulse.data?.operationsPulse?.channels || []) byChannel[c.channel.id] = c;

  async function toggle(ch, enabled) {
    setActionError('');
    setWant((w) => ({ ...w, [ch.id]: enabled }));
    const r = await mutate(SET_ENABLED, { input: { channelID: ch.id, enabled } });
    if (r.error) setActionError(`${ch.name}: ${msg(r.error)}`);
    await refetch();
    setWant((w) => {
      const { [ch.id]: _, ...rest } = w;
      return rest;
    });
  }

  return (
    <div class="page channels">
      <h1>Channels</h1>
      {error && <Alert>{msg(error)}</Alert>}
      {actionError && <Alert>{actionError}</Alert>}
      <div class="cards">
        {channels.map((ch) => (
          <ChannelCard key={ch.id} ch={ch} checked={want[ch.id] ?? ch.active} pulse={byChannel[ch.id]} canToggle={can('setChannelEnabled')} onToggle={toggle} />
        ))}
        {data && channels.length === 0 && <p>No channels are connected.</p>}
      </div>
    </div>
  );
}

function ChannelCard({ ch, checked, pulse, canToggle, onToggle }) {
  const id = `ch-${ch.id}`;
  const sync = ch.stockSync || {};
  const lagSeconds = Math.round(pulse ? pulse.stockSyncLagSeconds : (sync.lagMs || 0) / 1000);
  const pushErrors = pulse ? pulse.pushErrors : sync.failing;
  const expired = ch.tokenExpiresAt && new Date(ch.tokenExpiresAt) < new Date();
  const bad = ch.authStatus === 'FAILED' || !ch.connected || expired || ch.lastPullError;
  return (
    <article class={'card channel' + (bad ? ' bad' : '') + (ch.active ? '' : ' off')} aria-labelledby={id}>
      <header>
        <h2 id={id}>{ch.name}</h2>
        <span class="tag">{ch.kind}</span>
      </header>
      <dl class="kv">
        <dt>Status</dt>
        <dd>{ch.active ? 'Enabled' : 'Disabled'}</dd>
        <dt>Connection</dt>
        <dd>
          {!ch.connected ? 'Not connected' : ch.authStatus === 'FAILED' ? 'Authorization failed' : 'Connected'}
          {ch.authError && <div class="error-text">{ch.authError}</div>}
        </dd>
        <dt>Token expires</dt>
        <dd>{ch.tokenExpiresAt ? <><When time={ch.tokenExpiresAt} />{expired && ' (expired)'}</> : '—'}</dd>
        {ch.refreshTokenExpiresAt && <><dt>Re-authorize by</dt><dd><When time={ch.refreshTokenExpiresAt} /></dd></>}
        <dt>Last pull</dt>
        <dd>{ch.lastPullAt ? <When time={ch.lastPullAt} /> : 'Never'}</dd>
        <dt>Last pull error</dt>
        <dd class={ch.lastPullError ? 'error-text' : ''}>{ch.lastPullError || 'None'}</dd>
        <dt>Stock sync lag</dt>
        <dd>{lagSeconds}s{sync.pending ? ` (${sync.pending} of ${sync.listings} listings pending)` : ` (${sync.listings ?? 0} listings)`}</dd>
        <dt>Push errors</dt>
        <dd class={pushErrors ? 'error-text' : ''}>{pushErrors ?? 0}</dd>
        {sync.lastPushedAt && <><dt>Last push</dt><dd><When time={sync.lastPushedAt} /></dd></>}
      </dl>
      {canToggle && (
        <label class="switch">
          <input type="checkbox" checked={checked} onChange={(e) => onToggle(ch, e.currentTarget.checked)} />
          Enabled {ch.name}
        </label>
      )}
    </article>
  );
}

function msg(e) {
  return String(e?.message || e);
}
