// Peak: the last hour of operations, refreshed every 5 seconds from operationsPulse.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useQuery } from '../api.js';
import { Alert } from '../ui.jsx';
import LineChart from '../chart.jsx';

const PULSE = `query Peak($minutes: Int!) {
  operationsPulse(minutes: $minutes) {
    channels { channel { id name kind } ordersPerMinute { at value } stockSyncLagSeconds pushErrors }
    queues { queue available running retryable failed oldestSeconds }
    lateRiskShipments
    delayedShipments
  }
}`;

const REFRESH_MS = 5000;
const HISTORY_MS = 60 * 60 * 1000;

export default function Page() {
  const { data, error, refetch } = useQuery(PULSE, { minutes: 60 });
  const [history, setHistory] = useState({ lag: {}, queues: {} });
  const seen = useRef(null);

  useEffect(() => {
    const t = setInterval(() => refetch(), REFRESH_MS);
    return () => clearInterval(t);
  }, [refetch]);

  // Stock sync lag and queue depth are point-in-time figures: keep the series of what each poll saw.
  const pulse = data?.operationsPulse;
  useEffect(() => {
    if (!pulse || seen.current === pulse) return;
    seen.current = pulse;
    const at = new Date().toISOString();
    const cut = Date.now() - HISTORY_MS;
    setHistory((h) => {
      const lag = { ...h.lag };
      for (const c of pulse.channels) lag[c.channel.name] = keep(lag[c.channel.name], { at, value: c.stockSyncLagSeconds }, cut);
      const queues = { ...h.queues };
      for (const q of pulse.queues) queues[q.queue] = keep(queues[q.queue], { at, value: q.available + q.running + q.retryable }, cut);
      return { lag, queues };
    });
  }, [pulse]);

  const orders = (pulse?.channels || []).map((c) => ({ name: c.channel.name, points: c.ordersPerMinute }));
  const lag = Object.entries(history.lag).map(([name, points]) => ({ name, points }));
  const queues = Object.entries(history.queues).map(([name, points]) => ({ name, points }));

  return (
    <div class="page peak">
      <h1>Peak</h1>
      {error && <Alert>{String(error.message || error)}</Alert>}
      <div class="figures">
        <Figure label="Late-risk shipments" value={pulse?.lateRiskShipments} warn={pulse?.lateRiskShipments > 0} />
        <Figure label="Delayed shipments" value={pulse?.delayedShipments} warn={pulse?.delayedShipments > 0} />
        <Figure label="Orders in the last minute" value={pulse ? lastMinute(pulse.channels) : undefined} />
        <Figure label="Push errors" value={pulse ? pulse.channels.reduce((n, c) => n + c.pushErrors, 0) : undefined} warn={pulse?.channels.some((c) => c.pushErrors > 0)} />
      </div>
      <div class="charts">
        <section aria-labelledby="chart-orders">
          <h2 id="chart-orders">Orders per minute</h2>
          <LineChart label="Orders per minute" series={orders} />
        </section>
        <section aria-labelledby="chart-lag">
          <h2 id="chart-lag">Stock sync lag</h2>
          <LineChart label="Stock sync lag" series={lag} unit="s" />
        </section>
        <section aria-labelledby="chart-queues">
          <h2 id="chart-queues">Job queue depth</h2>
          <LineChart label="Job queue depth" series={queues} />
          {pulse && pulse.queues.length > 0 && (
            <table aria-label="Job queues">
              <thead><tr><th>Queue</th><th>Available</th><th>Running</th><th>Retryable</th><th>Failed</th><th>Oldest</th></tr></thead>
              <tbody>
                {pulse.queues.map((q) => (
                  <tr key={q.queue}>
                    <td>{q.queue}</td><td>{q.available}</td><td>{q.running}</td><td>{q.retryable}</td>
                    <td class={q.failed ? 'error-text' : ''}>{q.failed}</td><td>{Math.round(q.oldestSeconds)}s</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}

function Figure({ label, value, warn }) {
  const id = 'fig-' + label.toLowerCase().replace(/\W+/g, '-');
  return (
    <figure class={'figure' + (warn ? ' warn' : '')} aria-labelledby={id}>
      <figcaption id={id}>{label}</figcaption>
      <output aria-labelledby={id}>{value ?? '…'}</output>
    </figure>
  );
}

function keep(points = [], p, cut) {
  return [...points.filter((q) => new Date(q.at).getTime() >= cut), p];
}

function lastMinute(channels) {
  return channels.reduce((n, c) => n + (c.ordersPerMinute.length ? c.ordersPerMinute[c.ordersPerMinute.length - 1].value : 0), 0);
}
