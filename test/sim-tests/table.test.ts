import { formatTable } from '../sim/table';

describe('formatTable', () => {
  it('aligns columns under a header and a dashed rule, trimming trailing spaces', () => {
    const out = formatTable([
      { key: 'c-10', walletStatus: 'both', appleWalletInstalledAt: '2026-11-27T10:00:00.000Z' },
      { key: 'c-2', walletStatus: 'none', appleWalletInstalledAt: '' },
    ]);
    expect(out.split('\n')).toEqual([
      'key   walletStatus  appleWalletInstalledAt',
      '----  ------------  ------------------------',
      'c-10  both          2026-11-27T10:00:00.000Z',
      'c-2   none',
    ]);
  });

  it('takes explicit columns, and shows missing or null cells as empty and other values as JSON', () => {
    const out = formatTable([{ a: null, b: 3 }, { b: { x: 1 } }], ['b', 'a']);
    expect(out.split('\n')).toEqual(['b        a', '-------  -', '3', '{"x":1}']);
  });

  it('renders only the header when there are no rows, and nothing without columns', () => {
    expect(formatTable([], ['key'])).toBe('key\n---');
    expect(formatTable([])).toBe('');
  });
});
