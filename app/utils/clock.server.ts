/**
 * The time a request handler acts at. In the server it is the machine's clock.
 * A script that runs the production build inside its own process
 * (scripts/bench-first-day.ts) can move it with `setClock`, to play a learner's
 * day in seconds; nothing outside that process can: there is no environment
 * variable, header or route for it. The build and the script are separate
 * module graphs, so the source of time lives on a global symbol they share.
 */
const KEY = Symbol.for("attention-span.clock");
type TimeSource = () => number;
const holder = globalThis as { [KEY]?: TimeSource };

/** Now, as the app sees it. */
export function clock(): Date {
  const source = holder[KEY];
  return new Date(source ? source() : Date.now());
}

/** For scripts in the same process only: a source of time in ms since epoch, or null for the machine's clock. */
export function setClock(source: TimeSource | null) {
  if (source) holder[KEY] = source;
  else delete holder[KEY];
}
