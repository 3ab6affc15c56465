// What pages may ask Chromium for: our own page may write to the clipboard (the UI's Copy
// buttons use navigator.clipboard.writeText, which needs 'clipboard-sanitized-write');
// everything else — camera, geolocation, page notifications, clipboard reads — is refused,
// and any other page gets nothing at all.
import type { Session } from 'electron';
import { isAppUrl } from './web-policy.ts';

const ALLOWED_FOR_OUR_PAGE: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Whether a page at `requestingUrl` (a URL or an origin) may use `permission`. */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_FOR_OUR_PAGE.has(permission) && isAppUrl(requestingUrl);
}

/** Chromium asks twice — when a page requests a permission and when it checks one — so both answer alike. */
export function applyPermissionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
}
