// Hash routes, so the edge serves one document whatever the route, and the service worker has one page to keep:
//   #/                  the elections list
//   #/elections/<id>    one election: ballot, this device's vote, live tally
//   #/my-votes          every vote this device holds
import { reactive } from 'vue';

export function parseRoute(hash) {
  const path = (hash || '').replace(/^#/, '') || '/';
  const election = /^\/elections\/([^/?#]+)\/?$/.exec(path);
  if (election) return { name: 'election', id: decodeURIComponent(election[1]) };
  if (/^\/my-votes\/?$/.test(path)) return { name: 'my-votes' };
  return { name: 'elections' };
}

export const electionHref = (id) => `#/elections/${encodeURIComponent(id)}`;

export function createRouter(win = window) {
  const route = reactive(parseRoute(win.location.hash));
  win.addEventListener('hashchange', () => Object.assign(route, { id: undefined }, parseRoute(win.location.hash)));
  return route;
}
