/** Asserts that no secret value appears anywhere a thrown error could be printed. */
export function expectNoSecrets(error: unknown, secrets: string[]): void {
  const e = error as Error & Record<string, unknown>;
  const surfaces = [String(e.message), String(e.reason), String(e.stack), JSON.stringify(e), String(e)];
  for (const secret of secrets) {
    for (const surface of surfaces) {
      expect(surface.includes(secret)).toBe(false);
    }
  }
}
