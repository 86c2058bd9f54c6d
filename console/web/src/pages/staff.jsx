// Staff (admins): the console's users, adding one, disabling and enabling them.
import { useState } from 'preact/hooks';
import { useQuery, mutate, useViewer } from '../api.js';
import { Alert, When } from '../ui.jsx';

const STAFF = `query StaffUsers { staffUsers { id email name role disabled lastSignInAt } }`;
const CREATE = `mutation CreateStaffUser($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id } }`;
const SET_DISABLED = `mutation SetStaffUserDisabled($input: SetStaffUserDisabledInput!) { setStaffUserDisabled(input: $input) { id disabled } }`;

const ROLES = ['SUPPORT', 'OPERATOR', 'ADMIN'];

export default function Page() {
  const { can } = useViewer();
  const { data, error, fetching, refetch } = useQuery(STAFF, {});
  const [actionError, setActionError] = useState('');
  const users = data?.staffUsers || [];

  async function setDisabled(u, disabled) {
    setActionError('');
    const r = await mutate(SET_DISABLED, { input: { id: u.id, disabled } });
    if (r.error) setActionError(msg(r.error));
    else refetch();
  }

  return (
    <div class="page staff">
      <h1>Staff</h1>
      {error && <Alert>{msg(error)}</Alert>}
      {actionError && <Alert>{actionError}</Alert>}
      <div class="table-wrap">
        <table aria-label="Staff users">
          <thead>
            <tr><th>Email</th><th>Name</th><th>Role</th><th>Last sign-in</th><th>Status</th><th /></tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{u.lastSignInAt ? <When time={u.lastSignInAt} /> : '—'}</td>
                <td>{u.disabled ? 'Disabled' : 'Active'}</td>
                <td>
                  {can('setStaffUserDisabled') && (u.disabled
                    ? <button type="button" onClick={() => setDisabled(u, false)}>Enable {u.email}</button>
                    : <button type="button" onClick={() => setDisabled(u, true)}>Disable {u.email}</button>)}
                </td>
              </tr>
            ))}
            {!fetching && users.length === 0 && <tr><td colSpan={6}>No staff users.</td></tr>}
          </tbody>
        </table>
      </div>
      {can('createStaffUser') && <AddStaff onCreated={refetch} />}
    </div>
  );
}

function AddStaff({ onCreated }) {
  const [form, setForm] = useState({ email: '', name: '', role: 'SUPPORT', password: '' });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError('');
    const r = await mutate(CREATE, { input: form });
    setBusy(false);
    if (r.error) return setError(msg(r.error));
    setForm({ email: '', name: '', role: 'SUPPORT', password: '' });
    onCreated();
  }

  return (
    <form class="card form" aria-labelledby="add-staff" onSubmit={submit}>
      <h2 id="add-staff">Add staff user</h2>
      {error && <Alert>{error}</Alert>}
      <label>Email <input type="email" required value={form.email} onInput={set('email')} autoComplete="off" /></label>
      <label>Name <input value={form.name} onInput={set('name')} /></label>
      <label>Role
        <select value={form.role} onChange={set('role')}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
      <label>Password <input type="password" required minLength={12} value={form.password} onInput={set('password')} autoComplete="new-password" /></label>
      <button type="submit" disabled={busy}>Create</button>
    </form>
  );
}

function msg(e) {
  return String(e?.message || e);
}
