/**
 * A TCP proxy in front of a PostgreSQL server that counts the client's round
 * trips by reading the wire protocol: each Sync (the end of an
 * extended-protocol query, which node-postgres sends for every parameterised
 * statement) and each simple Query (BEGIN, COMMIT) is one. Used by
 * `npm run bench:roundtrips` and tests/integration/review-roundtrips.test.ts.
 */
import net from "node:net";

const SSL_REQUEST = 80877103;

/**
 * Listens on a free loopback port and forwards to host:port.
 * @param {string} host
 * @param {number} port
 * @returns {Promise<{ port: number, counter: { trips: number }, close: () => Promise<void> }>}
 */
export async function countingProxy(host, port) {
  const counter = { trips: 0 };
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    sockets.add(client).add(upstream);
    let buf = Buffer.alloc(0);
    let started = false;
    client.on("data", (d) => {
      upstream.write(d);
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (!started) {
          // The startup message (or an SSL request) has a length and a code, and no type byte.
          if (buf.length < 8) break;
          const len = buf.readUInt32BE(0);
          if (buf.length < len) break;
          const code = buf.readUInt32BE(4);
          buf = buf.subarray(len);
          if (code !== SSL_REQUEST) started = true;
          continue;
        }
        if (buf.length < 5) break;
        const len = buf.readUInt32BE(1);
        if (buf.length < 1 + len) break;
        const type = String.fromCharCode(buf[0]);
        if (type === "S" || type === "Q") counter.trips++;
        buf = buf.subarray(1 + len);
      }
    });
    upstream.on("data", (d) => client.write(d));
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on("close", close);
      s.on("error", close);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = /** @type {net.AddressInfo} */ (server.address());
  return {
    port: address.port,
    counter,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve(undefined));
      }),
  };
}
