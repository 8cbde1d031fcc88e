import { createManualClock } from '../sim/clock';
import { startSimServer, type SimServer } from '../sim/server';
import type { Route } from '../sim/types';
import { send } from './client';

const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/items/:id',
    handle: (_req, params) => ({ status: 200, json: { id: params.id } }),
  },
  {
    method: 'POST',
    pattern: '/items/:id/notes',
    handle: (req, params) => ({
      status: 201,
      headers: { 'X-Item': params.id as string },
      json: { got: req.json },
    }),
  },
  { method: 'GET', pattern: '/text', handle: () => ({ status: 200, body: 'plain' }) },
  {
    method: 'GET',
    pattern: '/boom',
    handle: () => {
      throw new Error('broken handler');
    },
  },
];

describe('simulator core: routes and recording', () => {
  const clock = createManualClock();
  let sim: SimServer;
  beforeEach(async () => {
    sim = await startSimServer({ routes, clock: clock.now, name: 'core' });
  });
  afterEach(() => sim.close());

  it('listens on loopback with a free port', () => {
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.port).toBeGreaterThan(0);
  });

  it('matches params and URL-decodes them', async () => {
    const res = await send(sim.url, '/items/a%2Fb%20c%40d');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 'a/b c@d' });
  });

  it('answers json with a content type and body text as is, with route headers', async () => {
    const note = await send(sim.url, '/items/7/notes', { method: 'POST', body: { n: 1 } });
    expect(note.status).toBe(201);
    expect(note.headers['content-type']).toMatch(/^application\/json/);
    expect(note.headers['x-item']).toBe('7');
    expect(note.json).toEqual({ got: { n: 1 } });
    const text = await send(sim.url, '/text');
    expect(text.text).toBe('plain');
  });

  it('answers 404 for unknown paths, 405 with Allow for a wrong method, 400 for bad encoding', async () => {
    expect((await send(sim.url, '/nothing')).status).toBe(404);
    expect((await send(sim.url, '/items/')).status).toBe(404);
    const wrong = await send(sim.url, '/items/1', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    expect((await send(sim.url, '/items/%E0%A4%A')).status).toBe(400);
  });

  it('turns a throwing handler into a 500 that names the simulator and the reason', async () => {
    const res = await send(sim.url, '/boom');
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ error: 'simulator_error', simulator: 'core' });
    expect(String((res.json as { message: string }).message)).toContain('broken handler');
  });

  it('records method, path, query, lower-case headers, body, json, clock time and status', async () => {
    clock.set(Date.UTC(2026, 10, 27, 12));
    await send(sim.url, '/items/9/notes?x=1&x=2&y=z', {
      method: 'POST',
      headers: { 'X-Api-Key': 'k' },
      body: '{"a":true}',
    });
    await send(sim.url, '/text', { method: 'GET' });
    expect(sim.requests).toHaveLength(2);
    const [first, second] = sim.requests;
    expect(first).toMatchObject({
      seq: 0,
      method: 'POST',
      path: '/items/9/notes',
      url: '/items/9/notes?x=1&x=2&y=z',
      query: { x: '1', y: 'z' },
      body: '{"a":true}',
      json: { a: true },
      at: Date.UTC(2026, 10, 27, 12),
      status: 201,
      refused: false,
      fault: null,
      aborted: false,
    });
    expect(first?.headers['x-api-key']).toBe('k');
    expect(second).toMatchObject({ seq: 1, body: '', json: undefined, status: 200 });
  });

  it('keeps non-JSON bodies as text with json undefined', async () => {
    await send(sim.url, '/items/1/notes', { method: 'POST', body: 'not json' });
    expect(sim.requests[0]).toMatchObject({ body: 'not json', json: undefined, status: 201 });
  });
});
