// The browser the suite drives (Debian's Chromium, never a downloaded one), its flags, and the stack's address.
export const CHROMIUM = process.env.VOTING_E2E_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // Chromium refuses to start as root with its sandbox
  // The test machine's network is closed: without these, Chromium keeps trying to reach Google's services.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
];

export const PORTS = {
  edge: Number(process.env.VOTING_E2E_PORT ?? 18080),
  command: Number(process.env.VOTING_E2E_COMMAND_PORT ?? 18081),
  query: Number(process.env.VOTING_E2E_QUERY_PORT ?? 18082),
};

// VOTING_E2E_BASE_URL (with VOTING_E2E_ADMIN_TOKEN) points the suite at a stack that is already running; otherwise
// the global setup starts one on PORTS.
export const BASE_URL = process.env.VOTING_E2E_BASE_URL ?? `http://127.0.0.1:${PORTS.edge}`;

export const VIEWPORT = { width: 1280, height: 1000 };
