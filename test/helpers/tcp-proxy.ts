import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server (the test PostgreSQL), that a test stops and starts
 * to take the server away from a client and give it back: stopping closes the listener and cuts
 * every open connection, as a database restart or a network failure would.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  port = 0;

  constructor(private readonly target: { readonly host: string; readonly port: number }) {}

  /**
   * Listens (on the same port as before, after a stop); does nothing while already listening. A
   * port the stopped listener still holds for an instant (`EADDRINUSE`) is tried again.
   */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
      if (this.frozen) for (const s of [client, upstream]) s.pause();
    });
    this.server = server;
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) {
          this.server = undefined;
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    this.port = (server.address() as { port: number }).port;
  }

  /**
   * Stops passing bytes either way, connections left open (a database that hangs without
   * refusing): a client sees no error, only silence, until its own timeouts fire.
   */
  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) s.pause();
  }

  /** Passes bytes again. */
  unfreeze(): void {
    this.frozen = false;
    for (const s of this.sockets) s.resume();
  }

  /** Stops listening and cuts every connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
