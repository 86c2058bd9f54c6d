// The sign-in page: email + password; on success goes back to ?next= (a /console/ path) or the board.
import { useEffect, useState } from 'preact/hooks';
import { signIn } from '../api.js';
import { navigate } from '../router.js';
import { Alert, Field } from '../ui.jsx';

export default function SignIn({ query = {} }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const expired = !!query.next;
  useEffect(() => {
    document.title = 'Sign in · Ordo';
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const r = await signIn(String(f.get('email')), String(f.get('password')));
    setBusy(false);
    if (r.error) {
      setError(r.error);
      return;
    }
    const next = query.next && query.next.startsWith('/console/') && !query.next.startsWith('/console/sign-in') ? query.next : '/console/';
    navigate(next, { replace: true });
  };
  return (
    <main class="signin">
      <form onSubmit={submit} class="card">
        <h1>Sign in</h1>
        {expired && !error && <p class="muted">Sign in to continue.</p>}
        <Field label="Email" name="email" type="email" autocomplete="username" required autofocus />
        <Field label="Password" name="password" type="password" autocomplete="current-password" required />
        <Alert error={error} />
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
