// Renders the whole console on one view against a real Engine passed in as the ControlApi.
import { render } from '@testing-library/react';
import type { ControlApi } from '../../electron/engine/api.ts';
import { App } from '../../renderer/src/App.tsx';

export function showView(api: ControlApi, view: string) {
  window.location.hash = `#/${view}`;
  return render(<App api={api} />);
}
