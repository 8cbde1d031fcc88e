/** application/x-www-form-urlencoded without URLSearchParams (absent on the platform's engine). */

export function formEncode(fields: Array<[string, string | undefined]>): string {
  const parts: string[] = [];
  for (let i = 0; i < fields.length; i += 1) {
    const pair = fields[i] as [string, string | undefined];
    if (pair[1] === undefined) continue;
    parts.push(`${encodeField(pair[0])}=${encodeField(pair[1])}`);
  }
  return parts.join('&');
}

function encodeField(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
