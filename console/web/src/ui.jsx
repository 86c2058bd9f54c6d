// Shared UI pieces: dialogs, alerts, labelled fields, money and time, mutation buttons, the live badge.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { mutate, useConnected } from './api.js';

// Dialog is a modal native <dialog> labelled by its title. Focus moves into it on open and back to
// the element that had it on close; Escape (or the browser's cancel) calls onClose.
export function Dialog({ open = true, title, onClose, children, class: cls }) {
  const ref = useRef(null);
  const titleID = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d || !open) return;
    const opener = document.activeElement;
    if (!d.open) d.showModal();
    const first = d.querySelector('input:not([type=hidden]),select,textarea,button:not([data-close])');
    if (first) first.focus();
    return () => {
      if (d.open) d.close();
      if (opener && opener.isConnected && opener.focus) opener.focus();
    };
  }, [open]);
  if (!open) return null;
  const cancel = (e) => {
    e.preventDefault();
    if (onClose) onClose();
  };
  return (
    <dialog ref={ref} aria-labelledby={titleID} class={cls} onCancel={cancel}>
      <h2 id={titleID}>{title}</h2>
      {children}
    </dialog>
  );
}

// Alert shows an error (or any message) in role="alert"; nothing when empty. error may be an Error or a string.
export function Alert({ error, children, kind = 'error' }) {
  const msg = children || (error && (error.message || String(error)));
  if (!msg) return null;
  return (
    <div role="alert" class={`alert alert-${kind}`}>
      {msg}
    </div>
  );
}

// Field is a label + input (or select/textarea via `as`, with children as options). Other props go to the control.
// inputRef is a ref to the control.
export function Field({ label, as: As = 'input', children, hint, class: cls, inputRef, ...props }) {
  const id = useId();
  return (
    <div class={`field ${cls || ''}`}>
      <label for={props.id || id}>{label}</label>
      <As id={props.id || id} ref={inputRef} {...props}>
        {children}
      </As>
      {hint && <small>{hint}</small>}
    </div>
  );
}

// Currencies Ordo keeps without minor units (VND and IDR amounts are whole).
const ZERO_DECIMALS = new Set(['VND', 'IDR', 'JPY', 'KRW', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF']);

// minorDigits is how many minor-unit digits Ordo keeps for a currency.
export function minorDigits(currency) {
  if (ZERO_DECIMALS.has(currency)) return 0;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

// toMinor turns a typed amount ("12.50") into integer minor units of currency; NaN when it is not a number.
export function toMinor(text, currency) {
  const n = Number(String(text).trim().replace(',', '.'));
  if (String(text).trim() === '' || !isFinite(n)) return NaN;
  return Math.round(n * 10 ** minorDigits(currency));
}

// Money formats a Money {amount (integer minor units), currency} in the user's locale.
export function Money({ money }) {
  if (!money) return <span class="muted">—</span>;
  const digits = minorDigits(money.currency);
  const n = Number(money.amount) / 10 ** digits;
  let text;
  try {
    text = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: money.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(n);
  } catch {
    text = `${n.toFixed(digits)} ${money.currency}`;
  }
  return <span class="money">{text}</span>;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// When shows an RFC 3339 time as a <time> in the user's locale (absolute, the ISO value in title).
export function When({ time }) {
  if (!time) return <span class="muted">—</span>;
  const d = new Date(time);
  if (isNaN(d)) return <span>{time}</span>;
  return (
    <time dateTime={time} title={time}>
      {timeFmt.format(d)}
    </time>
  );
}

// ActionButton runs a mutation on click (after confirm(), if given) and shows its error in an Alert.
// onDone(data) runs on success. Children are the button's label.
export function ActionButton({ doc, vars, onDone, children, confirm: ask, class: cls, ...rest }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const click = async () => {
    if (ask && !window.confirm(ask)) return;
    setBusy(true);
    setError(null);
    const r = await mutate(doc, typeof vars === 'function' ? vars() : vars);
    setBusy(false);
    if (r.error) setError(r.error);
    else if (onDone) onDone(r.data);
  };
  return (
    <span class="action">
      <button type="button" class={cls} disabled={busy} aria-busy={busy ? 'true' : undefined} onClick={click} {...rest}>
        {children}
      </button>
      <Alert error={error} />
    </span>
  );
}

// FormDialog is a Dialog with a form: onSubmit(form values object) returns a promise of {error};
// on success the dialog closes (onClose). Buttons "Confirm" / "Cancel".
export function FormDialog({ title, onSubmit, onClose, children }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(e.currentTarget));
    setBusy(true);
    setError(null);
    const r = (await onSubmit(values)) || {};
    setBusy(false);
    if (r.error) setError(r.error);
    else onClose();
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form method="dialog" onSubmit={submit}>
        {children}
        <Alert error={error} />
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            Confirm
          </button>
          <button type="button" data-close onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// LiveBadge shows whether the websocket is connected ("Live") or not ("Offline").
export function LiveBadge() {
  const on = useConnected();
  return (
    <span class={`live ${on ? 'on' : 'off'}`} aria-label="Live updates" role="status">
      {on ? 'Live' : 'Offline'}
    </span>
  );
}

// statusLabel turns an enum like PARTIALLY_SHIPPED into "Partially shipped".
export function statusLabel(s) {
  if (!s) return '';
  const t = s.toLowerCase().replace(/_/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

// Status is a status pill.
export function Status({ status }) {
  return <span class={`pill s-${(status || '').toLowerCase()}`}>{statusLabel(status)}</span>;
}
