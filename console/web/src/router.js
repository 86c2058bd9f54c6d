// Path-based routing under /console/ with the History API. Pages get the route's params as props.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

// Route table: first match wins. Names are stable: shell.jsx maps them to pages.
const routes = [
  ['sign-in', /^\/sign-in\/?$/],
  ['board', /^\/?$/],
  ['order', /^\/orders\/(?<id>[^/]+)\/?$/],
  ['customers', /^\/customers\/?$/],
  ['customer', /^\/customers\/(?<id>[^/]+)\/?$/],
  ['inventory', /^\/inventory\/?$/],
  ['channels', /^\/channels\/?$/],
  ['peak', /^\/peak\/?$/],
  ['exceptions', /^\/exceptions\/?$/],
  ['listings', /^\/listings\/?$/],
  ['imports', /^\/imports\/?$/],
  ['staff', /^\/staff\/?$/],
];

// match resolves a location to {name, params, query, path}; unknown paths get name 'not-found'.
export function match(loc = window.location) {
  let path = loc.pathname.startsWith(BASE) ? loc.pathname.slice(BASE.length) : loc.pathname;
  const query = Object.fromEntries(new URLSearchParams(loc.search));
  for (const [name, re] of routes) {
    const m = re.exec(path);
    if (m) {
      const params = {};
      for (const [k, v] of Object.entries(m.groups || {})) params[k] = decodeURIComponent(v);
      return { name, params, query, path: loc.pathname + loc.search };
    }
  }
  return { name: 'not-found', params: {}, query, path: loc.pathname + loc.search };
}

const listeners = new Set();
function notify() {
  for (const fn of listeners) fn();
}
window.addEventListener('popstate', notify);

// navigate goes to path (absolute, e.g. '/console/orders/1'; a path without the /console prefix gets it).
// {replace: true} replaces the history entry.
export function navigate(path, { replace = false } = {}) {
  if (!path.startsWith(BASE + '/') && path !== BASE) path = BASE + (path.startsWith('/') ? path : '/' + path);
  if (path === window.location.pathname + window.location.search) return;
  window.history[replace ? 'replaceState' : 'pushState'](null, '', path);
  window.scrollTo(0, 0);
  notify();
}

// currentPath is the path (with query) the user is on.
export function currentPath() {
  return window.location.pathname + window.location.search;
}

// useRoute returns {name, params, query, path} of the current location and re-renders on navigation.
export function useRoute() {
  const [route, setRoute] = useState(match);
  useEffect(() => {
    const fn = () => setRoute(match());
    listeners.add(fn);
    fn();
    return () => listeners.delete(fn);
  }, []);
  return route;
}

// Link is an <a> that navigates without a reload (plain clicks only; modified clicks open as usual).
export function Link({ href, onClick, children, ...rest }) {
  const click = (e) => {
    if (onClick) onClick(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (!href || !href.startsWith(BASE)) return;
    e.preventDefault();
    navigate(href);
  };
  return h('a', { href, onClick: click, ...rest }, children);
}
