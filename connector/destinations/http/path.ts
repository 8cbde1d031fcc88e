/**
 * Path templates such as /customers/{joinKey}: every value is URL-encoded, and a placeholder with
 * no value is a configuration error rather than a request to a wrong URL.
 */
import { ConnectorError } from '../../delivery/errors';

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (value === undefined) {
      throw new ConnectorError('configuration', `path "${template}" uses {${name}}, which has no value here`);
    }
    return encodeURIComponent(value);
  });
}
