/** Braze's 401 and 403 say which of key or permission is wrong; say it in those words. */
import { ConnectorError } from '../../delivery/errors';
import { str } from '../shared/json';
import type { DestinationResponse } from '../types';

export function classifyBraze(response: DestinationResponse, destination: string): ConnectorError | null {
  const said = str(response.json, 'message');
  const text = said !== '' ? ` ("${said.slice(0, 200)}")` : '';
  if (response.status === 401) {
    return new ConnectorError(
      'authentication',
      `REST API key unknown or missing${text}: check the key secret and the instance baseUrl`,
      { destination, status: 401 },
    );
  }
  if (response.status === 403) {
    return new ConnectorError(
      'authentication',
      `REST API key lacks a permission${text}: it needs users.track, and users.export.ids for readModifyWrite`,
      { destination, status: 403 },
    );
  }
  return null;
}
