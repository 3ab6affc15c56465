// The error the built-in identity provider answers with when a fault is set (faults.ts).
import { faultDescription } from './faults.ts';
import { errors } from './oidc-provider-quiet.ts';

/** An error answered on purpose; not logged as a failure of the provider. */
export class InjectedFault extends errors.CustomOIDCProviderError {
  constructor(error: string) {
    super(error, faultDescription(error));
    if (error === 'server_error') Object.assign(this, { status: 500, statusCode: 500, expose: true });
  }
}
