/**
 * The overhead run's CRM, in its own process: the benchmark's CPU clock then counts only the client
 * side (the connector or axios, and the HTTP client under it), not the simulator answering.
 */
import { startHttpCrmSimulator } from '../test/sim/http-crm';

process.once('message', (message: { type: string; apiKey: string }) => {
  if (message.type !== 'start') return;
  void startHttpCrmSimulator({ apiKey: message.apiKey, name: 'overhead-crm' }).then((sim) => {
    const stop = (): void => {
      void sim.server.close().then(() => process.exit(0));
    };
    process.on('message', (m: { type: string }) => {
      if (m.type === 'requests') process.send?.({ type: 'requests', count: sim.server.requests.length });
      if (m.type === 'stop') stop();
    });
    // The parent is gone: nothing will ask us to stop.
    process.on('disconnect', stop);
    process.send?.({ type: 'ready', url: sim.server.url });
  });
});
