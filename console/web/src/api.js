// The console's data layer: the staff session (cookie + CSRF token), the urql client for queries and
// mutations over fetch, the graphql-ws client for live subscriptions, and the hooks pages use.
//
// GraphQL documents are plain strings (use the `gql` tag for syntax highlighting only).
// Errors handed to pages are Error objects whose message is the server's fault message and whose
// `code` is extensions.code (e.g. INVALID_ARGUMENT, FORBIDDEN, NOT_FOUND).
import { Client, fetchExchange } from '@urql/core';
import { createClient as createWSClient } from 'graphql-ws';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { currentPath, navigate } from './router.js';

// gql joins a template literal into a document string.
export const gql = (parts, ...values) => parts.reduce((s, p, i) => s + p + (i < values.length ? values[i] : ''), '');

// A tiny observable value: get(), set(v), use() (a hook that re-renders on change).
function store(initial) {
  let value = initial;
  const subs = new Set();
  return {
    get: () => value,
    set(v) {
      if (v === value) return;
      value = v;
      for (const fn of subs) fn(v);
    },
    sub(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    use() {
      const [v, setV] = useState(value);
      useEffect(() => {
        setV(value);
        return this.sub(setV);
      }, []);
      return v;
    },
  };
}

// ---- session ----

// session: null (signed out / unknown) or {csrfToken, user: {id, email, name, role}}.
const session = store(null);
export const useSession = () => session.use();
export const currentSession = () => session.get();

async function readJSON(res) {
  try {
    return await res.json();
  } catch {
    return {};
  }
}

// getSession asks the server for the current session; resolves to the session or null (401).
export async function getSession() {
  const res = await fetch('/console/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.status === 401) {
    setSession(null);
    return null;
  }
  if (!res.ok) throw new Error(`session: HTTP ${res.status}`);
  const s = await readJSON(res);
  setSession(s);
  return s;
}

// signIn resolves to {session} on success or {error} (a readable message; 429 says when to retry).
export async function signIn(email, password) {
  let res;
  try {
    res = await fetch('/console/api/signin', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    return { error: 'The server cannot be reached.' };
  }
  const body = await readJSON(res);
  if (res.ok) {
    setSession(body);
    return { session: body };
  }
  let error = body.error || (res.status === 401 ? 'Wrong email or password.' : `Sign-in failed (HTTP ${res.status}).`);
  const retry = res.headers.get('Retry-After');
  if (res.status === 429 && retry && !/\d+ ?s/.test(error)) error += ` Try again in ${retry} s.`;
  return { error };
}

// signOut ends the session on the server and goes to the sign-in page.
export async function signOut() {
  const s = session.get();
  try {
    await fetch('/console/api/signout', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': s ? s.csrfToken : '' },
    });
  } catch {
    // Signed out locally either way.
  }
  setSession(null);
  navigate('/console/sign-in');
}

function setSession(s) {
  if (s === session.get()) return;
  const changed = !s || !session.get() || s.csrfToken !== session.get().csrfToken;
  session.set(s);
  if (changed) {
    resetWS();
    viewer.set(null);
  }
}

// sessionExpired is called on any 401/UNAUTHENTICATED: forget the session and go to sign-in, which
// brings the user back to where they were.
let expiring = false;
export function sessionExpired() {
  if (expiring) return;
  expiring = true;
  setSession(null);
  const here = currentPath();
  if (!here.startsWith('/console/sign-in')) navigate('/console/sign-in?next=' + encodeURIComponent(here), { replace: true });
  setTimeout(() => (expiring = false), 500);
}

// ---- errors ----

// toError turns an urql CombinedError / graphql-ws error / anything into an Error with a readable
// message and a code; it reports UNAUTHENTICATED as an expired session.
export function toError(err) {
  if (!err) return null;
  let message = 'Something went wrong.';
  let code = '';
  const gqlErrs = err.graphQLErrors || (Array.isArray(err) ? err : err.message && err.extensions ? [err] : null);
  if (gqlErrs && gqlErrs.length) {
    message = gqlErrs.map((e) => e.message).join('; ');
    code = (gqlErrs[0].extensions && gqlErrs[0].extensions.code) || '';
  } else if (err.networkError) {
    message = err.networkError.message || 'The server cannot be reached.';
    code = 'NETWORK';
  } else if (err.message) {
    message = err.message;
  } else if (typeof err.code === 'number') {
    message = `Connection closed (${err.code}${err.reason ? ': ' + err.reason : ''}).`;
    code = 'CLOSED';
  }
  if (err.response && err.response.status === 401) code = 'UNAUTHENTICATED';
  if (code === 'UNAUTHENTICATED') sessionExpired();
  const e = new Error(message.replace(/^\[(GraphQL|Network)\] /, ''));
  e.code = code;
  return e;
}

// ---- urql (queries, mutations) ----

export const client = new Client({
  url: '/graphql',
  exchanges: [fetchExchange],
  requestPolicy: 'network-only',
  preferGetMethod: false,
  fetchOptions: () => {
    const s = session.get();
    return {
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': s ? s.csrfToken : '' },
    };
  },
  fetch: async (url, init) => {
    const res = await fetch(url, init);
    if (res.status === 401) sessionExpired();
    return res;
  },
});

// query runs a query once: resolves to {data, error}.
export async function query(doc, vars = {}) {
  const r = await client.query(doc, vars).toPromise();
  return { data: r.data || null, error: toError(r.error) };
}

// mutate runs a mutation: resolves to {data, error} (error.message is the fault message).
export async function mutate(doc, vars = {}) {
  const r = await client.mutation(doc, vars).toPromise();
  return { data: r.data || null, error: toError(r.error) };
}

// useQuery runs doc with vars (re-runs when vars change, unless pause) and returns
// {data, error, fetching, refetch}. data stays while a refetch runs.
export function useQuery(doc, vars = {}, { pause = false } = {}) {
  const key = JSON.stringify(vars);
  const [state, setState] = useState({ data: null, error: null, fetching: !pause });
  const seq = useRef(0);
  const run = useCallback(() => {
    const n = ++seq.current;
    setState((s) => ({ ...s, fetching: true }));
    return query(doc, JSON.parse(key)).then((r) => {
      if (n !== seq.current) return r;
      setState({ data: r.data, error: r.error, fetching: false });
      return r;
    });
  }, [doc, key]);
  useEffect(() => {
    if (pause) return;
    run();
    return () => {
      seq.current++;
    };
  }, [run, pause]);
  return { ...state, refetch: run };
}

// ---- graphql-ws (live) ----

const connected = store(false);
// useConnected is true while the websocket is open.
export const useConnected = () => connected.use();
export const isConnected = () => connected.get();

let ws = null;
function wsClient() {
  if (ws) return ws;
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  ws = createWSClient({
    url: `${proto}//${window.location.host}/graphql`,
    lazy: true,
    lazyCloseTimeout: 3000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: () => {
      const s = session.get();
      return { csrfToken: s ? s.csrfToken : '' };
    },
    on: {
      connected: () => connected.set(true),
      closed: (ev) => {
        connected.set(false);
        // 4401/4403: the server refused the session; check whether it expired.
        if (ev && (ev.code === 4401 || ev.code === 4403)) getSession().then((s) => s || sessionExpired(), () => {});
      },
    },
  });
  return ws;
}

function resetWS() {
  if (ws) {
    const old = ws;
    ws = null;
    old.dispose();
  }
  connected.set(false);
}

// subscribe starts a subscription; onData(data, extensions) for each message, onError(err) when it
// ends with an error. Cut-short streams (SLOW_CONSUMER, UNAVAILABLE) resume from extensions.cursor
// (the document must then declare `$after: String` and pass it). Returns the unsubscribe function.
export function subscribe(doc, vars, onData, onError) {
  let stopped = false;
  let dispose = () => {};
  let cursor = null;
  const start = () => {
    if (stopped) return;
    const variables = cursor ? { ...vars, after: cursor } : vars;
    dispose = wsClient().subscribe(
      { query: doc, variables },
      {
        next: (msg) => {
          const ext = msg.extensions || {};
          if (ext.cursor) cursor = ext.cursor;
          if (msg.errors && msg.errors.length) {
            const e = msg.errors[0];
            const c = e.extensions || {};
            if (c.cursor) cursor = c.cursor;
            if (c.code === 'SLOW_CONSUMER' || c.code === 'UNAVAILABLE') return;
            if (onError) onError(toError(msg.errors));
            return;
          }
          if (msg.data) onData(msg.data, ext);
        },
        error: (err) => {
          if (onError) onError(toError(err));
          if (!stopped) setTimeout(start, 2000);
        },
        complete: () => {
          // The server ends a stream only when it is cut short: resume.
          if (!stopped) setTimeout(start, 500);
        },
      },
    );
  };
  start();
  return () => {
    stopped = true;
    dispose();
  };
}

// useSubscription subscribes while the component is mounted (and vars stay the same); onData(data)
// for each message. Pass vars = null to pause.
export function useSubscription(doc, vars, onData) {
  const cb = useRef(onData);
  cb.current = onData;
  const key = vars === null ? null : JSON.stringify(vars || {});
  const s = useSession();
  useEffect(() => {
    if (key === null || !s) return;
    return subscribe(doc, JSON.parse(key), (d, ext) => cb.current(d, ext));
  }, [doc, key, s && s.csrfToken]);
}

// ---- viewer ----

const VIEWER = gql`
  query Viewer {
    viewer {
      role
      staff { id email name role }
      mutations
    }
  }
`;

const viewer = store(null);
let viewerLoading = null;
function loadViewer() {
  if (!viewerLoading) {
    viewerLoading = query(VIEWER).then((r) => {
      viewerLoading = null;
      if (r.data) viewer.set(r.data.viewer);
      return r;
    });
  }
  return viewerLoading;
}

// useViewer returns {user, role, can(mutationName), loading}: user is the staff user (or the
// session's user until the viewer query answers); can() is true only for mutations the server lists.
export function useViewer() {
  const v = viewer.use();
  const s = useSession();
  useEffect(() => {
    if (s && !viewer.get()) loadViewer();
  }, [s && s.csrfToken]);
  const mutations = (v && v.mutations) || [];
  const user = (v && v.staff) || (s && s.user) || null;
  return {
    user,
    role: (v && v.role) || (user && user.role) || null,
    can: (name) => mutations.includes(name),
    loading: !v,
  };
}
