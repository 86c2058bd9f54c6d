// A small SVG line chart: one polyline per series, a time axis and a value axis. No library.

const W = 560, H = 200, PAD = { l: 44, r: 12, t: 12, b: 26 };
const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

// niceMax rounds a maximum up to 1, 2 or 5 times a power of ten, so the axis labels read well.
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function hhmm(t) {
  const d = new Date(t);
  return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

// LineChart draws series = [{name, points: [{at, value}]}] as lines over time. label is the chart's
// accessible name; unit is appended to the value axis labels.
export default function LineChart({ label, series, unit = '' }) {
  const all = series.flatMap((s) => s.points);
  const times = all.map((p) => new Date(p.at).getTime());
  const t0 = times.length ? Math.min(...times) : 0;
  const t1 = times.length ? Math.max(...times) : 1;
  const vmax = niceMax(Math.max(0, ...all.map((p) => Number(p.value) || 0)));
  const x = (t) => PAD.l + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (v) => H - PAD.b - (v / vmax) * (H - PAD.t - PAD.b);
  const ticks = [0, vmax / 2, vmax];
  return (
    <figure class="chart">
      <svg role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none">
        <title>{label}</title>
        {ticks.map((v) => (
          <g key={v}>
            <line class="grid" x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} />
            <text class="axis" x={PAD.l - 6} y={y(v) + 4} text-anchor="end">{fmt(v) + unit}</text>
          </g>
        ))}
        <line class="axis-line" x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={H - PAD.b} />
        <line class="axis-line" x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} />
        {times.length > 0 && (
          <>
            <text class="axis" x={PAD.l} y={H - 8} text-anchor="start">{hhmm(t0)}</text>
            <text class="axis" x={W - PAD.r} y={H - 8} text-anchor="end">{hhmm(t1)}</text>
          </>
        )}
        {series.map((s, i) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            stroke-width="2"
            points={s.points.map((p) => `${x(new Date(p.at).getTime()).toFixed(1)},${y(Number(p.value) || 0).toFixed(1)}`).join(' ')}
          />
        ))}
        {all.length === 0 && <text class="axis" x={W / 2} y={H / 2} text-anchor="middle">No data yet</text>}
      </svg>
      {series.length > 0 && (
        <figcaption class="legend">
          {series.map((s, i) => (
            <span key={s.name}><i style={{ background: COLORS[i % COLORS.length] }} />{s.name}</span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}

function fmt(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
